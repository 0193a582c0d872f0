// `kubecerts csr list|review|approve|deny`: the CSR side panel's workflow on the command line.
// Exit codes as audit: 0 fine, 1 error-level risks (list, review) or an action refused or failed,
// 2 wrong arguments or no cluster to talk to.
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import { conditionSummary, csrAge, csrState, type Csr } from '../../core/csr/model';
import { type CsrPolicy, type CsrReview } from '../../core/csr/risk';
import { renderRiskMessage, worstSeverity } from '../../core/csr/riskCatalog';
import { humanDuration } from '../../core/time/humanDuration';
import type { Translate } from '../../core/findings/finding';
import { systemClock } from '../../node/clock';
import { connectCluster, type ApprovalDecision, type ClusterClient } from '../../node/cluster/client';
import { ClusterError } from '../../node/cluster/errors';
import { NodeCache, reviewInCluster } from '../../node/cluster/review';
import { oneOf, parseCommandArgs } from '../args';
import type { CliCommand, CliContext } from '../command';
import { FLEET_OPTIONS, parseFleet, type ContextRun } from '../fleet/contexts';
import { InputError, UsageError } from '../io';

const FORMATS = ['table', 'json', 'prometheus'] as const;
const ACTIONS = ['list', 'review', 'approve', 'deny'] as const;
type Action = (typeof ACTIONS)[number];

export interface CsrArgs {
  readonly action: Action;
  readonly names: readonly string[];
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly format: (typeof FORMATS)[number];
  readonly force: boolean;
  readonly reason?: string;
  readonly message?: string;
  readonly policy: CsrPolicy;
  /** list: every context of the merged kubeconfig (src/cli/fleet). */
  readonly allContexts: boolean;
  readonly fleet: ContextRun;
  /** list: write the report to this file (atomically) instead of stdout. */
  readonly output?: string;
}

export function parseCsrArgs(args: readonly string[]): CsrArgs {
  const parsed = parseCommandArgs(args, {
    kubeconfig: { type: 'string' },
    context: { type: 'string' },
    format: { type: 'string', default: 'table' },
    force: { type: 'boolean', default: false },
    reason: { type: 'string' },
    message: { type: 'string' },
    'max-duration': { type: 'string' },
    ...FLEET_OPTIONS,
    output: { type: 'string' },
  });
  const [action, ...names] = parsed.positionals;
  if (!(ACTIONS as readonly string[]).includes(action ?? ''))
    throw new UsageError(`csr needs one of ${ACTIONS.join(', ')}`);
  const { kubeconfig, context, format, force, reason, message, 'max-duration': maxDuration } = parsed.values;
  const { 'all-contexts': allContexts, output } = parsed.values;
  const checkedFormat = oneOf('--format', format, FORMATS);
  if (action === 'list' && names.length) throw new UsageError('csr list takes no names');
  if (action === 'review' && names.length !== 1) throw new UsageError('csr review takes one name');
  if ((action === 'approve' || action === 'deny') && !names.length)
    throw new UsageError(`csr ${action} needs at least one name`);
  if (action !== 'list' && (allContexts || output !== undefined || checkedFormat === 'prometheus'))
    throw new UsageError('--all-contexts, --output and --format prometheus apply to csr list only');
  if (allContexts && context !== undefined)
    throw new UsageError('--all-contexts and --context exclude each other');
  if (maxDuration !== undefined && !/^\d{1,10}$/.test(maxDuration))
    throw new UsageError('--max-duration must be a number of seconds');
  return {
    action: action as Action,
    names,
    kubeconfig,
    context,
    format: checkedFormat,
    force,
    reason,
    message,
    policy: maxDuration !== undefined ? { maxExpirationSeconds: Number(maxDuration) } : {},
    allContexts,
    fleet: parseFleet(parsed.values),
    ...(output !== undefined ? { output } : {}),
  };
}

/** One CSR as `csr list --format json` prints it. */
export interface CsrSummary {
  readonly name: string;
  readonly state: ReturnType<typeof csrState>;
  readonly condition: string;
  readonly signerName: string;
  readonly requester?: string;
  readonly created?: string;
  readonly age: string;
  readonly requestedDuration?: string;
  readonly usages: readonly string[];
  readonly subject?: {
    readonly commonName?: string;
    readonly organizations: readonly string[];
    readonly sans: readonly string[];
  };
  readonly key?: string;
  readonly risks: readonly { readonly code: string; readonly severity: string; readonly message: string }[];
}

