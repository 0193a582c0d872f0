// Probe run in a fresh process against a running demo cluster: what the CSR view does from
// "open view" to all items built — connect (loading the Kubernetes client bundle), list, decode
// every PKCS#10 request and run the risk rules (reading Nodes as the view does), group by state.
// Prints one JSON line.
import { csrState } from '../../src/core/csr/model';
import { connectCluster } from '../../src/node/cluster/client';
import { NodeCache, reviewInCluster } from '../../src/node/cluster/review';
import { printJsonLine } from './jsonLine';

async function main(): Promise<Record<string, unknown>> {
  const [kubeconfig] = process.argv.slice(2);
  const t0 = performance.now();
  const client = await connectCluster({ kubeconfig });
  const list = await client.listCsrs();
  const nodes = new NodeCache(client);
  const now = new Date();
  const reviews = await Promise.all(list.items.map((csr) => reviewInCluster(csr, nodes, now, {})));
  const groups = new Map<string, number>();
  for (const csr of list.items) groups.set(csrState(csr), (groups.get(csrState(csr)) ?? 0) + 1);
  const ms = performance.now() - t0;
  return {
    ms,
    items: list.items.length,
    findings: reviews.reduce((n, r) => n + r.findings.length, 0),
    groups: Object.fromEntries(groups),
  };
}

printJsonLine(main);
