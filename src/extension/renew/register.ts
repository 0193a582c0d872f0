// Registers the renewal commands and the "Renew certificate…" quick fix on cert-expired and
// cert-expiring diagnostics. The flow itself (and the x509 engine it needs) loads on first use.
import * as vscode from 'vscode';
import { registerCommandTable, type CommandTable } from '../commands';
import type { Ctx } from '../ctx';
import { renewAllArgs, renewCertArgs } from './args';

const RENEWABLE_FINDINGS = new Set(['cert-expired', 'cert-expiring']);

const COMMANDS: CommandTable<Ctx> = {
  'kubecerts.renewCert': (ctx) => async (arg) =>
    (await import('./flow')).renewCertificate(ctx, renewCertArgs(arg)),
  'kubecerts.renewAll': (ctx) => async (arg) =>
    (await import('./flow')).renewAllCertificates(ctx, renewAllArgs(arg)),
};

export function registerRenew(ctx: Ctx): void {
  registerCommandTable(ctx, COMMANDS, ctx);
  ctx.own(
    vscode.languages.registerCodeActionsProvider({ scheme: 'file' }, new RenewQuickFix(), {
      providedCodeActionKinds: [vscode.CodeActionKind.QuickFix],
    }),
  );
}

class RenewQuickFix implements vscode.CodeActionProvider {
  provideCodeActions(
    document: vscode.TextDocument,
    _range: vscode.Range,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    if (!vscode.workspace.isTrusted) return [];
    return context.diagnostics
      .filter((d) => RENEWABLE_FINDINGS.has(findingCode(d)))
      .map((diagnostic) => {
        const title = vscode.l10n.t('Renew certificate…');
        const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
        action.diagnostics = [diagnostic];
        action.command = {
          command: 'kubecerts.renewCert',
          title,
          arguments: [{ file: document.uri.fsPath, offset: document.offsetAt(diagnostic.range.start) }],
        };
        return action;
      });
  }
}

function findingCode(diagnostic: vscode.Diagnostic): string {
  const code = diagnostic.code;
  return typeof code === 'object' ? String(code.value) : String(code ?? '');
}
