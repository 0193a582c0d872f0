// Registers the renewal commands and the "Renew certificate…" quick fix on cert-expired and
// cert-expiring diagnostics. The flow itself (and the x509 engine it needs) loads on first use.
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { renewAllArgs, renewCertArgs } from './args';

const RENEWABLE_FINDINGS = new Set(['cert-expired', 'cert-expiring']);

export function registerRenew(ctx: Ctx): void {
  const run =
    <T>(id: string, handler: (arg: unknown) => Promise<T>) =>
    async (arg: unknown): Promise<T | undefined> => {
      try {
        return await handler(arg);
      } catch (err) {
        ctx.log.error(`command ${id} failed`, err);
        void vscode.window.showErrorMessage(
          vscode.l10n.t('Kube Certs: {0} failed. Details are in the log (Kube Certs: Show Log).', id),
        );
        return undefined;
      }
    };
  ctx.own(
    vscode.commands.registerCommand(
      'kubecerts.renewCert',
      run('kubecerts.renewCert', async (arg) =>
        (await import('./flow')).renewCertificate(ctx, renewCertArgs(arg)),
      ),
    ),
  );
  ctx.own(
    vscode.commands.registerCommand(
      'kubecerts.renewAll',
      run('kubecerts.renewAll', async (arg) =>
        (await import('./flow')).renewAllCertificates(ctx, renewAllArgs(arg)),
      ),
    ),
  );
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
