// What `csr list --all-contexts` and `cluster` do alike before each renders its report: the
// contexts chosen (--context, current-context, or every one with --all-contexts), a client for
// each, at most --parallel at a time within --timeout, and how a context that could not be read
// is told (a status, a redacted message, a line on stderr).
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import { connectCluster, loadClientNode, type ClusterClient } from '../../node/cluster/client';
import { toClusterError, type ClusterError } from '../../node/cluster/errors';
import type { KubeconfigLocation } from '../../node/cluster/kubeconfig';
import type { CliIo } from '../io';
import { forEachContext, selectContexts, type ContextRun } from './contexts';

/** How reading a context ended: `ok`, `timeout`, or the kind of cluster error. */
type ContextStatus = 'ok' | 'timeout' | ClusterError['kind'];

export interface ContextResult<T> {
  readonly context: string;
  readonly status: ContextStatus;
  /** Why the context could not be read; absent when it was. */
  readonly message?: string;
  /** What `work` returned; absent when the context could not be read. */
  readonly value?: T;
}

export interface ContextChoice {
  readonly context?: string;
  readonly allContexts: boolean;
  readonly fleet: ContextRun;
}

/** `--kubeconfig` relative to where the command runs (like kubectl's), else $KUBECONFIG or ~/.kube/config. */
export function cliKubeconfigLocation(kubeconfig: string | undefined, io: CliIo): KubeconfigLocation {
  return {
    kubeconfig: kubeconfig === undefined ? undefined : path.resolve(io.cwd, kubeconfig),
    env: io.env as NodeJS.ProcessEnv,
    homeDir: io.homedir,
    platform: io.platform,
  };
}

/**
 * Runs `work` with a client for each chosen context; results in the contexts' order. `action`
 * names what failed in a cluster error's message ("list certificatesigningrequests").
 */
export async function readContexts<T>(
  location: KubeconfigLocation,
  choice: ContextChoice,
  action: string,
  work: (client: ClusterClient, context: string, signal: AbortSignal) => Promise<T>,
): Promise<ContextResult<T>[]> {
  const contexts = selectContexts(location, choice);
  // Loading the Kubernetes client (megabytes of code) is not a cluster's time: done before the clocks start.
  await loadClientNode();
  const outcomes = await forEachContext(contexts, choice.fleet, async (context, signal) =>
    work(await connectCluster({ ...location, context }), context, signal),
  );
  return outcomes.map((outcome): ContextResult<T> => {
    if (outcome.ok) return { context: outcome.context, status: 'ok', value: outcome.value };
    if (outcome.timedOut) {
      const message = l10n.t('No answer within {ms} ms.', { ms: choice.fleet.timeoutMs });
      return { context: outcome.context, status: 'timeout', message };
    }
    // Anything else is told the way the cluster client tells it: redacted, without a stack.
    const error = toClusterError(outcome.error, action);
    return { context: outcome.context, status: error.kind, message: error.message };
  });
}

/** One stderr line per context that could not be read (the report shows it too). */
export function warnUnreadContexts(io: CliIo, results: readonly ContextResult<unknown>[]): void {
  for (const r of results)
    if (r.status !== 'ok')
      io.stderr.write(`kubecerts: ${l10n.t('context {context}:', { context: r.context })} ${r.message}\n`);
}