export function summarizeCsr(csr: Csr, review: CsrReview, now: Date, t: Translate): CsrSummary {
  const req = review.request;
  return {
    name: csr.metadata.name,
    state: csrState(csr),
    condition: conditionSummary(csr),
    signerName: csr.spec.signerName,
    requester: csr.spec.username,
    created: csr.metadata.creationTimestamp,
    age: csrAge(csr, now),
    // kubectl's REQUESTEDDURATION column; AGE (csrAge) follows the same HumanDuration rules.
    requestedDuration:
      csr.spec.expirationSeconds !== undefined ? humanDuration(csr.spec.expirationSeconds * 1000) : undefined,
    usages: csr.spec.usages ?? [],
    subject: req && {
      commonName: req.commonName,
      organizations: req.organizations,
      sans: [...req.sans.dns, ...req.sans.ip, ...req.sans.email, ...req.sans.uri],
    },
    key:
      req &&
      [
        req.publicKey.algorithm,
        req.publicKey.curve ?? (req.publicKey.bits !== undefined ? String(req.publicKey.bits) : ''),
      ]
        .filter(Boolean)
        .join(' '),
    risks: review.findings.map((f) => ({
      code: f.code,
      severity: f.severity,
      message: renderRiskMessage(f, t),
    })),
  };
}

async function connect(args: CsrArgs, ctx: CliContext): Promise<ClusterClient> {
  try {
    return await connectCluster({
      // Relative to where the command runs, like kubectl's --kubeconfig.
      kubeconfig: args.kubeconfig === undefined ? undefined : path.resolve(ctx.io.cwd, args.kubeconfig),
      context: args.context,
      env: ctx.io.env as NodeJS.ProcessEnv,
      homeDir: ctx.io.homedir,
      platform: ctx.io.platform,
    });
  } catch (err) {
    throw new InputError(err instanceof ClusterError ? err.message : String(err));
  }
}

/** Columns padded like kubectl's tables (`csr list`, also per context with --all-contexts). */
export function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return (
    rows
      .map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join('   '))
      .join('\n') + '\n'
  );
}

/** The RISKS column: error codes first, then warnings; `-` for none. */
export function riskColumn(summary: CsrSummary): string {
  const errors = summary.risks.filter((r) => r.severity === 'error').map((r) => r.code);
  const warnings = summary.risks.filter((r) => r.severity === 'warning').map((r) => r.code);
  return [...errors, ...warnings].join(',') || '-';
}

async function list(args: CsrArgs, ctx: CliContext, client: ClusterClient, now: Date): Promise<number> {
  const { items } = await client.listCsrs();
  const nodes = new NodeCache(client);
  const sorted = [...items].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  const reviewed = await Promise.all(
    sorted.map(async (csr) => ({ csr, review: await reviewInCluster(csr, nodes, now, args.policy) })),
  );
  const summaries = reviewed.map(({ csr, review }) => summarizeCsr(csr, review, now, ctx.t));
  if (args.format === 'json') {
    ctx.io.stdout.write(JSON.stringify({ context: client.info.context, items: summaries }, null, 2) + '\n');
  } else if (!summaries.length) {
    ctx.io.stdout.write(
      l10n.t('No certificate signing requests in context {context}.', { context: client.info.context }) +
        '\n',
    );
  } else {
    const header = ['NAME', 'AGE', 'SIGNERNAME', 'REQUESTOR', 'REQUESTEDDURATION', 'CONDITION', 'RISKS'];
    const rows = summaries.map((s) => [
      s.name,
      s.age,
      s.signerName,
      s.requester ?? '',
      s.requestedDuration ?? '<none>',
      s.condition,
      riskColumn(s),
    ]);
    ctx.io.stdout.write(table([header, ...rows]));
  }
  const pendingErrors = reviewed.some(
    ({ csr, review }) => csrState(csr) === 'pending' && worstSeverity(review.findings) === 'error',
  );
  return pendingErrors ? 1 : 0;
}

async function review(args: CsrArgs, ctx: CliContext, client: ClusterClient, now: Date): Promise<number> {
  const csr = await client.getCsr(args.names[0]);
  const result = await reviewInCluster(csr, new NodeCache(client), now, args.policy);
  const summary = summarizeCsr(csr, result, now, ctx.t);
  if (args.format === 'json') {
    ctx.io.stdout.write(JSON.stringify(summary, null, 2) + '\n');
  } else {
    const lines = [
      `${l10n.t('Name:')} ${summary.name}`,
      `${l10n.t('Condition:')} ${summary.condition}`,
      `${l10n.t('Signer:')} ${summary.signerName}`,
      `${l10n.t('Requested by:')} ${summary.requester ?? ''}`,
      `${l10n.t('Subject:')} ${result.request?.subject.display ?? ''}`,
      `${l10n.t('Subject alternative names:')} ${summary.subject?.sans.join(', ') || '-'}`,
      `${l10n.t('Key:')} ${summary.key ?? ''}`,
      `${l10n.t('Usages:')} ${summary.usages.join(', ')}`,
      `${l10n.t('Requested duration:')} ${summary.requestedDuration ?? l10n.t('signer default')}`,
      l10n.t('Risks:'),
      ...(summary.risks.length
        ? summary.risks.map((r) => `  ${r.severity.padEnd(7)} ${r.code}: ${r.message}`)
        : ['  ' + l10n.t('none found')]),
    ];
    ctx.io.stdout.write(lines.join('\n') + '\n');
  }
  return worstSeverity(result.findings) === 'error' ? 1 : 0;
}

