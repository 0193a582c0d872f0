// Planted secrets never come back out: unique markers in private keys, tokens, passwords, a
// bootstrap token, an exec env value and auth-provider tokens, in good and broken fixtures, must not
// appear in any finding message (both languages), hover data, CLI output (table, json, sarif; en and
// zh-cn), log line (redactSecrets, as the log channel writes it), error message or thrown error.
import { strict as assert } from 'node:assert';
import { Buffer } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml, parseDocument } from 'yaml';
import type { CliIo } from '../../../src/cli/io';
import { translator } from '../../../src/cli/l10n';
import { runCli } from '../../../src/cli/run';
import { auditCertificateFiles } from '../../../src/core/audit/files';
import { analyzeEntry, analyzeKubeconfig } from '../../../src/core/audit/kubeconfig';
import { certificateJson } from '../../../src/core/audit/report';
import { reviewCsr } from '../../../src/core/csr/risk';
import {
  renderFindingMessage,
  renderRelatedMessage,
  type Finding,
  type Translate,
} from '../../../src/core/findings/finding';
import { mergeKubeconfigs } from '../../../src/core/kubeconfig/merge';
import { parseKubeconfig } from '../../../src/core/kubeconfig/parse';
import { redactSecrets } from '../../../src/core/redact';
import { decodeBase64Data, decodeFileContent } from '../../../src/core/x509/decode';
import { parsePrivateKey } from '../../../src/core/x509/keys';
import { toClusterError } from '../../../src/node/cluster/errors';
import { base64Data, makeCa, makeLeaf, type TestCert } from '../../fixtures/certs';
import {
  brokenKeyPem,
  brokenSecretsKubeconfig,
  keyWindows,
  secretStrings,
  secretsKubeconfig,
  type PlantedSecrets,
} from '../../fixtures/secrets';

const NOW = new Date('2026-03-01T00:00:00Z');

/** Fresh markers per run: nothing in the code base can contain them by accident. */
function marker(prefix: string): string {
  return `${prefix}${randomBytes(9).toString('hex')}`;
}

