// The workspace summary: a status bar item with the worst of what Problems shows ("1 expired ·
// 2 expiring"), a quick pick of the affected certificates that opens each at its line, and the
// expiry notification (at most once a day per certificate, for the current kubeconfig and the PKI
// folders; off with kubecerts.expiryNotifications).
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { registerCommandTable, type CommandTable } from '../commands';
import type { Ctx } from '../ctx';
import type { PublishedProblems } from '../diagnostics/published';
import {
  affectedCertificates,
  dueForNotification,
  expiryCounts,
  markNotified,
  type AffectedCertificate,
} from './summary';
import type { WorkspaceAudit } from './workspaceAudit';

const SHOW_CERTIFICATES_COMMAND = 'kubecerts.workspace.showCertificates';
const NOTIFIED_KEY = 'kubecerts.expiryNotified';
/** Wait for a burst of updates (the first scan) to settle before deciding on a notification. */
const NOTIFY_DELAY_MS = 2000;
/** Typing publishes often: the notification (which reads the current kubeconfig) is decided at most this often. */
const NOTIFY_EVERY_MS = 60_000;

type Affected = AffectedCertificate<vscode.Uri>;
const uriKey = (uri: vscode.Uri): string => uri.toString();

function describe(a: Affected): string {
  return a.code === 'cert-expired'
    ? vscode.l10n.t('expired {0} days ago', a.days)
    : vscode.l10n.t('expires in {0} days', a.days);
}

/** Lets the user pick one of `list`; the chosen certificate opens at its line. */
async function pickCertificate(list: readonly Affected[], title: string): Promise<void> {
  const items = list.map((a) => ({
    label: `${a.code === 'cert-expired' ? '$(error)' : '$(warning)'} ${a.subject}`,
    description: describe(a),
    detail: vscode.workspace.asRelativePath(a.place),
    affected: a,
  }));
  const chosen = await vscode.window.showQuickPick(items, {
    title,
    placeHolder: vscode.l10n.t('Open the file at the certificate'),
    matchOnDescription: true,
    matchOnDetail: true,
  });
  if (!chosen) return;
  const doc = await vscode.workspace.openTextDocument(chosen.affected.place);
  const start = doc.positionAt(chosen.affected.span.start);
  await vscode.window.showTextDocument(doc, { selection: new vscode.Range(start, start), preview: true });
}

