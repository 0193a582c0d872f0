// `kubecerts csr list --all-contexts` against two demo clusters at once (real TLS servers, real
// client), one of them stopped midway, plus a context whose server accepts connections and never
// answers: the per-context timeout must end it while the others are still reported.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { kubectl } from '../../fixtures/demoCluster';
import { useDemoFleet } from './demoFleet';

describe('kubecerts csr list --all-contexts (two demo clusters)', function () {
  this.timeout(60_000);
  const fleet = useDemoFleet('kubecerts-fleet-');

  it('lists both clusters in one report; the hung one times out without holding the run', async () => {
    const started = Date.now();
    const { code, stdout, stderr } = await fleet.kubecerts(
      'csr',
      'list',
      '--all-contexts',
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
      await kubectl(fleet.beta!.kubeconfig('admin.conf'), 'get', 'csr', '-o', 'json'),
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
    await fleet.stopBeta();
    const { code, stdout, stderr } = await fleet.kubecerts(
      'csr',
      'list',
      '--all-contexts',
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

    const metrics = await fleet.kubecerts(
      'csr',
      'list',
      '--all-contexts',
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
