// `kubecerts probe` and `kubecerts audit --probe` against the demo cluster in its serving modes,
// with kubectl (Go's crypto/tls and crypto/x509) as the oracle for what a client accepts.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { CliIo } from '../../../src/cli/io';
import { runCli } from '../../../src/cli/run';
import { startDemoCluster, type DemoCluster } from '../../../tools/demo-cluster/cluster';
import type { ServingMode } from '../../../tools/demo-cluster/serving';

const run = promisify(execFile);

async function cli(argv: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (s: string) => (stdout += s), isTTY: false },
    stderr: { write: (s: string) => (stderr += s) },
    env: { LANG: 'C' },
    cwd,
    platform: 'linux',
    homedir: join(cwd, 'home'),
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

/** kubectl's outcome: '' when it connected, else its error output. */
async function kubectlError(args: string[]): Promise<string> {
  try {
    await run('kubectl', [...args, 'get', '--raw', '/healthz', '--request-timeout=10s'], {
      timeout: 30_000,
      env: { ...process.env, HTTPS_PROXY: '', https_proxy: '' },
    });
    return '';
  } catch (err) {
    return (err as { stderr?: string }).stderr ?? String(err);
  }
}

interface Started {
  cluster: DemoCluster;
  dir: string;
}

async function start(serving: ServingMode, kubelet = false): Promise<Started> {
  const dir = mkdtempSync(join(tmpdir(), 'kubecerts-probe-'));
  const cluster = await startDemoCluster({ dir, key: { algorithm: 'EC', curve: 'P-256' }, serving, kubelet });
  return { cluster, dir };
}

async function stop(started: Started | undefined): Promise<void> {
  if (!started) return;
  await started.cluster.stop();
  rmSync(started.dir, { recursive: true, force: true });
}

interface ProbeJson {
  presented: { subject: string; serial: string }[];
  verdict: {
    trusted: boolean | null;
    hostname: { ok: boolean; error?: string } | null;
    goError: string | null;
    expiry: string | null;
  };
  findings: { code: string; severity: string; message: string }[];
  error: string | null;
  sni: string | null;
  verifyName: string;
}

