// `kubecerts cluster --all-contexts` against two demo clusters at once (real TLS servers, real
// client), plus a context whose server accepts connections and never answers. One of the two
// clusters is stopped while a run is under way: it becomes a cluster-unreachable finding of the
// report (a row, a line on stderr, kubecerts_cluster_inventory_up 0), the other is still reported.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { kubectlTlsSecrets } from '../../fixtures/demoCluster';
import { cli, parseExposition } from '../cli/prometheusHelpers';
import { useDemoFleet } from './demoFleet';

interface JsonReport {
  contexts: { context: string; status: string; message?: string; objects: number }[];
  findings: { code: string; severity: string; context: string; file: string }[];
  objects: { context: string; kind: string; namespace: string | null; name: string }[];
}

describe('kubecerts cluster --all-contexts (two demo clusters)', function () {
  this.timeout(120_000);
  const fleet = useDemoFleet('kubecerts-cluster-fleet-');

  it('reports both clusters in one report; the hung one times out without holding the run', async () => {
    const started = Date.now();
    const { code, stdout, stderr } = await fleet.kubecerts(
      'cluster',
      '--all-contexts',
      '-A',
      '--format',
      'json',
      '--timeout',
      '3s',
    );
    const elapsed = Date.now() - started;
    const out = JSON.parse(stdout) as JsonReport;
    assert.deepEqual(
      out.contexts.map((c) => [c.context, c.status]),
      [
        ['alpha', 'ok'],
        ['beta', 'ok'],
        ['gamma-hung', 'timeout'],
      ],
    );
    // Each cluster's TLS Secrets as its own kubectl lists them (kubectl runs asynchronously: the
    // demo servers live in this process).
    for (const [context, cluster] of [
      ['alpha', fleet.alpha],
      ['beta', fleet.beta!],
    ] as const) {
      const listed = await kubectlTlsSecrets(cluster.kubeconfig('admin.conf'));
      assert.deepEqual(
        out.objects
          .filter((o) => o.context === context && o.kind === 'Secret')
          .map((o) => `${o.namespace}/${o.name}`)
          .sort(),
        listed.map((s) => `${s.metadata.namespace}/${s.metadata.name}`).sort(),
      );
    }
    const unreachable = out.findings.filter((f) => f.code === 'cluster-unreachable');
    assert.deepEqual(
      unreachable.map((f) => [f.context, f.severity, f.file]),
      [['gamma-hung', 'error', 'k8s://gamma-hung/-/Context/gamma-hung']],
    );
    assert.ok(out.findings.some((f) => f.context === 'beta' && f.code === 'tls-key-mismatch'));
    assert.match(stderr, /context gamma-hung: No answer within 3000 ms/);
    assert.equal(code, 1);
    assert.ok(elapsed < 60_000, `took ${elapsed} ms`);
  });

  it('a cluster stopped while the run is under way is a row and a finding; the other is still read', async () => {
    // One context at a time, alpha first: beta goes down while alpha is being read.
    const run = fleet.kubecerts('cluster', '--all-contexts', '-A', '--timeout', '3s', '--parallel', '1');
    await fleet.stopBeta();
    const { code, stdout, stderr } = await run;
    const lines = stdout.split('\n');
    assert.match(
      lines[0],
      /^CONTEXT\s+NAMESPACE\s+KIND\s+NAME\s+CN\s+CERTS\s+RESIDUAL\s+VERDICT\s+FINDINGS$/,
    );
    assert.ok(
      lines.some((l) => /^beta\s+-\s.*<unreachable>\s+cluster-unreachable$/.test(l)),
      stdout,
    );
    assert.ok(
      lines.some((l) => /^gamma-hung\s+-\s.*<timeout>\s+cluster-unreachable$/.test(l)),
      stdout,
    );
    assert.ok(
      lines.some((l) => /^alpha\s+\S+\s+Secret\s/.test(l)),
      stdout,
    );
    assert.ok(!lines.some((l) => /^beta\s+\S+\s+Secret\s/.test(l)), stdout);
    assert.match(stderr, /context beta: Cannot reach the cluster \(ECONNREFUSED\)/);
    assert.equal(code, 1);

    const metrics = await fleet.kubecerts(
      'cluster',
      '--all-contexts',
      '--format',
      'prometheus',
      '--timeout',
      '3s',
    );
    execFileSync('promtool', ['check', 'metrics'], { input: metrics.stdout });
    const up = parseExposition(metrics.stdout).filter((s) => s.name === 'kubecerts_cluster_inventory_up');
    assert.deepEqual(
      up.map((s) => [s.labels.context, s.value]),
      [
        ['alpha', 1],
        ['beta', 0],
        ['gamma-hung', 0],
      ],
    );
    assert.match(
      metrics.stdout,
      /^kubecerts_finding\{code="cluster-unreachable",severity="error",context="beta",.*\} 1$/m,
    );
    // Exit code 1 for the unreachable contexts, unless told not to fail.
    assert.equal(metrics.code, 1);
    const never = await fleet.kubecerts('cluster', '--all-contexts', '--timeout', '2s', '--fail-on', 'never');
    assert.equal(never.code, 0);
  });
  it('audit --probe --all-contexts: each context probed within its time, unreachable ones are findings', async () => {
    // beta was stopped by the test above; gamma-hung accepts connections and never speaks TLS.
    const started = Date.now();
    const { code, stdout } = await cli(
      ['audit', fleet.kubeconfig, '--probe', '--all-contexts', '--timeout', '2s', '--format', 'json'],
      fleet.dir,
    );
    const out = JSON.parse(stdout) as {
      findings: {
        code: string;
        severity: string;
        context: string | null;
        cluster: string | null;
        message: string;
      }[];
    };
    const served = out.findings
      .filter((f) => f.code.startsWith('server-') || f.code === 'served-cert-stale')
      .map((f) => [f.context, f.cluster, f.code]);
    assert.deepEqual(served, [
      ['beta', 'beta', 'server-unreachable'],
      ['gamma-hung', 'gamma-hung', 'server-unreachable'],
    ]);
    assert.match(out.findings.find((f) => f.context === 'beta')!.message, /ECONNREFUSED|refused/i);
    assert.equal(code, 0, 'unreachable servers are notes, not a failed run');
    assert.ok(Date.now() - started < 30_000);
    const metrics = await cli(
      ['audit', fleet.kubeconfig, '--probe', '--all-contexts', '--timeout', '2s', '--format', 'prometheus'],
      fleet.dir,
    );
    execFileSync('promtool', ['check', 'metrics'], { input: metrics.stdout });
    assert.match(
      metrics.stdout,
      /^kubecerts_finding\{code="server-unreachable",severity="info",.*context="gamma-hung",.*\} 1$/m,
    );
    const usage = await cli(['audit', fleet.kubeconfig, '--all-contexts'], fleet.dir);
    assert.equal(usage.code, 2);
  });
});
