// `kubecerts renew NAME|all` (kubeadm's certs renew, on the files) and `kubecerts renew-user` (a
// kubeconfig user's client certificate through the CSR API). Exit codes: 0 renewed (or planned
// with --dry-run), 1 something could not be renewed, 2 wrong arguments.
import * as l10n from '@vscode/l10n';
import * as path from 'node:path';
import type { Translate } from '../../core/findings/finding';
import { ISSUED_PROBLEMS, MIN_EXPIRATION_SECONDS } from '../../core/renew/csr';
import { parseGoDuration } from '../../core/renew/duration';
import { renderRefusal, renderWarning, type RenewalWarning } from '../../core/renew/messages';
import { podsToRestart } from '../../core/renew/plan';
import { renderPreview, type PreviewRow } from '../../core/renew/preview';
import { RENEWABLE_NAMES, kubeadmTarget } from '../../core/renew/targets';
import { systemClock } from '../../node/clock';
import { ClusterError } from '../../node/cluster/errors';
import type { WrittenFiles } from '../../node/renew/files';
import { renewKubeadm, type KubeadmRenewal } from '../../node/renew/kubeadm';
import {
  CsrNotIssuedError,
  IssuedCertificateRejectedError,
  renewUser,
  type UserRenewEvent,
} from '../../node/renew/user';
import { parseCommandArgs, parseNow } from '../args';
import type { CliCommand, CliContext } from '../command';
import { InputError, UsageError } from '../io';

const DEFAULT_CONFIG_DIR = '/etc/kubernetes';
/** The kubeconfigs people copy elsewhere (~/.kube/config): renewing them asks for a redistribution. */
const COPIED_KUBECONFIGS = new Set(['admin.conf', 'super-admin.conf']);

export interface RenewArgs {
  readonly names: readonly string[];
  readonly configDir: string;
  readonly certDir?: string;
  readonly durationMs?: number;
  readonly dryRun: boolean;
  readonly now?: Date;
}

export function parseRenewArgs(args: readonly string[], cwd: string): RenewArgs {
  const parsed = parseCommandArgs(args, {
    'cert-dir': { type: 'string' },
    'config-dir': { type: 'string' },
    duration: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
    now: { type: 'string' },
  });
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const names = parsed.positionals;
  if (!names.length)
    throw new UsageError(`renew needs a certificate name or all (${RENEWABLE_NAMES.join(', ')})`);
  const duration = values.duration as string | undefined;
  const durationMs = duration === undefined ? undefined : parseGoDuration(duration);
  if (duration !== undefined && durationMs === undefined) {
    throw new UsageError('--duration must be a Go duration such as 8760h or 720h30m');
  }
  return {
    names,
    configDir: path.resolve(cwd, (values['config-dir'] as string | undefined) ?? DEFAULT_CONFIG_DIR),
    ...(values['cert-dir'] ? { certDir: path.resolve(cwd, values['cert-dir'] as string) } : {}),
    ...(durationMs !== undefined ? { durationMs } : {}),
    dryRun: values['dry-run'] === true,
    ...(values.now !== undefined ? { now: parseNow(values.now as string) } : {}),
  };
}

/** What kubeadm prints for an entry: "certificate for serving the Kubernetes API renewed". */
function renewedMessage(name: string): string {
  const target = kubeadmTarget(name);
  const longName = target?.longName ?? name;
  return target?.kind === 'kubeconfig'
    ? l10n.t('certificate embedded in the {longName} renewed', { longName })
    : l10n.t('{longName} renewed', { longName });
}

function writtenLines(written: WrittenFiles): string[] {
  return written.backups.map((backup) => '  ' + l10n.t('backup: {path}', { path: backup }));
}

function warningLines(warnings: readonly RenewalWarning[], t: Translate): string[] {
  return warnings.map((w) => '  ' + l10n.t('warning: {message}', { message: renderWarning(w, t) }));
}

function previewLines(rows: readonly PreviewRow[], t: Translate): string[] {
  return renderPreview(rows, t).map((line) => `    ${line}`);
}