describe('hardening: planted secrets never leak', function () {
  this.timeout(60_000);
  let dir: string;
  let ca: TestCert;
  let user: TestCert;
  let secrets: PlantedSecrets;
  let forbidden: string[];
  let good: string;
  let broken: string;

  const assertClean = (text: string, where: string): void => {
    for (const secret of forbidden) {
      const at = text.indexOf(secret);
      assert.ok(
        at === -1,
        `${where} contains a planted secret (${secret.slice(0, 8)}…):\n${text.slice(Math.max(0, at - 300), at + 300)}`,
      );
    }
  };

  before(async () => {
    const dates = { notBefore: new Date('2026-01-01T00:00:00Z'), notAfter: new Date('2026-12-01T00:00:00Z') };
    ca = await makeCa({ cn: 'secrets-ca', ...dates });
    user = await makeLeaf({ issuer: ca, cn: 'secrets-user', eku: ['clientAuth'], ...dates });
    secrets = {
      token: marker('tokmark'),
      password: marker('pwmark'),
      bootstrapSecret: randomBytes(8).toString('hex'),
      execEnv: marker('envmark'),
      idToken: marker('idtmark'),
      clientSecret: marker('csmark'),
      brokenKey: marker('keymark'),
    };
    forbidden = [...secretStrings(secrets), ...keyWindows(user.keyPem), ...keyWindows(ca.keyPem)];
    good = secretsKubeconfig(ca.certPem, user, secrets);
    broken = brokenSecretsKubeconfig(good, secrets);
    dir = mkdtempSync(join(tmpdir(), 'kubecerts-secrets-'));
    mkdirSync(join(dir, 'pki'));
    writeFileSync(join(dir, 'good.conf'), good);
    writeFileSync(join(dir, 'broken.conf'), broken);
    writeFileSync(join(dir, 'pki', 'user.pem'), user.certPem + brokenKeyPem(secrets.brokenKey));
    writeFileSync(join(dir, 'pki', 'user.key'), user.keyPem);
    writeFileSync(join(dir, 'pki', 'truncated.key'), user.keyPem.slice(0, 120));
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it('the fixtures really hold the secrets (the test can fail)', () => {
    for (const secret of Object.values(secrets))
      assert.ok(good.includes(secret) || good.includes(base64Data(brokenKeyPem(secret))), secret);
    assert.ok(good.includes(base64Data(user.keyPem)));
  });

  const translators: [string, Translate][] = [
    ['en', translator('en')],
    ['zh-cn', translator('zh-cn')],
  ];

  function findingTexts(findings: readonly Finding[], t: Translate): string {
    return findings
      .flatMap((f) => [
        renderFindingMessage(f, t),
        JSON.stringify(f),
        ...(f.related ?? []).map((r) => renderRelatedMessage(r, t)),
      ])
      .join('\n');
  }

  for (const [name, file] of [
    ['a valid kubeconfig', 'good'],
    ['a broken kubeconfig', 'broken'],
  ] as const) {
    it(`diagnostics and hover data of ${name}: no secret in any language`, () => {
      const text = file === 'good' ? good : broken;
      const doc = parseKubeconfig(text, join(dir, `${file}.conf`));
      const model = mergeKubeconfigs([doc]);
      const audit = analyzeKubeconfig(model, { now: NOW });
      assert.ok(audit.findings.length > 0);
      for (const [lang, t] of translators) {
        assertClean(findingTexts(audit.findings, t), `${file} findings (${lang})`);
        // What the hover renders: the entry's findings, certificates and key description.
        for (const entry of [...doc.clusters, ...doc.users]) {
          const hover = analyzeEntry(model, entry, { now: NOW });
          assertClean(findingTexts(hover.findings, t), `hover of ${entry.name} (${lang})`);
          assertClean(JSON.stringify(hover.key ?? {}), `hover key of ${entry.name}`);
          assertClean(
            JSON.stringify(hover.certificates.map((c) => certificateJson(c.certificate))),
            `hover certificates of ${entry.name}`,
          );
        }
      }
      assertClean(
        JSON.stringify(audit.certificates.map((c) => certificateJson(c.certificate))),
        `${file} certificates`,
      );
    });
  }

  it('the good kubeconfig reports every planted credential (so the check above saw them)', () => {
    const audit = analyzeKubeconfig(mergeKubeconfigs([parseKubeconfig(good, '/x/good.conf')]), { now: NOW });
    const codes = new Set(audit.findings.map((f) => f.code));
    for (const code of [
      'plaintext-token',
      'plaintext-password',
      'bootstrap-token',
      'exec-plugin',
      'invalid-pem',
    ])
      assert.ok(codes.has(code as Finding['code']), `missing ${code}`);
  });

  for (const format of ['table', 'json', 'sarif']) {
    for (const lang of ['en', 'zh-cn']) {
      it(`kubecerts audit --format ${format} --lang ${lang}: stdout and stderr are clean`, async () => {
        for (const target of ['good.conf', 'broken.conf', 'pki', 'missing.conf']) {
          let out = '';
          const io: CliIo = {
            stdout: { write: (s: string) => (out += s), isTTY: false },
            stderr: { write: (s: string) => (out += s) },
            env: { LANG: 'C' },
            cwd: dir,
            platform: 'linux',
            homedir: join(dir, 'home'),
          };
          const code = await runCli(
            ['audit', target, '--format', format, '--lang', lang, '--now', NOW.toISOString()],
            io,
          );
          assert.ok(code === 1 || code === 2, `${target}: exit ${code}`);
          assert.ok(out.length > 0);
          assertClean(out, `CLI ${format}/${lang} on ${target}`);
        }
      });
    }
  }

  it('certificate files with a broken key: problems and findings are clean', () => {
    const bytes = new Uint8Array(Buffer.from(user.certPem + brokenKeyPem(secrets.brokenKey)));
    const decoded = decodeFileContent(bytes);
    assert.ok(decoded.problems.length > 0);
    assertClean(JSON.stringify(decoded.problems), 'decode problems');
    assertClean(
      JSON.stringify(decodeBase64Data(base64Data(brokenKeyPem(secrets.brokenKey))).problems),
      'decode problems (data)',
    );
    const audit = auditCertificateFiles([{ file: '/x/user.pem', bytes }], { now: NOW });
    assertClean(findingTexts(audit.findings, translator('en')), 'file audit');
  });

  it('a PEM key whose BEGIN line lost its dashes is not quoted as a "label"', () => {
    const body = user.keyPem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
    for (const text of [
      `-----BEGIN EC PRIVATE KEY${body}-----END EC PRIVATE KEY-----\n`,
      `-----BEGIN ${body}-----\n${body}\n-----END ${body}-----\n`,
      `-----BEGIN EC PRIVATE KEY ${body}-----\n`,
    ]) {
      const decoded = decodeFileContent(new Uint8Array(Buffer.from(text)));
      assert.ok(decoded.problems.length > 0);
      assertClean(JSON.stringify(decoded.problems), 'PEM label problem');
      assertClean(JSON.stringify(decodeBase64Data(base64Data(text)).problems), 'PEM label problem (data)');
    }
  });

  it('a key that fails to parse throws an error that does not quote it', () => {
    const der = Buffer.from(user.keyPem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
    for (const bytes of [der.subarray(0, 40), Buffer.concat([der, Buffer.from(secrets.brokenKey)])]) {
      for (const format of [undefined, 'pkcs1', 'pkcs8', 'sec1'] as const) {
        try {
          parsePrivateKey(bytes, format);
        } catch (err) {
          assertClean(String(err) + ((err as Error).stack ?? ''), 'KeyParseError');
        }
      }
    }
  });

  it('log lines: what the log channel writes is redacted, whatever a caller passes', () => {
    // The log channel runs every line through redactSecrets (src/extension/log.ts).
    const lines: string[] = [
      good,
      broken,
      JSON.stringify(parseYaml(good)),
      JSON.stringify(parseYaml(good), null, 2),
    ];
    for (const text of [broken]) {
      const doc = parseDocument(text, { prettyErrors: true });
      for (const error of doc.errors) lines.push(error.message, error.stack ?? '');
      try {
        parseYaml(text);
      } catch (err) {
        lines.push(String((err as Error).stack));
      }
    }
    lines.push(
      `request failed: Authorization: Bearer ${secrets.token}`,
      `config: {"password":"${secrets.password}"}`,
    );
    lines.push(`kubeadm join 10.0.0.1:6443 --token abcdef.${secrets.bootstrapSecret}`);
    for (const line of lines) assertClean(redactSecrets(line), 'log line');
  });

  it('cluster errors that echo a request or credentials are clean', () => {
    const echoes = [
      `CertificateSigningRequest.certificates.k8s.io "x" is invalid: metadata.annotations: Invalid value: "token: ${secrets.token}"`,
      `admission webhook denied the request: {"password":"${secrets.password}","kind":"Secret"}`,
      `Unauthorized: Bearer ${secrets.token}`,
      `bad object: ${base64Data(user.keyPem)}`,
      `join token abcdef.${secrets.bootstrapSecret} expired`,
      `exec env: [{"name":"API_SECRET","value":"${secrets.execEnv}"}]`,
    ];
    for (const message of echoes) {
      for (const status of [400, 403, 409, 422, 500]) {
        const error = toClusterError(
          { code: status, body: JSON.stringify({ kind: 'Status', message }) },
          'approve certificatesigningrequest x',
          ['update on x'],
        );
        assertClean(
          `${error.message}\n${JSON.stringify(error.details)}\n${error.stack}`,
          `ClusterError ${status}`,
        );
      }
      const network = toClusterError(
        Object.assign(new Error(message), { code: 'EWHATEVER' }),
        'list certificatesigningrequests',
      );
      assertClean(network.message, 'ClusterError (network)');
    }
  });

  it('a CSR review of a request that carries a secret in its subject names only public facts', () => {
    const review = reviewCsr(
      {
        metadata: { name: 'x' },
        spec: {
          request: Buffer.from(
            `-----BEGIN CERTIFICATE REQUEST-----\n${secrets.token}\n-----END CERTIFICATE REQUEST-----\n`,
          ).toString('base64'),
          signerName: 'kubernetes.io/kube-apiserver-client',
          username: 'u',
        },
      },
      { now: NOW, policy: {} },
    );
    assert.ok(review.findings.length > 0);
    assertClean(JSON.stringify(review.findings), 'CSR review');
  });
});
