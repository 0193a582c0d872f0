import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { REDACTED_FILE, WORKSPACE_FILES, PLAIN_FILE } from '../../fixtures/workspace';
import { waitFor } from '../wait';
import { activatedExtension, openWorkspaceFile, workspaceUri } from '../workspace';

function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'kubecerts');
}

function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' ? String(d.code.value) : String(d.code);
}

async function diagnosticsWith(uri: vscode.Uri, code: string): Promise<vscode.Diagnostic[]> {
  return waitFor(`${code} on ${uri.fsPath}`, () => {
    const found = ours(uri);
    return found.some((d) => codeOf(d) === code) ? found : undefined;
  });
}

describe('diagnostics', () => {
  before(activatedExtension);

  it('reports cert-expired on the client-certificate-data value', async () => {
    const editor = await openWorkspaceFile(WORKSPACE_FILES.expired.file);
    const found = await diagnosticsWith(editor.document.uri, 'cert-expired');
    const expired = found.find((d) => codeOf(d) === 'cert-expired');
    assert.ok(expired);
    assert.equal(expired.severity, vscode.DiagnosticSeverity.Error);
    const line = editor.document.lineAt(expired.range.start.line).text;
    assert.match(line, /client-certificate-data:/);
    assert.match(expired.message, /expired/);
  });

  it('reports redacted data as redacted-data, nothing about base64', async () => {
    const uri = workspaceUri(REDACTED_FILE);
    await openWorkspaceFile(REDACTED_FILE);
    const found = await diagnosticsWith(uri, 'redacted-data');
    assert.ok(!found.some((d) => codeOf(d) === 'invalid-base64'), found.map(codeOf).join(','));
  });

  it('updates as you type, on the edited value, and leaves a healthy file without errors', async () => {
    const editor = await openWorkspaceFile(WORKSPACE_FILES.admin.file);
    const doc = editor.document;
    const original = doc.getText();
    const serverLine = doc
      .getText()
      .split('\n')
      .findIndex((l) => l.includes('server:'));
    await editor.edit((b) =>
      b.insert(new vscode.Position(serverLine + 1, 0), '    insecure-skip-tls-verify: true\n'),
    );
    try {
      const found = await diagnosticsWith(doc.uri, 'insecure-skip-tls-verify');
      const d = found.find((x) => codeOf(x) === 'insecure-skip-tls-verify');
      assert.equal(d?.range.start.line, serverLine + 1);
    } finally {
      await vscode.commands.executeCommand('workbench.action.files.revert', doc.uri);
    }
    // Reverting reloads the text from disk: a pass over that version then publishes.
    await waitFor('the revert', () => !doc.isDirty && doc.getText() === original);
    await waitFor('the finding to go away after revert', () =>
      ours(doc.uri).some((d) => codeOf(d) === 'insecure-skip-tls-verify') ? undefined : true,
    );
    // A pass over the reverted, healthy file has now published: it holds no error.
    const errors = ours(doc.uri).filter((d) => d.severity === vscode.DiagnosticSeverity.Error);
    assert.deepEqual(errors.map(codeOf), []);
  });

  it('stays silent on files that are not kubeconfigs', async () => {
    const editor = await openWorkspaceFile(PLAIN_FILE);
    assert.deepEqual(ours(editor.document.uri), []);
  });
});
