// Disabled codes (kubecerts.disabledFindings) are dropped in one place, withoutDisabled, at each
// entry point a surface calls. For every code an entry point reports on a fixture with many problems,
// the run with that code disabled must equal the full run with that code's findings taken out:
// nothing else (other findings, certificates, states, rows) may move.
import { strict as assert } from 'node:assert';
import { Buffer } from 'node:buffer';
import { analyzeEntry, analyzeKubeconfig } from '../../../../src/core/audit/kubeconfig';
import { auditCertificateFiles } from '../../../../src/core/audit/files';
import { DEFAULT_WARN_DAYS } from '../../../../src/core/audit/checks';
import { buildClusterInventory } from '../../../../src/core/cluster/inventory';
import { readClusterObject, type ClusterObject } from '../../../../src/core/cluster/objects';
import { FINDING_CATALOG, type FindingCode, type Severity } from '../../../../src/core/findings/catalog';
import { severityAtLeast, withoutDisabled, type EnabledCodes } from '../../../../src/core/findings/finding';
import { mergeKubeconfigs } from '../../../../src/core/kubeconfig/merge';
import { parseKubeconfig } from '../../../../src/core/kubeconfig/parse';
import { analyzeCertificateText } from '../../../../src/core/manifest/certificates';
import { finishItem } from '../../../../src/core/pki/item';
import { PkiScanner } from '../../../../src/core/pki/scanner';
import { probeFindings } from '../../../../src/core/probe/findings';
import { probeTarget } from '../../../../src/core/probe/target';
import { servedVerdict } from '../../../../src/core/probe/verdict';
import { FsPkiTreeSource } from '../../../../src/node/pki/fsSource';
import { addDays, base64Data, bundle, makeCa, makeLeaf, type TestCert } from '../../../fixtures/certs';
import { kubeconfigYaml } from '../../../fixtures/kubeconfig';
import { removeTree, writePkiVariant, type VariantName } from '../../../fixtures/pkiVariants';
import { clusterInfo, clusterPki, kubeRootCa, tlsSecret, webhookConfig } from '../cluster/clusterFixtures';

const NOW = new Date('2026-06-01T00:00:00Z');

interface FindingLike {
  readonly code: FindingCode;
  readonly severity: Severity;
  readonly params: object;
}

/** A finding, not a verdict's problem (those have a code and params too, and stay). */
function isFinding(value: unknown): value is FindingLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    'code' in value &&
    'severity' in value &&
    'params' in value &&
    'file' in value &&
    'span' in value
  );
}

/** A comparable copy: maps as entries, certificates by fingerprint, PKI row versions left out (they hash the findings). */
function plain(value: unknown): unknown {
  if (value instanceof Map) return [...value].map(([k, v]) => [k, plain(v)]);
  if (value instanceof Date) return value.toISOString();
  if (ArrayBuffer.isView(value)) return value.byteLength;
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === 'object' && value !== null) {
    if ('sha256Fingerprint' in value && 'der' in value)
      return `certificate:${String(value.sha256Fingerprint)}`;
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k, v]) => k !== 'version' && typeof v !== 'function')
        .map(([k, v]) => [k, plain(v)]),
    );
  }
  return value;
}

/** `plain(value)` with every finding of `code` taken out, wherever it sits. */
function without(value: unknown, code: string): unknown {
  if (Array.isArray(value))
    return value.filter((v) => !(isFinding(v) && v.code === code)).map((v) => without(v, code));
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, without(v, code)]));
  return value;
}

function codesIn(value: unknown, out = new Set<FindingCode>()): Set<FindingCode> {
  if (isFinding(value)) out.add(value.code);
  if (Array.isArray(value)) value.forEach((v) => codesIn(v, out));
  else if (typeof value === 'object' && value !== null) Object.values(value).forEach((v) => codesIn(v, out));
  return out;
}

/**
 * For each code of the full run (which must hold at least `expected`): disabled, it is gone from
 * the result and everything else is as in the full run.
 */
async function dropsEachCode(
  run: (enabled: EnabledCodes | undefined) => unknown | Promise<unknown>,
  expected: readonly FindingCode[],
  normalise: (value: unknown) => unknown = (v) => v,
): Promise<void> {
  const full = plain(await run(undefined));
  assert.deepEqual(plain(await run(() => true)), full, 'enabling every code changes nothing');
  const codes = codesIn(full);
  for (const code of expected) assert.ok(codes.has(code), `the fixture reports ${code}`);
  for (const code of codes) {
    const off = plain(await run((c) => c !== code));
    assert.ok(!codesIn(off).has(code), `${code} disabled is not reported`);
    assert.deepEqual(normalise(off), normalise(without(full, code)), `${code} disabled changes nothing else`);
  }
}

