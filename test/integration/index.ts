// Entry point loaded by the extension host (`extensionTestsPath`), bundled by esbuild into
// out/integration/index.js. Runs the suites with the real VS Code API and writes a SuiteResult
// for the runner (scripts/e2e for code-server, scripts/test-electron.ts for VS Code).
// Add a suite: create suites/<feature>.test.ts (top-level describe/it) and import it below.
import fs from 'node:fs';
import type Mocha from 'mocha';
import { mocha } from './mocha';
import './suites/activation.test';
import './suites/commands.test';
import './suites/views.test';
import './suites/settings.test';
import './suites/pkiView.test';
import './suites/hover.test';
import './suites/diagnostics.test';
import './suites/csrView.test';
import './suites/renew.test';
import './suites/secrets.test';
import './suites/trust.test';
import './suites/probe.test';
import './suites/servedPki.test';
import './suites/workspace.test';
import './suites/navigation.test';
import './suites/clusterView.test';
import './suites/anyFile.test';
import { RESULT_FILE_ENV, type SuiteResult, type TestOutcome } from './result';

export async function run(): Promise<void> {
  const started = Date.now();
  const tests: TestOutcome[] = [];
  await new Promise<void>((resolve) => {
    const runner = mocha.run(() => resolve());
    const outcome = (state: TestOutcome['state']) => (test: Mocha.Test, err?: Error) =>
      tests.push({
        fullTitle: test.fullTitle(),
        state,
        durationMs: test.duration,
        error: err ? { message: err.message, stack: err.stack } : undefined,
      });
    runner.on('pass', outcome('passed'));
    runner.on('pending', outcome('pending'));
    // Also hook failures ("before all" …), which mocha reports as failed pseudo-tests.
    runner.on('fail', (test: Mocha.Runnable, err: Error) => outcome('failed')(test as Mocha.Test, err));
  });
  const count = (state: TestOutcome['state']) => tests.filter((t) => t.state === state).length;
  const result: SuiteResult = {
    passed: count('passed'),
    failed: count('failed'),
    pending: count('pending'),
    durationMs: Date.now() - started,
    tests,
  };
  const file = process.env[RESULT_FILE_ENV];
  if (file) {
    // Written whole then renamed, so the runner never reads half a file.
    fs.writeFileSync(`${file}.part`, JSON.stringify(result, null, 2));
    fs.renameSync(`${file}.part`, file);
  }
  if (result.failed > 0) throw new Error(`${result.failed} of ${tests.length} extension-host tests failed`);
}
