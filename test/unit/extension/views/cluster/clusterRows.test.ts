// Cluster Certificates rows at the side bar's default width: the verdict first (the worst finding
// that is not about dates, then the residual time as the PKI view prints it), the CN last; the
// icon carries the worst finding; the tooltip names the findings and cert-manager's annotations;
// an access problem says which verb on which resource is missing. Built from core's inventory of
// API objects made from generated certificates (dates chosen around NOW).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildClusterInventory } from '../../../../../src/core/cluster/inventory';
import type { InventoryRow } from '../../../../../src/core/cluster/inventoryRow';
import { readClusterObject, type ClusterObject } from '../../../../../src/core/cluster/objects';
import { englishTemplate } from '../../../../../src/core/findings/finding';
import { certificateMarkdown } from '../../../../../src/extension/hover/markdown';
import {
  accessRow,
  certificateReport,
  certificateRow,
  objectRow,
  objectTooltip,
  verdictWord,
} from '../../../../../src/extension/views/cluster/clusterRows';
import {
  NOW,
  apiService,
  clusterPki,
  tlsSecret,
  webhookConfig,
  type ClusterPki,
} from '../../../core/cluster/clusterFixtures';
import { englishHover } from '../../hover/helpers';

const english = { t: englishTemplate };
const zh = JSON.parse(
  readFileSync(path.resolve(__dirname, '../../../../../l10n/bundle.l10n.zh-cn.json'), 'utf8'),
) as Record<string, string>;

describe('Cluster Certificates rows', () => {
  let pki: ClusterPki;
  let rows: Map<string, InventoryRow>;

  before(async () => {
    pki = await clusterPki();
    const objects = [
      tlsSecret(
        'shop',
        'expiring-tls',
        { crt: pki.expiring.certPem, key: pki.expiring.keyPem, ca: pki.issuerCa.certPem },
        { annotations: { 'cert-manager.io/certificate-name': 'expiring' } },
      ),
      tlsSecret('shop', 'mismatch-tls', { crt: pki.good.certPem, key: pki.otherLeaf.keyPem }),
      webhookConfig('ValidatingWebhookConfiguration', 'policy-webhook', [pki.expiredCa.certPem]),
      apiService('v1beta1.metrics.k8s.io', pki.clusterCa.certPem),
    ].map((o) => readClusterObject(o) as ClusterObject);
    const inventory = buildClusterInventory(
      { context: 'demo', objects, access: [] },
      { now: NOW, warnDays: 30 },
    );
    rows = new Map(inventory.groups.flatMap((g) => g.rows).map((r) => [r.ref.name, r]));
  });

  const row = (name: string) => {
    const found = rows.get(name);
    assert.ok(found, `${name} is a row`);
    return found;
  };

  it('an expiring certificate: residual time first, then the CN; warning icon', () => {
    assert.deepEqual(objectRow(row('expiring-tls'), NOW, english), {
      label: 'expiring-tls',
      description: '10d · expiring.example.com',
      icon: ['warning', 'list.warningForeground'],
      contextValue: 'clusterObject object certificate',
    });
  });

  it('a key that does not match: a word for the finding before the time; error icon', () => {
    const view = objectRow(row('mismatch-tls'), NOW, english);
    assert.equal(view.description, 'wrong key · 8y · app.example.com');
    assert.deepEqual(view.icon, ['error', 'list.errorForeground']);
  });

  it('an expired caBundle: "expired · … ago"; a valid one: the kind icon, green', () => {
    const expired = objectRow(row('policy-webhook'), NOW, english);
    assert.equal(expired.description, 'expired · 5d ago · webhook-ca');
    assert.equal(expired.icon[0], 'error');
    const valid = objectRow(row('v1beta1.metrics.k8s.io'), NOW, english);
    assert.equal(valid.description, '8y · kubernetes');
    assert.deepEqual(valid.icon, ['shield', 'testing.iconPassed']);
  });

  it('keeps every verdict word within what a row three levels deep shows at 300 px', () => {
    for (const r of rows.values()) {
      const verdict = objectRow(r, NOW, english).description.split(' · ')[0];
      assert.ok(verdict.length <= 10, `${r.ref.name}: "${verdict}"`);
    }
    for (const code of [
      'tls-key-mismatch',
      'tls-ca-mismatch',
      'ca-bundle-not-ca',
      'cluster-info-ca-mismatch',
      'kube-root-ca-mismatch',
      'weak-signature',
    ] as const) {
      assert.ok(verdictWord(code, english).length <= 10, code);
      assert.ok((zh[verdictWord(code, english)] ?? '').length <= 5, `zh-cn of ${code}`);
    }
  });

  it('tooltip: findings with their codes, the key check, cert-manager annotations', () => {
    const plain = (md: string) => md.replace(/\\(.)/g, '$1');
    const expiring = plain(objectTooltip(row('expiring-tls'), english, englishTemplate));
    assert.match(expiring, /cert-manager\.io\/certificate-name: `expiring`/);
    assert.match(expiring, /`cert-expiring`/);
    assert.match(expiring, /tls\.key matches tls\.crt: yes/);
    const mismatch = plain(objectTooltip(row('mismatch-tls'), english, englishTemplate));
    assert.match(mismatch, /\$\(error\) tls\.key of Secret shop\/mismatch-tls is not the private key/);
    assert.match(mismatch, /tls\.key matches tls\.crt: no/);
  });

  it('certificate rows: one per certificate of the bundle, in the hover layout', () => {
    const secret = row('expiring-tls');
    const views = secret.certificates.map((c) => certificateRow(c, secret, NOW, english));
    assert.deepEqual(
      views.map((v) => [v.label, v.description]),
      [
        ['expiring.example.com', '10d · tls.crt'],
        ['cert-manager-ca', '8y · ca.crt'],
      ],
    );
    const { report, total, findings } = certificateReport(secret, 0);
    const md = certificateMarkdown(report, total, findings, NOW, englishHover);
    assert.match(md, /Signed by CA given as input `CN=cert-manager-ca`/);
    assert.match(md, /`cert-expiring`/);
    assert.match(md, new RegExp(pki.expiring.cert.spkiPin));
  });

  it('access problems say the verb and the resource, and what to ask for', () => {
    const view = accessRow(
      {
        resource: 'secrets',
        verb: 'list',
        forbidden: true,
        message: 'Forbidden: list secrets in all namespaces.',
        missingPermissions: ['list on secrets (cluster-wide)'],
      },
      english,
    );
    assert.equal(view.label, 'forbidden: list secrets');
    assert.equal(view.description, 'all namespaces');
    assert.match(view.tooltip, /You need: list on secrets \(cluster-wide\)\./);
    const cluster = accessRow(
      {
        resource: 'apiservices.apiregistration.k8s.io',
        verb: 'list',
        forbidden: true,
        message: 'x',
        missingPermissions: [],
      },
      english,
    );
    assert.equal(cluster.label, 'forbidden: list apiservices');
    assert.equal(cluster.description, '');
  });

  it('translates every label into short zh-cn', () => {
    for (const label of [
      'forbidden: {0} {1}',
      'expired {0} ago',
      'TLS Secrets',
      'Cluster CA',
      'no certificate',
    ])
      assert.ok(zh[label], `zh-cn for "${label}"`);
  });
});
