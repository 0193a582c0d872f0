// One stage of the e2e run: a fresh code-server (own folders, own settings) on the test workspace,
// then, each in its own browser context, the extension-host suite (test payload) and UI tests.
// run.ts describes its three stages as StageSpecs. A stage with failures keeps its logs in
// test-results/ and lists each failure in test-results/failures.tsv (read by .ci/run).
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { formatResult, RESULT_FILE_ENV, type SuiteResult } from '../../test/integration/result';
import { extensionHostLogs, kubeCertsLogs } from '../../test/integration/ui/output';
import { SECRET_MASK, WORKBENCH_TIMEOUT, secretLines } from '../../test/integration/ui/page';
import type { UiSession } from '../../test/integration/ui/session';
import { waitFor } from '../../test/integration/wait';
import {
  QUIET_SETTINGS,
  installExtension,
  isolatedDirs,
  startCodeServer,
  type CodeServer,
} from './codeServer';
import { runUiTests, uiFiles } from './uiRunner';

export const ROOT = path.resolve(__dirname, '../..');
export const RESULTS = path.join(ROOT, 'test-results');
export const SUITE = path.join(ROOT, 'out', 'integration', 'index.js');
/** One line per failed test: stage, title, screenshot (or empty), extension host log. */
export const FAILURES_FILE = path.join(RESULTS, 'failures.tsv');
/**
 * The suite's bound counts from its workbench being up: on a loaded machine the first load of a
 * workbench alone takes minutes, and it has a bound of its own (WORKBENCH_TIMEOUT).
 */
const SUITE_TIMEOUT_MS = 4 * 60_000;
/**
 * Opening the workbench: the page is committed once the server answers; what follows is waited
 * for as conditions (the suite's result, the workbench's parts), each with its own bound.
 */
const NAVIGATION = { waitUntil: 'commit', timeout: 60_000 } as const;

export interface StageSpec {
  /** Prefix of the stage's folders, screenshots and kept logs: "dev", "untrusted", "vsix". */
  readonly name: string;
  /** User settings over QUIET_SETTINGS. */
  readonly settings?: Readonly<Record<string, unknown>>;
  /** Environment of code-server and so of the extension host. */
  readonly env?: NodeJS.ProcessEnv;
  /** Workspace trust on: the folder (never trusted here) opens in Restricted Mode. */
  readonly workspaceTrust?: boolean;
  /** Installed with --install-extension; without it the working tree is the development extension. */
  readonly vsix?: string;
  /** The extension-host suite, run first. */
  readonly suite?: {
    readonly title: string;
    /** Failures the result implies beyond its failed tests (a Restricted Mode window that was trusted). */
    readonly extraFailures?: (result: SuiteResult) => number;
  };
  /** UI tests, in a new browser context after the suite (the workbench keeps its layout in it). */
  readonly ui?: {
    readonly title: string;
    readonly dir: string;
    readonly demoDir?: string;
    readonly readmeImagesDir?: string;
  };
}

export interface StageContext {
  readonly browser: Browser;
  /** code-server's entry script. */
  readonly entry: string;
  /** The run's temporary folder. */
  readonly runRoot: string;
  readonly workspace: string;
  /** Stops what the stage started if the run is interrupted. */
  readonly onCleanup: (cleanup: () => Promise<void>) => void;
}

interface Failure {
  readonly title: string;
  readonly screenshot?: string;
  /** The window it ran in, whose extension host log explains it. */
  readonly window: 'suite' | 'ui';
}

