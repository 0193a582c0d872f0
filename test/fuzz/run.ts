// Runs the fuzz targets with a seed (printed, so any failure replays with `--seed`), and keeps
// the corpus: inputs that once failed, stored as JSON text (bytes as base64) under corpus/<target>/.
import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as fc from 'fast-check';
import type { Bounds } from './invariants';
import { TARGETS, type FuzzTarget } from './properties';
import { loadSeeds, type Seeds } from './seeds';

export const CORPUS_DIR = path.join(__dirname, 'corpus');

export interface FuzzRunOptions {
  readonly seed: number;
  /** Cases over all targets, split by weight. */
  readonly totalRuns: number;
  readonly bounds: Bounds;
  /** Only targets whose name contains this. */
  readonly only?: string;
  /** Write failing inputs into the corpus. */
  readonly saveFailures?: boolean;
  /** fast-check replay path of a reported failure (with its seed and target). */
  readonly path?: string;
  readonly log?: (line: string) => void;
}

export interface TargetOutcome {
  readonly target: string;
  readonly runs: number;
  readonly ms: number;
  readonly failure?: string;
}

export function selectTargets(only?: string): FuzzTarget[] {
  return TARGETS.filter((t) => !only || t.name.includes(only));
}

export function runsFor(target: FuzzTarget, totalRuns: number, targets: readonly FuzzTarget[]): number {
  const weights = targets.reduce((sum, t) => sum + t.weight, 0);
  return Math.max(1, Math.ceil((totalRuns * target.weight) / weights));
}

export async function runTarget(
  target: FuzzTarget,
  seeds: Seeds,
  options: FuzzRunOptions,
  numRuns: number,
): Promise<TargetOutcome> {
  const start = Date.now();
  const details = await fc.check(target.property(seeds, options.bounds), {
    seed: options.seed,
    numRuns,
    ...(options.path ? { path: options.path } : {}),
  });
  const ms = Date.now() - start;
  if (!details.failed) return { target: target.name, runs: details.numRuns, ms };
  const saved =
    options.saveFailures && details.counterexample
      ? saveCase(target.name, details.counterexample)
      : undefined;
  const failure = [
    `${target.name} failed after ${details.numRuns} runs (seed ${options.seed}, path "${details.counterexamplePath}")`,
    `replay: npm run fuzz -- --seed ${options.seed} --only ${target.name} --path ${details.counterexamplePath}`,
    saved ? `saved to ${path.relative(process.cwd(), saved)}` : '',
    String(
      details.errorInstance instanceof Error
        ? (details.errorInstance.stack ?? details.errorInstance.message)
        : details.errorInstance,
    ),
  ]
    .filter(Boolean)
    .join('\n');
  return { target: target.name, runs: details.numRuns, ms, failure };
}

export async function runFuzz(options: FuzzRunOptions): Promise<TargetOutcome[]> {
  const seeds = await loadSeeds();
  const targets = selectTargets(options.only);
  const outcomes: TargetOutcome[] = [];
  for (const target of targets) {
    const outcome = await runTarget(target, seeds, options, runsFor(target, options.totalRuns, targets));
    options.log?.(
      `${outcome.failure ? 'FAIL' : 'ok  '} ${target.name}: ${outcome.runs} cases in ${outcome.ms} ms`,
    );
    outcomes.push(outcome);
  }
  return outcomes;
}

// --- corpus -------------------------------------------------------------------------------------

export interface CorpusCase {
  readonly target: string;
  readonly file: string;
  readonly args: unknown[];
}

/** JSON with Uint8Array as {"$bytes": base64}: the corpus stays text. */
export function encodeArgs(args: unknown): string {
  return JSON.stringify(
    args,
    function (this: unknown, _key, value: unknown) {
      if (value instanceof Uint8Array) return { $bytes: Buffer.from(value).toString('base64') };
      if (value === undefined) return { $undefined: true };
      return value;
    },
    2,
  );
}

export function decodeArgs(text: string): unknown[] {
  return JSON.parse(text, (_key, value: unknown) => {
    if (value && typeof value === 'object' && '$bytes' in value)
      return new Uint8Array(Buffer.from(String((value as { $bytes: string }).$bytes), 'base64'));
    if (value && typeof value === 'object' && '$undefined' in value) return undefined;
    return value;
  }) as unknown[];
}

function saveCase(target: string, args: unknown): string {
  const text = encodeArgs(args);
  const dir = path.join(CORPUS_DIR, target);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${createHash('sha256').update(text).digest('hex').slice(0, 16)}.json`);
  writeFileSync(file, text + '\n');
  return file;
}

export function loadCorpus(): CorpusCase[] {
  const cases: CorpusCase[] = [];
  for (const target of safeReaddir(CORPUS_DIR)) {
    for (const name of safeReaddir(path.join(CORPUS_DIR, target))) {
      if (!name.endsWith('.json')) continue;
      const file = path.join(CORPUS_DIR, target, name);
      cases.push({ target, file, args: decodeArgs(readFileSync(file, 'utf8')) });
    }
  }
  return cases;
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

/** Runs one corpus case through its target's property; rejects with the property's failure. */
export async function replayCase(c: CorpusCase, seeds: Seeds, bounds: Bounds): Promise<void> {
  const target = TARGETS.find((t) => t.name === c.target);
  if (!target) throw new Error(`${c.file}: no fuzz target "${c.target}"`);
  const outcome = await target.property(seeds, bounds).run(c.args);
  if (outcome && 'error' in outcome)
    throw outcome.error instanceof Error ? outcome.error : new Error(String(outcome.error));
}
