// Workspace trust in the real extension host. The default harness runs trusted
// (--disable-workspace-trust): then the trust table must match what is registered. Launched with
// workspace trust enabled and the folder untrusted (Restricted Mode), the same suite checks that
// decoding and diagnostics still work while every trusted-only command refuses and changes nothing.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { COMMAND_TRUST } from '../../../src/extension/trustPolicy';
import { WORKSPACE_FILES, WORKSPACE_PKI } from '../../fixtures/workspace';
import { waitFor } from '../wait';
import { activatedExtension, openWorkspaceFile, workspaceUri } from '../workspace';

const TRUSTED_ONLY = Object.keys(COMMAND_TRUST).filter((id) => COMMAND_TRUST[id].trust === 'trusted-only');

function hoverText(hovers: readonly vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
    .join('\n');
}

describe('workspace trust', () => {
  before(activatedExtension);

  it('registers every command the trust table classifies', async () => {
    const registered = await vscode.commands.getCommands(true);
    assert.deepEqual(
      Object.keys(COMMAND_TRUST).filter((id) => !registered.includes(id)),
      [],
    );
  });

  describe('in an untrusted workspace (Restricted Mode launch only)', () => {
    before(function () {
      if (vscode.workspace.isTrusted) this.skip();
    });

    it('still decodes and diagnoses: hover and cert-expired, without a renew link', async () => {
      const editor = await openWorkspaceFile(WORKSPACE_FILES.expired.file);
      const doc = editor.document;
      await waitFor(
        'cert-expired',
        () =>
          vscode.languages
            .getDiagnostics(doc.uri)
            .some(
              (d) =>
                d.source === 'kubecerts' &&
                String(typeof d.code === 'object' ? d.code.value : d.code) === 'cert-expired',
            ) || undefined,
      );
      const at = doc.getText().indexOf('client-certificate-data: ') + 30;
      const text = hoverText(
        await vscode.commands.executeCommand<vscode.Hover[]>(
          'vscode.executeHoverProvider',
          doc.uri,
          doc.positionAt(at),
        ),
      );
      assert.match(text, /CN=/);
      assert.ok(!text.includes('command:kubecerts.renewCert'), 'no renew link in Restricted Mode');
    });

    it('refuses every trusted-only command and changes nothing', async () => {
      const pki = workspaceUri(WORKSPACE_PKI.folder).fsPath;
      const expired = `${pki}/${WORKSPACE_PKI.expired.file}`;
      const before = fs.readFileSync(expired);
      const setting = () =>
        vscode.workspace.getConfiguration('kubecerts').inspect('pkiDirectories')?.globalValue;
      const settingBefore = JSON.stringify(setting());
      for (const id of TRUSTED_ONLY) {
        const args =
          id === 'kubecerts.pki.addFolder' ? [pki] : id === 'kubecerts.renewCert' ? [{ file: expired }] : [];
        assert.equal(await vscode.commands.executeCommand(id, ...args), undefined, id);
      }
      assert.deepEqual(fs.readFileSync(expired), before, 'no certificate was renewed');
      assert.equal(JSON.stringify(setting()), settingBefore, 'no setting was written');
    });
  });
});