describe('kubecerts probe and audit --probe (demo cluster)', function () {
  this.timeout(60_000);

  describe('serving the current certificate', () => {
    let s: Started;
    before(async () => (s = await start('current', true)));
    after(() => stop(s));

    it('probe: verifies, covers 127.0.0.1, exit 0; kubectl connects too', async () => {
      const result = await cli(['probe', s.cluster.url, '--ca', s.cluster.caFile, '--format', 'json'], s.dir);
      assert.equal(result.code, 0, result.stdout + result.stderr);
      const json = JSON.parse(result.stdout) as ProbeJson;
      assert.equal(json.presented[0].subject, 'CN=kube-apiserver');
      assert.equal(json.verdict.trusted, true);
      assert.deepEqual(json.findings, []);
      assert.equal(json.verdict.goError, null);
      assert.equal(await kubectlError(['--kubeconfig', s.cluster.kubeconfig('admin.conf')]), '');
    });

    it('--server-name is verified and sent as SNI; a name not covered fails as in kubectl', async () => {
      const ok = await cli(
        ['probe', s.cluster.url, '--ca', s.cluster.caFile, '--server-name', 'kubernetes', '--format', 'json'],
        s.dir,
      );
      assert.equal(ok.code, 0);
      assert.equal((JSON.parse(ok.stdout) as ProbeJson).sni, 'kubernetes');
      const bad = await cli(
        [
          'probe',
          s.cluster.url,
          '--ca',
          s.cluster.caFile,
          '--server-name',
          'api.example.com',
          '--format',
          'json',
        ],
        s.dir,
      );
      assert.equal(bad.code, 1);
      const json = JSON.parse(bad.stdout) as ProbeJson;
      assert.deepEqual(
        json.findings.map((f) => f.code),
        ['server-name-mismatch'],
      );
      const kubectl = await kubectlError([
        '--kubeconfig',
        s.cluster.kubeconfig('admin.conf'),
        '--tls-server-name',
        'api.example.com',
      ]);
      assert.ok(
        json.verdict.goError && kubectl.includes(json.verdict.goError),
        `${kubectl}\n${json.verdict.goError}`,
      );
    });

    it('probe without --ca uses the system roots: the cluster CA is not among them', async () => {
      const result = await cli(['probe', s.cluster.url, '--format', 'json'], s.dir);
      assert.equal(result.code, 1);
      const json = JSON.parse(result.stdout) as ProbeJson;
      assert.equal(json.verdict.trusted, false);
      assert.equal(json.verdict.goError, 'x509: certificate signed by unknown authority');
      assert.deepEqual(
        json.findings.map((f) => f.code),
        ['server-cert-untrusted'],
      );
    });

    it("node-1's kubelet stand-in: self-signed, no IP SAN; kubectl reports the same first error", async () => {
      const kubelet = s.cluster.kubelet;
      assert.ok(kubelet);
      const result = await cli(['probe', kubelet.url, '--ca', s.cluster.caFile, '--format', 'json'], s.dir);
      assert.equal(result.code, 1);
      const json = JSON.parse(result.stdout) as ProbeJson;
      assert.match(json.presented[0].subject, /^CN=node-1@\d+$/);
      assert.deepEqual(json.findings.map((f) => f.code).sort(), [
        'server-cert-untrusted',
        'server-name-mismatch',
      ]);
      // kubectl needs a kubeconfig: one naming the kubelet, with the cluster CA.
      const kubeconfig = join(s.dir, 'kubelet-probe.conf');
      writeFileSync(
        kubeconfig,
        [
          'apiVersion: v1',
          'kind: Config',
          'clusters:',
          '- name: node-1',
          '  cluster:',
          `    server: ${kubelet.url}`,
          `    certificate-authority: ${s.cluster.caFile}`,
          'contexts:',
          '- name: node-1',
          '  context: {cluster: node-1, user: anonymous}',
          'current-context: node-1',
          'users:',
          '- name: anonymous',
          // Any credential: without one kubectl prompts for a password on stdin.
          '  user: {token: not-a-secret}',
          '',
        ].join('\n'),
      );
      const kubectl = await kubectlError(['--kubeconfig', kubeconfig]);
      assert.ok(
        json.verdict.goError && kubectl.includes(json.verdict.goError),
        `${kubectl}\n${json.verdict.goError}`,
      );
    });

    it('table output names the chain, the verdict lines and the findings', async () => {
      const result = await cli(['probe', s.cluster.url, '--ca', s.cluster.caFile], s.dir);
      assert.equal(result.code, 0);
      assert.match(result.stdout, /Presented chain:/);
      assert.match(result.stdout, /^ok {4}chain: verifies against CN=kubernetes$/m);
      assert.match(result.stdout, /^ok {4}name: 127\.0\.0\.1 is covered by 127\.0\.0\.1$/m);
    });
  });

  describe('serving a certificate whose SANs miss the address', () => {
    let s: Started;
    before(async () => (s = await start('name-mismatch')));
    after(() => stop(s));

    it("probe reports Go's hostname error, the one kubectl fails with", async () => {
      const result = await cli(['probe', s.cluster.url, '--ca', s.cluster.caFile, '--format', 'json'], s.dir);
      assert.equal(result.code, 1);
      const json = JSON.parse(result.stdout) as ProbeJson;
      assert.equal(json.verdict.trusted, true);
      assert.equal(json.verdict.goError, 'x509: certificate is valid for 10.96.0.1, not 127.0.0.1');
      const kubectl = await kubectlError(['--kubeconfig', s.cluster.kubeconfig('admin.conf')]);
      assert.ok(kubectl.includes(json.verdict.goError), kubectl);
    });

    it('audit --probe puts server-name-mismatch on the server: line of the kubeconfig', async () => {
      const result = await cli(
        ['audit', '--probe', '--format', 'json', s.cluster.kubeconfig('admin.conf')],
        s.dir,
      );
      const json = JSON.parse(result.stdout) as {
        findings: { code: string; range?: { start: { line: number } }; message: string }[];
      };
      const mismatch = json.findings.filter((f) => f.code === 'server-name-mismatch');
      assert.equal(mismatch.length, 1, result.stdout);
      assert.match(mismatch[0].message, /does not cover the name 127\.0\.0\.1/);
      assert.equal(result.code, 1);
      const plain = await cli(['audit', '--format', 'json', s.cluster.kubeconfig('admin.conf')], s.dir);
      assert.ok(!plain.stdout.includes('server-name-mismatch'), 'no connection without --probe');
    });
  });

  describe('renewed on disk, not yet served', () => {
    let s: Started;
    before(async () => (s = await start('stale')));
    after(() => stop(s));

    it('audit --probe reports served-cert-stale until the apiserver is restarted', async () => {
      const admin = s.cluster.kubeconfig('admin.conf');
      const before = await cli(['audit', '--probe', '--format', 'json', admin], s.dir);
      const stale = (
        JSON.parse(before.stdout) as { findings: { code: string; message: string }[] }
      ).findings.filter((f) => f.code === 'served-cert-stale');
      assert.equal(stale.length, 1, before.stdout);
      assert.match(stale[0].message, /kube-apiserver was renewed on disk .*restart kube-apiserver/);
      // The old certificate is still valid: kubectl connects, the problem is only the pending restart.
      assert.equal(await kubectlError(['--kubeconfig', admin]), '');

      const servedBefore = JSON.parse(
        (await cli(['probe', s.cluster.url, '--ca', s.cluster.caFile, '--format', 'json'], s.dir)).stdout,
      ) as ProbeJson;
      await s.cluster.restartApiserver();
      const servedAfter = JSON.parse(
        (await cli(['probe', s.cluster.url, '--ca', s.cluster.caFile, '--format', 'json'], s.dir)).stdout,
      ) as ProbeJson;
      assert.notEqual(servedAfter.presented[0].serial, servedBefore.presented[0].serial);
      const after = await cli(['audit', '--probe', '--format', 'json', admin], s.dir);
      assert.ok(!after.stdout.includes('served-cert-stale'), after.stdout);
      assert.equal(await kubectlError(['--kubeconfig', admin]), '');
    });
  });

  it('an unreachable server is exit 1 with server-unreachable (info) and the error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubecerts-probe-'));
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as net.AddressInfo).port;
    await new Promise<void>((r) => server.close(() => r()));
    try {
      const result = await cli(['probe', `https://127.0.0.1:${port}`, '--format', 'json'], dir);
      assert.equal(result.code, 1);
      const json = JSON.parse(result.stdout) as ProbeJson;
      assert.equal(json.error, 'connection refused (connecting)');
      assert.deepEqual(json.findings, [
        {
          code: 'server-unreachable',
          severity: 'info',
          message: `The certificate served by https://127.0.0.1:${port} could not be checked: connection refused (connecting).`,
        },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a missing URL, an http:// URL and a bad --format', async () => {
    const dir = tmpdir();
    assert.equal((await cli(['probe'], dir)).code, 2);
    assert.equal((await cli(['probe', 'http://127.0.0.1:8080'], dir)).code, 2);
    assert.equal((await cli(['probe', 'https://127.0.0.1:1', '--format', 'sarif'], dir)).code, 2);
  });
});
