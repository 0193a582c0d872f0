// `npm run bench [-- --quick] [-- --json FILE]`: kubecerts' figures beside the tools users would
// pick instead, measured in the same run on generated workloads (cached in bench/.cache/), as a
// table with targets. Every timed run is a fresh process (cold caches, like a user's first run);
// repeated runs report the median. It reports, it never fails on a missed target.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { build, type Plugin } from 'esbuild';
import { ROOT, CACHE, PROBES, FULL, QUICK, type Row, log, timed } from './measure';
import { bulkAudit } from './rows/bulk';
import { csrRows } from './rows/csr';
import { kubeconfigRows } from './rows/kubeconfig';
import { startupRows } from './rows/startup';
import { workspaceRows } from './rows/workspace';

async function buildAll(): Promise<void> {
  log('building dist/ (production) and the probes …');
  timed(process.execPath, ['esbuild.js', '--production']);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { lazyChunksIn } = require(path.join(ROOT, 'esbuild.js')) as {
    lazyChunksIn(dir: string): Plugin;
  };
  await build({
    entryPoints: ['startup', 'kubeconfig', 'bulk', 'csrList', 'rss', 'workspace'].map((p) =>
      path.join(ROOT, 'bench', 'probes', `${p}.ts`),
    ),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outdir: PROBES,
    outExtension: { '.js': '.cjs' },
    // The probes load the shipped Kubernetes client bundle, as the extension does.
    plugins: [lazyChunksIn(path.join(ROOT, 'dist'))],
    logLevel: 'warning',
  });
}

function figure(value: number | undefined, unit: string): string {
  if (value === undefined) return '';
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${unit}`;
}

export function formatTable(rows: readonly Row[]): string {
  const header = ['Workload', 'Measure', 'kubecerts', 'Anchor', 'Anchor figure', 'Ratio', 'Target', 'Result'];
  const lines = rows.map((r) => [
    r.workload,
    r.measure,
    figure(r.ours, r.unit),
    r.anchor ?? '',
    figure(r.anchorValue, r.unit),
    r.ratio === undefined ? '' : `${r.ratio.toFixed(1)}×`,
    r.target ?? '',
    r.pass === undefined ? '' : r.pass ? 'PASS' : 'MISS',
  ]);
  const row = (cells: readonly string[]) => `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [row(header), row(header.map(() => '---')), ...lines.map(row)].join('\n') + '\n';
}

/** A 1-minute load average at or under this, on 2 cores, leaves the figures to the run. */
const QUIET_LOAD = 1;

/**
 * The 1-minute load average decays over about a minute: the build (or a previous run) just before
 * would make a quiet machine look busy. A full run waits up to 90 s for it to settle.
 */
async function settle(): Promise<void> {
  const until = Date.now() + 90_000;
  if (os.loadavg()[0] > QUIET_LOAD)
    log(`waiting up to 90 s for the load average (${os.loadavg()[0].toFixed(2)}) to settle …`);
  while (os.loadavg()[0] > QUIET_LOAD && Date.now() < until)
    await new Promise((resolve) => setTimeout(resolve, 2000));
}

/** The 1, 5 and 15-minute load averages as printed. */
const loadAverages = (): string =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

function machine(): Record<string, string | number> {
  const openssl = spawnSync('openssl', ['version'], { encoding: 'utf8' }).stdout.trim();
  const kubectl = spawnSync('kubectl', ['version', '--client', '-o', 'json'], { encoding: 'utf8' });
  const kubectlVersion =
    kubectl.status === 0
      ? (JSON.parse(kubectl.stdout) as { clientVersion: { gitVersion: string } }).clientVersion.gitVersion
      : 'absent';
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    node: process.version,
    openssl,
    kubectl: kubectlVersion,
    loadAverage: loadAverages(),
  };
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const quick = argv.includes('--quick');
  const jsonAt = argv.indexOf('--json');
  const jsonFile = jsonAt >= 0 ? argv[jsonAt + 1] : undefined;
  if (jsonAt >= 0 && !jsonFile) throw new Error('--json needs a file name');
  const sizes = quick ? QUICK : FULL;
  const started = Date.now();
  fs.mkdirSync(CACHE, { recursive: true });
  await buildAll();
  if (!quick) await settle();
  const startLoad = os.loadavg()[0];
  const facts = machine();
  const rows = [
    ...bulkAudit(sizes),
    ...kubeconfigRows(sizes),
    ...(await csrRows(sizes)),
    ...startupRows(sizes, quick),
    ...workspaceRows(sizes),
  ];
  const took = (Date.now() - started) / 1000;
  const loadAtEnd = loadAverages();
  // The run itself keeps up to both cores busy, so only the load it started under tells whether
  // other processes took CPU time from the figures.
  const loaded = startLoad > QUIET_LOAD;
  const factsLine = `Machine: ${facts.cpu}, ${facts.cores} cores, Node ${facts.node}, ${facts.openssl}, kubectl ${facts.kubectl}; load average (1, 5, 15 min) ${facts.loadAverage} at start, ${loadAtEnd} at end${loaded ? ': RUN UNDER LOAD, the figures are slower than on a quiet machine (ratios taken side by side hold better)' : ''}. ${quick ? 'Quick run' : 'Full run'} in ${took.toFixed(0)} s.`;
  process.stdout.write(`\n${formatTable(rows)}\n${factsLine}\n`);
  if (jsonFile) {
    fs.writeFileSync(
      path.resolve(jsonFile),
      JSON.stringify({ quick, machine: facts, seconds: took, rows }, null, 2) + '\n',
    );
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${(error as Error)?.stack ?? String(error)}\n`);
  process.exitCode = 1;
});
