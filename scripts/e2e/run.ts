// `npm run test:e2e`: the extension in a real VS Code workbench (code-server 4.100.3 = VS Code
// 1.100.3) driven by Chromium. Stages, each with fresh code-server folders:
//   1. dev:  the extension-host suite (test/integration/index.ts) via the test payload,
//            then the UI tests (test/integration/ui/*.ui.ts) in the same browser;
//   2. vsix: dist/kubecerts.vsix installed with --install-extension, then the smoke UI tests
//            (test/integration/smoke/*.ui.ts).
// The dev stage runs next to a seeded demo cluster (in this process, EC keys) that the CSR suite
// and the CSR UI test act on, with kubecerts.kubeconfig pointing at its admin.conf and the
// workspace's kubeadm tree in kubecerts.pkiDirectories.
// Screenshots and, on failure, logs go to test-results/. Exit code 1 on any failure or timeout.
// KUBECERTS_UPDATE_SCREENSHOTS=1 also refreshes the README images in media/screenshots/.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Mocha from 'mocha';
import type { Browser, Page } from 'playwright-core';
import { generateWorkspace, WORKSPACE_PKI } from '../../test/fixtures/workspace';
import { formatResult, RESULT_FILE_ENV, type SuiteResult } from '../../test/integration/result';
import { AWAITING_FEATURES } from '../../test/integration/ui/awaiting';
import { setUiSession, type UiSession } from '../../test/integration/ui/session';
import { extensionHostLogs, SECRET_MASK, secretLines } from '../../test/integration/ui/workbench';
import { startDemoCluster, type DemoCluster } from '../../tools/demo-cluster/cluster';
import {
  QUIET_SETTINGS,
  ensureCodeServer,
  installExtension,
  isolatedDirs,
  startCodeServer,
  type CodeServer,
} from './codeServer';
import { launchChromium } from './chromium';

const ROOT = path.resolve(__dirname, '../..');
const RESULTS = path.join(ROOT, 'test-results');
const SUITE = path.join(ROOT, 'out', 'integration', 'index.js');
const VSIX = path.join(ROOT, 'dist', 'kubecerts.vsix');
const README_IMAGES = path.join(ROOT, 'media', 'screenshots');
const UPDATE_README_IMAGES = process.env.KUBECERTS_UPDATE_SCREENSHOTS === '1';
/** The whole run, set-up included, must stay under 10 minutes on a 2-core machine. */
const RUN_TIMEOUT_MS = Number(process.env.KUBECERTS_E2E_TIMEOUT_MS ?? 10 * 60_000);
const SUITE_TIMEOUT_MS = 4 * 60_000;

const cleanups: (() => Promise<void> | void)[] = [];

function elapsed(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)}s`;
}

function log(message: string): void {
  console.log(`[e2e] ${message}`);
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms / 1000}s waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function waitForFile(file: string, server: CodeServer): Promise<string> {
  const poll = (async () => {
    while (!fs.existsSync(file)) await new Promise((r) => setTimeout(r, 250));
    return fs.readFileSync(file, 'utf8');
  })();
  return withTimeout(
    Promise.race([poll, server.exited]),
    SUITE_TIMEOUT_MS,
    'the extension-host suite result',
  );
}

/** Keeps what is needed to diagnose a failed stage: extension host logs, server and browser logs. */
function keepDiagnostics(stage: string, server: CodeServer, browserLog: string): void {
  extensionHostLogs(server.dirs.userDataDir).forEach((file, i) => {
    fs.copyFileSync(file, path.join(RESULTS, `${stage}-${path.basename(file, '.log')}-${i}.log`));
  });
  fs.copyFileSync(server.logFile, path.join(RESULTS, `${stage}-code-server.log`));
  if (fs.existsSync(browserLog))
    fs.copyFileSync(browserLog, path.join(RESULTS, `${stage}-browser-console.log`));
}

/**
 * Runs the tests of a stage on its code-server: the failures `body` adds up, plus one when it
 * throws. A stage with failures keeps its logs; the server is stopped in every case.
 */
async function inStage(
  stage: string,
  server: CodeServer,
  consoleLog: string,
  started: number,
  body: (addFailures: (count: number) => void) => Promise<void>,
): Promise<number> {
  let failures = 0;
  try {
    await body((count) => (failures += count));
  } catch (err) {
    failures += 1;
    console.error(`[e2e] ${stage} stage failed: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    if (failures > 0) keepDiagnostics(stage, server, consoleLog);
    await server.stop();
    log(`${stage} stage done in ${elapsed(started)}`);
  }
  return failures;
}

