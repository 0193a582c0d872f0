// The PKI view's commands, one table (ids in contributes.commands). Targets come from a tree click
// (a folder, item or finding row), a path passed by another command, or nothing (every folder).
import * as vscode from 'vscode';
import type { CommandTable } from '../../commands';
import type { PkiTreeNode } from './pkiTree';
import type { PkiView } from './pkiView';

function fileOf(node: unknown): string | undefined {
  const n = node as PkiTreeNode | undefined;
  if (n?.kind === 'item' && n.item.state !== 'missing') return n.item.absolutePath;
  if (n?.kind === 'finding') return n.finding.file;
  if (n?.kind === 'root') return n.folder;
  return undefined;
}

/** The view's commands; ids are in contributes.commands. */
export const COMMANDS: CommandTable<PkiView> = {
  'kubecerts.pki.refresh': (view) => async () => {
    view.rescanAll();
    view.reloadRoots();
    await view.settled();
    return view.snapshot();
  },
  // From the palette or the title bar: every folder; from a folder's row: that folder; from the renewal: a path.
  'kubecerts.pki.checkServed': (view) => (folder?: unknown) => {
    const node = folder as PkiTreeNode | undefined;
    return view.checkServed(
      typeof folder === 'string' ? folder : node?.kind === 'root' ? node.folder : undefined,
    );
  },
  'kubecerts.pki.addFolder': (view) => (folder?: unknown) =>
    view.addFolder(typeof folder === 'string' ? folder : undefined),
  'kubecerts.pki.openFile': () => async (node?: unknown) => {
    const file = fileOf(node);
    if (!file) return;
    const n = node as PkiTreeNode;
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    const editor = await vscode.window.showTextDocument(doc, { preview: true });
    if (n.kind === 'finding' && n.finding.span.end > 0) {
      const range = new vscode.Range(
        doc.positionAt(n.finding.span.start),
        doc.positionAt(n.finding.span.end),
      );
      editor.selection = new vscode.Selection(range.start, range.end);
      editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    }
  },
  'kubecerts.pki.reveal': () => async (node?: unknown) => {
    const file = fileOf(node);
    if (!file) return;
    const uri = vscode.Uri.file(file);
    // The Explorer only shows workspace files; anything else is revealed in the OS file manager.
    await vscode.commands.executeCommand(
      vscode.workspace.getWorkspaceFolder(uri) ? 'revealInExplorer' : 'revealFileInOS',
      uri,
    );
  },
  'kubecerts.pki.copySpkiPin': () => async (node?: unknown) => {
    const n = node as PkiTreeNode | undefined;
    const pin = n?.kind === 'item' ? n.item.certificate?.spkiPin : undefined;
    if (pin) await vscode.commands.executeCommand('kubecerts.copySpkiPin', pin);
  },
};
