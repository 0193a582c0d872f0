// "Kube Certs: Renew Certificate…" and "Renew All kubeadm Certificates…": work out what can renew
// the file in front of the user, offer only that, preview old versus new in a modal, then renew
// with progress and say what to restart. Loaded on first use (it pulls in the x509 engine).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { renderRefusal, renderWarning, type Refusal, type RenewalWarning } from '../../core/renew/messages';
import { podsToRestart } from '../../core/renew/plan';
import { isoSeconds, renderPreview, type PreviewRow } from '../../core/renew/preview';
import { ISSUED_PROBLEMS } from '../../core/renew/csr';
import { refusalsOnly, renewalChoicesForFile, type RenewalChoice } from '../../node/renew/choices';
import { pathExists } from '../../node/fs/stat';
import type { WrittenFiles } from '../../node/renew/files';
import { renewKubeadm } from '../../node/renew/kubeadm';
import { IssuedCertificateRejectedError, renewUser, type UserRenewEvent } from '../../node/renew/user';
import type { Ctx } from '../ctx';
import { translate } from '../l10n';
import type { ServedSummary } from '../views/pki/pkiView';
import type { RenewAllArgs, RenewCertArgs } from './args';

export type RenewCommandResult =
  | {
      readonly outcome: 'renewed';
      readonly written: readonly WrittenFiles[];
      readonly restart: readonly string[];
      /** Components that, checked after the renewal, still serve the old certificate. */
      readonly stillServingOld?: readonly string[];
    }
  | { readonly outcome: 'refused'; readonly reasons: readonly string[] }
  | { readonly outcome: 'cancelled' | 'untrusted' | 'no-target' };

const CSR_VIEW_FOCUS = 'kubecerts.csrView.focus';
const PKI_REFRESH = 'kubecerts.pki.refresh';
const PKI_CHECK_SERVED = 'kubecerts.pki.checkServed';

function refuseUntrusted(): RenewCommandResult {
  void vscode.window.showErrorMessage(
    vscode.l10n.t(
      'Renewing certificates writes keys and kubeconfigs: it is not available in an untrusted workspace.',
    ),
  );
  return { outcome: 'untrusted' };
}

export async function renewCertificate(ctx: Ctx, args: RenewCertArgs): Promise<RenewCommandResult> {
  if (!vscode.workspace.isTrusted) return refuseUntrusted();
  const file = args.file ?? activeFile();
  if (!file) {
    void vscode.window.showInformationMessage(
      vscode.l10n.t('Open a certificate or kubeconfig, or pick one in the PKI view, to renew it.'),
    );
    return { outcome: 'no-target' };
  }
  const now = ctx.clock();
  const choices = await renewalChoicesForFile(file, {
    now,
    durationMs: ctx.config.renewDurationMs,
    offset: args.offset,
  });
  const refusals = refusalsOnly(choices);
  const possible = choices.filter((c) => c.decision.ok && (!args.method || c.kind === args.method));
  if (!possible.length) return explainRefusals(file, refusals);

  const choice = possible.length === 1 ? possible[0] : await pickChoice(possible);
  if (!choice?.decision.ok) return { outcome: 'cancelled' };
  const plan = choice.decision.plan;
  const title =
    choice.kind === 'local'
      ? vscode.l10n.t('Renew {name} with the local CA?', { name: choice.name })
      : vscode.l10n.t('Request a new certificate for user {user} from the cluster (context {context})?', {
          user: choice.user,
          context: choice.context,
        });
  const detail = previewText(plan.preview, plan.warnings);
  ctx.log.info(`renewal preview for ${file}:\n${detail}`);
  if (!args.confirmed && !(await confirm(title, detail))) return { outcome: 'cancelled' };

  return choice.kind === 'local' ? renewLocal(ctx, choice) : renewThroughCsr(ctx, choice);
}