const ALL_CODES = Object.keys(FINDING_CATALOG) as FindingCode[];

/** The setting's form (a list of disabled codes), for the entry points that take it. */
const disabledList = (enabled: EnabledCodes | undefined): string[] =>
  enabled ? ALL_CODES.filter((c) => !enabled(c)) : [];

describe('disabled findings: one filter at each entry point', function () {
  this.timeout(120_000);
  let ca: TestCert;
  let otherCa: TestCert;
  let expiredCa: TestCert;
  let expired: TestCert;
  let good: TestCert;
  let foreign: TestCert;

  before(async () => {
    const dates = { notBefore: addDays(NOW, -100), notAfter: addDays(NOW, 3000) };
    ca = await makeCa({ cn: 'kubernetes', ...dates });
    otherCa = await makeCa({ cn: 'other-ca', ...dates });
    expiredCa = await makeCa({ cn: 'old-ca', notBefore: addDays(NOW, -400), notAfter: addDays(NOW, -5) });
    expired = await makeLeaf({
      issuer: ca,
      cn: 'kubernetes-admin',
      o: ['system:masters'],
      notBefore: addDays(NOW, -400),
      notAfter: addDays(NOW, -3),
      eku: ['clientAuth'],
    });
    good = await makeLeaf({ issuer: ca, cn: 'web', ...dates, eku: ['serverAuth', 'clientAuth'] });
    foreign = await makeLeaf({ issuer: otherCa, cn: 'web', ...dates, eku: ['serverAuth', 'clientAuth'] });
  });

  it('withoutDisabled keeps everything without a predicate and drops what the predicate turns off', () => {
    const findings = [{ code: 'cert-expired' as const }, { code: 'invalid-pem' as const }];
    assert.deepEqual(withoutDisabled(findings, undefined), findings);
    assert.deepEqual(
      withoutDisabled(findings, (c) => c !== 'invalid-pem'),
      [{ code: 'cert-expired' }],
    );
  });

  it('kubeconfig audit (CLI, diagnostics, workspace audit) and each entry (hover)', async () => {
    const text = kubeconfigYaml({
      clusters: [
        { name: 'c1', insecure: true, caData: base64Data(bundle(ca, expiredCa)) },
        { name: 'c2', caData: 'REDACTED' },
      ],
      users: [
        {
          name: 'u1',
          certData: base64Data(expired.certPem),
          keyData: base64Data(good.keyPem),
          certPath: '/x.crt',
        },
        { name: 'u2', token: 'abcdef.0123456789abcdef' },
        { name: 'u3', certData: base64Data(foreign.certPem), keyData: base64Data(foreign.keyPem) },
      ],
      contexts: [
        { name: 'a', cluster: 'c1', user: 'u1' },
        { name: 'b', cluster: 'nowhere', user: 'u2' },
        { name: 'c', cluster: 'c1', user: 'u3' },
      ],
      currentContext: 'gone',
    });
    const model = mergeKubeconfigs([parseKubeconfig(text, '/home/u/.kube/config')]);
    const options = (enabled: EnabledCodes | undefined) => ({ now: NOW, disabled: disabledList(enabled) });
    await dropsEachCode(
      (enabled) => analyzeKubeconfig(model, options(enabled)),
      [
        'insecure-skip-tls-verify',
        'dangling-reference',
        'missing-current-context',
        'cert-expired',
        'key-mismatch',
      ],
    );
    for (const entry of [...model.clusters.values(), ...model.users.values()])
      await dropsEachCode((enabled) => analyzeEntry(model, entry, options(enabled)), []);
  });

  it('certificate text (hover, diagnostics, details) and certificate files (workspace audit)', async () => {
    const secret = [
      'apiVersion: v1',
      'kind: Secret',
      'metadata:',
      '  name: web',
      '  namespace: web',
      'type: kubernetes.io/tls',
      'data:',
      `  tls.crt: ${base64Data(expired.certPem)}`,
      `  tls.key: ${base64Data(good.keyPem)}`,
      `  ca.crt: ${base64Data(otherCa.certPem)}`,
      '---',
      'apiVersion: v1',
      'kind: Secret',
      'metadata:',
      '  name: broken',
      'data:',
      '  tls.crt: "%%%"',
      '',
    ].join('\n');
    await dropsEachCode(
      (enabled) =>
        analyzeCertificateText(
          { file: '/w/secret.yaml', text: secret },
          { now: NOW, warnDays: DEFAULT_WARN_DAYS, ...(enabled ? { enabled } : {}) },
        ),
      ['cert-expired', 'tls-key-mismatch'],
    );
    const files = [
      { file: '/w/chain.pem', bytes: Buffer.from(bundle(expired, foreign, expiredCa)) },
      { file: '/w/junk.pem', bytes: Buffer.from('not a certificate\n') },
    ];
    await dropsEachCode(
      (enabled) => auditCertificateFiles(files, { now: NOW, disabled: disabledList(enabled) }),
      ['cert-expired', 'invalid-base64'],
    );
  });

  it('probes: the served certificate of a cluster', async () => {
    const target = probeTarget('https://api.example.com');
    assert.ok(target.ok);
    const observation = { target: target.target, at: NOW, presented: [expired.cert] };
    const trust = { anchors: [otherCa.cert], source: 'cluster-ca' as const, label: 'ca' };
    const verdict = servedVerdict(observation, trust, NOW, 30);
    const configured = { component: 'kube-apiserver', path: '/pki/apiserver.crt', certificate: good.cert };
    await dropsEachCode(
      (enabled) =>
        probeFindings(
          observation,
          trust,
          verdict,
          { file: 'k', span: { start: 0, end: 0 } },
          { warnDays: 30, ...(enabled ? { enabled } : {}) },
          configured,
        ),
      ['server-cert-expired', 'server-name-mismatch', 'server-cert-untrusted'],
    );
  });

  describe('the PKI view and `kubecerts audit --pki`', () => {
    const roots: string[] = [];
    after(() => roots.forEach(removeTree));
    for (const [variant, codes] of [
      ['ca-regenerated', ['bad-signature', 'wiring-wrong-ca']],
      ['missing-file', ['pki-missing', 'wiring-file-missing']],
    ] as const)
      it(`${variant}: rows, states and folder findings`, async () => {
        const { root } = await writePkiVariant(variant as VariantName, NOW);
        roots.push(root);
        await dropsEachCode(async (enabled) => {
          const inventory = await new PkiScanner(new FsPkiTreeSource({ configDir: root })).scan({
            now: NOW,
            warnDays: 30,
            ...(enabled ? { enabled } : {}),
          });
          // The view redraws a row when its version moves: it must hash what the row shows.
          for (const item of inventory.items.values())
            assert.equal(item.version, finishItem(item).version, `${item.id}: version of what it shows`);
          return inventory;
        }, codes);
      });
  });

  it('the Cluster Certificates view (and the metrics built on it): rows, their order and severity', async () => {
    const pki = await clusterPki();
    const objects = [
      tlsSecret('apps', 'expired', { crt: expired.certPem, key: good.keyPem, ca: otherCa.certPem }),
      tlsSecret('apps', 'expiring', {
        crt: pki.expiring.certPem,
        key: pki.expiring.keyPem,
        ca: pki.issuerCa.certPem,
      }),
      tlsSecret('apps', 'garbage', { crt: 'not a certificate' }),
      webhookConfig('ValidatingWebhookConfiguration', 'hook', [pki.expiredCa.certPem]),
      clusterInfo(pki.clusterCa.certPem),
      kubeRootCa('default', pki.otherCa.certPem),
    ]
      .map((raw) => readClusterObject(raw))
      .filter((o): o is ClusterObject => o !== undefined);
    const snapshot = {
      context: 'kind-demo',
      objects,
      access: [
        {
          resource: 'secrets',
          verb: 'list',
          namespace: 'kube-system',
          forbidden: true,
          message: 'Forbidden',
          missingPermissions: ['list on secrets in namespace kube-system'],
        },
      ],
    };
    type Rows = {
      readonly groups: readonly {
        readonly rows: readonly { uri: string; severity?: Severity; findings: readonly FindingLike[] }[];
      }[];
    };
    const judge = (enabled: EnabledCodes | undefined): Rows => {
      const inv = buildClusterInventory(snapshot, {
        now: NOW,
        warnDays: 30,
        ...(enabled ? { enabled } : {}),
      });
      // A row's severity (and so its place) is that of what it reports.
      for (const row of inv.groups.flatMap((g) => g.rows)) {
        const worst = row.findings.reduce<Severity | undefined>(
          (w, f) => (w && severityAtLeast(w, f.severity) ? w : f.severity),
          undefined,
        );
        assert.equal(row.severity, worst, `${row.uri}: severity of what it reports`);
      }
      return inv;
    };
    // Compared by object: severity and order are checked above.
    const byObject = (value: unknown): unknown => {
      const inv = value as Rows;
      return {
        ...inv,
        groups: inv.groups.map((g) => ({
          ...g,
          rows: [...g.rows]
            .map(({ severity: _severity, ...rest }) => rest)
            .sort((a, b) => (a.uri < b.uri ? -1 : 1)),
        })),
      };
    };
    await dropsEachCode(
      judge,
      ['cert-expired', 'cert-expiring', 'tls-key-mismatch', 'kube-root-ca-mismatch', 'cluster-access-denied'],
      byObject,
    );
  });
});
