// The file through which the in-extension-host suite reports to its runner: code-server's
// extension host cannot end the process with an exit code, so run() writes this JSON instead.

/** Environment variable naming the result file (set by the runners for the extension host). */
export const RESULT_FILE_ENV = 'KUBECERTS_TEST_RESULT';

export interface TestOutcome {
  readonly fullTitle: string;
  readonly state: 'passed' | 'failed' | 'pending';
  readonly durationMs?: number;
  readonly error?: { readonly message: string; readonly stack?: string };
}

export interface SuiteResult {
  readonly passed: number;
  readonly failed: number;
  readonly pending: number;
  readonly durationMs: number;
  readonly tests: readonly TestOutcome[];
}

/** Prints a result the way mocha's spec reporter summarises; returns the text. */
export function formatResult(title: string, result: SuiteResult): string {
  const lines = [`\n${title}`];
  for (const t of result.tests) {
    const mark = { passed: '  ✔', failed: '  ✖', pending: '  -' }[t.state];
    lines.push(
      `${mark} ${t.fullTitle}${t.durationMs !== undefined && t.durationMs > 100 ? ` (${t.durationMs}ms)` : ''}`,
    );
  }
  lines.push('', `  ${result.passed} passing (${(result.durationMs / 1000).toFixed(1)}s)`);
  if (result.pending) lines.push(`  ${result.pending} pending`);
  if (result.failed) lines.push(`  ${result.failed} failing`);
  result.tests
    .filter((t) => t.state === 'failed')
    .forEach((t, i) =>
      lines.push('', `  ${i + 1}) ${t.fullTitle}:`, `     ${t.error?.stack ?? t.error?.message ?? ''}`),
    );
  return lines.join('\n');
}
