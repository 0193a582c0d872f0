// The CSR view's commands, one table (ids in contributes.commands). Targets come from a tree click
// (item + selection), explicit names, or a pick among the CSRs. Nothing a caller passes skips a
// question: prompt answers are read from the arguments only in ExtensionMode.Test.
import * as vscode from 'vscode';
import { csrState, issuedCertificatePem, type Csr } from '../../../core/csr/model';
import type { ApprovalDecision } from '../../../node/cluster/client';
import type { CommandTable } from '../../commands';
import { showYaml, switchContext } from '../sessionView';
import { askDecision, type TestAnswers } from './csrPrompts';
import { CSR_VIEW_ID, type CsrTreeNode } from './csrTree';
import type { CsrView } from './csrView';

/** Names from a tree click (item + selection), explicit names, or a pick among the CSRs. */
async function targets(
  view: CsrView,
  args: readonly unknown[],
  pendingOnly: boolean,
): Promise<string[] | undefined> {
  const [first, second] = args;
  if (typeof first === 'string') return [first];
  if (Array.isArray(first) && first.every((n) => typeof n === 'string')) return first as string[];
  const nodes = (Array.isArray(second) ? second : first ? [first] : []) as CsrTreeNode[];
  const names = nodes.flatMap((n) => (n.kind === 'csr' ? [n.name] : []));
  if (names.length) return names;
  const candidates = [...view.session.entries().values()]
    .map((e) => e.csr)
    .filter((c) => !pendingOnly || csrState(c) === 'pending');
  if (!candidates.length) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No pending certificate signing request.'));
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    candidates.map((c) => ({
      label: c.metadata.name,
      description: `${c.spec.signerName} · ${c.spec.username ?? ''}`,
    })),
    { canPickMany: true, placeHolder: vscode.l10n.t('Certificate signing requests') },
  );
  return picked?.map((p) => p.label);
}

/** The prompt answers a test passed after the targets; undefined outside ExtensionMode.Test. */
function testAnswers(view: CsrView, args: readonly unknown[]): TestAnswers | undefined {
  if (view.ctx.extension.extensionMode !== vscode.ExtensionMode.Test) return undefined;
  return args.find(
    (a): a is TestAnswers => !!a && typeof a === 'object' && !Array.isArray(a) && !('kind' in a),
  );
}

async function decide(view: CsrView, decision: ApprovalDecision, args: readonly unknown[]): Promise<void> {
  const { session } = view;
  await session.ensureConnected();
  if (!session.connected) {
    void vscode.window.showErrorMessage(
      session.problem?.message ?? vscode.l10n.t('Not connected to a cluster.'),
    );
    return;
  }
  const names = await targets(view, args, true);
  if (!names?.length) return;
  const pending = names.filter((n) => {
    const csr = session.entry(n)?.csr;
    return !csr || csrState(csr) === 'pending';
  });
  const skipped = names.filter((n) => !pending.includes(n));
  if (skipped.length) {
    // Approved and Denied are permanent and exclusive: the API would answer 422.
    void vscode.window.showWarningMessage(
      vscode.l10n.t('Skipped {0}: only pending requests can be approved or denied.', skipped.join(', ')),
    );
  }
  if (!pending.length) return;
  // The questions show the review: wait for it (a review reads the Node, it may take a moment).
  const reviewed = () => pending.every((n) => !session.entry(n) || session.entry(n)?.review);
  if (!(await session.until(reviewed))) {
    void vscode.window.showWarningMessage(
      vscode.l10n.t(
        'The review of {0} has not finished: nothing was decided. Try again in a moment.',
        pending.join(', '),
      ),
    );
    return;
  }
  const condition = await askDecision(
    decision,
    pending.map((name) => ({ name, entry: session.entry(name) })),
    testAnswers(view, args),
  );
  if (!condition) return;
  const failures = await vscode.window.withProgress(
    {
      location: { viewId: CSR_VIEW_ID },
      title: decision === 'Approved' ? vscode.l10n.t('Approving…') : vscode.l10n.t('Denying…'),
    },
    () => session.decide(pending, decision, condition),
  );
  if (failures.length) void vscode.window.showErrorMessage(failures.map((f) => f.error.message).join('\n'));
  const decided = pending.filter((n) => !failures.some((f) => f.name === n));
  // The rows move to another group: follow them there, so a decision never hides what it did.
  if (decided.length && (await session.decisionsSeen(decided))) {
    await session.decisionsSettled(decided);
    await view.reveal(decided);
  }
}

async function issuedCsr(view: CsrView, args: readonly unknown[]): Promise<Csr | undefined> {
  const names = await targets(view, args, false);
  if (!names?.length) return undefined;
  const csr = view.session.entry(names[0])?.csr;
  if (!csr?.status?.certificate) {
    void vscode.window.showWarningMessage(vscode.l10n.t('{0} has no issued certificate yet.', names[0]));
    return undefined;
  }
  return csr;
}

async function copyCertificate(view: CsrView, args: readonly unknown[]): Promise<void> {
  const csr = await issuedCsr(view, args);
  const pem = csr && issuedCertificatePem(csr);
  if (!csr || !pem) return;
  await vscode.env.clipboard.writeText(pem);
  void vscode.window.showInformationMessage(
    vscode.l10n.t('Copied the certificate issued for {0}.', csr.metadata.name),
  );
}

async function saveCertificate(view: CsrView, args: readonly unknown[]): Promise<vscode.Uri | undefined> {
  const csr = await issuedCsr(view, args);
  const pem = csr && issuedCertificatePem(csr);
  if (!csr || !pem) return undefined;
  const explicit = args.find((a): a is vscode.Uri => a instanceof vscode.Uri);
  const base = vscode.workspace.workspaceFolders?.[0]?.uri;
  const target =
    explicit ??
    (await vscode.window.showSaveDialog({
      defaultUri: base ? vscode.Uri.joinPath(base, `${csr.metadata.name}.crt`) : undefined,
      filters: { [vscode.l10n.t('Certificates')]: ['crt', 'pem'] },
    }));
  if (!target) return undefined;
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(pem));
  return target;
}

async function openYaml(view: CsrView, args: readonly unknown[]): Promise<void> {
  const names = await targets(view, args, false);
  if (!names?.length) return;
  await showYaml(view.yamlUri(names[0]));
}

/** The view's commands; ids match contributes.commands. */
export const COMMANDS: CommandTable<CsrView> = {
  'kubecerts.csr.refresh': (view) => () => view.refresh(),
  'kubecerts.csr.switchContext': (view) => (name) =>
    switchContext(view, name, vscode.l10n.t('Context for the Certificate Signing Requests view')),
  'kubecerts.csr.approve':
    (view) =>
    (...args) =>
      decide(view, 'Approved', args),
  'kubecerts.csr.deny':
    (view) =>
    (...args) =>
      decide(view, 'Denied', args),
  'kubecerts.csr.copyCertificate':
    (view) =>
    (...args) =>
      copyCertificate(view, args),
  'kubecerts.csr.saveCertificate':
    (view) =>
    (...args) =>
      saveCertificate(view, args),
  'kubecerts.csr.openYaml':
    (view) =>
    (...args) =>
      openYaml(view, args),
};
