// What every bench row is measured with: the workload sizes, the row type, fresh-process timing
// (wall time, medians) and the probes built into bench/.cache/probes.
import { execFile, spawnSync } from 'node:child_process';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '..');
export const CACHE = path.join(ROOT, 'bench', '.cache');
export const PROBES = path.join(CACHE, 'probes');

export interface Sizes {
  readonly certs: number;
  readonly contexts: number;
  readonly csrs: number;
  readonly repeats: number;
  readonly verifySample: number;
  readonly peculiarSample: number;
}

export const FULL: Sizes = {
  certs: 10_000,
  contexts: 1_000,
  csrs: 5_000,
  repeats: 3,
  verifySample: 50,
  peculiarSample: 1_000,
};
export const QUICK: Sizes = {
  certs: 1_000,
  contexts: 200,
  csrs: 500,
  repeats: 1,
  verifySample: 10,
  peculiarSample: 200,
};

export interface Row {
  readonly workload: string;
  readonly measure: string;
  readonly ours: number;
  readonly unit: string;
  readonly anchor?: string;
  readonly anchorValue?: number;
  /** Anchor ÷ ours: how many times faster (or smaller) kubecerts is. */
  readonly ratio?: number;
  readonly target?: string;
  readonly pass?: boolean;
}

export function log(line: string): void {
  process.stderr.write(line + '\n');
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Runs `command` and returns its wall time in ms; throws with its stderr when it fails. */
export function timed(
  command: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; okCodes?: number[] } = {},
): { ms: number; stdout: string } {
  const t0 = performance.now();
  const result = spawnSync(command, args, {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    env: options.env ?? process.env,
  });
  const ms = performance.now() - t0;
  if (result.error) throw result.error;
  if (!(options.okCodes ?? [0]).includes(result.status ?? -1)) {
    throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${result.stderr.slice(0, 2000)}`);
  }
  return { ms, stdout: result.stdout };
}

/** `timed` without blocking this process: the demo cluster serves from its event loop. */
export function timedAsync(
  command: string,
  args: readonly string[],
  env?: NodeJS.ProcessEnv,
): Promise<{ ms: number; stdout: string }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 30, env: env ?? process.env },
      (error, stdout, stderr) => {
        if (error)
          reject(new Error(`${command} ${args.join(' ')} failed: ${error.message} ${stderr.slice(0, 2000)}`));
        else resolve({ ms: performance.now() - t0, stdout });
      },
    );
  });
}

export async function medianAsync(times: number, run: () => Promise<number>): Promise<number> {
  const values: number[] = [];
  for (let i = 0; i < times; i++) values.push(await run());
  return median(values);
}

/** The chunks esbuild.js splits off the extension bundle, loaded on first use. */
export function lazyFiles(): string[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { LAZY_CHUNKS } = require(path.join(ROOT, 'esbuild.js')) as { LAZY_CHUNKS: { file: string }[] };
  // Several sources may share one file.
  return [...new Set(LAZY_CHUNKS.map((c) => c.file))];
}

export function probe<T>(name: string, args: readonly string[]): T {
  const { stdout } = timed(process.execPath, [path.join(PROBES, `${name}.cjs`), ...args]);
  return JSON.parse(stdout.trim().split('\n').pop() as string) as T;
}

export function repeat<T>(times: number, run: () => T, pick: (value: T) => number): number {
  return median(Array.from({ length: times }, () => pick(run())));
}
