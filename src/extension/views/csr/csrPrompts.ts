// The questions asked before a decision is sent. Safe by default: Enter never approves a request
// with error-level risks (the user types its name, with the risks listed above the input), a clean
// approval restates who gets what, and a denial asks for the reason recorded on the object.
import * as vscode from 'vscode';
import type { ApprovalDecision } from '../../../node/cluster/client';
import { renderRiskMessage } from '../../../core/csr/riskCatalog';
import { grantSummary } from './csrRows';
import type { CsrEntry } from './csrSession';

/**
 * Answers given instead of the prompts. Only the integration tests pass them, and only while the
 * extension runs in ExtensionMode.Test (csrCommands.ts); the commands ignore them otherwise.
 */
export interface TestAnswers {
  readonly reason?: string;
  readonly message?: string;
  /** Approve despite error-level risks. */
  readonly confirmRisks?: boolean;
}

export interface Condition {
  readonly reason?: string;
  readonly message: string;
}

function errorRisks(entry: CsrEntry | undefined): string[] {
  return (entry?.review?.findings ?? [])
    .filter((f) => f.severity === 'error')
    .map((f) => renderRiskMessage(f, (t, p) => vscode.l10n.t(t, p as Record<string, string | number>)));
}

/**
 * Asks to type the name of a request with error-level risks; true only when typed exactly. The
 * risks stay listed in the prompt while typing; Enter on anything else only says what to type.
 */
function confirmByName(name: string, risks: readonly string[]): Promise<boolean> {
  const box = vscode.window.createInputBox();
  box.title = vscode.l10n.t('Approve {0} despite its error-level risks?', name);
  box.placeholder = vscode.l10n.t('Type {0} to approve anyway; Escape cancels', name);
  const listed = risks.map((r) => `⚠ ${r}`).join('  ');
  box.prompt = listed;
  // The workbench shows a validation message in place of the prompt: it repeats the risks.
  const mistyped = `${vscode.l10n.t('Not the name of the request: type {0}', name)}  ${listed}`;
  box.ignoreFocusOut = true;
  return new Promise<boolean>((resolve) => {
    let accepted = false;
    box.onDidChangeValue((value) => {
      box.validationMessage = value === '' || name.startsWith(value) ? undefined : mistyped;
    });
    box.onDidAccept(() => {
      if (box.value !== name) {
        box.validationMessage = mistyped;
        return;
      }
      accepted = true;
      box.hide();
    });
    box.onDidHide(() => {
      box.dispose();
      resolve(accepted);
    });
    box.show();
  });
}

/**
 * The condition to set on `entries` (all pending and reviewed), or undefined when the user
 * cancelled. With `answers` (test mode) nothing is shown.
 */
export async function askDecision(
  decision: ApprovalDecision,
  entries: readonly { readonly name: string; readonly entry?: CsrEntry }[],
  answers: TestAnswers | undefined,
): Promise<Condition | undefined> {
  const names = entries.map((e) => e.name).join(', ');
  if (decision === 'Approved') {
    for (const { name, entry } of entries) {
      const risks = errorRisks(entry);
      if (!risks.length) continue;
      const confirmed = answers ? answers.confirmRisks === true : await confirmByName(name, risks);
      if (!confirmed) return undefined;
    }
  }
  const defaults: Record<ApprovalDecision, string> = {
    Approved: vscode.l10n.t('Approved with Kube Certs after review.'),
    Denied: vscode.l10n.t('Denied with Kube Certs after review.'),
  };
  if (answers) return { reason: answers.reason, message: answers.message ?? defaults[decision] };
  const grants = entries.flatMap(({ entry }) => (entry ? [grantSummary(entry, vscode.l10n)] : []));
  const message = await vscode.window.showInputBox({
    title: decision === 'Approved' ? vscode.l10n.t('Approve {0}', names) : vscode.l10n.t('Deny {0}', names),
    prompt:
      decision === 'Approved'
        ? `${grants.join(' ')} ${vscode.l10n.t('Message recorded on the Approved condition (optional).')}`
        : vscode.l10n.t(
            'Reason for the denial: recorded on the request as the message of its Denied condition, where the requester and kubectl describe see it.',
          ),
    value: defaults[decision],
    ignoreFocusOut: true,
  });
  return message === undefined ? undefined : { message };
}
