// The Cluster Certificates inventory, check by check, from API objects built with generated
// certificates. Expected codes and severities are written from what kube-apiserver, Go's
// crypto/x509 and kubeadm join would do with each object, not read back from the catalog.
import { strict as assert } from 'node:assert';
import type { FindingCode } from '../../../../src/core/findings/catalog';
import { buildClusterInventory } from '../../../../src/core/cluster/inventory';
import type { ClusterSnapshot } from '../../../../src/core/cluster/snapshot';
import { objectUri, parseObjectUri } from '../../../../src/core/cluster/location';
import { readClusterObject, type ClusterObject } from '../../../../src/core/cluster/objects';
import {
  NOW,
  apiService,
  clusterInfo,
  clusterPki,
  crd,
  kubeRootCa,
  tlsSecret,
  webhookConfig,
  type ClusterPki,
} from './clusterFixtures';

function objects(raw: readonly Record<string, unknown>[]): ClusterObject[] {
  return raw.map((r) => readClusterObject(r)).filter((o): o is ClusterObject => o !== undefined);
}

function snapshot(
  raw: readonly Record<string, unknown>[],
  extra: Partial<ClusterSnapshot> = {},
): ClusterSnapshot {
  return { context: 'kind-demo', objects: objects(raw), access: [], ...extra };
}

function codesOf(inv: ReturnType<typeof buildClusterInventory>, name: string): string[] {
  return inv.groups
    .flatMap((g) => g.rows)
    .filter((r) => r.ref.name === name)
    .flatMap((r) => r.findings.map((f) => `${f.severity}:${f.code}`))
    .sort();
}