export async function renewAllCertificates(ctx: Ctx, args: RenewAllArgs): Promise<RenewCommandResult> {
  if (!vscode.workspace.isTrusted) return refuseUntrusted();
  const configDir = args.configDir ?? (await pickKubeadmDir(ctx.config.pkiDirectories));
  if (!configDir) return { outcome: 'no-target' };
  const now = ctx.clock();
  const planned = await renewKubeadm(['all'], {
    configDir,
    now,
    durationMs: ctx.config.renewDurationMs,
    dryRun: true,
  });
  const names = planned.filter((r) => r.outcome === 'planned').map((r) => r.name);
  const skipped = planned.flatMap((r) =>
    r.outcome === 'refused' ? [`${r.name}: ${renderRefusal(r.refusal, translate)}`] : [],
  );
  if (!names.length)
    return explainRefusals(
      configDir,
      planned.flatMap((r) => (r.outcome === 'refused' ? [r.refusal] : [])),
    );
  const detail = [
    vscode.l10n.t('To renew: {names}', { names: names.join(', ') }),
    ...planned.flatMap((r) =>
      r.outcome === 'planned' ? r.plan.warnings.map((w) => renderWarning(w, translate)) : [],
    ),
    ...(skipped.length ? ['', vscode.l10n.t('Not renewable here:'), ...skipped] : []),
  ].join('\n');
  const title = vscode.l10n.t('Renew {count} certificates of {dir} with their local CAs?', {
    count: names.length,
    dir: configDir,
  });
  if (!args.confirmed && !(await confirm(title, detail))) return { outcome: 'cancelled' };

  const results = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Renewing certificates…') },
    (progress) =>
      renewKubeadm(names, {
        configDir,
        now: ctx.clock(),
        durationMs: ctx.config.renewDurationMs,
        onResult: (r) => progress.report({ message: r.name, increment: 100 / names.length }),
      }),
  );
  const renewed = results.flatMap((r) => (r.outcome === 'renewed' ? [r] : []));
  for (const r of renewed)
    ctx.log.info(`renewed ${r.name}: ${r.written.files.join(', ')}; backups ${r.written.backups.join(', ')}`);
  const restart = podsToRestart(renewed.map((r) => r.name));
  const stillServingOld = await checkServedAfterRenewal(ctx, configDir);
  announce(
    vscode.l10n.t('Renewed {count} certificates in {dir}.', { count: renewed.length, dir: configDir }),
    restart,
    stillServingOld,
  );
  return { outcome: 'renewed', written: renewed.map((r) => r.written), restart, stillServingOld };
}

async function renewLocal(
  ctx: Ctx,
  choice: Extract<RenewalChoice, { kind: 'local' }>,
): Promise<RenewCommandResult> {
  const [result] = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: vscode.l10n.t('Renewing {name}…', { name: choice.name }),
    },
    () =>
      renewKubeadm([choice.name], {
        configDir: choice.configDir,
        now: ctx.clock(),
        durationMs: ctx.config.renewDurationMs,
      }),
  );
  if (result?.outcome !== 'renewed') {
    return explainRefusals(choice.configDir, result?.outcome === 'refused' ? [result.refusal] : []);
  }
  ctx.log.info(
    `renewed ${choice.name}: ${result.written.files.join(', ')}; backups ${result.written.backups.join(', ')}`,
  );
  const stillServingOld = await checkServedAfterRenewal(ctx, choice.configDir);
  announce(
    vscode.l10n.t('{name} renewed, valid until {notAfter}. The old files are kept as backups next to them.', {
      name: choice.name,
      notAfter: isoSeconds(result.renewed.notAfter),
    }),
    result.plan.restart,
    stillServingOld,
  );
  return { outcome: 'renewed', written: [result.written], restart: result.plan.restart, stillServingOld };
}

async function renewThroughCsr(
  ctx: Ctx,
  choice: Extract<RenewalChoice, { kind: 'csr' }>,
): Promise<RenewCommandResult> {
  try {
    const result = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: vscode.l10n.t('Renewing the certificate of {user}', { user: choice.user }),
        cancellable: true,
      },
      (progress, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort());
        return renewUser({
          kubeconfig: choice.kubeconfig,
          context: choice.context,
          approve: true,
          clock: ctx.clock,
          signal: controller.signal,
          onProgress: (event) => progress.report({ message: progressMessage(event) }),
        });
      },
    );
    if (result.outcome === 'refused') return explainRefusals(choice.kubeconfig, [result.refusal]);
    if (result.outcome !== 'renewed') {
      void vscode.window.showInformationMessage(
        vscode.l10n.t('Stopped waiting for the certificate; nothing was written.'),
      );
      return { outcome: 'cancelled' };
    }
    ctx.log.info(`renewed user ${choice.user} through ${result.csrName}: ${result.written.files.join(', ')}`);
    announce(
      vscode.l10n.t('The certificate of {user} was renewed through {csr}, valid until {notAfter}.', {
        user: choice.user,
        csr: result.csrName,
        notAfter: isoSeconds(result.renewed.notAfter),
      }),
      [],
    );
    return { outcome: 'renewed', written: [result.written], restart: [] };
  } catch (err) {
    if (err instanceof IssuedCertificateRejectedError) {
      const reasons = err.problems.map((p) => translate(ISSUED_PROBLEMS[p.code], p.params));
      void vscode.window.showErrorMessage(
        vscode.l10n.t('The certificate issued for {csr} was NOT written: {reasons}', {
          csr: err.csrName,
          reasons: reasons.join(' '),
        }),
      );
      return { outcome: 'refused', reasons };
    }
    throw err;
  }
}

function progressMessage(event: UserRenewEvent): string {
  switch (event.kind) {
    case 'submitted':
      return vscode.l10n.t('request {csr} sent', { csr: event.csrName });
    case 'approved':
      return vscode.l10n.t('approved, waiting for the signer');
    case 'approval-needed':
      return vscode.l10n.t(
        'waiting for someone allowed to approve for {signer}: kubectl certificate approve {csr}',
        { signer: event.signerName, csr: event.csrName },
      );
    case 'issued':
      return vscode.l10n.t('issued, verifying against the cluster CA');
  }
}