export async function runRenew(args: RenewArgs, ctx: CliContext): Promise<number> {
  const { io, t } = ctx;
  const now = args.now ?? systemClock();
  const all = args.names.includes('all');
  const out = (lines: string[]) => io.stdout.write(lines.map((l) => l + '\n').join(''));
  let failed = false;
  const report = (result: KubeadmRenewal) => {
    switch (result.outcome) {
      case 'renewed':
        out([
          renewedMessage(result.name),
          ...warningLines(result.plan.warnings, t),
          ...writtenLines(result.written),
        ]);
        return;
      case 'planned':
        out([
          l10n.t('[dry-run] would renew {name} ({longName}):', {
            name: result.name,
            longName: result.plan.target.longName,
          }),
          ...previewLines(result.plan.preview, t),
          ...warningLines(result.plan.warnings, t),
        ]);
        return;
      case 'refused': {
        // Like kubeadm, `all` skips what an external CA signed; a name asked for explicitly fails.
        const skipped = all && result.refusal.code === 'external-ca';
        if (!skipped) failed = true;
        io.stderr.write(`${result.name}: ${renderRefusal(result.refusal, t)}\n`);
      }
    }
  };
  let results: KubeadmRenewal[];
  try {
    results = await renewKubeadm(args.names, {
      configDir: args.configDir,
      certDir: args.certDir,
      now,
      durationMs: args.durationMs,
      dryRun: args.dryRun,
      onResult: report,
    });
  } catch (error) {
    throw new InputError((error as Error).message);
  }
  const done = results.filter((r) => r.outcome === 'renewed' || r.outcome === 'planned').map((r) => r.name);
  const pods = podsToRestart(done);
  if (!args.dryRun && done.length) {
    out([
      '',
      pods.length
        ? l10n.t(
            'Done renewing certificates. You must restart the {pods} static pods so that they use the new certificates (on each control-plane node: move their manifests out of {manifests} and back, or restart the kubelet).',
            { pods: pods.join(', '), manifests: path.join(args.configDir, 'manifests') },
          )
        : l10n.t('Done renewing certificates.'),
    ]);
    const copied = done.filter((name) => COPIED_KUBECONFIGS.has(name));
    if (copied.length) {
      out([
        l10n.t('Give the renewed {files} to whoever uses copies of it (for example ~/.kube/config).', {
          files: copied.join(', '),
        }),
      ]);
    }
  }
  return failed ? 1 : 0;
}

export interface RenewUserArgs {
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly submitContext?: string;
  readonly expirationSeconds?: number;
  readonly approve: boolean;
  readonly dryRun: boolean;
  readonly timeoutMs?: number;
}

export function parseRenewUserArgs(args: readonly string[], cwd: string): RenewUserArgs {
  const parsed = parseCommandArgs(args, {
    kubeconfig: { type: 'string' },
    context: { type: 'string' },
    'submit-context': { type: 'string' },
    'expiration-seconds': { type: 'string' },
    approve: { type: 'boolean', default: false },
    'dry-run': { type: 'boolean', default: false },
    timeout: { type: 'string' },
  });
  if (parsed.positionals.length)
    throw new UsageError(`renew-user takes no positional argument (got ${parsed.positionals[0]})`);
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const seconds = values['expiration-seconds'] as string | undefined;
  if (seconds !== undefined && (!/^\d{1,10}$/.test(seconds) || Number(seconds) < MIN_EXPIRATION_SECONDS)) {
    throw new UsageError(
      `--expiration-seconds must be a whole number of seconds, at least ${MIN_EXPIRATION_SECONDS}`,
    );
  }
  const timeout = values.timeout as string | undefined;
  const timeoutMs = timeout === undefined ? undefined : parseGoDuration(timeout);
  if (timeout !== undefined && timeoutMs === undefined)
    throw new UsageError('--timeout must be a Go duration such as 10m');
  return {
    ...(values.kubeconfig ? { kubeconfig: path.resolve(cwd, values.kubeconfig as string) } : {}),
    ...(values.context ? { context: values.context as string } : {}),
    ...(values['submit-context'] ? { submitContext: values['submit-context'] as string } : {}),
    ...(seconds !== undefined ? { expirationSeconds: Number(seconds) } : {}),
    approve: values.approve === true,
    dryRun: values['dry-run'] === true,
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
  };
}

function progressLine(event: UserRenewEvent): string {
  switch (event.kind) {
    case 'submitted':
      return l10n.t('certificatesigningrequest {csr} created', { csr: event.csrName });
    case 'approved':
      return l10n.t('certificatesigningrequest {csr} approved', { csr: event.csrName });
    case 'approval-needed':
      return (
        (event.because === 'forbidden'
          ? l10n.t('You may not approve {csr} yourself.', { csr: event.csrName })
          : l10n.t('{csr} is not approved yet.', { csr: event.csrName })) +
        ' ' +
        l10n.t(
          'Someone allowed to approve for signer {signer} (for example a cluster admin) must run: kubectl certificate approve {csr}. Waiting for the certificate (Ctrl+C stops waiting; the request stays).',
          { signer: event.signerName, csr: event.csrName },
        )
      );
    case 'issued':
      return l10n.t('certificate issued for {csr}', { csr: event.csrName });
  }
}

