// `kubecerts csr list --all-contexts` against two demo clusters at once (real TLS servers, real
// client), one of them stopped midway, plus a context whose server accepts connections and never
// answers: the per-context timeout must end it while the others are still reported.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import type { CliIo } from '../../../src/cli/io';
import { runCli } from '../../../src/cli/run';
import { kubectl, startTestCluster } from '../../fixtures/demoCluster';

type TestCluster = Awaited<ReturnType<typeof startTestCluster>>;

interface Kubeconfig {
  clusters: { name: string; cluster: Record<string, unknown> }[];
  users: { name: string; user: Record<string, unknown> }[];
  contexts: { name: string; context: { cluster: string; user: string } }[];
}

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    env: { LANG: 'C' },
    cwd: process.cwd(),
    platform: process.platform,
    homedir: '/nonexistent-home',
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

/** One kubeconfig entry set per cluster, renamed so the merged file keeps them apart. */
function renamed(file: string, name: string, server?: string): Kubeconfig {
  const doc = parse(readFileSync(file, 'utf8')) as Kubeconfig;
  return {
    clusters: [{ name, cluster: { ...doc.clusters[0].cluster, ...(server ? { server } : {}) } }],
    users: [{ name, user: doc.users[0].user }],
    contexts: [{ name, context: { cluster: name, user: name } }],
  };
}

describe('kubecerts csr list --all-contexts (two demo clusters)', function () {
  this.timeout(60_000);
  let alpha: TestCluster;
  let beta: TestCluster | undefined;
  let hung: Server;
  const held: Socket[] = [];
  let dir: string;
  let kubeconfig: string;

  before(async () => {
    [alpha, beta] = await Promise.all([startTestCluster(), startTestCluster()]);
    // Accepts TCP connections and never speaks TLS: a hung API server.
    hung = createServer((socket) => held.push(socket));
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
    const port = (hung.address() as { port: number }).port;
    const parts = [
      renamed(alpha.kubeconfig('admin.conf'), 'alpha'),
      renamed(beta.kubeconfig('admin.conf'), 'beta'),
      renamed(alpha.kubeconfig('admin.conf'), 'gamma-hung', `https://127.0.0.1:${port}`),
    ];
    dir = mkdtempSync(join(tmpdir(), 'kubecerts-fleet-'));
    kubeconfig = join(dir, 'fleet.conf');
    writeFileSync(
      kubeconfig,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        'current-context': 'alpha',
        clusters: parts.flatMap((p) => p.clusters),
        users: parts.flatMap((p) => p.users),
        contexts: parts.flatMap((p) => p.contexts),
      }),
      { mode: 0o600 },
    );
  });
  after(async () => {
    for (const socket of held) socket.destroy();
    await new Promise((resolve) => hung?.close(resolve));
    await Promise.all([alpha?.cleanup(), beta?.cleanup()]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('lists both clusters in one report; the hung one times out without holding the run', async () => {
    const started = Date.now();
    const { code, stdout, stderr } = await cli(
      'csr',
      'list',
      '--all-contexts',
      '--kubeconfig',
      kubeconfig,
      '--format',
      'json',
      '--timeout',
      '3s',
    );
    const elapsed = Date.now() - started;
    const out = JSON.parse(stdout) as {
      contexts: { context: string; status: string; message?: string; count: number }[];
      items: { context: string; name: string; state: string; risks: { code: string }[] }[];
    };
    assert.deepEqual(
      out.contexts.map((c) => [c.context, c.status]),
      [
        ['alpha', 'ok'],
        ['beta', 'ok'],
        ['gamma-hung', 'timeout'],
      ],
    );
    // kubectl runs asynchronously: the demo servers live in this process.
    const expected = JSON.parse(
      await kubectl(beta!.kubeconfig('admin.conf'), 'get', 'csr', '-o', 'json'),
    ) as {
      items: { metadata: { name: string } }[];
    };
    const names = (context: string): string[] =>
      out.items.filter((i) => i.context === context).map((i) => i.name);
    assert.deepEqual(names('beta'), expected.items.map((i) => i.metadata.name).sort());
    assert.ok(names('alpha').includes('csr-node-3-asks-for-node-1'), names('alpha').join());
    assert.equal(code, 1, 'unlisted context and risky pending CSRs give exit code 1');
    assert.match(stderr, /context gamma-hung: No answer within 3000 ms/);
    assert.ok(elapsed < 30_000, `took ${elapsed} ms`);
  });

  it('a cluster stopped midway is a row of the report; the other is still listed', async () => {
    await beta!.cleanup();
    beta = undefined;
    const { code, stdout, stderr } = await cli(
      'csr',
      'list',
      '--all-contexts',
      '--kubeconfig',
      kubeconfig,
      '--timeout',
      '3s',
      '--parallel',
      '2',
    );
    const [header, ...rows] = stdout.trim().split('\n');
    assert.match(
      header,
      /^CONTEXT\s+NAME\s+AGE\s+SIGNERNAME\s+REQUESTOR\s+REQUESTEDDURATION\s+CONDITION\s+RISKS$/,
    );
    assert.ok(
      rows.some((r) => /^beta\s+-\s.*<unreachable>\s+-$/.test(r)),
      rows.join('\n'),
    );
    assert.ok(
      rows.some((r) => /^gamma-hung\s+-\s.*<timeout>\s+-$/.test(r)),
      rows.join('\n'),
    );
    assert.ok(
      rows.some((r) => /^alpha\s+csr-node-3-asks-for-node-1\s/.test(r)),
      rows.join('\n'),
    );
    assert.match(stderr, /context beta: Cannot reach the cluster \(ECONNREFUSED\)/);
    assert.equal(code, 1);

    const metrics = await cli(
      'csr',
      'list',
      '--all-contexts',
      '--kubeconfig',
      kubeconfig,
      '--format',
      'prometheus',
      '--timeout',
      '3s',
    );
    assert.match(metrics.stdout, /^kubecerts_cluster_up\{context="alpha"\} 1$/m);
    assert.match(metrics.stdout, /^kubecerts_cluster_up\{context="beta"\} 0$/m);
    assert.match(metrics.stdout, /^kubecerts_cluster_up\{context="gamma-hung"\} 0$/m);
    assert.match(
      metrics.stdout,
      /^kubecerts_csr_pending_risky\{context="alpha",csr="csr-node-3-asks-for-node-1",signer_name="kubernetes.io\/kube-apiserver-client-kubelet",requestor="system:node:node-3",risks="requester-not-subject"\} 1$/m,
    );
    execFileSync('promtool', ['check', 'metrics'], { input: metrics.stdout });
  });
});
