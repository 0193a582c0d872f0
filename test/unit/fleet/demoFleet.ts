// The fleet the --all-contexts tests run against: two demo clusters (real TLS servers) and a server
// that accepts TCP connections and never speaks TLS (a hung API server), as the contexts alpha,
// beta and gamma-hung of one kubeconfig whose current-context is alpha.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { startTestCluster } from '../../fixtures/demoCluster';
import { cli } from '../cli/prometheusHelpers';

type TestCluster = Awaited<ReturnType<typeof startTestCluster>>;

interface Kubeconfig {
  clusters: { name: string; cluster: Record<string, unknown> }[];
  users: { name: string; user: Record<string, unknown> }[];
  contexts: { name: string; context: { cluster: string; user: string } }[];
}

/** Filled in by the suite's before hook. */
export interface DemoFleet {
  alpha: TestCluster;
  /** Undefined once stopBeta() ran. */
  beta: TestCluster | undefined;
  /** A temporary folder, removed after the suite; the kubeconfig is in it. */
  dir: string;
  kubeconfig: string;
  /** Stops beta's API server: its context becomes unreachable. */
  stopBeta(): Promise<void>;
  /** Runs `kubecerts ARGV… --kubeconfig <the fleet's kubeconfig>` in `dir`. */
  kubecerts(...argv: string[]): ReturnType<typeof cli>;
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

/** Starts the fleet before the suite's tests and stops it after them. */
export function useDemoFleet(tmpPrefix: string): DemoFleet {
  let hung: Server | undefined;
  const held: Socket[] = [];
  const fleet = {
    beta: undefined,
    async stopBeta() {
      await fleet.beta?.cleanup();
      fleet.beta = undefined;
    },
    kubecerts: (...argv: string[]) => cli([...argv, '--kubeconfig', fleet.kubeconfig], fleet.dir),
  } as DemoFleet;

  before(async () => {
    const [alpha, beta] = await Promise.all([startTestCluster(), startTestCluster()]);
    fleet.alpha = alpha;
    fleet.beta = beta;
    hung = createServer((socket) => held.push(socket));
    await new Promise<void>((resolve) => hung!.listen(0, '127.0.0.1', resolve));
    const port = (hung.address() as { port: number }).port;
    const parts = [
      renamed(alpha.kubeconfig('admin.conf'), 'alpha'),
      renamed(beta.kubeconfig('admin.conf'), 'beta'),
      renamed(alpha.kubeconfig('admin.conf'), 'gamma-hung', `https://127.0.0.1:${port}`),
    ];
    fleet.dir = mkdtempSync(join(tmpdir(), tmpPrefix));
    fleet.kubeconfig = join(fleet.dir, 'fleet.conf');
    writeFileSync(
      fleet.kubeconfig,
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
    await new Promise((resolve) => (hung ? hung.close(resolve) : resolve(undefined)));
    await Promise.all([fleet.alpha?.cleanup(), fleet.beta?.cleanup()]);
    if (fleet.dir) rmSync(fleet.dir, { recursive: true, force: true });
  });
  return fleet;
}
