// Access to the generated test workspace (test/fixtures/workspace.ts) from inside the extension host.
import * as vscode from 'vscode';
import { EXTENSION_ID } from './manifest';

export function workspaceUri(file: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the tests need the generated workspace opened as a folder');
  return vscode.Uri.joinPath(folder.uri, file);
}

export async function openWorkspaceFile(file: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(workspaceUri(file));
  return vscode.window.showTextDocument(doc);
}

export async function activatedExtension(): Promise<vscode.Extension<unknown>> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not installed in this extension host`);
  await ext.activate();
  return ext;
}
