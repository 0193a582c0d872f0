// The whole-workspace audit (issue 17): activation before/after, the 1,000-file scan, one save.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BENCH_NOW } from '../workloads/certs';
import { benchWorkspace } from '../workloads/workspace';
import { ROOT, CACHE, type Sizes, type Row, log, median, timed, probe, repeat } from '../measure';

/**
 * The extension as it was before the whole-workspace audit replaced its start-up activation events
 * (issue #17): built once from that commit into the cache, so before and after are timed in one run.
 */
export const ACTIVATION_BASELINE = 'de43361';

export function baselineBuild(): string | undefined {
  const dir = path.join(CACHE, `baseline-${ACTIVATION_BASELINE}`);
  if (fs.existsSync(path.join(dir, 'dist', 'extension.js'))) return dir;
  log(`building the extension of ${ACTIVATION_BASELINE} (before issue #17; once, cached) …`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const archive = spawnSync(
    'sh',
    [
      '-c',
      `git archive ${ACTIVATION_BASELINE} src test l10n esbuild.js package.json tsconfig.json | tar -x -C "$0"`,
      dir,
    ],
    { cwd: ROOT, encoding: 'utf8' },
  );
  if (archive.status !== 0) {
    log(`no baseline: ${archive.stderr.trim()}`);
    return undefined;
  }
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  const built = spawnSync(process.execPath, ['esbuild.js', '--production'], { cwd: dir, encoding: 'utf8' });
  if (built.status !== 0) {
    log(`no baseline: ${built.stderr.slice(0, 500)}`);
    return undefined;
  }
  return dir;
}

/** What VS Code searches the workspace for at start-up to evaluate activation events, as ripgrep lists it. */
export function activationSearchMs(dir: string, globs: readonly string[], repeats: number): number {
  return repeat(
    repeats,
    () => timed('rg', ['--files', '--hidden', ...globs.flatMap((g) => ['-g', g]), dir], { okCodes: [0, 1] }),
    (r) => r.ms,
  );
}

export function workspaceRows(sizes: Sizes): Row[] {
  const ws = benchWorkspace(CACHE, log);
  const workload = `6. whole-workspace audit, ${ws.files.toLocaleString('en')} files`;
  log(`${workload}: first scan and a single-file change …`);
  const runs = Array.from({ length: sizes.repeats }, () =>
    probe<{
      initialMs: number;
      changeMs: number;
      changeReads: number;
      matched: number;
      listed: number;
      reads: number;
    }>('workspace', [ws.dir, BENCH_NOW.toISOString(), ws.changed]),
  );
  if (runs.some((r) => r.changeReads !== 1 || r.matched === 0))
    throw new Error(
      `the workspace probe read ${runs[0].changeReads} files for one change, matched ${runs[0].matched}`,
    );
  const initial = median(runs.map((r) => r.initialMs));
  const change = median(runs.map((r) => r.changeMs));
  return [
    {
      workload,
      measure: `first scan: list ${runs[0].listed} files, read ${runs[0].reads} candidates (.gitignore honoured), ${runs[0].matched} hold certificates`,
      ours: initial,
      unit: 'ms',
      target: '≤ 3000 ms (in the background)',
      pass: initial <= 3000,
    },
    {
      workload,
      measure: 'one kubeconfig saved: only it re-read and audited (1 file read)',
      ours: change,
      unit: 'ms',
      anchor: 'the first scan again',
      anchorValue: initial,
      ratio: initial / change,
      target: '≤ 50 ms',
      pass: change <= 50,
    },
  ];
}
