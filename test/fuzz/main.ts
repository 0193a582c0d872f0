// Nightly fuzzing: `npm run fuzz [-- --seed N] [--runs N] [--only NAME] [--path P] [--no-sizes]`.
// Defaults: a fresh seed (printed first, so a failure replays exactly), 100,000 cases over all
// targets, the corpus replayed, then the size limits at full scale. Exit 1 on any failure.
import { performance } from 'node:perf_hooks';
import { runSizeChecks, NIGHTLY_SIZES } from './sizes';
import { loadCorpus, replayCase, runFuzz } from './run';
import { loadSeeds } from './seeds';
import { ORACLE_TARGET, runOracleFuzz } from './oracle';

interface Args {
  seed: number;
  runs: number;
  only?: string;
  path?: string;
  sizes: boolean;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { seed: Math.floor(Math.random() * 0x7fffffff), runs: 100_000, sizes: true };
  for (let i = 0; i < argv.length; i++) {
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${argv[i - 1]} needs a value`);
      return v;
    };
    switch (argv[i]) {
      case '--seed':
        args.seed = Number.parseInt(value(), 10);
        break;
      case '--runs':
        args.runs = Number.parseInt(value(), 10);
        break;
      case '--only':
        args.only = value();
        break;
      case '--path':
        args.path = value();
        break;
      case '--no-sizes':
        args.sizes = false;
        break;
      default:
        throw new Error(`unknown argument ${argv[i]}`);
    }
  }
  if (!Number.isFinite(args.seed) || !Number.isFinite(args.runs) || args.runs < 1)
    throw new Error('--seed and --runs take integers');
  return args;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  console.log(
    `kubecerts fuzz: seed ${args.seed}, ${args.runs} cases${args.only ? `, only ${args.only}` : ''}`,
  );
  const bounds = { msPerInput: 10_000 };
  const seeds = await loadSeeds();
  let failed = 0;
  for (const c of loadCorpus()) {
    try {
      await replayCase(c, seeds, bounds);
    } catch (err) {
      failed++;
      console.log(`FAIL corpus ${c.file}\n${err instanceof Error ? err.stack : String(err)}`);
    }
  }
  const start = performance.now();
  const outcomes = await runFuzz({
    seed: args.seed,
    totalRuns: args.runs,
    bounds,
    only: args.only,
    path: args.path,
    saveFailures: true,
    log: (line) => console.log(line),
  });
  for (const o of outcomes) if (o.failure) console.log(`\n${o.failure}`);
  failed += outcomes.filter((o) => o.failure).length;
  const total = outcomes.reduce((sum, o) => sum + o.runs, 0);
  console.log(`${total} cases in ${((performance.now() - start) / 1000).toFixed(1)} s, seed ${args.seed}`);
  if (!args.only || args.only === ORACLE_TARGET) {
    // Against Go itself: at least 50,000 chains and as many mutated certificates.
    const cases = Math.max(50_000, Math.floor(args.runs / 2));
    failed += await runOracleFuzz(args.seed, cases, cases, (line) => console.log(line));
  }
  if (args.sizes && !args.only) {
    for (const result of await runSizeChecks(NIGHTLY_SIZES)) {
      console.log(
        `${result.ok ? 'ok  ' : 'FAIL'} size ${result.name}: ${result.ms.toFixed(0)} ms, +${result.heapMb.toFixed(0)} MB heap (bounds ${result.boundMs} ms, ${result.boundMb} MB)`,
      );
      if (!result.ok) failed++;
    }
  }
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(2);
  },
);