describe('cluster inventory', function () {
  this.timeout(60_000);
  let pki: ClusterPki;
  before(async () => {
    pki = await clusterPki();
  });

  it('a good cert-manager TLS Secret: no finding, verdict verified against ca.crt, annotations kept', () => {
    const inv = buildClusterInventory(
      snapshot([
        tlsSecret(
          'apps',
          'web-tls',
          { crt: pki.good.certPem, key: pki.good.keyPem, ca: pki.issuerCa.certPem },
          { annotations: { 'cert-manager.io/certificate-name': 'web' } },
        ),
      ]),
      { now: NOW, warnDays: 30 },
    );
    const row = inv.groups.find((g) => g.id === 'tls-secrets')!.rows[0];
    assert.deepEqual(row.findings, []);
    assert.equal(row.keyMatches, true);
    assert.equal(row.certManager.certificateName, 'web');
    assert.equal(row.uri, 'k8s://kind-demo/apps/Secret/web-tls');
    const leaf = row.certificates.find((c) => c.field === 'data.tls.crt')!;
    assert.equal(leaf.chain?.status, 'verified');
    assert.equal(leaf.chain?.anchor?.subject, 'CN=cert-manager-ca');
    assert.equal(leaf.residualSeconds, 3000 * 86400);
    assert.deepEqual(
      row.certificates.map((c) => [c.field, c.role]),
      [
        ['data.tls.crt', 'certificate'],
        ['data.ca.crt', 'ca-bundle'],
      ],
    );
  });

  it('expiring tls.crt: cert-expiring (warning) with the audit threshold', () => {
    const inv = buildClusterInventory(
      snapshot([tlsSecret('apps', 'soon', { crt: pki.expiring.certPem, key: pki.expiring.keyPem })]),
      { now: NOW, warnDays: 30 },
    );
    assert.deepEqual(codesOf(inv, 'soon'), ['warning:cert-expiring']);
    const f = inv.findings[0];
    assert.equal(f.params.days, 10);
    assert.equal(f.params.threshold, 30);
    assert.equal(f.file, 'k8s://kind-demo/apps/Secret/soon');
    assert.deepEqual(f.object, { kind: 'Secret', namespace: 'apps', name: 'soon', field: 'data.tls.crt' });
    assert.deepEqual(
      codesOf(
        buildClusterInventory(snapshot([tlsSecret('apps', 'soon', { crt: pki.expiring.certPem })]), {
          now: NOW,
          warnDays: 5,
        }),
        'soon',
      ),
      [],
    );
  });

  it('tls.key of another certificate: tls-key-mismatch (error), the key never in the finding', () => {
    const inv = buildClusterInventory(
      snapshot([tlsSecret('apps', 'swapped', { crt: pki.good.certPem, key: pki.expiring.keyPem })]),
      { now: NOW, warnDays: 30 },
    );
    assert.deepEqual(codesOf(inv, 'swapped'), ['error:tls-key-mismatch']);
    const row = inv.groups[0].rows[0];
    assert.equal(row.keyMatches, false);
    const text = JSON.stringify(inv.findings);
    const keyBody = pki.expiring.keyPem.split('\n')[1];
    assert.ok(!text.includes(keyBody.slice(0, 24)));
  });

  it('tls.crt not signed by the Secret ca.crt: tls-ca-mismatch (error), verdict not-signed', () => {
    const inv = buildClusterInventory(
      snapshot([
        tlsSecret('apps', 'wrong-ca', {
          crt: pki.otherLeaf.certPem,
          key: pki.otherLeaf.keyPem,
          ca: pki.issuerCa.certPem,
        }),
      ]),
      { now: NOW, warnDays: 30 },
    );
    assert.deepEqual(codesOf(inv, 'wrong-ca'), ['error:tls-ca-mismatch']);
    const leaf = inv.groups[0].rows[0].certificates[0];
    assert.equal(leaf.chain?.status, 'not-signed');
  });

  it('webhook caBundle expired (error), APIService valid, CRD caBundle holding a leaf (ca-bundle-not-ca)', () => {
    const inv = buildClusterInventory(
      snapshot([
        webhookConfig('ValidatingWebhookConfiguration', 'policy', [pki.expiredCa.certPem, undefined], {
          'cert-manager.io/inject-ca-from': 'policy/policy-cert',
        }),
        webhookConfig('MutatingWebhookConfiguration', 'inject', [pki.issuerCa.certPem], {
          'cert-manager.io/inject-ca-from-secret': 'cert-manager/webhook-ca',
        }),
        apiService('v1beta1.metrics.k8s.io', pki.clusterCa.certPem),
        apiService('v1.apps', undefined),
        crd('widgets.example.com', pki.good.certPem),
        crd('gadgets.example.com', undefined),
      ]),
      { now: NOW, warnDays: 30 },
    );
    assert.deepEqual(codesOf(inv, 'policy'), ['error:cert-expired']);
    assert.deepEqual(codesOf(inv, 'inject'), []);
    assert.deepEqual(codesOf(inv, 'v1beta1.metrics.k8s.io'), []);
    assert.deepEqual(codesOf(inv, 'widgets.example.com'), ['warning:ca-bundle-not-ca']);
    const byGroup = Object.fromEntries(inv.groups.map((g) => [g.id, g.rows.map((r) => r.ref.name)]));
    assert.deepEqual(byGroup, {
      'tls-secrets': [],
      'validating-webhooks': ['policy'],
      'mutating-webhooks': ['inject'],
      'api-services': ['v1beta1.metrics.k8s.io'],
      'crd-conversion': ['widgets.example.com'],
      'cluster-ca': [],
    });
    const policy = inv.groups[1].rows[0];
    assert.equal(policy.certManager.injectCaFrom, 'policy/policy-cert');
    assert.deepEqual(inv.groups[2].rows[0].certManager, { injectCaFromSecret: 'cert-manager/webhook-ca' });
    assert.deepEqual(
      policy.certificates.map((c) => [c.field, c.item]),
      [['webhooks[0].clientConfig.caBundle', 'hook-0.example.com']],
    );
    assert.equal(policy.uri, 'k8s://kind-demo/-/ValidatingWebhookConfiguration/policy');
    assert.ok(policy.certificates[0].residualSeconds < 0);
  });

  it('cluster-info vs the kubeconfig CA (SPKI pins) and kube-root-ca.crt vs cluster-info', () => {
    const raw = [
      clusterInfo(pki.clusterCa.certPem),
      kubeRootCa('default', pki.clusterCa.certPem),
      kubeRootCa('stale', pki.otherCa.certPem),
    ];
    const same = buildClusterInventory(
      snapshot(raw, {
        kubeconfigCa: { cluster: 'demo', file: '/home/u/.kube/config', certificates: [pki.clusterCa.cert] },
      }),
      { now: NOW, warnDays: 30 },
    );
    assert.deepEqual(codesOf(same, 'cluster-info'), []);
    assert.deepEqual(codesOf(same, 'kube-root-ca.crt'), ['warning:kube-root-ca-mismatch']);
    const stale = same.findings.find((f) => f.code === 'kube-root-ca-mismatch')!;
    assert.equal(stale.object?.namespace, 'stale');
    assert.equal(stale.params.pins, pki.otherCa.cert.spkiPin);

    // Same name "kubernetes", another key: the rotated-CA / wrong-cluster case kubeadm join trips on.
    const rotated = buildClusterInventory(
      snapshot(raw, {
        kubeconfigCa: { cluster: 'demo', file: '/home/u/.kube/config', certificates: [pki.otherCa.cert] },
      }),
      { now: NOW, warnDays: 30 },
    );
    const mismatch = rotated.findings.find((f) => f.code === 'cluster-info-ca-mismatch')!;
    assert.equal(mismatch.severity, 'error');
    assert.equal(mismatch.params.pins, pki.clusterCa.cert.spkiPin);
    assert.equal(mismatch.params.kubeconfigPins, pki.otherCa.cert.spkiPin);
    assert.equal(mismatch.related?.[0].file, '/home/u/.kube/config');
    assert.equal(mismatch.file, 'k8s://kind-demo/kube-public/ConfigMap/cluster-info');
  });

  it('only kubernetes.io/tls Secrets are rows; other Secret values are never kept', () => {
    const marker = 'opaqmark7f3e1c09b2d4a865';
    const obj = readClusterObject(
      tlsSecret('apps', 'mixed', {
        crt: pki.good.certPem,
        key: pki.good.keyPem,
        extra: { password: marker },
      }),
    )!;
    assert.ok(!JSON.stringify(obj).includes(Buffer.from(marker).toString('base64')));
    assert.ok(!JSON.stringify(obj).includes(marker));
    assert.deepEqual(
      obj.fields.map((f) => f.field),
      ['data.tls.crt', 'data.tls.key'],
    );
    const inv = buildClusterInventory(
      snapshot([
        tlsSecret(
          'apps',
          'opaque',
          { crt: pki.good.certPem, extra: { password: marker } },
          { type: 'Opaque' },
        ),
      ]),
      { now: NOW, warnDays: 30 },
    );
    assert.equal(inv.groups[0].rows.length, 0);
  });

  it('unreadable fields are findings on the field; access problems are findings and group errors', () => {
    const inv = buildClusterInventory(
      snapshot([tlsSecret('apps', 'garbage', { crt: 'not a certificate', key: 'nor a key' })], {
        access: [
          {
            resource: 'secrets',
            verb: 'list',
            namespace: 'kube-system',
            forbidden: true,
            message: 'Forbidden',
            missingPermissions: ['list on secrets in namespace kube-system'],
          },
          {
            resource: 'apiservices.apiregistration.k8s.io',
            verb: 'list',
            forbidden: false,
            message: 'the server could not find the requested resource',
            missingPermissions: [],
          },
        ],
      }),
      { now: NOW, warnDays: 30, enabled: (code: FindingCode) => code !== 'cluster-read-error' },
    );
    assert.deepEqual(codesOf(inv, 'garbage'), ['error:invalid-pem', 'error:invalid-pem']);
    const denied = inv.findings.find((f) => f.code === 'cluster-access-denied')!;
    assert.equal(denied.params.permission, 'list on secrets in namespace kube-system');
    assert.equal(denied.file, 'k8s://kind-demo/kube-system/Secret/*');
    assert.ok(!inv.findings.some((f) => f.code === 'cluster-read-error'), 'disabled codes are not reported');
    assert.equal(inv.groups.find((g) => g.id === 'tls-secrets')!.access.length, 1);
    assert.equal(inv.groups.find((g) => g.id === 'api-services')!.access.length, 1);
  });

  it('object references are stable and survive odd context names', () => {
    const uri = objectUri('arn:aws:eks:eu-west-1:1:cluster/prod', {
      kind: 'Secret',
      namespace: 'a',
      name: 'b',
    });
    assert.equal(uri, 'k8s://arn%3Aaws%3Aeks%3Aeu-west-1%3A1%3Acluster%2Fprod/a/Secret/b');
    assert.deepEqual(parseObjectUri(uri), {
      context: 'arn:aws:eks:eu-west-1:1:cluster/prod',
      ref: { kind: 'Secret', namespace: 'a', name: 'b' },
    });
    assert.deepEqual(parseObjectUri('k8s://c/-/APIService/v1.x'), {
      context: 'c',
      ref: { kind: 'APIService', name: 'v1.x' },
    });
  });
});
