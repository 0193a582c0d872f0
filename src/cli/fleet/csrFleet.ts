// `kubecerts csr list --all-contexts` (and `--format prometheus`): the CSRs of every context of the
// merged kubeconfig in one report, the context as a column, field or label. A context whose API
// server cannot be listed (unreachable, timed out, refused) is a row of the report, not the end of
// the run; the exit code says so (1), as it does for a pending CSR with error-level risks.
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import { csrState, type Csr } from '../../core/csr/model';
import type { CsrReview } from '../../core/csr/risk';
import { worstSeverity } from '../../core/csr/riskCatalog';
import { csrMetricFamilies } from '../../core/metrics/csrMetrics';
import { formatExposition } from '../../core/metrics/exposition';
import { connectCluster, loadClientNode } from '../../node/cluster/client';
import { type ClusterError, toClusterError } from '../../node/cluster/errors';
import type { KubeconfigLocation } from '../../node/cluster/kubeconfig';
import { NodeCache, reviewInCluster } from '../../node/cluster/review';
import type { CliContext } from '../command';
import { riskColumn, summarizeCsr, table, type CsrArgs, type CsrSummary } from '../commands/csr';
import { writeReport } from '../output/destination';
import { forEachContext, selectContexts, type ContextOutcome } from './contexts';

interface Listed {
  readonly csr: Csr;
  readonly review: CsrReview;
  readonly summary: CsrSummary;
}

/** How a context's listing ended: `ok`, `timeout`, or the kind of cluster error. */
export type ContextStatus = 'ok' | 'timeout' | ClusterError['kind'];

interface ContextReport {
  readonly context: string;
  readonly status: ContextStatus;
  readonly message?: string;
  readonly listed: readonly Listed[];
}

const LIST_ACTION = 'list certificatesigningrequests';

function report(outcome: ContextOutcome<Listed[]>, timeoutMs: number): ContextReport {
  if (outcome.ok) return { context: outcome.context, status: 'ok', listed: outcome.value };
  if (outcome.timedOut) {
    return {
      context: outcome.context,
      status: 'timeout',
      message: l10n.t('No answer within {ms} ms.', { ms: timeoutMs }),
      listed: [],
    };
  }
  // Anything else is told the way the cluster client tells it: redacted, without a stack.
  const error = toClusterError(outcome.error, LIST_ACTION);
  return { context: outcome.context, status: error.kind, message: error.message, listed: [] };
}

function formatTable(reports: readonly ContextReport[]): string {
  const header = [
    'CONTEXT',
    'NAME',
    'AGE',
    'SIGNERNAME',
    'REQUESTOR',
    'REQUESTEDDURATION',
    'CONDITION',
    'RISKS',
  ];
  const rows = reports.flatMap((r) =>
    r.status === 'ok'
      ? r.listed.map(({ summary: s }) => [
          r.context,
          s.name,
          s.age,
          s.signerName,
          s.requester ?? '',
          s.requestedDuration ?? '<none>',
          s.condition,
          riskColumn(s),
        ])
      : [[r.context, '-', '-', '-', '-', '-', `<${r.status}>`, '-']],
  );
  if (!rows.length) {
    return l10n.t('No certificate signing requests in {count} contexts.', { count: reports.length }) + '\n';
  }
  return table([header, ...rows]);
}

function formatJson(reports: readonly ContextReport[]): string {
  return (
    JSON.stringify(
      {
        contexts: reports.map((r) => ({
          context: r.context,
          status: r.status,
          ...(r.message !== undefined ? { message: r.message } : {}),
          count: r.listed.length,
        })),
        items: reports.flatMap((r) => r.listed.map((l) => ({ context: r.context, ...l.summary }))),
      },
      null,
      2,
    ) + '\n'
  );
}

function formatMetrics(reports: readonly ContextReport[]): string {
  return formatExposition(
    csrMetricFamilies(
      reports.map((r) => ({
        context: r.context,
        listed: r.status === 'ok',
        csrs: r.listed.map(({ csr, summary }) => ({
          name: summary.name,
          state: csrState(csr),
          signerName: summary.signerName,
          requester: summary.requester,
          risks: summary.risks,
        })),
      })),
    ),
  );
}

export async function listCsrsOfContexts(args: CsrArgs, ctx: CliContext, now: Date): Promise<number> {
  const location: KubeconfigLocation = {
    // Relative to where the command runs, like kubectl's --kubeconfig.
    kubeconfig: args.kubeconfig === undefined ? undefined : path.resolve(ctx.io.cwd, args.kubeconfig),
    env: ctx.io.env as NodeJS.ProcessEnv,
    homeDir: ctx.io.homedir,
    platform: ctx.io.platform,
  };
  const contexts = selectContexts(location, args);
  // Loading the Kubernetes client (megabytes of code) is not a cluster's time: done before the clocks start.
  await loadClientNode();
  const outcomes = await forEachContext(contexts, args.fleet, async (context, signal) => {
    const client = await connectCluster({ ...location, context });
    const { items } = await client.listCsrs({ signal });
    const nodes = new NodeCache(client);
    const sorted = [...items].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
    return Promise.all(
      sorted.map(async (csr): Promise<Listed> => {
        const review = await reviewInCluster(csr, nodes, now, args.policy);
        return { csr, review, summary: summarizeCsr(csr, review, now, ctx.t) };
      }),
    );
  });
  const reports = outcomes.map((o) => report(o, args.fleet.timeoutMs));

  const text =
    args.format === 'json'
      ? formatJson(reports)
      : args.format === 'prometheus'
        ? formatMetrics(reports)
        : formatTable(reports);
  await writeReport(ctx.io, text, args.output);
  for (const r of reports) {
    if (r.status !== 'ok')
      ctx.io.stderr.write(
        `kubecerts: ${l10n.t('context {context}:', { context: r.context })} ${r.message}\n`,
      );
  }
  const failed = reports.some((r) => r.status !== 'ok');
  const pendingErrors = reports.some((r) =>
    r.listed.some(
      ({ csr, review }) => csrState(csr) === 'pending' && worstSeverity(review.findings) === 'error',
    ),
  );
  return failed || pendingErrors ? 1 : 0;
}