async function decide(
  args: CsrArgs,
  ctx: CliContext,
  client: ClusterClient,
  now: Date,
  decision: ApprovalDecision,
): Promise<number> {
  const nodes = new NodeCache(client);
  let failed = 0;
  for (const name of args.names) {
    try {
      if (decision === 'Approved' && !args.force) {
        const result = await reviewInCluster(await client.getCsr(name), nodes, now, args.policy);
        const errors = result.findings.filter((f) => f.severity === 'error');
        if (errors.length) {
          ctx.io.stderr.write(
            l10n.t('Not approving {name}: it has error-level risks (use --force to approve anyway):', {
              name,
            }) +
              '\n' +
              errors.map((f) => `  ${f.code}: ${renderRiskMessage(f, ctx.t)}\n`).join(''),
          );
          failed++;
          continue;
        }
      }
      const outcome = await client.setApproval(name, decision, {
        force: args.force,
        reason: args.reason,
        message: args.message,
      });
      const done = decision === 'Approved' ? 'approved' : 'denied';
      ctx.io.stdout.write(
        `certificatesigningrequest.certificates.k8s.io/${name} ${done}${outcome.changed ? '' : ` (${l10n.t('already')})`}\n`,
      );
    } catch (err) {
      if (!(err instanceof ClusterError)) throw err;
      ctx.io.stderr.write(`kubecerts: ${err.message}\n`);
      failed++;
    }
  }
  return failed ? 1 : 0;
}

export async function runCsr(args: CsrArgs, ctx: CliContext, now = systemClock()): Promise<number> {
  if (
    args.action === 'list' &&
    (args.allContexts || args.format === 'prometheus' || args.output !== undefined)
  ) {
    const { listCsrsOfContexts } = await import('../fleet/csrFleet');
    return listCsrsOfContexts(args, ctx, now);
  }
  const client = await connect(args, ctx);
  try {
    switch (args.action) {
      case 'list':
        return await list(args, ctx, client, now);
      case 'review':
        return await review(args, ctx, client, now);
      case 'approve':
        return await decide(args, ctx, client, now, 'Approved');
      case 'deny':
        return await decide(args, ctx, client, now, 'Denied');
    }
  } catch (err) {
    // Reading failed (unreachable, forbidden, not found): nothing was decided, the input is at fault.
    if (err instanceof ClusterError) throw new InputError(err.message);
    throw err;
  }
}

export const csrCommand: CliCommand = {
  summary: () => l10n.t('List, review, approve or deny the certificate signing requests of a cluster.'),
  help: () =>
    [
      l10n.t('Usage: kubecerts csr list|review|approve|deny [NAME…] [options]'),
      '',
      '  list                     ' + l10n.t('the CSRs of the context, with their risks'),
      '  review NAME              ' + l10n.t('decoded request and every risk finding'),
      '  approve NAME…            ' + l10n.t('approve (refused when a risk is an error, unless --force)'),
      '  deny NAME…               ' + l10n.t('deny'),
      '',
      '  --kubeconfig FILE        ' + l10n.t('kubeconfig (default: $KUBECONFIG, else ~/.kube/config)'),
      '  --context NAME           ' + l10n.t('context to use instead of current-context'),
      '  --format table|json      ' + l10n.t('output format of list and review (default table)'),
      '  --format prometheus      ' + l10n.t('list: metrics for the node_exporter textfile collector'),
      '  --output FILE            ' + l10n.t('list: write the report to FILE atomically instead of stdout'),
      '  --all-contexts           ' +
        l10n.t('list: every context of the kubeconfig in one report, with a CONTEXT column'),
      '  --parallel N             ' + l10n.t('contexts listed at the same time (default 4)'),
      '  --timeout 10s            ' + l10n.t('time allowed to each context (default 10s)'),
      '  --force                  ' +
        l10n.t('approve despite error-level risks; re-send a condition already set'),
      '  --reason R, --message M  ' + l10n.t('reason and message of the Approved/Denied condition'),
      '  --max-duration SECONDS   ' + l10n.t('flag requests asking for a longer certificate lifetime'),
      '',
      l10n.t(
        'Exit codes: 0 fine, 1 a pending CSR with error-level risks or an action refused, 2 usage or connection error.',
      ),
      l10n.t(
        'With --all-contexts, --format prometheus or --output, a context that cannot be listed is a row of the report (kubecerts_cluster_up 0) and makes the exit code 1; the other contexts are still listed.',
      ),
    ].join('\n') + '\n',
  run: (args, ctx) => runCsr(parseCsrArgs(args), ctx),
};
