// Runs UI test files (*.ui.ts) with mocha in the runner's own process, against the page of a
// stage: mocha loads them here because they drive Chromium, not the extension host. A failed test
// gets a screenshot, a timeout in one of its waits another (explainTimeout); tests listed in
// AWAITING_FEATURES may fail without failing the run.
import fs from 'node:fs';
import path from 'node:path';
import Mocha from 'mocha';
import { AWAITING_FEATURES } from '../../test/integration/ui/awaiting';
import {
  SECRET_MASK,
  WORKBENCH_TIMEOUT,
  explainTimeout,
  secretLines,
  slug,
} from '../../test/integration/ui/page';
import { setUiSession, type UiSession } from '../../test/integration/ui/session';
import { explainTimeoutsWith } from '../../test/integration/wait';

interface UiOutcome {
  readonly title: string;
  readonly state: 'passed' | 'failed' | 'pending' | 'awaiting';
  readonly detail?: string;
  /** Screenshot taken when the test failed. */
  readonly screenshot?: string;
}

export interface UiResult {
  readonly failed: number;
  /** The summary to print, like mocha's spec reporter. */
  readonly lines: string[];
  /** Failed tests (awaiting ones excluded) with their screenshots. */
  readonly failures: readonly { readonly title: string; readonly screenshot: string }[];
}

/** UI test files of a folder; `only` (KUBECERTS_E2E_ONLY) keeps those whose name contains it. */
export function uiFiles(dir: string, only?: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.ui.ts') && (only === undefined || f.includes(only)))
    .sort()
    .map((f) => path.join(dir, f));
}

export async function runUiTests(session: UiSession, files: readonly string[]): Promise<UiResult> {
  setUiSession(session);
  explainTimeoutsWith(explainTimeout);
  try {
    return await runMocha(session, files);
  } finally {
    explainTimeoutsWith(undefined);
    setUiSession(undefined);
  }
}

async function runMocha(session: UiSession, files: readonly string[]): Promise<UiResult> {
  // Above every wait's own bound (the workbench's first load), so a wait reports its own timeout.
  const mocha = new Mocha({ ui: 'bdd', timeout: WORKBENCH_TIMEOUT + 60_000, reporter: Mocha.reporters.Base });
  files.forEach((f) => mocha.addFile(f));
  await mocha.loadFilesAsync();
  const outcomes: UiOutcome[] = [];
  // Screenshots of failures (hooks included), taken when mocha reports them.
  const failureShots: Promise<unknown>[] = [];
  await new Promise<void>((resolve) => {
    const runner = mocha.run(() => resolve());
    runner.on('pass', (test) => {
      const feature = AWAITING_FEATURES[test.fullTitle()];
      outcomes.push(
        feature
          ? {
              title: test.fullTitle(),
              state: 'failed',
              detail: `passes now: remove it from AWAITING_FEATURES (${feature})`,
            }
          : { title: test.fullTitle(), state: 'passed' },
      );
      console.log(`  ${feature ? '✖' : '✔'} ${test.fullTitle()} (${test.duration}ms)`);
    });
    runner.on('fail', (test, err) => {
      const feature = AWAITING_FEATURES[test.fullTitle()];
      const shot = path.join(
        session.resultsDir,
        `${session.stage}-${feature ? 'AWAITING' : 'FAILED'}-${slug(test.fullTitle())}.png`,
      );
      failureShots.push(
        session.page
          .screenshot({
            path: shot,
            mask: secretLines(session.page),
            maskColor: SECRET_MASK,
            timeout: 30_000,
          })
          .catch(() => undefined),
      );
      const detail = err.stack ?? err.message;
      outcomes.push({
        title: test.fullTitle(),
        state: feature ? 'awaiting' : 'failed',
        detail,
        screenshot: shot,
      });
      console.log(feature ? `  … ${test.fullTitle()} — awaiting ${feature}` : `  ✖ ${test.fullTitle()}`);
    });
    runner.on('pending', (test) => outcomes.push({ title: test.fullTitle(), state: 'pending' }));
  });
  await Promise.all(failureShots);
  const count = (s: UiOutcome['state']) => outcomes.filter((o) => o.state === s).length;
  const lines = [`  ${count('passed')} passing`];
  if (count('awaiting')) lines.push(`  ${count('awaiting')} awaiting a feature (not counted as failures)`);
  if (count('failed')) lines.push(`  ${count('failed')} failing`);
  outcomes
    .filter((o) => o.state === 'failed' || o.state === 'awaiting')
    .forEach((o, i) =>
      lines.push(
        '',
        `  ${i + 1}) ${o.state === 'awaiting' ? '[awaiting] ' : ''}${o.title}:`,
        `     ${o.detail}`,
      ),
    );
  const failures = outcomes.flatMap((o) =>
    o.state === 'failed' ? [{ title: o.title, screenshot: o.screenshot ?? '' }] : [],
  );
  return { failed: count('failed'), lines, failures };
}