function previewText(rows: readonly PreviewRow[], warnings: readonly RenewalWarning[]): string {
  return [...renderPreview(rows, translate), ...warnings.map((w) => '⚠ ' + renderWarning(w, translate))].join(
    '\n',
  );
}

async function confirm(title: string, detail: string): Promise<boolean> {
  const renew = vscode.l10n.t('Renew');
  return (await vscode.window.showWarningMessage(title, { modal: true, detail }, renew)) === renew;
}

/**
 * Connects to the components of the renewed folder (the PKI view's check, so its rows show the
 * result) and returns those still serving an older certificate than their file.
 */
async function checkServedAfterRenewal(ctx: Ctx, configDir: string): Promise<string[]> {
  try {
    const summaries = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: vscode.l10n.t('Checking served certificates…'),
      },
      () => vscode.commands.executeCommand<ServedSummary[] | undefined>(PKI_CHECK_SERVED, configDir),
    );
    const summary = summaries?.find((s) => s.folder === path.resolve(configDir));
    if (summary) return [...summary.restart];
    // A folder the PKI view does not show: checked on its own.
    const { checkServedFolder, componentsToRestart } = await import('../../node/probe/pkiServed');
    const checked = await checkServedFolder(configDir, {
      now: ctx.clock(),
      warnDays: ctx.config.expiryWarningDays,
      env: process.env,
      clock: ctx.clock,
    });
    return componentsToRestart(checked.rows);
  } catch (err) {
    ctx.log.error(`checking the served certificates of ${configDir} failed`, err);
    return [];
  }
}

function announce(
  message: string,
  restart: readonly string[],
  stillServingOld: readonly string[] = [],
): void {
  // The PKI view re-reads the folders; diagnostics follow the documents VS Code reloads from disk.
  void vscode.commands.executeCommand(PKI_REFRESH);
  // What was observed beats what the plan expects: name the components still serving the old certificate.
  const text = stillServingOld.length
    ? `${message} ${vscode.l10n.t('Still serving the old certificate: {components}. Restart them so that they serve the renewed files.', { components: stillServingOld.join(', ') })}`
    : restart.length
      ? `${message} ${vscode.l10n.t('Restart the {pods} static pods so that they use the new certificates.', { pods: restart.join(', ') })}`
      : message;
  void vscode.window.showInformationMessage(text);
}

function explainRefusals(where: string, refusals: readonly Refusal[]): RenewCommandResult {
  const reasons = refusals.map((r) => renderRefusal(r, translate));
  const message = reasons.length
    ? reasons.join(' ')
    : vscode.l10n.t(
        'Nothing in {file} can be renewed: it is neither a kubeadm certificate nor a kubeconfig user with a client certificate.',
        {
          file: where,
        },
      );
  const showCsrs = vscode.l10n.t('Show Certificate Signing Requests');
  const kubelet = refusals.some((r) => r.code === 'rotated-by-kubelet');
  void vscode.window.showWarningMessage(message, ...(kubelet ? [showCsrs] : [])).then((picked) => {
    if (picked === showCsrs) void vscode.commands.executeCommand(CSR_VIEW_FOCUS);
  });
  return { outcome: 'refused', reasons };
}

async function pickChoice(choices: readonly RenewalChoice[]): Promise<RenewalChoice | undefined> {
  const items = choices.map((choice) => ({
    choice,
    label:
      choice.kind === 'local'
        ? vscode.l10n.t('$(key) Renew {name} with the local CA (kubeadm)', { name: choice.name })
        : vscode.l10n.t('$(cloud-upload) Request a new certificate for {user} from the cluster (CSR API)', {
            user: choice.user,
          }),
    detail:
      choice.kind === 'local'
        ? choice.configDir
        : vscode.l10n.t('through context {context}; someone allowed to approve must approve it', {
            context: choice.context,
          }),
  }));
  const picked = await vscode.window.showQuickPick(items, {
    placeHolder: vscode.l10n.t('How should the certificate be renewed?'),
  });
  return picked?.choice;
}

/** The configured folders that hold a kubeadm tree (`pki/ca.crt`); asks when there are several. */
async function pickKubeadmDir(dirs: readonly string[]): Promise<string | undefined> {
  const found: string[] = [];
  // A folder without a readable CA certificate is not a kubeadm tree: not offered.
  for (const dir of dirs) if (await pathExists(path.join(dir, 'pki', 'ca.crt'))) found.push(dir);
  if (found.length <= 1) {
    if (!found.length) {
      void vscode.window.showInformationMessage(
        vscode.l10n.t('No kubeadm PKI (pki/ca.crt) in the folders of the setting kubecerts.pkiDirectories.'),
      );
    }
    return found[0];
  }
  return vscode.window.showQuickPick(found, { placeHolder: vscode.l10n.t('Which kubeadm PKI?') });
}

function activeFile(): string | undefined {
  const uri = vscode.window.activeTextEditor?.document.uri;
  return uri?.scheme === 'file' ? uri.fsPath : undefined;
}
