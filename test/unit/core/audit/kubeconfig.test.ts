// The kubeconfig audit: where each finding lands and what it names.
// One file over 400 lines on purpose: two tables of cases (certificate findings, value findings)
// built from one CA and one paired() kubeconfig.
import assert from 'node:assert/strict';
import { analyzeEntry, analyzeKubeconfig, auditKubeconfig } from '../../../../src/core/audit/kubeconfig';
import { FINDING_CATALOG } from '../../../../src/core/findings/catalog';
import type { Finding } from '../../../../src/core/findings/finding';
import { mergeKubeconfigs } from '../../../../src/core/kubeconfig/merge';
import { parseKubeconfig } from '../../../../src/core/kubeconfig/parse';
import {
  addDays,
  base64Data,
  bundle,
  makeCa,
  makeLeaf,
  makeRegeneratedCa,
  RSA_1024,
  type TestCert,
} from '../../../fixtures/certs';
import { kubeconfigYaml, spanOf, type KubeconfigSpec, type UserSpec } from '../../../fixtures/kubeconfig';

const NOW = new Date('2025-06-01T00:00:00Z');
const FILE = '/home/u/.kube/config';

function run(
  spec: KubeconfigSpec,
  files?: Map<string, Uint8Array | null>,
): { text: string; findings: Finding[] } {
  const text = kubeconfigYaml(spec);
  const model = mergeKubeconfigs([parseKubeconfig(text, FILE)]);
  return { text, findings: auditKubeconfig(model, { now: NOW, ...(files ? { files } : {}) }) };
}

function only(findings: Finding[], code: string): Finding[] {
  return findings.filter((f) => f.code === code);
}

