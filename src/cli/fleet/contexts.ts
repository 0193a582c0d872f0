// Running one piece of work per kubeconfig context, many at once: at most `parallel` in flight,
// each given `timeoutMs` (then aborted through its signal and reported as timed out). A context
// that fails is an outcome like any other: the run goes on with the rest.
import { ClusterError } from '../../node/cluster/errors';
import { readKubeconfigs, type KubeconfigLocation } from '../../node/cluster/kubeconfig';
import { InputError, UsageError } from '../io';

export interface ContextRun {
  readonly parallel: number;
  readonly timeoutMs: number;
}

export type ContextOutcome<T> =
  | { readonly context: string; readonly ok: true; readonly value: T }
  | { readonly context: string; readonly ok: false; readonly timedOut: boolean; readonly error: unknown };

const DEFAULT_PARALLEL = 4;
const DEFAULT_TIMEOUT = '10s';
const MAX_PARALLEL = 64;

/** The options of every command that can run over all contexts (parseCommandArgs' spec). */
export const FLEET_OPTIONS = {
  'all-contexts': { type: 'boolean', default: false },
  parallel: { type: 'string', default: String(DEFAULT_PARALLEL) },
  timeout: { type: 'string', default: DEFAULT_TIMEOUT },
} as const;

/** `--parallel` and `--timeout` as FLEET_OPTIONS parsed them. */
export function parseFleet(values: { readonly parallel: string; readonly timeout: string }): ContextRun {
  return { parallel: parseParallel(values.parallel), timeoutMs: parseTimeout(values.timeout) };
}

class ContextTimeout extends Error {
  override readonly name = 'ContextTimeout';
}

/**
 * The contexts a command reads: every context of the merged kubeconfig (sorted) with
 * `--all-contexts`, else `--context` or current-context. No kubeconfig or no context: InputError.
 */
export function selectContexts(
  location: KubeconfigLocation,
  choice: { readonly allContexts: boolean; readonly context?: string },
): string[] {
  let merged;
  try {
    merged = readKubeconfigs(location);
  } catch (err) {
    if (err instanceof ClusterError) throw new InputError(err.message);
    throw err;
  }
  if (choice.allContexts) {
    const names = [...merged.contexts.keys()].sort();
    if (!names.length) throw new InputError(`No context is defined in ${merged.files.join(', ')}.`);
    return names;
  }
  const name = choice.context ?? merged.currentContext;
  if (!name)
    throw new InputError(`No current-context is set in ${merged.files.join(', ')}; choose a context.`);
  return [name];
}

/** Outcomes in the order of `contexts`, whatever order they finish in. */
export async function forEachContext<T>(
  contexts: readonly string[],
  run: ContextRun,
  work: (context: string, signal: AbortSignal) => Promise<T>,
): Promise<ContextOutcome<T>[]> {
  const outcomes: ContextOutcome<T>[] = new Array(contexts.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < contexts.length) {
      const index = next++;
      outcomes[index] = await one(contexts[index], run.timeoutMs, work);
    }
  };
  await Promise.all(Array.from({ length: Math.min(run.parallel, contexts.length) }, worker));
  return outcomes;
}

async function one<T>(
  context: string,
  timeoutMs: number,
  work: (context: string, signal: AbortSignal) => Promise<T>,
): Promise<ContextOutcome<T>> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  // Work that ignores the signal (a credential plugin, a node lookup) still loses the race.
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new ContextTimeout(`no answer within ${timeoutMs} ms`);
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  try {
    return { context, ok: true, value: await Promise.race([work(context, controller.signal), expired]) };
  } catch (error) {
    return { context, ok: false, timedOut: controller.signal.aborted, error };
  } finally {
    clearTimeout(timer);
  }
}

/** `--parallel N`: 1…64. */
export function parseParallel(value: string): number {
  if (!/^\d{1,2}$/.test(value) || Number(value) < 1 || Number(value) > MAX_PARALLEL)
    throw new UsageError(`--parallel must be a whole number from 1 to ${MAX_PARALLEL}`);
  return Number(value);
}

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000 };

/** `--timeout`: like kubectl's --request-timeout, `500ms`, `10s`, `1m` or a number of seconds. */
export function parseTimeout(value: string): number {
  const match = /^(\d{1,6})(ms|s|m)?$/.exec(value);
  const ms = match ? Number(match[1]) * UNIT_MS[match[2] ?? 's'] : 0;
  if (!match || ms <= 0)
    throw new UsageError('--timeout must be a positive duration such as 10s, 500ms or 1m');
  return ms;
}
