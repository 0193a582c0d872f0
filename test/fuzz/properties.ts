// The fuzz targets: one property per public entry point of the core, shared by the nightly run
// (`npm run fuzz`) and the CI profile (test/unit/hardening). Each property holds for every input
// the invariants of invariants.ts: nothing but the documented error type escapes, each call
// finishes within `msPerInput`, every finding's span lies inside its document, and no message
// quotes a planted secret.
// One file over 400 lines on purpose: TARGETS is one table, weighed against itself by run.ts.
import { strict as assert } from 'node:assert';
import { Buffer } from 'node:buffer';
import * as fc from 'fast-check';
import { auditCertificateFiles } from '../../src/core/audit/files';
import { analyzeEntry, analyzeKubeconfig } from '../../src/core/audit/kubeconfig';
import { reviewCsr } from '../../src/core/csr/risk';
import { CSR_RISK_CATALOG, renderRiskMessage } from '../../src/core/csr/riskCatalog';
import {
  CsrDecodeError,
  decodeCsrPem,
  decodeCsrRequest,
  parseCertificateRequest,
} from '../../src/core/csr/pkcs10';
import {
  conditionSummary,
  csrAge,
  csrState,
  issuedCertificatePem,
  type Csr,
  type KubeNode,
} from '../../src/core/csr/model';
import { englishTemplate } from '../../src/core/findings/finding';
import { isKubeconfigText } from '../../src/core/kubeconfig/detect';
import { fieldAt } from '../../src/core/kubeconfig/locate';
import { mergeKubeconfigs } from '../../src/core/kubeconfig/merge';
import { parseKubeconfig, parseWithYaml } from '../../src/core/kubeconfig/parse';
import { scanYaml } from '../../src/core/kubeconfig/scan';
import type { KubeconfigDocument } from '../../src/core/kubeconfig/model';
import { decodePkiFile } from '../../src/core/pki/content';
import { PkiScanner } from '../../src/core/pki/scanner';
import { redactSecrets } from '../../src/core/redact';
import type { PkiFileStat, PkiTreeSource } from '../../src/core/pki/source';
import { CertificateParseError, parseCertificate } from '../../src/core/x509/certificate';
import { verifyChain } from '../../src/core/x509/chain';
import { decodeBase64Data, decodeFileContent } from '../../src/core/x509/decode';
import { KeyParseError, keyMatchesCertificate, parsePrivateKey } from '../../src/core/x509/keys';
import { decodeBase64 } from '../../src/core/x509/pem';
import { hostileKubeconfig } from './hostileKubeconfig';
import {
  assertAccounted,
  assertInside,
  assertNoSecret,
  checkFinding,
  findingTexts,
  throwsOnly,
  timed,
  type Bounds,
} from './invariants';
import { mutatedBytes, mutatedDer, mutatedText, textBytes } from './mutate';
import { FUZZ_NOW, pemOf, type Seeds } from './seeds';

export interface FuzzTarget {
  readonly name: string;
  /** Share of the run budget (relative to the other targets). */
  readonly weight: number;
  property(seeds: Seeds, bounds: Bounds): fc.IRawProperty<unknown[]>;
}

/** 24-character windows of the base64 bodies of the seed keys: none may show up in a message. */
function keyWindows(seeds: Seeds): string[] {
  const out: string[] = [];
  for (const pem of seeds.keyPems) {
    const body = pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
    for (let i = 0; i + 24 <= body.length; i += 24) out.push(body.slice(i, i + 24));
  }
  return out;
}

const utf8 = new TextDecoder('utf-8');

const anyBytes = fc.uint8Array({ maxLength: 2048 });

function base64Of(text: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return text.map((t) => Buffer.from(t, 'latin1').toString('base64'));
}

