// `kubecerts csr list --all-contexts` (and `--format prometheus`): the CSRs of every context of the
// merged kubeconfig in one report, the context as a column, field or label. A context whose API
// server cannot be listed (unreachable, timed out, refused) is a row of the report, not the end of
// the run; the exit code says so (1), as it does for a pending CSR with error-level risks.
import * as l10n from '@vscode/l10n';
import { csrState, type Csr } from '../../core/csr/model';
import type { CsrReview } from '../../core/csr/risk';
import { worstSeverity } from '../../core/csr/riskCatalog';
import { csrMetricFamilies } from '../../core/metrics/csrMetrics';
import { formatExposition } from '../../core/metrics/exposition';
import { NodeCache, reviewInCluster } from '../../node/cluster/review';
import type { CliContext } from '../command';
import { riskColumn, summarizeCsr, table, type CsrArgs, type CsrSummary } from '../commands/csr';
import { writeReport } from '../output/destination';
import { cliKubeconfigLocation, readContexts, warnUnreadContexts, type ContextResult } from './readContexts';

interface Listed {
  readonly csr: Csr;
  readonly review: CsrReview;
  readonly summary: CsrSummary;
}

interface ContextReport extends ContextResult<Listed[]> {
  /** The context's CSRs; none when it could not be listed. */
  readonly listed: readonly Listed[];
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
  const location = cliKubeconfigLocation(args.kubeconfig, ctx.io);
  const results = await readContexts(
    location,
    args,
    'list certificatesigningrequests',
    async (client, _, signal) => {
      const { items } = await client.listCsrs({ signal });
      const nodes = new NodeCache(client);
      const sorted = [...items].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
      return Promise.all(
        sorted.map(async (csr): Promise<Listed> => {
          const review = await reviewInCluster(csr, nodes, now, args.policy);
          return { csr, review, summary: summarizeCsr(csr, review, now, ctx.t) };
        }),
      );
    },
  );
  const reports: ContextReport[] = results.map((r) => ({ ...r, listed: r.value ?? [] }));

  const text =
    args.format === 'json'
      ? formatJson(reports)
      : args.format === 'prometheus'
        ? formatMetrics(reports)
        : formatTable(reports);
  await writeReport(ctx.io, text, args.output);
  warnUnreadContexts(ctx.io, reports);
  const failed = reports.some((r) => r.status !== 'ok');
  const pendingErrors = reports.some((r) =>
    r.listed.some(
      ({ csr, review }) => csrState(csr) === 'pending' && worstSeverity(review.findings) === 'error',
    ),
  );
  return failed || pendingErrors ? 1 : 0;
}
