import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectCluster } from '../../../../src/node/cluster/client';
import { ClusterError } from '../../../../src/node/cluster/errors';
import {
  CsrNotIssuedError,
  IssuedCertificateRejectedError,
  renewUser,
  type UserRenewEvent,
  type UserRenewOptions,
} from '../../../../src/node/renew/user';
import type { CliIo } from '../../../../src/cli/io';
import { runCli } from '../../../../src/cli/run';
import { startDemoCluster, type DemoCluster } from '../../../../tools/demo-cluster/cluster';
import { embeddedCredentials } from '../../../fixtures/kubeconfig';

const YEAR_MS = 365 * 24 * 3600 * 1000;

function changedKeys(before: string, after: string): string[] {
  const a = before.split('\n');
  const b = after.split('\n');
  assert.equal(a.length, b.length);
  return a.flatMap((line, i) => (line === b[i] ? [] : [line.trim().split(':')[0] ?? '']));
}

function backups(dir: string, file: string): string[] {
  return readdirSync(dir).filter((n) => n.startsWith(`${file}.`) && n.endsWith('.bak'));
}

describe('renewUser against the demo cluster', function () {
  this.timeout(120_000);
  let dir = '';
  let cluster: DemoCluster;
  /** The signer's clock offset: a signer whose clock is wrong issues certificates that do not verify. */
  let signerOffsetMs = 0;
  const base = (overrides: Partial<UserRenewOptions>): UserRenewOptions => ({
    env: {},
    pollIntervalMs: 50,
    ...overrides,
  });

  /** A private copy of one of the cluster's kubeconfigs, so each test starts from the original. */
  function copyOf(name: string): string {
    const target = join(dir, `copy-${Math.random().toString(16).slice(2)}-${name}`);
    copyFileSync(cluster.kubeconfig(name), target);
    return target;
  }

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kubecerts-renew-user-'));
    cluster = await startDemoCluster({
      dir,
      key: { algorithm: 'EC', curve: 'P-256' },
      now: () => new Date(Date.now() + signerOffsetMs),
    });
  });
  after(async () => {
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => {
    signerOffsetMs = 0;
  });

  it('renews the admin, approving in the same flow, and the new credential works', async () => {
    const file = copyOf('admin.conf');
    const before = readFileSync(file, 'utf8');
    const events: UserRenewEvent['kind'][] = [];
    const result = await renewUser(
      base({
        kubeconfig: file,
        approve: true,
        expirationSeconds: 7200,
        onProgress: (e) => events.push(e.kind),
      }),
    );
    assert.equal(result.outcome, 'renewed');
    assert.deepEqual(events, ['submitted', 'approved', 'issued']);

    const after = readFileSync(file, 'utf8');
    assert.deepEqual(changedKeys(before, after), ['client-certificate-data', 'client-key-data']);
    const old = embeddedCredentials(before).cert;
    const { cert, keyPem } = embeddedCredentials(after);
    assert.equal(cert.identity.user, old.identity.user);
    assert.deepEqual(cert.identity.groups, old.identity.groups);
    assert.deepEqual(cert.extKeyUsage, ['clientAuth']);
    assert.ok(
      Math.abs(cert.notAfter.getTime() - (Date.now() + 7200_000)) < 120_000,
      'expirationSeconds honoured',
    );
    assert.equal(
      createPublicKey(keyPem).export({ format: 'der', type: 'spki' }).toString('hex'),
      Buffer.from(cert.publicKey.spkiDer).toString('hex'),
    );
    const certFile = join(dir, 'issued.crt');
    writeFileSync(certFile, Buffer.from(/client-certificate-data: (\S+)/.exec(after)![1]!, 'base64'));
    assert.match(
      execFileSync('openssl', ['verify', '-CAfile', cluster.caFile, certFile], { encoding: 'utf8' }),
      /: OK/,
    );
    assert.equal(backups(dir, file.split('/').pop()!).length, 1);

    const client = await connectCluster({ kubeconfig: file, env: {} });
    await client.listCsrs();
  });

  it('waits while a second user approves (the requester may not), then writes', async () => {
    const file = copyOf('node-1.conf');
    const before = readFileSync(file, 'utf8');
    const admin = await connectCluster({ kubeconfig: cluster.kubeconfig('admin.conf'), env: {} });
    const events: UserRenewEvent[] = [];
    let approvedByAdmin: Promise<unknown> | undefined;
    const result = await renewUser(
      base({
        kubeconfig: file,
        approve: true,
        onProgress: (event) => {
          events.push(event);
          if (event.kind === 'approval-needed') {
            // The admin approves a moment later, while renewUser keeps polling.
            approvedByAdmin = new Promise((r) => setTimeout(r, 300)).then(() =>
              admin.setApproval(event.csrName, 'Approved'),
            );
          }
        },
      }),
    );
    await approvedByAdmin;
    assert.equal(result.outcome, 'renewed');
    assert.deepEqual(
      events.map((e) => (e.kind === 'approval-needed' ? `${e.kind}:${e.because}` : e.kind)),
      ['submitted', 'approval-needed:forbidden', 'issued'],
    );
    const { cert } = embeddedCredentials(readFileSync(file, 'utf8'));
    assert.equal(cert.identity.user, 'system:node:node-1');
    assert.deepEqual(cert.identity.groups, ['system:nodes']);
    assert.ok(cert.notAfter.getTime() > Date.now() + YEAR_MS - 24 * 3600 * 1000);
    assert.notEqual(readFileSync(file, 'utf8'), before);
  });

  it('refuses to write a certificate that does not verify (a signer with a wrong clock)', async () => {
    const file = copyOf('admin.conf');
    const before = readFileSync(file, 'utf8');
    signerOffsetMs = -3 * YEAR_MS; // issued certificates ended long ago
    await assert.rejects(renewUser(base({ kubeconfig: file, approve: true })), (err: unknown) => {
      assert.ok(err instanceof IssuedCertificateRejectedError);
      assert.deepEqual(
        err.problems.map((p) => p.code),
        ['not-verified'],
      );
      assert.match(String(err.problems[0]?.params.detail), /expired/i);
      return true;
    });
    assert.equal(readFileSync(file, 'utf8'), before);
    assert.deepEqual(backups(dir, file.split('/').pop()!), []);
  });

  it('stops waiting when cancelled and writes nothing', async () => {
    const file = copyOf('node-1.conf');
    const before = readFileSync(file, 'utf8');
    const controller = new AbortController();
    const result = await renewUser(
      base({
        kubeconfig: file,
        signal: controller.signal,
        onProgress: (e) => {
          if (e.kind === 'approval-needed') {
            assert.equal(e.because, 'not-requested');
            setTimeout(() => controller.abort(), 200);
          }
        },
      }),
    );
    assert.equal(result.outcome, 'cancelled');
    assert.ok(
      result.outcome === 'cancelled' && result.csrName?.startsWith('kubecerts-renew-system-node-node-1-'),
    );
    assert.equal(readFileSync(file, 'utf8'), before);
  });

  it('reports a denied request', async () => {
    const file = copyOf('node-1.conf');
    const admin = await connectCluster({ kubeconfig: cluster.kubeconfig('admin.conf'), env: {} });
    await assert.rejects(
      renewUser(
        base({
          kubeconfig: file,
          onProgress: (e) => {
            if (e.kind === 'approval-needed') void admin.setApproval(e.csrName, 'Denied');
          },
        }),
      ),
      CsrNotIssuedError,
    );
  });

  it('surfaces a user who may not create requests as a cluster error, writing nothing', async () => {
    const file = copyOf('viewer.conf');
    const before = readFileSync(file, 'utf8');
    await assert.rejects(
      renewUser(base({ kubeconfig: file })),
      (err: unknown) => err instanceof ClusterError && err.kind === 'forbidden',
    );
    assert.equal(readFileSync(file, 'utf8'), before);
  });

  it('plans without sending on a dry run; refuses system:masters', async () => {
    const dry = await renewUser(base({ kubeconfig: copyOf('admin.conf'), dryRun: true }));
    assert.equal(dry.outcome, 'planned');
    const masters = await renewUser(base({ kubeconfig: copyOf('super-admin.conf') }));
    assert.ok(masters.outcome === 'refused');
    assert.equal(masters.refusal.code, 'system-masters');
  });

  it('kubecerts renew-user prints the preview, the request and the result', async () => {
    const file = copyOf('admin.conf');
    let stdout = '';
    let stderr = '';
    const io: CliIo = {
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: (s: string) => (stderr += s) },
      env: { LANG: 'C' },
      cwd: dir,
      platform: 'linux',
      homedir: dir,
    };
    const code = await runCli(
      ['renew-user', '--kubeconfig', file, '--approve', '--expiration-seconds', '3600'],
      io,
    );
    assert.equal(code, 0, stderr);
    assert.match(
      stdout,
      /through the CSR API:\n +Subject: +CN=kubernetes-admin, O=kubeadm:cluster-admins \(unchanged\)/,
    );
    assert.match(stdout, /certificatesigningrequest kubecerts-renew-kubernetes-admin-\d{14}(-\d)? created/);
    assert.match(stdout, /approved/);
    assert.match(
      stdout,
      /client certificate of user kubernetes-admin renewed, verified against the cluster CA/,
    );
    assert.match(stdout, /backup: .*\.bak/);
    assert.doesNotMatch(stdout + stderr, /PRIVATE KEY|client-key-data/);
  });
});