export const TARGETS: readonly FuzzTarget[] = [
  {
    name: 'decodeBase64Data',
    weight: 2,
    property: (seeds, bounds) => {
      const windows = keyWindows(seeds);
      const values = fc.oneof(
        fc.string({ maxLength: 300, unit: 'binary' }),
        mutatedText(seeds.pemTexts.map((p) => Buffer.from(p).toString('base64'))),
        base64Of(mutatedText(seeds.pemTexts)),
        mutatedBytes(seeds.ders).map((b) => Buffer.from(b).toString('base64')),
      );
      return fc.property(values, (value) => {
        const result = timed(bounds, 'decodeBase64Data', () => decodeBase64Data(value));
        const decoded = decodeBase64(value);
        assertAccounted(
          result,
          decoded.ok ? Buffer.from(decoded.bytes).toString('utf8') : '',
          'decodeBase64Data',
        );
        for (const p of result.problems) {
          if (p.start !== undefined)
            assertInside({ start: p.start, end: p.end ?? p.start }, value.length, 'decodeBase64Data problem');
          assertNoSecret(p.message, windows, 'decodeBase64Data problem');
        }
      });
    },
  },
  {
    name: 'decodeFileContent',
    weight: 3,
    property: (seeds, bounds) => {
      const windows = keyWindows(seeds);
      const inputs = fc.oneof(
        anyBytes,
        mutatedBytes(seeds.ders),
        textBytes(mutatedText(seeds.pemTexts)),
        mutatedDer(seeds.ders).map((der) => new Uint8Array(Buffer.from(pemOf('CERTIFICATE', der)))),
        mutatedBytes(seeds.ders).map((der) => new Uint8Array(Buffer.from(pemOf('PRIVATE KEY', der)))),
        textBytes(mutatedText(seeds.pemTexts.map((p) => Buffer.from(p).toString('base64')))),
      );
      return fc.property(inputs, (bytes) => {
        const result = timed(bounds, 'decodeFileContent', () => decodeFileContent(bytes));
        const text = utf8.decode(bytes);
        const inner = decodeBase64(text);
        assertAccounted(result, text + (inner.ok ? utf8.decode(inner.bytes) : ''), 'decodeFileContent');
        const length = text.length;
        for (const p of result.problems) {
          if (p.start !== undefined)
            assertInside({ start: p.start, end: p.end ?? p.start }, length, 'decodeFileContent problem');
          assertNoSecret(p.message, windows, 'decodeFileContent problem');
        }
      });
    },
  },
  {
    name: 'parseCertificate+verifyChain',
    weight: 3,
    property: (seeds, bounds) => {
      const certDers = [seeds.root.der, seeds.intermediate.der, seeds.leaf.der];
      return fc.property(
        fc.oneof(mutatedDer(certDers), mutatedBytes(certDers), anyBytes),
        fc.boolean(),
        (der, asAnchor) => {
          throwsOnly(CertificateParseError, () => {
            const cert = timed(bounds, 'parseCertificate', () => parseCertificate(der));
            assert.ok(cert.notBefore instanceof Date && cert.notAfter instanceof Date);
            timed(bounds, 'verifyChain', () =>
              asAnchor
                ? verifyChain(
                    seeds.leaf.cert,
                    { anchors: [cert], intermediates: [seeds.intermediate.cert] },
                    FUZZ_NOW,
                  )
                : verifyChain(
                    cert,
                    { anchors: [seeds.root.cert], intermediates: [seeds.intermediate.cert] },
                    FUZZ_NOW,
                  ),
            );
          });
        },
      );
    },
  },
  {
    name: 'parsePrivateKey',
    weight: 2,
    property: (seeds, bounds) => {
      const keyDers = seeds.ders.slice(3);
      return fc.property(
        fc.oneof(mutatedDer(keyDers), mutatedBytes(keyDers)),
        fc.constantFrom(undefined, 'pkcs1' as const, 'pkcs8' as const, 'sec1' as const),
        (der, format) => {
          throwsOnly(KeyParseError, () => {
            const key = timed(bounds, 'parsePrivateKey', () => parsePrivateKey(der, format));
            assert.equal(typeof keyMatchesCertificate(key, seeds.leaf.cert), 'boolean');
            // The handle is safe to log: it holds no key bytes.
            assertNoSecret(JSON.stringify(key), keyWindows(seeds), 'key handle');
          });
        },
      );
    },
  },
  {
    name: 'pkcs10',
    weight: 2,
    property: (seeds, bounds) => {
      const csrDers = seeds.csrPems.map(
        (p) => new Uint8Array(Buffer.from(p.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64')),
      );
      const inputs = fc.oneof(
        fc.oneof(mutatedDer(csrDers), mutatedBytes(csrDers)).map((der) => ({ kind: 'der' as const, der })),
        mutatedText(seeds.csrPems).map((pem) => ({ kind: 'pem' as const, pem })),
        base64Of(mutatedText(seeds.csrPems)).map((b64) => ({ kind: 'request' as const, b64 })),
        mutatedBytes(csrDers).map((der) => ({
          kind: 'request' as const,
          b64: Buffer.from(pemOf('CERTIFICATE REQUEST', der)).toString('base64'),
        })),
      );
      return fc.property(inputs, (input) => {
        throwsOnly(CsrDecodeError, () =>
          timed(bounds, 'pkcs10', () => {
            if (input.kind === 'der') parseCertificateRequest(input.der);
            else if (input.kind === 'pem') decodeCsrPem(input.pem);
            else decodeCsrRequest(input.b64);
          }),
        );
        if (input.kind !== 'request') return;
        const csr: Csr = {
          metadata: { name: 'fuzz' },
          spec: {
            request: input.b64,
            signerName: 'kubernetes.io/kubelet-serving',
            usages: ['server auth'],
            username: 'system:node:n1',
          },
        };
        const review = timed(bounds, 'reviewCsr', () => reviewCsr(csr, { now: FUZZ_NOW, policy: {} }));
        assert.ok(Array.isArray(review.findings));
      });
    },
  },
  {
    // Well-formed API objects (the server enforces the schema) with hostile values in every field.
    name: 'csr-objects',
    weight: 1,
    property: (seeds, bounds) => {
      const requests = seeds.csrPems.map((p) => Buffer.from(p).toString('base64'));
      const text = fc.oneof(
        fc.string({ maxLength: 40 }),
        fc.constantFrom('system:masters', 'system:nodes', 'system:node:n1', 'system:bootstrap:abcdef', ''),
      );
      const csr = fc.record({
        metadata: fc.record({
          name: fc.string({ minLength: 1, maxLength: 30 }),
          creationTimestamp: fc.option(
            fc.oneof(
              fc.string(),
              fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
            ),
            { nil: undefined },
          ),
        }),
        spec: fc.record({
          request: fc.oneof(fc.constantFrom(...requests), base64Of(mutatedText(seeds.csrPems)), fc.string()),
          signerName: fc.oneof(
            fc.constantFrom(
              'kubernetes.io/kube-apiserver-client',
              'kubernetes.io/kube-apiserver-client-kubelet',
              'kubernetes.io/kubelet-serving',
              'kubernetes.io/legacy-unknown',
              'example.com/x',
            ),
            fc.string(),
          ),
          usages: fc.option(
            fc.array(
              fc.oneof(
                fc.constantFrom(
                  'client auth',
                  'server auth',
                  'digital signature',
                  'key encipherment',
                  'cert sign',
                ),
                fc.string(),
              ),
              { maxLength: 5 },
            ),
            { nil: undefined },
          ),
          expirationSeconds: fc.option(
            fc.oneof(fc.integer(), fc.constantFrom(0, 599, 600, 2 ** 31, Number.MAX_SAFE_INTEGER)),
            { nil: undefined },
          ),
          username: fc.option(text, { nil: undefined }),
          groups: fc.option(fc.array(text, { maxLength: 4 }), { nil: undefined }),
        }),
        status: fc.option(
          fc.record({
            conditions: fc.array(
              fc.record({
                type: fc.constantFrom('Approved', 'Denied', 'Failed', 'X'),
                status: fc.constantFrom('True', 'False', 'Unknown'),
              }),
              { maxLength: 3 },
            ),
            certificate: fc.option(
              fc.oneof(fc.constant(Buffer.from(seeds.leaf.certPem).toString('base64')), fc.string()),
              { nil: undefined },
            ),
          }),
          { nil: undefined },
        ),
      });
      const node = fc.option(
        fc.record({
          metadata: fc.record({ name: fc.constantFrom('n1', 'other') }),
          status: fc.record({
            addresses: fc.array(
              fc.record({
                type: fc.constantFrom('InternalIP', 'Hostname', 'ExternalDNS'),
                address: fc.oneof(fc.constantFrom('10.0.0.2', 'n1', '::1'), fc.string()),
              }),
              { maxLength: 3 },
            ),
          }),
        }),
        { nil: undefined },
      );
      return fc.property(csr, node, fc.option(fc.nat(), { nil: undefined }), (object, kubeNode, max) => {
        const c = object as unknown as Csr;
        const review = timed(bounds, 'reviewCsr', () =>
          reviewCsr(c, {
            now: FUZZ_NOW,
            policy: max === undefined ? {} : { maxExpirationSeconds: max },
            ...(kubeNode ? { node: kubeNode as KubeNode } : {}),
          }),
        );
        for (const f of review.findings) {
          assert.ok(renderRiskMessage(f, englishTemplate).length > 0);
          for (const [, name] of CSR_RISK_CATALOG[f.code].message.matchAll(/\{([A-Za-z0-9_]+)\}/g))
            assert.ok(
              Object.prototype.hasOwnProperty.call(f.params, name),
              `risk ${f.code} lacks the parameter {${name}}`,
            );
        }
        csrState(c);
        conditionSummary(c);
        csrAge(c, FUZZ_NOW);
        issuedCertificatePem(c);
      });
    },
  },
  {
    name: 'kubeconfig',
    weight: 4,
    property: (seeds, bounds) => {
      const texts = fc.oneof(
        { weight: 5, arbitrary: mutatedText(seeds.kubeconfigs) },
        { weight: 2, arbitrary: hostileKubeconfig },
        { weight: 1, arbitrary: fc.string({ maxLength: 400, unit: 'binary' }) },
        { weight: 1, arbitrary: textBytes(mutatedText(seeds.kubeconfigs)).map((b) => utf8.decode(b)) },
      );
      return fc.property(texts, fc.nat(), (text, probe) => {
        timed(bounds, 'kubeconfig pipeline', () => {
          isKubeconfigText(text, '/fuzz/config');
          const doc = parseKubeconfig(text, '/fuzz/config');
          const other = parseKubeconfig(seeds.kubeconfigs[1], '/fuzz/second');
          const model = mergeKubeconfigs([doc, other]);
          const audit = analyzeKubeconfig(model, { now: FUZZ_NOW });
          const lengths = new Map([
            ['/fuzz/config', text.length],
            ['/fuzz/second', seeds.kubeconfigs[1].length],
          ]);
          for (const f of audit.findings) checkFinding(f, lengths);
          assert.ok(
            !doc.findings.length || audit.findings.some((f) => f.file === '/fuzz/config'),
            'parser findings were dropped by the audit',
          );
          for (const entry of [...doc.clusters, ...doc.users]) {
            for (const f of analyzeEntry(model, entry, { now: FUZZ_NOW }).findings) checkFinding(f, lengths);
          }
          fieldAt(doc, text.length === 0 ? 0 : probe % (text.length + 1));
        });
      });
    },
  },
  {
    name: 'redactSecrets',
    weight: 1,
    property: (seeds, bounds) => {
      const texts = fc.oneof(
        mutatedText(seeds.kubeconfigs),
        mutatedText(seeds.pemTexts),
        fc.string({ maxLength: 300, unit: 'binary' }),
      );
      return fc.property(texts, fc.stringMatching(/^[A-Za-z0-9]{16}$/), (text, secret) => {
        const once = timed(bounds, 'redactSecrets', () => redactSecrets(text));
        assert.equal(redactSecrets(once), once, 'redaction is idempotent');
        // A secret in a credential field is gone, wherever the field sits in the text.
        const planted = `${text.slice(0, text.length >> 1)}\n    token: S3${secret}\n${text.slice(text.length >> 1)}`;
        assertNoSecret(redactSecrets(planted), [`S3${secret}`], 'redacted log line');
      });
    },
  },
  {
    // The fast scanner and the yaml library must build the same document whenever the scanner
    // accepts a text (it declines what it does not fully understand).
    name: 'kubeconfig-scanner',
    weight: 3,
    property: (seeds, bounds) => {
      const texts = fc.oneof(
        { weight: 6, arbitrary: mutatedText(seeds.kubeconfigs) },
        { weight: 1, arbitrary: hostileKubeconfig },
        { weight: 1, arbitrary: fc.string({ maxLength: 200, unit: 'binary' }) },
      );
      return fc.property(texts, (text) => {
        const scanned = timed(bounds, 'scanYaml', () => scanYaml(text));
        if (!scanned) return;
        const fast = parseKubeconfig(text, '/fuzz/config');
        const slow = parseWithYaml(text, '/fuzz/config');
        assert.deepEqual(comparable(fast), comparable(slow), 'scanner and yaml disagree');
      });
    },
  },
  {
    name: 'kubeconfig-secrets',
    weight: 2,
    property: (seeds, bounds) => secretsProperty(seeds, bounds),
  },
  {
    name: 'auditCertificateFiles',
    weight: 2,
    property: (seeds, bounds) => {
      const file = fc.oneof(
        mutatedBytes(seeds.ders),
        textBytes(mutatedText(seeds.pemTexts)),
        anyBytes,
        fc.constantFrom(...seeds.pemTexts.map((p) => new Uint8Array(Buffer.from(p)))),
      );
      return fc.property(fc.array(file, { minLength: 1, maxLength: 3 }), (files) => {
        const inputs = files.map((bytes, i) => ({ file: `/fuzz/f${i}.pem`, bytes }));
        const audit = timed(bounds, 'auditCertificateFiles', () =>
          auditCertificateFiles(inputs, { now: FUZZ_NOW }),
        );
        const lengths = new Map(inputs.map((i) => [i.file, utf8.decode(i.bytes).length]));
        for (const f of audit.findings) checkFinding(f, lengths);
        for (const input of inputs) {
          const certs = audit.certificates.filter((c) => c.file === input.file).length;
          const findings = audit.findings.filter((f) => f.file === input.file).length;
          const keys = decodeFileContent(input.bytes).privateKeys.length;
          assert.ok(certs + findings + keys > 0, `${input.file}: nothing decoded and no finding`);
        }
      });
    },
  },
  {
    name: 'pki',
    weight: 1,
    property: (seeds, bounds) => {
      const paths = [...seeds.pki.keys()].filter((p) => !p.endsWith('/'));
      const edit = fc.record({
        path: fc.constantFrom(...paths),
        bytes: fc.oneof(
          anyBytes,
          fc.constantFrom(...paths).chain((p) => textBytes(mutatedText([seeds.pki.get(p)!.contents]))),
        ),
      });
      return fc.asyncProperty(fc.array(edit, { minLength: 1, maxLength: 3 }), async (edits) => {
        const files = new Map<string, Uint8Array>(
          [...seeds.pki].map(([p, f]) => [p, new Uint8Array(Buffer.from(f.contents))]),
        );
        for (const e of edits) {
          files.set(e.path, e.bytes);
          timed(bounds, 'decodePkiFile', () => decodePkiFile(e.path, `/etc/kubernetes/${e.path}`, e.bytes));
        }
        const start = performance.now();
        const inventory = await new PkiScanner(memorySource(files)).scan({ now: FUZZ_NOW, warnDays: 30 });
        assert.ok(performance.now() - start <= bounds.msPerInput * 4, 'PKI scan too slow');
        for (const f of inventory.findings) {
          const text = inventory.texts.get(f.file);
          if (text !== undefined) assertInside(f.span, text.length, `PKI finding ${f.code}`);
        }
      });
    },
  },
];

/** A document as plain data, findings in a stable order. */
function comparable(doc: KubeconfigDocument): unknown {
  const { findings, ...rest } = doc;
  const sorted = [...findings].sort(
    (a, b) => a.span.start - b.span.start || a.code.localeCompare(b.code) || a.span.end - b.span.end,
  );
  return JSON.parse(JSON.stringify({ ...rest, findings: sorted }));
}

function memorySource(files: ReadonlyMap<string, Uint8Array>): PkiTreeSource {
  const stats: PkiFileStat[] = [];
  const dirs = new Set<string>();
  for (const [p, bytes] of files) {
    for (let i = p.indexOf('/'); i !== -1; i = p.indexOf('/', i + 1)) dirs.add(p.slice(0, i));
    stats.push(stat(p, 'file', bytes.length));
  }
  for (const d of dirs) stats.push(stat(d, 'directory', 0));
  return {
    root: '/etc/kubernetes',
    hasConfigDir: true,
    list: async () => stats,
    stat: async (p) => stats.find((s) => s.path === p),
    read: async (p) => files.get(p) ?? new Uint8Array(),
    absolutePath: (p) => (p === '' ? '/etc/kubernetes' : `/etc/kubernetes/${p}`),
  };
}

function stat(path: string, type: 'file' | 'directory', size: number): PkiFileStat {
  return {
    path,
    absolutePath: `/etc/kubernetes/${path}`,
    type,
    size,
    mtimeMs: 1,
    mode: type === 'file' ? 0o600 : 0o755,
    uid: 0,
    gid: 0,
  };
}

/** Kubeconfigs whose secret fields hold unique markers; no finding text may contain one. */
function secretsProperty(seeds: Seeds, bounds: Bounds): fc.IRawProperty<unknown[]> {
  const marker = fc.stringMatching(/^[A-Za-z0-9]{12}$/).map((s) => `S3CR3T${s}`);
  const user = fc.record({
    token: fc.option(
      fc.oneof(
        marker,
        marker.map(
          (m) =>
            `${m
              .slice(0, 6)
              .toLowerCase()
              .replace(/[^a-z0-9]/g, 'a')}.${m
              .slice(6, 22)
              .toLowerCase()
              .padEnd(16, '0')
              .replace(/[^a-z0-9]/g, '0')}`,
        ),
      ),
    ),
    password: fc.option(marker),
    keyData: fc.option(
      fc.oneof(
        marker,
        marker.map((m) =>
          Buffer.from(`-----BEGIN PRIVATE KEY-----\n${m}\n-----END PRIVATE KEY-----\n`).toString('base64'),
        ),
      ),
    ),
    keyPath: fc.boolean(),
    execEnv: fc.option(marker),
  });
  return fc.property(
    fc.array(user, { minLength: 1, maxLength: 3 }),
    fc.constantFrom('\n', '\r\n'),
    (users, eol) => {
      const secrets: string[] = [];
      const lines = [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        '- name: c',
        '  cluster:',
        `    certificate-authority-data: ${Buffer.from(seeds.root.certPem).toString('base64')}`,
        'users:',
      ];
      users.forEach((u, i) => {
        lines.push(`- name: user${i}`, '  user:');
        if (u.token) lines.push(`    token: ${u.token}`);
        if (u.password) lines.push(`    password: ${u.password}`);
        if (u.keyData) lines.push(`    client-key-data: ${u.keyData}`);
        if (u.keyData && u.keyPath) lines.push('    client-key: key.pem');
        if (u.execEnv)
          lines.push(
            '    exec:',
            '      apiVersion: client.authentication.k8s.io/v1',
            '      command: get-token',
            '      env:',
            '      - name: SECRET',
            `        value: ${u.execEnv}`,
          );
        for (const s of [u.token, u.password, u.keyData, u.execEnv]) if (s) secrets.push(s);
        // The bootstrap token's secret half is the secret; its id is public by design.
        if (u.token && /^[a-z0-9]{6}\.[a-z0-9]{16}$/.test(u.token)) secrets.push(u.token.slice(7));
        if (u.keyData) secrets.push(u.keyData.startsWith('S3CR3T') ? u.keyData : u.keyData.slice(0, 40));
      });
      lines.push(
        'contexts:',
        ...users.map((_, i) => `- name: ctx${i}\n  context:\n    cluster: c\n    user: user${i}`),
        'current-context: ctx0',
      );
      const text = lines.join('\n').replace(/\n/g, eol);
      const doc = parseKubeconfig(text, '/fuzz/secrets');
      const model = mergeKubeconfigs([doc]);
      const audit = timed(bounds, 'analyzeKubeconfig', () => analyzeKubeconfig(model, { now: FUZZ_NOW }));
      const texts = [
        ...audit.findings.flatMap(findingTexts),
        JSON.stringify(audit.certificates.map((c) => ({ ...c, certificate: c.certificate.subject.display }))),
      ];
      for (const entry of doc.users) {
        const analysis = analyzeEntry(model, entry, { now: FUZZ_NOW });
        texts.push(...analysis.findings.flatMap(findingTexts), JSON.stringify(analysis.key ?? {}));
      }
      for (const t of texts) assertNoSecret(t, secrets, 'kubeconfig finding');
      assert.ok(
        audit.findings.length >= users.filter((u) => u.token || u.password || u.keyData).length,
        'a planted credential went unreported',
      );
    },
  );
}
