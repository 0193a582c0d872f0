// `kubecerts cluster` for one context or, with --all-contexts, every context of the merged
// kubeconfig (at most --parallel at a time, each within --timeout): each context's objects are read
// (src/node/cluster/clusterObjects), judged by core's inventory, and printed in one report with
// the context as a column, field or label. A context that cannot be read is a `cluster-unreachable`
// finding of the report, not the end of the run. Secret values never reach this module: the
// inventory holds names and certificates only.
import * as l10n from '@vscode/l10n';
import { buildClusterInventory, type ClusterInventory } from '../../core/cluster/inventory';
import type { InventoryRow } from '../../core/cluster/inventoryRow';
import { objectLocation } from '../../core/cluster/location';
import { clusterMetricFamilies } from '../../core/cluster/metrics';
import { certificateJson, type CertificateReport } from '../../core/audit/report';
import type { Severity } from '../../core/findings/catalog';
import { compareFindings, makeFinding, severityAtLeast, type Finding } from '../../core/findings/finding';
import { formatExposition } from '../../core/metrics/exposition';
import { shortHumanDuration } from '../../core/time/duration';
import { contextDefaults, fetchClusterSnapshot } from '../../node/cluster/clusterObjects';
import type { ClusterArgs } from '../commands/cluster';
import type { CliContext } from '../command';
import { table } from '../commands/csr';
import { InputError } from '../io';
import { writeReport } from '../output/destination';
import { SourceTexts } from '../output/locations';
import { renderFindings, type AuditResult, type RenderedFinding } from '../output/report';
import { findingJson } from '../output/json';
import { formatSarif } from '../output/sarif';
import { cliKubeconfigLocation, readContexts, warnUnreadContexts, type ContextResult } from './readContexts';

interface ContextReport extends ContextResult<ClusterInventory> {
  /** The judged inventory; absent when the context could not be read. */
  readonly inventory?: ClusterInventory;
}

interface Report {
  readonly contexts: readonly ContextReport[];
  readonly findings: readonly RenderedFinding[];
  readonly result: AuditResult;
  readonly now: Date;
  readonly multi: boolean;
}

function unreachableFinding(report: ContextReport): Finding {
  const location = objectLocation(report.context, { kind: 'Context', name: report.context });
  return makeFinding(
    'cluster-unreachable',
    location,
    { context: report.context, error: report.message ?? report.status },
    { object: location.object },
  );
}

/** The certificates of the inventories in the shape audit's SARIF and JSON verdicts use. */
function certificateReports(contexts: readonly ContextReport[]): CertificateReport[] {
  return contexts.flatMap((c) =>
    (c.inventory?.groups ?? []).flatMap((g) =>
      g.rows.flatMap((row) =>
        row.certificates.map((entry) => ({
          file: row.uri,
          span: { start: 0, end: 0 },
          field: entry.field,
          ...(c.inventory?.cluster !== undefined ? { cluster: c.inventory.cluster } : {}),
          index: entry.index,
          certificate: entry.certificate,
          chains: entry.chain ? [entry.chain] : [],
        })),
      ),
    ),
  );
}

function rowsOf(report: ContextReport): readonly InventoryRow[] {
  return (report.inventory?.groups ?? []).flatMap((g) => g.rows);
}

/** Error codes first, then warnings, then notes; `-` for none. */
function findingsColumn(findings: readonly Finding[]): string {
  const order: readonly Severity[] = ['error', 'warning', 'info'];
  const codes = order.flatMap((s) => findings.filter((f) => f.severity === s).map((f) => f.code));
  return [...new Set(codes)].join(',') || '-';
}

function formatTable(report: Report): string {
  const header = [
    ...(report.multi ? ['CONTEXT'] : []),
    'NAMESPACE',
    'KIND',
    'NAME',
    'CN',
    'CERTS',
    'RESIDUAL',
    'VERDICT',
    'FINDINGS',
  ];
  const rows: string[][] = [];
  for (const c of report.contexts) {
    const lead = report.multi ? [c.context] : [];
    if (!c.inventory) {
      rows.push([...lead, '-', '-', '-', '-', '-', '-', `<${c.status}>`, 'cluster-unreachable']);
      continue;
    }
    for (const row of rowsOf(c)) {
      const first = row.certificates[0];
      // What expires first decides the row's residual time, as kubeadm's table would list it.
      const soonest = Math.min(...row.certificates.map((x) => x.residualSeconds));
      const chain = row.certificates.find((x) => x.chain)?.chain;
      rows.push([
        ...lead,
        row.ref.namespace ?? '',
        row.ref.kind,
        row.ref.name,
        first ? first.certificate.identity.user || first.certificate.subject.display : '<none>',
        String(row.certificates.length),
        row.certificates.length ? shortHumanDuration(soonest) : '-',
        chain?.status ?? '-',
        findingsColumn(row.findings),
      ]);
    }
  }
  const lines: string[] = [];
  lines.push(
    rows.length
      ? table([header, ...rows]).trimEnd()
      : l10n.t('No certificates found in {count} contexts.', { count: report.contexts.length }),
  );
  if (report.findings.length) {
    lines.push('');
    const codeWidth = Math.max(...report.findings.map((r) => r.finding.code.length));
    for (const r of report.findings) {
      const o = r.finding.object;
      const where = o
        ? [
            ...(report.multi && r.finding.context !== undefined ? [r.finding.context] : []),
            [o.namespace, o.kind, o.name].filter((p) => p !== undefined).join('/'),
            ...(o.field ? [o.field] : []),
          ].join(' ')
        : r.file;
      lines.push(
        `${r.finding.severity.padEnd(7)} ${r.finding.code.padEnd(codeWidth)}  ${where}  ${r.message}`,
      );
    }
  }
  const count = (s: Severity): number => report.findings.filter((r) => r.finding.severity === s).length;
  lines.push(
    l10n.t('{errors} errors, {warnings} warnings, {infos} notes in {objects} objects.', {
      errors: count('error'),
      warnings: count('warning'),
      infos: count('info'),
      objects: report.contexts.reduce((n, c) => n + rowsOf(c).length, 0),
    }),
  );
  return lines.join('\n') + '\n';
}