class WorkspaceSummary implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private affected: Affected[] = [];
  private notifyTimer?: ReturnType<typeof setTimeout>;
  private lastNotifyCheck = 0;

  constructor(
    private readonly ctx: Ctx,
    private readonly workspace: WorkspaceAudit,
    private readonly published: PublishedProblems,
  ) {
    this.item = vscode.window.createStatusBarItem(
      'kubecerts.workspaceSummary',
      vscode.StatusBarAlignment.Left,
      10,
    );
    this.item.name = vscode.l10n.t('Kube Certs: expiring certificates');
    this.item.command = SHOW_CERTIFICATES_COMMAND;
  }

  update(): void {
    this.affected = affectedCertificates(
      this.published.entries().map((e) => ({ place: e.uri, findings: e.findings })),
    );
    const { expired, expiring } = expiryCounts(this.affected, uriKey);
    if (expired + expiring === 0) {
      this.item.hide();
    } else {
      const parts = [
        ...(expired ? [vscode.l10n.t('{0} expired', expired)] : []),
        ...(expiring ? [vscode.l10n.t('{0} expiring', expiring)] : []),
      ];
      this.item.text = `${expired ? '$(error)' : '$(warning)'} ${parts.join(' · ')}`;
      this.item.tooltip = vscode.l10n.t(
        'Kube Certs: {0} expired and {1} expiring certificates in the workspace and the PKI folders. Click to list them.',
        expired,
        expiring,
      );
      this.item.show();
    }
    clearTimeout(this.notifyTimer);
    const wait = Math.max(
      NOTIFY_DELAY_MS,
      this.lastNotifyCheck + NOTIFY_EVERY_MS - this.ctx.clock().getTime(),
    );
    this.notifyTimer = setTimeout(() => {
      this.lastNotifyCheck = this.ctx.clock().getTime();
      void this.notify();
    }, wait);
  }

  show(): Promise<void> {
    if (this.affected.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No expired or expiring certificates.'));
      return Promise.resolve();
    }
    return pickCertificate(this.affected, vscode.l10n.t('Expired and expiring certificates'));
  }

  /** The certificates of the current kubeconfig and the PKI folders that are due a notification. */
  private async notify(): Promise<void> {
    if (!this.ctx.config.expiryNotifications) return;
    try {
      const roots = await this.workspace.pkiRoots();
      const inPki = this.affected.filter(
        (a) => a.place.scheme === 'file' && roots.some((root) => isInside(root, a.place.fsPath)),
      );
      const list = [...(await this.currentKubeconfig()), ...inPki];
      const state = this.ctx.extension.globalState;
      const notified = state.get<Record<string, number>>(NOTIFIED_KEY) ?? {};
      const now = this.ctx.clock().getTime();
      const due = dueForNotification(list, notified, now, uriKey);
      if (due.length === 0) return;
      // Marked before the user answers: dismissing the notification counts as seen for the day.
      await state.update(NOTIFIED_KEY, markNotified(notified, due, now, uriKey));
      const message =
        due.length === 1
          ? vscode.l10n.t('Kube Certs: certificate {0} {1}.', due[0].subject, describe(due[0]))
          : vscode.l10n.t(
              'Kube Certs: {0} certificates of the current kubeconfig and the PKI folders have expired or expire within {1} days.',
              due.length,
              this.ctx.config.expiryWarningDays,
            );
      const show = vscode.l10n.t('Show');
      const never = vscode.l10n.t("Don't Show Again");
      // An untrusted workspace writes nothing, not even the user's setting.
      const answer = await vscode.window.showWarningMessage(
        message,
        ...(vscode.workspace.isTrusted ? [show, never] : [show]),
      );
      if (answer === show) await pickCertificate(due, vscode.l10n.t('Expired and expiring certificates'));
      else if (answer === never) await this.ctx.config.disableExpiryNotifications();
    } catch (err) {
      this.ctx.log.error('expiry notification failed', err);
    }
  }

  /** Expired and expiring certificates of the kubeconfig kubectl uses (kubecerts.kubeconfig, KUBECONFIG, ~/.kube/config). */
  private async currentKubeconfig(): Promise<Affected[]> {
    const files = this.ctx.config.kubeconfig
      ? [this.ctx.config.kubeconfig]
      : (process.env.KUBECONFIG ?? '').split(path.delimiter).filter((f) => f !== '');
    if (files.length === 0) files.push(path.join(os.homedir(), '.kube', 'config'));
    const engine = await import('./engine');
    const options = {
      now: this.ctx.clock(),
      warnDays: this.ctx.config.expiryWarningDays,
      disabled: this.ctx.config.disabledFindings,
    };
    const found: Affected[] = [];
    for (const file of files) {
      const bytes = await engine.nodeFs.read(file).catch(() => undefined);
      const audit = bytes && (await engine.auditFileContent(file, bytes, options));
      if (audit?.kind === 'kubeconfig')
        found.push(...affectedCertificates([{ place: vscode.Uri.file(file), findings: audit.findings }]));
    }
    return found;
  }

  dispose(): void {
    clearTimeout(this.notifyTimer);
    this.item.dispose();
  }
}

function isInside(dir: string, file: string): boolean {
  const relative = path.relative(dir, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

const COMMANDS: CommandTable<WorkspaceSummary> = {
  'kubecerts.workspace.showCertificates': (summary) => () => summary.show(),
};

export function registerWorkspaceSummary(
  ctx: Ctx,
  workspace: WorkspaceAudit,
  published: PublishedProblems,
): void {
  const summary = ctx.own(new WorkspaceSummary(ctx, workspace, published));
  ctx.own(published.onDidChange(() => summary.update()));
  registerCommandTable(ctx, COMMANDS, summary);
}
