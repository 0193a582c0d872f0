// `kubecerts cluster`: the Cluster Certificates view on the command line, for the current context,
// `--context C`, or every context of the kubeconfig (`--all-contexts`, src/cli/fleet). Exit codes
// as audit: 0 nothing at or above --fail-on (default error), 1 findings at or above it, 2 wrong
// arguments, no kubeconfig, or (one context) a cluster that cannot be read at all.
import * as l10n from '@vscode/l10n';
import { systemClock } from '../../node/clock';
import { FAIL_ON, oneOf, parseCommandArgs, parseNow, parseWarnDays } from '../args';
import type { CliCommand, CliContext } from '../command';
import { FLEET_OPTIONS, parseFleet, type ContextRun } from '../fleet/contexts';
import { UsageError } from '../io';

const FORMATS = ['table', 'json', 'sarif', 'prometheus'] as const;

export interface ClusterArgs {
  readonly kubeconfig?: string;
  readonly context?: string;
  /** `-n NS`; undefined with `-A` (all namespaces) or neither (the context's namespace). */
  readonly namespace?: string;
  readonly allNamespaces: boolean;
  readonly format: (typeof FORMATS)[number];
  readonly warnDays: number;
  readonly now?: Date;
  readonly failOn: (typeof FAIL_ON)[number];
  readonly output?: string;
  readonly allContexts: boolean;
  readonly fleet: ContextRun;
}

export function parseClusterArgs(args: readonly string[]): ClusterArgs {
  const parsed = parseCommandArgs(
    args,
    {
      kubeconfig: { type: 'string' },
      context: { type: 'string' },
      namespace: { type: 'string', short: 'n' },
      'all-namespaces': { type: 'boolean', short: 'A', default: false },
      format: { type: 'string', default: 'table' },
      'warn-days': { type: 'string', default: '30' },
      now: { type: 'string' },
      'fail-on': { type: 'string', default: 'error' },
      output: { type: 'string' },
      ...FLEET_OPTIONS,
    },
    false,
  );
  const v = parsed.values;
  if (v.namespace !== undefined && v['all-namespaces'])
    throw new UsageError('-n/--namespace and -A/--all-namespaces exclude each other');
  if (v['all-contexts'] && v.context !== undefined)
    throw new UsageError('--all-contexts and --context exclude each other');
  const warnDays = parseWarnDays(v['warn-days']);
  return {
    ...(v.kubeconfig !== undefined ? { kubeconfig: v.kubeconfig } : {}),
    ...(v.context !== undefined ? { context: v.context } : {}),
    ...(v.namespace !== undefined ? { namespace: v.namespace } : {}),
    allNamespaces: v['all-namespaces'],
    format: oneOf('--format', v.format, FORMATS),
    warnDays,
    ...(v.now !== undefined ? { now: parseNow(v.now) } : {}),
    failOn: oneOf('--fail-on', v['fail-on'], FAIL_ON),
    ...(v.output !== undefined ? { output: v.output } : {}),
    allContexts: v['all-contexts'],
    fleet: parseFleet(v),
  };
}

async function runCluster(args: ClusterArgs, ctx: CliContext): Promise<number> {
  // The cluster client and the report renderers load only when the command runs.
  const { reportClusters } = await import('../fleet/clusterFleet');
  return reportClusters(args, ctx, args.now ?? systemClock());
}

export const clusterCommand: CliCommand = {
  summary: () =>
    l10n.t(
      'Check the certificates kept inside a cluster: TLS Secrets, webhook, APIService and CRD caBundles, cluster-info.',
    ),
  help: () =>
    [
      l10n.t('Usage: kubecerts cluster [options]'),
      '',
      '  --kubeconfig FILE        ' + l10n.t('kubeconfig (default: $KUBECONFIG, else ~/.kube/config)'),
      '  --context NAME           ' + l10n.t('context to use instead of current-context'),
      '  -n, --namespace NS       ' +
        l10n.t("TLS Secrets and kube-root-ca.crt of this namespace (default: the context's)"),
      '  -A, --all-namespaces     ' + l10n.t('TLS Secrets and kube-root-ca.crt of every namespace'),
      '  --format FORMAT          ' +
        l10n.t('output format: table, json, sarif or prometheus (default table)'),
      '  --output FILE            ' + l10n.t('write the report to FILE atomically instead of stdout'),
      '  --warn-days N            ' + l10n.t('warn about certificates expiring within N days (default 30)'),
      '  --now ISO-8601           ' + l10n.t('evaluate validity at this instant instead of the current time'),
      '  --fail-on error|warning|never  ' +
        l10n.t('exit with code 1 when a finding has at least this severity (default error)'),
      '  --all-contexts           ' +
        l10n.t('every context of the kubeconfig in one report, with a CONTEXT column'),
      '  --parallel N             ' + l10n.t('contexts read at the same time (default 4)'),
      '  --timeout 10s            ' + l10n.t('time allowed to each context (default 10s)'),
      '',
      l10n.t(
        'Only Secrets of type kubernetes.io/tls are listed (field selector); tls.key is compared with tls.crt in memory and never printed.',
      ),
      l10n.t(
        'Exit codes: 0 no finding at or above --fail-on, 1 findings at or above it, 2 usage error or (one context) a cluster that cannot be read.',
      ),
      l10n.t(
        'With --all-contexts, a context that cannot be read is a cluster-unreachable finding (an error) and a line on stderr; the other contexts are still read.',
      ),
    ].join('\n') + '\n',
  run: (args, ctx) => runCluster(parseClusterArgs(args), ctx),
};
