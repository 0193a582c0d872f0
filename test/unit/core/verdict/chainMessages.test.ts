// Every chain problem becomes a finding whose message names the right certificates (issue 13),
// and the table, JSON and SARIF print that same message and code. Expected messages are written
// from Go's verdicts on these chains (domain.md §8), not read back from the code.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issueCertificate } from '../../../../src/core/x509/issue';
import { parseCertificate } from '../../../../src/core/x509/certificate';
import {
  addDays,
  base64Data,
  bundle,
  makeCa,
  makeIntermediate,
  makeLeaf,
  makeRegeneratedCa,
  type TestCert,
} from '../../../fixtures/certs';
import { kubeconfigYaml } from '../../../fixtures/kubeconfig';
import { cli } from '../../extension/hover/helpers';

const NOW = new Date('2025-06-01T00:00:00Z');

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

interface JsonFinding {
  code: string;
  severity: string;
  message: string;
  file: string;
  user: string | null;
  range: { start: { line: number; character: number } };
}

describe('chain problems as findings: message and code on every output (issue 13)', function () {
  this.timeout(60_000);
  let dir: string;
  /** user → [code, message] Go's verdict gives. */
  const expected = new Map<string, [string, string]>();

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kubecerts-chain-messages-'));
    const valid = { notBefore: addDays(NOW, -30), notAfter: addDays(NOW, 300) };
    const root = await makeCa({ cn: 'root', notBefore: addDays(NOW, -365), notAfter: addDays(NOW, 3000) });
    const client = (issuer: TestCert, cn: string, extra = {}) =>
      makeLeaf({ issuer, cn, eku: ['clientAuth'], ...valid, ...extra });
    const users: [string, TestCert[]][] = [];

    // Issue 13 #2: root → intermediate-1 (pathLen 0) → intermediate-2 → leaf.
    const i1 = await makeIntermediate({ cn: 'intermediate-1', issuer: root, pathLen: 0, ...valid });
    const i2 = await makeIntermediate({ cn: 'intermediate-2', issuer: i1, ...valid });
    users.push(['path-length', [await client(i2, 'leaf-pl'), i2, i1]]);
    expected.set('path-length', [
      'path-length-exceeded',
      'Certificate CN=intermediate-2 exceeds the path length allowed by CN=intermediate-1.',
    ]);

    // An intermediate that is not a CA (a leaf used to sign).
    const notCa = await makeLeaf({ issuer: root, cn: 'not-a-ca', ...valid });
    users.push(['not-ca', [await client(notCa, 'leaf-nc'), notCa]]);
    expected.set('not-ca', [
      'issuer-not-ca',
      'Issuer CN=not-a-ca of certificate CN=leaf-nc is not a CA (basicConstraints CA:TRUE or keyCertSign missing).',
    ]);

    // An intermediate restricted to serverAuth cannot issue a client certificate (#10).
    const serverOnly = await issueCertificate({
      subject: { commonName: 'server-only-ca' },
      ...valid,
      basicConstraints: { ca: true },
      keyUsage: ['digitalSignature', 'keyCertSign'],
      extKeyUsage: ['serverAuth'],
      key: { algorithm: 'EC', curve: 'P-256' },
      issuer: { certPem: root.certPem, keyPem: root.keyPem },
    });
    const serverOnlyCa: TestCert = { ...serverOnly, cert: parseCertificate(serverOnly.der) };
    users.push(['eku', [await client(serverOnlyCa, 'leaf-eku'), serverOnlyCa]]);
    expected.set('eku', [
      'incompatible-key-usage',
      'Certificate CN=leaf-eku cannot be used for clientAuth: CN=server-only-ca limits its extended key usage to serverAuth.',
    ]);

    // An expired intermediate: the chain is not valid now, the leaf's own dates are fine.
    const oldI = await makeIntermediate({
      cn: 'old-intermediate',
      issuer: root,
      notBefore: addDays(NOW, -400),
      notAfter: addDays(NOW, -5),
    });
    users.push(['expired-intermediate', [await client(oldI, 'leaf-ei'), oldI]]);
    expected.set('expired-intermediate', [
      'cert-expired',
      'Certificate CN=old-intermediate expired on 2025-05-27T00:00:00Z (5 days ago).',
    ]);

    const other = await makeCa({ cn: 'other-ca', ...valid });
    users.push(['mis-signed', [await client(other, 'leaf-ms')]]);
    expected.set('mis-signed', [
      'not-signed-by-ca',
      'Certificate CN=leaf-ms was not issued by CN=root: its issuer is CN=other-ca.',
    ]);

    const regenerated = await makeRegeneratedCa(root, valid);
    users.push(['regenerated', [await client(regenerated, 'leaf-rg')]]);
    expected.set('regenerated', [
      'bad-signature',
      'The signature of certificate CN=leaf-rg does not verify with the key of CN=root, although the names match (was the CA regenerated?).',
    ]);

    writeFileSync(
      join(dir, 'chains.conf'),
      kubeconfigYaml({
        clusters: [{ name: 'c', caData: base64Data(root.certPem) }],
        users: users.map(([name, certs]) => ({
          name,
          certData: base64Data(bundle(...certs)),
          keyData: base64Data(certs[0].keyPem),
        })),
        contexts: users.map(([name]) => ({ name, cluster: 'c', user: name })),
        currentContext: users[0][0],
      }),
    );
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it('names the right certificates, with the same code and message in table, JSON and SARIF', async () => {
    const args = ['audit', 'chains.conf', '--now', NOW.toISOString()];
    const json = JSON.parse((await cli([...args, '--format', 'json'], dir)).stdout) as {
      findings: JsonFinding[];
    };
    const table = (await cli(args, dir)).stdout;
    const sarif = JSON.parse((await cli([...args, '--format', 'sarif'], dir)).stdout);
    for (const [user, [code, message]] of expected) {
      const mine = json.findings.filter((f) => f.user === user);
      assert.deepEqual(
        mine.map((f) => [f.code, f.message]),
        [[code, message]],
        user,
      );
      const f = mine[0];
      const where = `chains.conf:${f.range.start.line + 1}:${f.range.start.character + 1}`;
      const row = new RegExp(`${code}\\s+${escapeRegExp(where)}\\s+${escapeRegExp(message)}`);
      assert.match(table, row, user);
      const result = sarif.runs[0].results.find(
        (r: { ruleId: string; message: { text: string } }) => r.ruleId === code && r.message.text === message,
      );
      assert.ok(result, `${user}: SARIF`);
      assert.equal(result.level, f.severity === 'info' ? 'note' : f.severity);
    }
    for (const f of json.findings) assert.doesNotMatch(f.message, /\{\w+\}/, f.message);
  });
});