async function newPage(browser: Browser, server: CodeServer, consoleLog: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
  const page = await context.newPage();
  page.on('console', (m) => fs.appendFileSync(consoleLog, `[${m.type()}] ${m.text()}\n`));
  page.on('pageerror', (e) => fs.appendFileSync(consoleLog, `[pageerror] ${e.stack ?? e.message}\n`));
  return page;
}

interface UiOutcome {
  readonly title: string;
  readonly state: 'passed' | 'failed' | 'pending' | 'awaiting';
  readonly detail?: string;
}

function uiFiles(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.ui.ts'))
    .sort()
    .map((f) => path.join(dir, f));
}

/** Runs UI test files with mocha in this process; tests listed in AWAITING_FEATURES may fail. */
async function runUiTests(session: UiSession, files: string[]): Promise<{ failed: number; lines: string[] }> {
  setUiSession(session);
  const mocha = new Mocha({ ui: 'bdd', timeout: 90_000, reporter: Mocha.reporters.Base });
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
      const slug = test
        .fullTitle()
        .replace(/[^a-z0-9]+/gi, '-')
        .toLowerCase();
      const shot = path.join(RESULTS, `${session.stage}-${feature ? 'AWAITING' : 'FAILED'}-${slug}.png`);
      failureShots.push(
        session.page
          .screenshot({ path: shot, mask: secretLines(session.page), maskColor: SECRET_MASK })
          .catch(() => undefined),
      );
      const detail = err.stack ?? err.message;
      outcomes.push({ title: test.fullTitle(), state: feature ? 'awaiting' : 'failed', detail });
      console.log(feature ? `  … ${test.fullTitle()} — awaiting ${feature}` : `  ✖ ${test.fullTitle()}`);
    });
    runner.on('pending', (test) => outcomes.push({ title: test.fullTitle(), state: 'pending' }));
  });
  await Promise.all(failureShots);
  setUiSession(undefined);
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
  return { failed: count('failed'), lines };
}

/**
 * kubectl drives the demo cluster in the CSR suite and UI test. Debian ships it as
 * kubernetes-client; a kubectl already on PATH (any source) is used as it is.
 */