function elapsed(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)}s`;
}

async function newPage(browser: Browser, server: CodeServer, consoleLog: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
  const page = await context.newPage();
  page.on('console', (m) => fs.appendFileSync(consoleLog, `[${m.type()}] ${m.text()}\n`));
  page.on('pageerror', (e) => fs.appendFileSync(consoleLog, `[pageerror] ${e.stack ?? e.message}\n`));
  return page;
}

/**
 * While developing one feature: KUBECERTS_E2E_ONLY=csr runs the extension-host tests whose title
 * contains "csr" and the UI files whose name does, in the dev stage only (run.ts). CI never sets it.
 */
export const ONLY = process.env.KUBECERTS_E2E_ONLY || undefined;

/** Runs a stage; resolves with its number of failures (one more when it broke off). */
export async function runStage(ctx: StageContext, spec: StageSpec): Promise<number> {
  const started = Date.now();
  const resultFile = path.join(ctx.runRoot, `${spec.name}-result.json`);
  const dirs = isolatedDirs(path.join(ctx.runRoot, spec.name), {
    ...(spec.suite ? { [RESULT_FILE_ENV]: resultFile } : {}),
    ...spec.env,
  });
  if (spec.vsix) {
    if (!fs.existsSync(spec.vsix)) throw new Error(`${spec.vsix} is missing: run npm run package first`);
    installExtension(ctx.entry, dirs, spec.vsix);
  }
  const server = await startCodeServer({
    entry: ctx.entry,
    dirs,
    workspace: ctx.workspace,
    workspaceTrust: spec.workspaceTrust,
    settings: { ...QUIET_SETTINGS, ...spec.settings },
    onSpawned: ctx.onCleanup,
  });
  const consoleLog = path.join(ctx.runRoot, `${spec.name}-browser.log`);
  const development = spec.vsix ? {} : { extensionDevelopmentPath: ROOT };
  console.log(
    `[e2e] ${spec.name}: ${spec.vsix ? `${path.relative(ROOT, spec.vsix)} installed, ` : ''}code-server on ${server.origin} (${elapsed(started)})`,
  );
  const failures: Failure[] = [];
  /** Extension host logs of the suite's window (the UI tests' window adds its own). */
  let suiteLogs: string[] = [];
  let failed = 0;
  try {
    if (spec.suite) {
      const page = await newPage(ctx.browser, server, consoleLog);
      await page.goto(server.url(ctx.workspace, { ...development, extensionTestsPath: SUITE }), NAVIGATION);
      const result = await suiteResult(resultFile, server, page, spec.name);
      console.log(formatResult(spec.suite.title, result));
      failed += result.failed + (spec.suite.extraFailures?.(result) ?? 0);
      result.tests
        .filter((t) => t.state === 'failed')
        .forEach((t) => failures.push({ title: t.fullTitle, window: 'suite' }));
      await page.context().close();
      suiteLogs = extensionHostLogs(dirs.userDataDir);
    }
    if (spec.ui) {
      console.log(`\n${spec.ui.title}`);
      const page = await newPage(ctx.browser, server, consoleLog);
      await page.goto(server.url(ctx.workspace, development), NAVIGATION);
      const session: UiSession = {
        page,
        workspace: ctx.workspace,
        userDataDir: dirs.userDataDir,
        resultsDir: RESULTS,
        stage: spec.name,
        demoDir: spec.ui.demoDir,
        readmeImagesDir: spec.ui.readmeImagesDir,
      };
      const ui = await runUiTests(session, uiFiles(spec.ui.dir, ONLY));
      console.log(ui.lines.join('\n'));
      failed += ui.failed;
      failures.push(...ui.failures.map((f) => ({ ...f, window: 'ui' as const })));
      await page.context().close();
    }
  } catch (err) {
    failed += 1;
    failures.push({
      title: `${spec.name} stage: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`,
      // Broken off in the UI tests once the suite is done (or when there is no suite).
      window: spec.ui && (suiteLogs.length || !spec.suite) ? 'ui' : 'suite',
    });
    console.error(`[e2e] ${spec.name} stage failed: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    if (failed > 0) keepDiagnostics(spec.name, server, consoleLog, failures, suiteLogs);
    await server.stop();
    console.log(`[e2e] ${spec.name} stage done in ${elapsed(started)}`);
  }
  return failed;
}

/** The suite's result file, once written; fails when code-server exits or the suite hangs. */
async function suiteResult(
  file: string,
  server: CodeServer,
  page: Page,
  stage: string,
): Promise<SuiteResult> {
  try {
    const statusBar = page.locator('.monaco-workbench .part.statusbar');
    await Promise.race([
      waitFor('the workbench of the extension-host suite', () => statusBar.isVisible(), {
        timeoutMs: WORKBENCH_TIMEOUT,
        intervalMs: 250,
      }),
      server.exited,
    ]);
    const text = await Promise.race([
      waitFor('the extension-host suite result', () => fs.existsSync(file) && fs.readFileSync(file, 'utf8'), {
        timeoutMs: SUITE_TIMEOUT_MS,
        intervalMs: 250,
      }),
      server.exited,
    ]);
    return JSON.parse(text) as SuiteResult;
  } catch (err) {
    await page
      .screenshot({
        path: path.join(RESULTS, `${stage}-FAILED-extension-host-suite.png`),
        mask: secretLines(page),
        maskColor: SECRET_MASK,
        timeout: 30_000,
      })
      .catch(() => undefined);
    throw err;
  }
}

/**
 * Keeps what is needed to diagnose a failed stage: extension host logs, server and browser logs;
 * lists each failure with its screenshot and the extension host log of the window it ran in.
 */
function keepDiagnostics(
  stage: string,
  server: CodeServer,
  browserLog: string,
  failures: readonly Failure[],
  suiteLogs: readonly string[],
): void {
  const byAge = (files: string[]) => files.sort((a, b) => fs.statSync(a).mtimeMs - fs.statSync(b).mtimeMs);
  const logs = byAge(extensionHostLogs(server.dirs.userDataDir));
  const kept = new Map(
    logs.map((file, i) => [file, path.join(RESULTS, `${stage}-${path.basename(file, '.log')}-${i}.log`)]),
  );
  kept.forEach((copy, file) => fs.copyFileSync(file, copy));
  kubeCertsLogs(server.dirs.userDataDir).forEach((file, i) =>
    fs.copyFileSync(file, path.join(RESULTS, `${stage}-kube-certs-${i}.log`)),
  );
  fs.copyFileSync(server.logFile, path.join(RESULTS, `${stage}-code-server.log`));
  if (fs.existsSync(browserLog))
    fs.copyFileSync(browserLog, path.join(RESULTS, `${stage}-browser-console.log`));
  const suiteWindow = logs.filter((f) => suiteLogs.includes(f));
  const uiWindow = logs.filter((f) => !suiteLogs.includes(f));
  const logOf = (f: Failure) =>
    kept.get((f.window === 'suite' ? suiteWindow : uiWindow).at(-1) ?? logs.at(-1) ?? '') ?? '';
  const oneLine = (s: string) => s.replace(/[\t\n]+/g, ' ');
  fs.appendFileSync(
    FAILURES_FILE,
    failures.map((f) => [stage, oneLine(f.title), f.screenshot ?? '', logOf(f)].join('\t') + '\n').join(''),
  );
}