export async function runRenewUser(
  args: RenewUserArgs,
  ctx: CliContext,
  signal?: AbortSignal,
): Promise<number> {
  const { io, t } = ctx;
  const out = (lines: string[]) => io.stdout.write(lines.map((l) => l + '\n').join(''));
  const timeout = args.timeoutMs !== undefined ? AbortSignal.timeout(args.timeoutMs) : undefined;
  const signals = [signal, timeout].filter((s): s is AbortSignal => s !== undefined);
  try {
    const result = await renewUser({
      kubeconfig: args.kubeconfig,
      env: io.env as NodeJS.ProcessEnv,
      homeDir: io.homedir,
      platform: io.platform,
      context: args.context,
      submitContext: args.submitContext,
      expirationSeconds: args.expirationSeconds,
      approve: args.approve,
      dryRun: args.dryRun,
      signal: signals.length ? AbortSignal.any(signals) : undefined,
      onProgress: (event) => out([progressLine(event)]),
      confirm: async (plan, target) => {
        out([
          l10n.t('Renewing the client certificate of user {user} (context {context}) through the CSR API:', {
            user: target.user,
            context: target.context,
          }),
          ...previewLines(plan.preview, t),
          ...warningLines(plan.warnings, t),
        ]);
        return true;
      },
    });
    switch (result.outcome) {
      case 'refused':
        io.stderr.write(renderRefusal(result.refusal, t) + '\n');
        return 1;
      case 'planned':
        out([
          l10n.t('[dry-run] would renew the client certificate of user {user} (context {context}):', {
            user: result.target.user,
            context: result.target.context,
          }),
          ...previewLines(result.plan.preview, t),
          ...warningLines(result.plan.warnings, t),
        ]);
        return 0;
      case 'cancelled':
        io.stderr.write(
          l10n.t(
            'Stopped waiting; nothing was written. The request {csr} stays on the cluster until it is garbage-collected.',
            {
              csr: result.csrName ?? '-',
            },
          ) + '\n',
        );
        return 1;
      case 'renewed':
        out([
          l10n.t('client certificate of user {user} renewed, verified against the cluster CA:', {
            user: result.target.user,
          }),
          ...previewLines(result.preview, t),
          ...writtenLines(result.written),
        ]);
        return 0;
    }
  } catch (error) {
    if (error instanceof IssuedCertificateRejectedError) {
      io.stderr.write(
        [
          l10n.t('The certificate issued for {csr} was NOT written:', { csr: error.csrName }),
          ...error.problems.map((p) => '  ' + t(ISSUED_PROBLEMS[p.code], p.params)),
        ].join('\n') + '\n',
      );
      return 1;
    }
    if (error instanceof CsrNotIssuedError || error instanceof ClusterError) {
      io.stderr.write(`kubecerts: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

export const renewCommand: CliCommand = {
  summary: () =>
    l10n.t('Renew kubeadm certificates and kubeconfigs with the local CA (like kubeadm certs renew).'),
  help: () =>
    [
      l10n.t('Usage: kubecerts renew NAME|all [options]'),
      '',
      l10n.t('NAME: {names}', { names: RENEWABLE_NAMES.join(', ') }),
      '',
      '  --config-dir DIR     ' + l10n.t('kubeadm configuration directory (default /etc/kubernetes)'),
      '  --cert-dir DIR       ' + l10n.t('certificate directory (default CONFIG-DIR/pki)'),
      '  --duration 8760h     ' +
        l10n.t('validity of the renewed certificates, never beyond their CA (default 8760h)'),
      '  --dry-run            ' + l10n.t('show what would change, write nothing'),
      '  --now ISO-8601       ' + l10n.t('renew as of this instant instead of the current time'),
      '',
      l10n.t('Old files are kept next to the new ones as NAME.YYYYMMDDHHMMSS.bak.'),
    ].join('\n') + '\n',
  run: (args, ctx) => runRenew(parseRenewArgs(args, ctx.io.cwd), ctx),
};

export const renewUserCommand: CliCommand = {
  summary: () => l10n.t("Renew a kubeconfig user's client certificate through the cluster's CSR API."),
  help: () =>
    [
      l10n.t('Usage: kubecerts renew-user [options]'),
      '',
      '  --kubeconfig FILE            ' +
        l10n.t('kubeconfig to renew (default $KUBECONFIG, else ~/.kube/config)'),
      '  --context NAME               ' + l10n.t('context whose user is renewed (default current-context)'),
      '  --submit-context NAME        ' +
        l10n.t('send the request with this context instead (when the certificate has expired)'),
      '  --expiration-seconds N       ' +
        l10n.t('requested validity in seconds, at least 600 (default one year)'),
      '  --approve                    ' + l10n.t('approve the request yourself when you are allowed to'),
      '  --dry-run                    ' + l10n.t('show what would be requested, send nothing'),
      '  --timeout 10m                ' + l10n.t('stop waiting for approval after this long'),
    ].join('\n') + '\n',
  run: async (args, ctx) => {
    const parsed = parseRenewUserArgs(args, ctx.io.cwd);
    // Ctrl+C while waiting for approval stops the wait cleanly instead of killing mid-write.
    const controller = new AbortController();
    const onInterrupt = () => controller.abort();
    process.once('SIGINT', onInterrupt);
    try {
      return await runRenewUser(parsed, ctx, controller.signal);
    } finally {
      process.removeListener('SIGINT', onInterrupt);
    }
  },
};
