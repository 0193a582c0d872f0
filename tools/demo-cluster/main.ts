// `npm run demo-cluster -- --dir DIR [--port PORT] [--seed] [--gc] [--verbose] [--serving current|stale|name-mismatch] [--kubelet-port PORT]`
import { parseArgs } from 'node:util';
import { startDemoCluster } from './cluster';
import { SERVING_MODES, type ServingMode } from './serving';

const USAGE =
  'usage: npm run demo-cluster -- --dir DIR [--port PORT] [--seed] [--gc] [--verbose] [--serving current|stale|name-mismatch] [--kubelet-port PORT]';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      dir: { type: 'string' },
      port: { type: 'string', default: '0' },
      seed: { type: 'boolean', default: false },
      gc: { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
      serving: { type: 'string', default: 'current' },
      'kubelet-port': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = Number(values.port);
  const kubeletPort = values['kubelet-port'] === undefined ? undefined : Number(values['kubelet-port']);
  const validPort = (p: number): boolean => Number.isInteger(p) && p >= 0 && p <= 65535;
  const serving = values.serving as ServingMode;
  if (
    !values.dir ||
    !validPort(port) ||
    (kubeletPort !== undefined && !validPort(kubeletPort)) ||
    !SERVING_MODES.includes(serving)
  ) {
    console.error(USAGE);
    process.exitCode = 2;
    return;
  }
  const cluster = await startDemoCluster({
    dir: values.dir,
    port,
    seed: values.seed,
    gc: values.gc,
    log: values.verbose ? (line) => console.error(line) : undefined,
    serving,
    ...(kubeletPort !== undefined ? { kubelet: kubeletPort } : {}),
  });
  console.log(`ready ${cluster.url}`);
  if (cluster.kubelet) console.log(`kubelet (node-1) ${cluster.kubelet.url}`);
  // SIGHUP plays "restart kube-apiserver": it loads pki/apiserver.crt/.key again.
  process.on('SIGHUP', () => {
    cluster.restartApiserver().then(
      () => console.error('SIGHUP: apiserver serving certificate reloaded'),
      (err: unknown) => console.error(err),
    );
  });
  console.log(`export KUBECONFIG=${cluster.kubeconfig('admin.conf')}`);
  const shutdown = (signal: string) => {
    console.error(`${signal}: stopping`);
    cluster.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(`demo-cluster: ${(err as Error)?.message ?? String(err)}`);
  process.exit(1);
});
