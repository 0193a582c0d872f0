// Enforces the workspace-trust table (trustPolicy.ts) on every command: each registration wraps
// its handler with gateCommand, so a command that contacts a cluster or writes anything refuses
// to run in an untrusted workspace, whatever invoked it (palette, menu, link, another extension).
import * as vscode from 'vscode';
import type { Handler } from './commands';
import { commandAllowed } from './trustPolicy';

export function gateCommand(id: string, handler: Handler): Handler {
  return (...args: unknown[]) => {
    if (commandAllowed(id, vscode.workspace.isTrusted)) return handler(...args);
    void refuseUntrusted(id);
    return undefined;
  };
}

async function refuseUntrusted(id: string): Promise<void> {
  const manage = vscode.l10n.t('Manage Workspace Trust');
  const answer = await vscode.window.showWarningMessage(
    vscode.l10n.t(
      'Kube Certs: {0} is not available in an untrusted workspace. There Kube Certs only decodes and checks files: it contacts no cluster and writes nothing.',
      id,
    ),
    manage,
  );
  if (answer === manage) await vscode.commands.executeCommand('workbench.trust.manage');
}