function formatJson(report: Report): string {
  const objects = report.contexts.flatMap((c) =>
    rowsOf(c).map((row) => ({
      context: c.context,
      uri: row.uri,
      group: row.group,
      kind: row.ref.kind,
      namespace: row.ref.namespace ?? null,
      name: row.ref.name,
      certManager: row.certManager,
      ...(row.keyMatches !== undefined ? { keyMatches: row.keyMatches } : {}),
      severity: row.severity ?? null,
      codes: [...new Set(row.findings.map((f) => f.code))],
      certificates: row.certificates.map((entry) => ({
        field: entry.field,
        ...(entry.item !== undefined ? { item: entry.item } : {}),
        role: entry.role,
        index: entry.index,
        residualSeconds: entry.residualSeconds,
        ...certificateJson(entry.certificate),
        chains: entry.chain ? [entry.chain] : [],
      })),
    })),
  );
  const contexts = report.contexts.map((c) => ({
    context: c.context,
    status: c.status,
    ...(c.message !== undefined ? { message: c.message } : {}),
    cluster: c.inventory?.cluster ?? null,
    objects: rowsOf(c).length,
    access: (c.inventory?.groups ?? []).flatMap((g) => g.access.map((a) => ({ group: g.id, ...a }))),
  }));
  return JSON.stringify({ contexts, findings: report.findings.map(findingJson), objects }, null, 2) + '\n';
}

function render(report: Report, args: ClusterArgs, ctx: CliContext): string {
  switch (args.format) {
    case 'json':
      return formatJson(report);
    case 'sarif':
      return formatSarif(report.result, ctx.version);
    case 'prometheus':
      return formatExposition(
        clusterMetricFamilies(
          report.contexts.map((c) => ({
            context: c.context,
            ...(c.inventory ? { inventory: c.inventory } : {}),
          })),
          report.now,
          report.findings.map((r) => r.finding).filter((f) => f.code === 'cluster-unreachable'),
        ),
      );
    case 'table':
      return formatTable(report);
  }
}

export async function reportClusters(args: ClusterArgs, ctx: CliContext, now: Date): Promise<number> {
  const location = cliKubeconfigLocation(args.kubeconfig, ctx.io);
  const results = await readContexts(location, args, 'read the cluster', async (client, context, signal) => {
    const namespace = args.allNamespaces
      ? undefined
      : (args.namespace ?? contextDefaults(location, context).namespace);
    const snapshot = await fetchClusterSnapshot(client, {
      location,
      context,
      ...(namespace !== undefined ? { namespace } : {}),
      readSecrets: true,
      signal,
    });
    return buildClusterInventory(snapshot, { now, warnDays: args.warnDays });
  });
  const reports: ContextReport[] = results.map((r) => (r.value ? { ...r, inventory: r.value } : r));
  if (!args.allContexts && reports[0].status !== 'ok')
    throw new InputError(reports[0].message ?? reports[0].status);

  const findings = [
    ...reports.filter((r) => !r.inventory).map(unreachableFinding),
    ...reports.flatMap((r) => r.inventory?.findings ?? []),
  ].sort(compareFindings);
  const sources = new SourceTexts(ctx.io.cwd);
  const rendered = renderFindings(findings, sources, ctx.t);
  const report: Report = {
    contexts: reports,
    findings: rendered,
    result: { findings: rendered, certificates: certificateReports(reports), sources },
    now,
    multi: args.allContexts,
  };
  await writeReport(ctx.io, render(report, args, ctx), args.output);
  warnUnreadContexts(ctx.io, reports);
  if (args.failOn === 'never') return 0;
  return findings.some((f) => severityAtLeast(f.severity, args.failOn as Severity)) ? 1 : 0;
}
