// Probe run in a fresh process against a running demo cluster: what the CSR view does from
// "open view" to its rows shown — connect (loading the Kubernetes client bundle), list (in pages, as
// kubectl), group by state — and then to every risk badge: decode every PKCS#10 request, check its
// self-signature and run the risk rules (reading Nodes as the view does). The view draws its rows
// at the first point ("reviewing…") and reviews after it. Prints one JSON line.
import { csrState } from '../../src/core/csr/model';
import { connectCluster } from '../../src/node/cluster/client';
import { NodeCache, reviewInCluster } from '../../src/node/cluster/review';
import { printJsonLine } from './jsonLine';

async function main(): Promise<Record<string, unknown>> {
  const [kubeconfig] = process.argv.slice(2);
  const t0 = performance.now();
  const client = await connectCluster({ kubeconfig });
  const list = await client.listCsrs();
  const groups = new Map<string, number>();
  for (const csr of list.items) groups.set(csrState(csr), (groups.get(csrState(csr)) ?? 0) + 1);
  const listedMs = performance.now() - t0;
  const nodes = new NodeCache(client);
  const now = new Date();
  const reviews = await Promise.all(list.items.map((csr) => reviewInCluster(csr, nodes, now, {})));
  const ms = performance.now() - t0;
  return {
    listedMs,
    ms,
    items: list.items.length,
    findings: reviews.reduce((n, r) => n + r.findings.length, 0),
    groups: Object.fromEntries(groups),
  };
}

printJsonLine(main);
