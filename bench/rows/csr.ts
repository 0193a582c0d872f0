// Workload 3: the CSR view on 5,000 CSRs beside `kubectl get csr` on the same demo cluster.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startDemoCluster } from '../../tools/demo-cluster/cluster';
import { csrClusterDir } from '../workloads/csrs';
import { CACHE, PROBES, type Sizes, type Row, log, median, timedAsync, medianAsync } from '../measure';

export async function csrRows(sizes: Sizes): Promise<Row[]> {
  const dir = csrClusterDir(CACHE, sizes.csrs, log);
  const workload = `3. CSR view, ${sizes.csrs.toLocaleString('en')} CSRs`;
  log(`${workload}: starting the demo cluster …`);
  const cluster = await startDemoCluster({ dir, key: { algorithm: 'EC', curve: 'P-256' } });
  try {
    const kubeconfig = cluster.kubeconfig('admin.conf');
    const kubeCache = fs.mkdtempSync(path.join(os.tmpdir(), 'kubecerts-bench-kube-'));
    const env = { ...process.env, KUBECONFIG: kubeconfig, KUBECACHEDIR: kubeCache };
    const kubectlArgs = ['get', 'csr', '--kubeconfig', kubeconfig, '--cache-dir', kubeCache];
    // Warm kubectl's discovery cache once, as on a user's machine.
    await timedAsync('kubectl', kubectlArgs, env);
    const kubectl = await medianAsync(
      sizes.repeats,
      async () => (await timedAsync('kubectl', kubectlArgs, env)).ms,
    );
    const runs: { listedMs: number; ms: number; items: number }[] = [];
    for (let i = 0; i < sizes.repeats; i++) {
      const { stdout } = await timedAsync(process.execPath, [path.join(PROBES, 'csrList.cjs'), kubeconfig]);
      runs.push(JSON.parse(stdout.trim().split('\n').pop() as string) as (typeof runs)[number]);
    }
    if (runs.some((r) => r.items < sizes.csrs))
      throw new Error(`the CSR probe listed ${runs[0].items} CSRs, expected ${sizes.csrs}`);
    const listed = median(runs.map((r) => r.listedMs));
    const reviewed = median(runs.map((r) => r.ms));
    // What each run spent after its rows were shown: the badges' delay as the user sees it.
    const badgesAfter = median(runs.map((r) => r.ms - r.listedMs));
    fs.rmSync(kubeCache, { recursive: true, force: true });
    return [
      {
        workload,
        measure: 'open view → rows shown (connect, list in pages, group by state)',
        ours: listed,
        unit: 'ms',
        anchor: 'kubectl get csr',
        anchorValue: kubectl,
        ratio: kubectl / listed,
        target: 'not slower than kubectl',
        pass: listed <= kubectl,
      },
      {
        workload,
        measure: 'open view → every risk badge (also decode, self-signature, risk rules)',
        ours: reviewed,
        unit: 'ms',
        anchor: 'kubectl get csr',
        anchorValue: kubectl,
        ratio: kubectl / reviewed,
      },
      {
        workload,
        measure: 'rows shown → every risk badge',
        ours: badgesAfter,
        unit: 'ms',
        target: '≤ 1000 ms (within the same second)',
        pass: badgesAfter <= 1000,
      },
    ];
  } finally {
    await cluster.stop();
  }
}