describe('kubeconfig audit', () => {
  let ca: TestCert;
  let good: TestCert;
  const dates = { notBefore: addDays(NOW, -30), notAfter: addDays(NOW, 300) };

  before(async () => {
    ca = await makeCa({ cn: 'kubernetes', notBefore: addDays(NOW, -365), notAfter: addDays(NOW, 3000) });
    good = await makeLeaf({
      issuer: ca,
      cn: 'kubernetes-admin',
      o: ['kubeadm:cluster-admins'],
      eku: ['clientAuth'],
      ...dates,
    });
  });

  /** One cluster (our CA), one user with a client cert, one context pairing them. */
  function paired(user: Partial<UserSpec> & { cert?: TestCert }, caCert: TestCert = ca): KubeconfigSpec {
    const { cert = good, ...rest } = user;
    return {
      clusters: [{ name: 'kind', caData: base64Data(caCert.certPem) }],
      users: [
        { name: 'admin', certData: base64Data(cert.certPem), keyData: base64Data(cert.keyPem), ...rest },
      ],
      contexts: [{ name: 'kind-admin', cluster: 'kind', user: 'admin' }],
      currentContext: 'kind-admin',
    };
  }

  it('gives no finding for a healthy kubeconfig, and reports which CA verified the client cert', () => {
    const text = kubeconfigYaml(paired({}));
    const model = mergeKubeconfigs([parseKubeconfig(text, FILE)]);
    const audit = analyzeKubeconfig(model, { now: NOW });
    assert.deepEqual(audit.findings, []);
    const client = audit.certificates.find((c) => c.user === 'admin');
    assert.equal(client?.chains[0].verified, true);
    assert.equal(client?.chains[0].anchor?.subject, 'CN=kubernetes');
    assert.equal(client?.chains[0].anchorSource, 'cluster-ca');
    assert.equal(client?.chains[0].context, 'kind-admin');
    const entry = analyzeEntry(model, model.users.get('admin')!, { now: NOW });
    assert.equal(entry.key?.matchesCertificate, true);
  });

  const certCases: { code: string; make: () => Promise<{ spec: KubeconfigSpec }>; on: 'client' | 'ca' }[] = [
    {
      code: 'cert-expired',
      on: 'client',
      make: async () => ({
        spec: paired({
          cert: await makeLeaf({
            issuer: ca,
            cn: 'old',
            eku: ['clientAuth'],
            notBefore: addDays(NOW, -400),
            notAfter: addDays(NOW, -5),
          }),
        }),
      }),
    },
    {
      code: 'cert-expiring',
      on: 'client',
      make: async () => ({
        spec: paired({
          cert: await makeLeaf({
            issuer: ca,
            cn: 'soon',
            eku: ['clientAuth'],
            notBefore: addDays(NOW, -300),
            notAfter: addDays(NOW, 10),
          }),
        }),
      }),
    },
    {
      code: 'cert-not-yet-valid',
      on: 'client',
      make: async () => ({
        spec: paired({
          cert: await makeLeaf({
            issuer: ca,
            cn: 'future',
            eku: ['clientAuth'],
            notBefore: addDays(NOW, 2),
            notAfter: addDays(NOW, 300),
          }),
        }),
      }),
    },
    {
      code: 'weak-key',
      on: 'client',
      make: async () => ({
        spec: paired({
          cert: await makeLeaf({ issuer: ca, cn: 'weak', eku: ['clientAuth'], key: RSA_1024, ...dates }),
        }),
      }),
    },
    {
      code: 'weak-signature',
      on: 'client',
      make: async () => ({
        spec: paired({
          cert: await makeLeaf({
            issuer: ca,
            cn: 'sha1',
            eku: ['clientAuth'],
            signatureHash: 'SHA-1',
            ...dates,
          }),
        }),
      }),
    },
    {
      code: 'client-auth-missing',
      on: 'client',
      make: async () => ({
        spec: paired({
          cert: await makeLeaf({ issuer: ca, cn: 'server-only', eku: ['serverAuth'], ...dates }),
        }),
      }),
    },
    {
      code: 'system-masters',
      on: 'client',
      make: async () => ({
        spec: paired({
          cert: await makeLeaf({
            issuer: ca,
            cn: 'kubernetes-super-admin',
            o: ['system:masters'],
            eku: ['clientAuth'],
            ...dates,
          }),
        }),
      }),
    },
    {
      code: 'bad-signature',
      on: 'client',
      make: async () => ({
        spec: paired(
          {},
          await makeRegeneratedCa(ca, { notBefore: addDays(NOW, -1), notAfter: addDays(NOW, 3000) }),
        ),
      }),
    },
    {
      code: 'not-signed-by-ca',
      on: 'client',
      make: async () => ({ spec: paired({}, await makeCa({ cn: 'other-ca', ...dates })) }),
    },
    {
      code: 'issuer-not-ca',
      on: 'client',
      make: async () => {
        const notCa = await makeLeaf({ issuer: ca, cn: 'not-a-ca', markNotCa: true, ...dates });
        return {
          spec: paired(
            { cert: await makeLeaf({ issuer: notCa, cn: 'victim', eku: ['clientAuth'], ...dates }) },
            notCa,
          ),
        };
      },
    },
    {
      code: 'path-length-exceeded',
      on: 'client',
      make: async () => {
        const root = await makeCa({ cn: 'root-pathlen-0', pathLen: 0, ...dates });
        const mid = await makeCa({ cn: 'intermediate', issuer: root, ...dates });
        const leaf = await makeLeaf({ issuer: mid, cn: 'deep', eku: ['clientAuth'], ...dates });
        const spec = paired({ cert: leaf }, root);
        return { spec: { ...spec, users: [{ ...spec.users![0], certData: base64Data(bundle(leaf, mid)) }] } };
      },
    },
    {
      code: 'key-mismatch',
      on: 'client',
      make: async () => {
        const other = await makeLeaf({ issuer: ca, cn: 'other', eku: ['clientAuth'], ...dates });
        return { spec: paired({ keyData: base64Data(other.keyPem) }) };
      },
    },
    {
      code: 'cert-expired',
      on: 'ca',
      make: async () => {
        const oldCa = await makeCa({
          cn: 'old-ca',
          notBefore: addDays(NOW, -4000),
          notAfter: addDays(NOW, -1),
        });
        return {
          spec: paired(
            { cert: await makeLeaf({ issuer: oldCa, cn: 'u', eku: ['clientAuth'], ...dates }) },
            oldCa,
          ),
        };
      },
    },
  ];

  for (const c of certCases) {
    it(`${c.code} (${c.on} certificate) lands on the value and names the certificate`, async () => {
      const { spec } = await c.make();
      const { text, findings } = run(spec);
      const hits = only(findings, c.code);
      assert.equal(hits.length, 1, JSON.stringify(findings.map((f) => f.code)));
      const hit = hits[0];
      const value = c.on === 'client' ? spec.users![0].certData! : spec.clusters![0].caData!;
      assert.deepEqual(hit.span, spanOf(text, value));
      assert.equal(hit.severity, FINDING_CATALOG[hit.code].severity);
      assert.match(hit.certificate?.sha256 ?? '', /^[0-9a-f]{64}$/);
      assert.ok(hit.certificate?.subject);
      assert.ok(hit.certificate?.serialHex);
      if (c.on === 'client') assert.equal(hit.user, 'admin');
      else assert.equal(hit.cluster, 'kind');
    });
  }

  it('says which CA a mis-signed client cert was checked against', async () => {
    const other = await makeCa({ cn: 'other-ca', ...dates });
    const { text, findings } = run(paired({}, other));
    const hit = only(findings, 'not-signed-by-ca')[0];
    assert.equal(hit.params.ca, 'CN=other-ca');
    assert.equal(hit.params.issuer, 'CN=kubernetes');
    assert.equal(hit.context, 'kind-admin');
    assert.deepEqual(hit.related?.[0].span, spanOf(text, base64Data(other.certPem)));
  });

  it('uses extra anchors (the kubeadm PKI CA) when the cluster CA is another one', async () => {
    const serverCa = await makeCa({ cn: 'server-ca', ...dates });
    const model = mergeKubeconfigs([parseKubeconfig(kubeconfigYaml(paired({}, serverCa)), FILE)]);
    const audit = analyzeKubeconfig(model, { now: NOW, extraAnchors: [ca.cert] });
    const chain = audit.certificates.find((r) => r.user === 'admin')?.chains[0];
    assert.equal(chain?.verified, true);
    assert.equal(chain?.anchorSource, 'extra-anchor');
    assert.deepEqual(only(audit.findings, 'not-signed-by-ca'), []);
  });

  it('cert-expiring follows warnDays', async () => {
    const leaf = await makeLeaf({
      issuer: ca,
      cn: 'soon',
      eku: ['clientAuth'],
      notBefore: addDays(NOW, -300),
      notAfter: addDays(NOW, 45),
    });
    const model = mergeKubeconfigs([parseKubeconfig(kubeconfigYaml(paired({ cert: leaf })), FILE)]);
    assert.equal(only(auditKubeconfig(model, { now: NOW }), 'cert-expiring').length, 0);
    const hits = only(auditKubeconfig(model, { now: NOW, warnDays: 60 }), 'cert-expiring');
    assert.equal(hits.length, 1);
    assert.equal(hits[0].params.days, 45);
    assert.equal(hits[0].params.threshold, 60);
  });

  const valueCases: {
    code: string;
    spec: () => KubeconfigSpec;
    needle: (s: KubeconfigSpec) => string;
    files?: () => Map<string, Uint8Array | null>;
  }[] = [
    { code: 'redacted-data', spec: () => paired({ certData: 'DATA+OMITTED' }), needle: () => 'DATA+OMITTED' },
    {
      code: 'invalid-base64',
      spec: () => paired({ certData: 'not*base64!' }),
      needle: () => '"not*base64!"',
    },
    {
      code: 'invalid-pem',
      spec: () => paired({ certData: Buffer.from('hello world').toString('base64') }),
      needle: (s) => s.users![0].certData!,
    },
    {
      code: 'file-not-found',
      spec: () => ({ clusters: [{ name: 'c', caPath: 'missing-ca.crt' }] }),
      needle: () => 'missing-ca.crt',
      files: () => new Map([['/home/u/.kube/missing-ca.crt', null]]),
    },
    { code: 'data-and-path', spec: () => paired({ certPath: 'admin.crt' }), needle: () => 'admin.crt' },
    {
      code: 'insecure-skip-tls-verify',
      spec: () => ({ clusters: [{ name: 'c', insecure: true }] }),
      needle: () => 'true',
    },
    {
      code: 'plaintext-token',
      spec: () => ({ users: [{ name: 'u', token: 'secret-token-value' }] }),
      needle: () => 'secret-token-value',
    },
    {
      code: 'plaintext-password',
      spec: () => ({ users: [{ name: 'u', username: 'bob', password: 'hunter2-secret' }] }),
      needle: () => 'hunter2-secret',
    },
    {
      code: 'bootstrap-token',
      spec: () => ({ users: [{ name: 'tls-bootstrap-token-user', token: 'abcdef.0123456789abcdef' }] }),
      needle: () => 'abcdef.0123456789abcdef',
    },
    {
      code: 'exec-plugin',
      spec: () => ({ users: [{ name: 'eks', execCommand: 'aws' }] }),
      needle: () => 'exec',
    },
    {
      code: 'dangling-reference',
      spec: () => ({
        clusters: [{ name: 'c' }],
        users: [{ name: 'u', token: 't' }],
        contexts: [{ name: 'x', cluster: 'c', user: 'ghost' }],
      }),
      needle: () => 'ghost',
    },
    {
      code: 'missing-current-context',
      spec: () => ({ contexts: [], currentContext: 'nowhere' }),
      needle: () => 'nowhere',
    },
  ];

  for (const c of valueCases) {
    it(`${c.code} lands on the offending value`, () => {
      const spec = c.spec();
      const { text, findings } = run(spec, c.files?.());
      const hits = only(findings, c.code);
      assert.equal(hits.length, 1, JSON.stringify(findings.map((f) => f.code)));
      assert.deepEqual(
        hits[0].span,
        spanOf(
          text,
          c.needle(spec),
          text.indexOf(
            c.code === 'missing-current-context'
              ? 'current-context'
              : c.code === 'dangling-reference'
                ? 'contexts:'
                : 'clusters',
          ),
        ),
      );
    });
  }

  it('duplicate-name points at the second definition and relates the first', () => {
    const text = kubeconfigYaml({
      clusters: [
        { name: 'twice', server: 'https://a' },
        { name: 'twice', server: 'https://b' },
      ],
    });
    const model = mergeKubeconfigs([parseKubeconfig(text, FILE)]);
    const hits = only(auditKubeconfig(model, { now: NOW }), 'duplicate-name');
    assert.equal(hits.length, 1);
    const second = text.indexOf('name: twice', text.indexOf('name: twice') + 1) + 'name: '.length;
    assert.deepEqual(hits[0].span, { start: second, end: second + 5 });
    assert.equal(hits[0].related?.[0].span?.start, text.indexOf('name: twice') + 'name: '.length);
  });

  it('treats redacted `kubectl config view` output as redacted-data, never bad base64', () => {
    const text = kubeconfigYaml({
      clusters: [{ name: 'c', caData: 'DATA+OMITTED' }],
      users: [{ name: 'u', certData: 'DATA+OMITTED', keyData: 'DATA+OMITTED', token: 'REDACTED' }],
      contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
      currentContext: 'x',
    });
    const findings = auditKubeconfig(mergeKubeconfigs([parseKubeconfig(text, FILE)]), { now: NOW });
    assert.deepEqual(
      findings.map((f) => f.code),
      ['redacted-data', 'redacted-data', 'redacted-data', 'redacted-data'],
    );
  });

  it('checks only files the caller looked up, and honours disabled codes', () => {
    const spec: KubeconfigSpec = { clusters: [{ name: 'c', caPath: 'ca.crt', insecure: true }] };
    assert.deepEqual(
      run(spec).findings.map((f) => f.code),
      ['insecure-skip-tls-verify'],
    );
    const model = mergeKubeconfigs([parseKubeconfig(kubeconfigYaml(spec), FILE)]);
    assert.deepEqual(auditKubeconfig(model, { now: NOW, disabled: ['insecure-skip-tls-verify'] }), []);
  });

  it('decodes certificates behind path references from the bytes passed in', () => {
    const spec: KubeconfigSpec = {
      clusters: [{ name: 'c', caPath: '/etc/kubernetes/pki/ca.crt' }],
      users: [{ name: 'u', certPath: 'both.pem', keyPath: 'both.pem' }],
      contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    };
    const files = new Map<string, Uint8Array | null>([
      ['/etc/kubernetes/pki/ca.crt', Buffer.from(ca.certPem)],
      ['/home/u/.kube/both.pem', Buffer.from(good.certPem + good.keyPem)],
    ]);
    const text = kubeconfigYaml(spec);
    const audit = analyzeKubeconfig(mergeKubeconfigs([parseKubeconfig(text, FILE)]), { now: NOW, files });
    assert.deepEqual(audit.findings, []);
    const client = audit.certificates.find((c) => c.user === 'u');
    assert.equal(client?.origin, '/home/u/.kube/both.pem');
    assert.equal(client?.chains[0].verified, true);
  });

  it('checks a user against every cluster CA its contexts pair it with, in a KUBECONFIG merge', async () => {
    const other = await makeCa({ cn: 'other-ca', ...dates });
    const first = parseKubeconfig(
      kubeconfigYaml({
        clusters: [{ name: 'good', caData: base64Data(ca.certPem) }],
        contexts: [
          { name: 'a', cluster: 'good', user: 'admin' },
          { name: 'b', cluster: 'wrong', user: 'admin' },
        ],
      }),
      '/one',
    );
    const second = parseKubeconfig(
      kubeconfigYaml({
        clusters: [{ name: 'wrong', caData: base64Data(other.certPem) }],
        users: [{ name: 'admin', certData: base64Data(good.certPem), keyData: base64Data(good.keyPem) }],
      }),
      '/two',
    );
    const audit = analyzeKubeconfig(mergeKubeconfigs([first, second]), { now: NOW });
    const hits = only(audit.findings, 'not-signed-by-ca');
    assert.equal(hits.length, 1);
    assert.equal(hits[0].file, '/two');
    assert.equal(hits[0].context, 'b');
    assert.equal(hits[0].related?.[0].file, '/two');
    const chains = audit.certificates.find((c) => c.user === 'admin')?.chains ?? [];
    assert.deepEqual(
      chains.map((c) => [c.context, c.verified]),
      [
        ['a', true],
        ['b', false],
      ],
    );
  });
});
