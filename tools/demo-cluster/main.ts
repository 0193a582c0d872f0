// `npm run demo-cluster -- --dir DIR [--port PORT] [--seed] [--gc] [--verbose]`
import { parseArgs } from 'node:util';
import { startDemoCluster } from './cluster';

const USAGE = 'usage: npm run demo-cluster -- --dir DIR [--port PORT] [--seed] [--gc] [--verbose]';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      dir: { type: 'string' },
      port: { type: 'string', default: '0' },
      seed: { type: 'boolean', default: false },
      gc: { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = Number(values.port);
  if (!values.dir || !Number.isInteger(port) || port < 0 || port > 65535) {
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
  });
  console.log(`ready ${cluster.url}`);
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