function ensureKubectl(): void {
  if (spawnSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' }).stdout.trim()) return;
  if (process.getuid?.() !== 0)
    throw new Error('kubectl is not on PATH: install it (Debian: sudo apt-get install -y kubernetes-client)');
  log('installing kubectl (Debian package kubernetes-client)');
  const apt = (args: string[]) => {
    const r = spawnSync('apt-get', ['-o', 'DPkg::Lock::Timeout=600', ...args], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    if (r.status !== 0) throw new Error(`apt-get ${args.join(' ')} exited with ${r.status ?? r.signal}`);
  };
  apt(['update']);
  apt(['install', '-y', '--no-install-recommends', 'kubernetes-client']);
}

async function devStage(
  browser: Browser,
  entry: string,
  runRoot: string,
  workspace: string,
  cluster: DemoCluster,
): Promise<number> {
  const started = Date.now();
  const resultFile = path.join(runRoot, 'dev-result.json');
  const dirs = isolatedDirs(path.join(runRoot, 'dev'), {
    [RESULT_FILE_ENV]: resultFile,
    // The CSR suite (test/integration/suites/csrView.test.ts) acts on this cluster's seeded CSRs.
    KUBECERTS_DEMO_DIR: cluster.dir,
  });
  const server = await startCodeServer({
    entry,
    dirs,
    workspace,
    settings: {
      ...QUIET_SETTINGS,
      // A tree scrolled past an expanded row pins a copy of it on top ("sticky scroll"), over the
      // row itself: the UI tests click and hover rows, so every row stays where the list puts it.
      'workbench.tree.enableStickyScroll': false,
      'kubecerts.kubeconfig': cluster.kubeconfig('admin.conf'),
      'kubecerts.pkiDirectories': [path.join(workspace, WORKSPACE_PKI.folder)],
    },
  });
  cleanups.push(() => server.stop());
  const consoleLog = path.join(runRoot, 'dev-browser.log');
  return inStage('dev', server, consoleLog, started, async (addFailures) => {
    log(`dev: code-server on ${server.origin} (${elapsed(started)})`);
    const page = await newPage(browser, server, consoleLog);
    await page.goto(server.url(workspace, { extensionDevelopmentPath: ROOT, extensionTestsPath: SUITE }));
    let result: SuiteResult;
    try {
      result = JSON.parse(await waitForFile(resultFile, server)) as SuiteResult;
    } catch (err) {
      await page
        .screenshot({
          path: path.join(RESULTS, 'dev-FAILED-extension-host-suite.png'),
          mask: secretLines(page),
          maskColor: SECRET_MASK,
        })
        .catch(() => undefined);
      throw err;
    }
    console.log(formatResult(`extension-host suite (VS Code 1.100.3 in code-server)`, result));
    addFailures(result.failed);

    await page.context().close();

    console.log('\nUI tests (Chromium on the workbench)');
    // A new browser context: the workbench keeps its layout in the browser's storage, and the
    // suite's open editors and views must not be restored into the UI tests.
    const uiPage = await newPage(browser, server, consoleLog);
    await uiPage.goto(server.url(workspace, { extensionDevelopmentPath: ROOT }));
    const session: UiSession = {
      page: uiPage,
      workspace,
      userDataDir: dirs.userDataDir,
      resultsDir: RESULTS,
      stage: 'dev',
      demoDir: cluster.dir,
      readmeImagesDir: UPDATE_README_IMAGES ? README_IMAGES : undefined,
    };
    const ui = await runUiTests(session, uiFiles(path.join(ROOT, 'test/integration/ui')));
    console.log(ui.lines.join('\n'));
    addFailures(ui.failed);
    await uiPage.context().close();
  });
}

/**
 * The workspace trust suite again, in Restricted Mode (trust on, folder untrusted): decoding and
 * diagnostics work, every command that connects or writes refuses. Its tests skip themselves in a
 * trusted window, so a skip here means the window was trusted after all: a failure.
 */
async function untrustedStage(
  browser: Browser,
  entry: string,
  runRoot: string,
  workspace: string,
): Promise<number> {
  const started = Date.now();
  const resultFile = path.join(runRoot, 'untrusted-result.json');
  const dirs = isolatedDirs(path.join(runRoot, 'untrusted'), {
    [RESULT_FILE_ENV]: resultFile,
    KUBECERTS_E2E_GREP: 'workspace trust',
  });
  const server = await startCodeServer({
    entry,
    dirs,
    workspace,
    workspaceTrust: true,
    settings: {
      ...QUIET_SETTINGS,
      'security.workspace.trust.startupPrompt': 'never',
      'security.workspace.trust.banner': 'never',
      'kubecerts.pkiDirectories': [path.join(workspace, WORKSPACE_PKI.folder)],
    },
  });
  cleanups.push(() => server.stop());
  const consoleLog = path.join(runRoot, 'untrusted-browser.log');
  return inStage('untrusted', server, consoleLog, started, async (addFailures) => {
    const page = await newPage(browser, server, consoleLog);
    await page.goto(server.url(workspace, { extensionDevelopmentPath: ROOT, extensionTestsPath: SUITE }));
    const result = JSON.parse(await waitForFile(resultFile, server)) as SuiteResult;
    console.log(formatResult('workspace trust suite in Restricted Mode', result));
    addFailures(result.failed + (result.pending > 0 || result.passed === 0 ? 1 : 0));
    if (result.pending > 0) console.error('[e2e] the Restricted Mode window was trusted: its tests skipped');
    await page.context().close();
  });
}

async function vsixStage(
  browser: Browser,
  entry: string,
  runRoot: string,
  workspace: string,
): Promise<number> {
  const started = Date.now();
  if (!fs.existsSync(VSIX)) throw new Error(`${VSIX} is missing: run npm run package first`);
  const dirs = isolatedDirs(path.join(runRoot, 'vsix'));
  installExtension(entry, dirs, VSIX);
  const server = await startCodeServer({ entry, dirs, workspace });
  cleanups.push(() => server.stop());
  const consoleLog = path.join(runRoot, 'vsix-browser.log');
  return inStage('vsix', server, consoleLog, started, async (addFailures) => {
    log(
      `vsix: ${path.relative(ROOT, VSIX)} installed, code-server on ${server.origin} (${elapsed(started)})`,
    );
    console.log('\nVSIX smoke tests');
    const page = await newPage(browser, server, consoleLog);
    await page.goto(server.url(workspace));
    const session: UiSession = {
      page,
      workspace,
      userDataDir: dirs.userDataDir,
      resultsDir: RESULTS,
      stage: 'vsix',
    };
    const ui = await runUiTests(session, uiFiles(path.join(ROOT, 'test/integration/smoke')));
    console.log(ui.lines.join('\n'));
    addFailures(ui.failed);
    await page.context().close();
  });
}

async function main(): Promise<number> {
  const started = Date.now();
  fs.rmSync(RESULTS, { recursive: true, force: true });
  fs.mkdirSync(RESULTS, { recursive: true });
  if (!fs.existsSync(SUITE)) throw new Error(`${SUITE} is missing: run node esbuild.js first`);
  const runRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'kubecerts-e2e-'));
  cleanups.push(() => fs.rmSync(runRoot, { recursive: true, force: true }));

  const setupTmp = path.join(runRoot, 'setup-tmp');
  fs.mkdirSync(setupTmp);
  const entry = ensureCodeServer(setupTmp);
  log(`code-server ready (${elapsed(started)})`);

  ensureKubectl();

  const workspace = path.join(runRoot, 'workspace');
  await generateWorkspace(workspace, new Date());

  const browser = await launchChromium();
  cleanups.push(() => browser.close());
  const clusterStarted = Date.now();
  const cluster = await startDemoCluster({
    dir: path.join(runRoot, 'demo-cluster'),
    seed: true,
    key: { algorithm: 'EC', curve: 'P-256' },
  });
  cleanups.push(() => cluster.stop());
  log(`demo cluster at ${cluster.url}, seeded (${elapsed(clusterStarted)})`);
  let failures = await devStage(browser, entry, runRoot, workspace, cluster);
  await cluster.stop();
  failures += await untrustedStage(browser, entry, runRoot, workspace);
  failures += await vsixStage(browser, entry, runRoot, workspace);
  log(
    `${failures === 0 ? 'passed' : `${failures} failure(s)`} in ${elapsed(started)}; screenshots in test-results/`,
  );
  return failures === 0 ? 0 : 1;
}

async function cleanup(): Promise<void> {
  for (const c of cleanups.splice(0).reverse()) {
    try {
      await c();
    } catch (err) {
      console.error('[e2e] cleanup:', err);
    }
  }
}

const watchdog = setTimeout(() => {
  console.error(`[e2e] timed out after ${RUN_TIMEOUT_MS / 1000}s`);
  void cleanup().finally(() => process.exit(1));
}, RUN_TIMEOUT_MS);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void cleanup().finally(() => process.exit(130)));
}

main()
  .catch((err: unknown) => {
    console.error(`[e2e] ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return 1;
  })
  .then(async (code) => {
    clearTimeout(watchdog);
    await cleanup();
    process.exit(code);
  });
