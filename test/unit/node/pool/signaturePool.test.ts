import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { prepareCertificateAudit } from '../../../../src/core/audit/files';
import {
  issuerKey,
  runSignatureCheck,
  signatureCheck,
  verifySignature,
} from '../../../../src/core/x509/signature';
import { SignaturePool } from '../../../../src/node/pool/signaturePool';
import {
  addDays,
  bundle,
  ED25519,
  makeCa,
  makeLeaf,
  makeRegeneratedCa,
  P_256,
  type TestCert,
} from '../../../fixtures/certs';

const NOW = '2025-06-01T00:00:00Z';
const now = new Date(NOW);
const ROOT = resolve(__dirname, '../../../..');

describe('signature pool (bulk audit on both cores)', function () {
  this.timeout(120_000);
  let dir: string;
  let file: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kubecerts-pool-'));
    const dates = { notBefore: addDays(now, -30), notAfter: addDays(now, 300) };
    const caDates = { notBefore: addDays(now, -300), notAfter: addDays(now, 3000) };
    const rsa = await makeCa({ cn: 'kubernetes', ...caDates });
    // Same name, another key: every leaf of `rsa` is also checked against it, and fails.
    const regenerated = await makeRegeneratedCa(rsa, { ...caDates });
    const ec = await makeCa({ cn: 'etcd-ca', key: P_256, ...caDates });
    const ed = await makeCa({ cn: 'front-proxy-ca', key: ED25519, ...caDates });
    // Its leaves are in the bundle, only its regenerated namesake is: not signed by any CA given.
    const gone = await makeCa({ cn: 'gone-ca', key: P_256, ...caDates });
    const goneAgain = await makeRegeneratedCa(gone, { key: P_256, ...caDates });
    const leaves: TestCert[] = [];
    for (let i = 0; i < 48; i++) {
      const issuer = [rsa, ec, ed, gone][i % 4];
      const expired = i % 7 === 0 ? { notAfter: addDays(now, -1) } : {};
      leaves.push(await makeLeaf({ issuer, cn: `leaf-${i}`, key: P_256, ...dates, ...expired }));
    }
    file = join(dir, 'bundle.pem');
    writeFileSync(file, bundle(rsa, regenerated, ec, ed, goneAgain, ...leaves));
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it('answers every check as this thread does, the helper thread taking its share', async () => {
    const bytes = new Uint8Array(readFileSync(file));
    const prepared = prepareCertificateAudit([{ file, bytes }], { now });
    const pairs = prepared.signaturePairs;
    const expected = pairs.map((p) => {
      const check = signatureCheck(p.certificate, p.ca);
      const key = issuerKey(p.ca);
      return check !== undefined && key !== undefined && runSignatureCheck(check, key);
    });
    assert.ok(expected.includes(true) && expected.includes(false), 'good and bad signatures in the set');
    const pool = new SignaturePool({ threads: 2, minChecks: 0 });
    try {
      const counts = await pool.answer(pairs);
      assert.ok(counts.there > 0 && counts.here > 0, JSON.stringify(counts));
    } finally {
      pool.close();
    }
    assert.deepEqual(
      pairs.map((p) => verifySignature(p.certificate, p.ca)),
      expected,
    );
  });

  it("checks the helper thread's share here when that thread is gone", async () => {
    const bytes = new Uint8Array(readFileSync(file));
    const pairs = prepareCertificateAudit([{ file, bytes }], { now }).signaturePairs;
    const pool = new SignaturePool({ threads: 2, minChecks: 0 });
    await (pool as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
    const counts = await pool.answer(pairs);
    pool.close();
    assert.deepEqual(counts, { here: pairs.length, there: 0 });
  });

  it('kubecerts audit --format json: the two-thread report is byte for byte the single-threaded one', () => {
    // Separate processes: each starts with empty signature caches.
    const run = (threads: string) =>
      execFileSync(
        process.execPath,
        [
          '--import',
          'tsx',
          join(ROOT, 'src/cli/main.ts'),
          'audit',
          file,
          '--now',
          NOW,
          '--format',
          'json',
          '--fail-on',
          'never',
        ],
        {
          cwd: ROOT,
          encoding: 'utf8',
          maxBuffer: 1 << 28,
          env: { ...process.env, LANG: 'C', KUBECERTS_AUDIT_THREADS: threads },
        },
      );
    const single = run('1');
    const parallel = run('2');
    const report = JSON.parse(single) as { certificates: { chains: { status: string }[] }[] };
    const statuses = new Set(report.certificates.flatMap((c) => c.chains.map((ch) => ch.status)));
    assert.deepEqual([...statuses].sort(), ['not-signed', 'signed', 'verified']);
    assert.equal(parallel, single);
    // Streamed in chunks, laid out as JSON.stringify(report, null, 2) lays out the whole.
    assert.equal(single, JSON.stringify(report, null, 2) + '\n');
  });
});
