// The one way the integration and UI tests (and their runners) wait: poll a probe until it yields
// what is awaited, never a fixed sleep. A probe that throws counts as "not yet" (a tree row not
// rendered yet, a file not written yet), so a failed look is retried like an empty one. On timeout
// the error names what was awaited, the last value or error seen, and what the registered
// explainer adds: in the UI runner, a screenshot's path and the text the workbench showed. A wait
// inside another wait's probe is one look of the outer wait: its timeout only means "not yet",
// so it is reported without the explainer (no screenshot per look).
import { AsyncLocalStorage } from 'node:async_hooks';

export interface WaitOptions<T> {
  /** Accepts a value read by the probe; without it any value but undefined and false is accepted. */
  readonly until?: (value: T) => boolean;
  readonly timeoutMs?: number;
  readonly intervalMs?: number;
}

/** Adds context to a timeout error (a screenshot path, the page's text); set by the UI runner. */
export type TimeoutExplainer = (what: string) => Promise<string>;

let explainer: TimeoutExplainer | undefined;

export function explainTimeoutsWith(explain: TimeoutExplainer | undefined): void {
  explainer = explain;
}

/** Set while a probe runs: waits started inside it are looks of the outer wait. */
const probing = new AsyncLocalStorage<true>();

/** Only an upper bound, so generous: a loaded 2-core machine answers in seconds, not milliseconds. */
const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * Resolves with the first value `probe` returns that is accepted. Without `until`, a probe returns
 * undefined or false for "not yet"; with it, every value is offered to `until`.
 */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  options: WaitOptions<T> = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const intervalMs = options.intervalMs ?? 100;
  const accept = options.until ?? ((v: T | undefined | false) => v !== undefined && v !== false);
  const nested = probing.getStore() === true;
  const deadline = Date.now() + timeoutMs;
  let last: { value: unknown } | { error: unknown } | undefined;
  for (;;) {
    try {
      const value = await probing.run(true, probe);
      if (accept(value as T)) return value as T;
      last = { value };
    } catch (error) {
      last = { error };
    }
    if (Date.now() >= deadline) break;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  const lines = [`timed out after ${timeoutMs / 1000}s waiting for ${what}`];
  if (last && 'error' in last)
    lines.push(`last error: ${last.error instanceof Error ? last.error.message : String(last.error)}`);
  else if (last) lines.push(`last value: ${describe(last.value)}`);
  if (explainer && !nested) {
    try {
      lines.push(await explainer(what));
    } catch (err) {
      lines.push(`(no screenshot: ${err instanceof Error ? err.message : String(err)})`);
    }
  }
  throw new Error(lines.join('\n'));
}

function describe(value: unknown): string {
  if (typeof value === 'string') return value.length > 2000 ? `${value.slice(0, 2000)}…` : value;
  try {
    const json = JSON.stringify(value);
    return json.length > 2000 ? `${json.slice(0, 2000)}…` : json;
  } catch {
    return String(value);
  }
}
