import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { WORKSPACE_FILES } from '../../fixtures/workspace';
import { EXTENSION_ID } from '../manifest';
import { waitFor } from '../wait';
import { activatedExtension, openWorkspaceFile } from '../workspace';

describe('activation', () => {
  it('activates when a kubeconfig that VS Code does not open as YAML is opened', async () => {
    const editor = await openWorkspaceFile(WORKSPACE_FILES.admin.file);
    // admin.conf opens as Properties or Plain Text; activation must not depend on the YAML language.
    assert.notEqual(editor.document.languageId, 'yaml');
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not loaded`);
    await waitFor('the extension to activate', () => ext.isActive);
  });

  it('runs the version declared in package.json', async () => {
    const ext = await activatedExtension();
    assert.match((ext.packageJSON as { version: string }).version, /^\d+\.\d+\.\d+/);
    assert.ok(ext.isActive);
  });
});
