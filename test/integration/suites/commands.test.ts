import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activatedExtension } from '../workspace';

// Commands VS Code generates for each contributed view (and view container).
const GENERATED_SUFFIXES = ['focus', 'resetViewLocation', 'toggleVisibility', 'removeView', 'open'];

describe('commands', () => {
  let contributed: string[];
  let registered: string[];
  let generated: Set<string>;

  before(async () => {
    const ext = await activatedExtension();
    contributed = (ext.packageJSON.contributes.commands as { command: string }[]).map((c) => c.command);
    const views = Object.values(ext.packageJSON.contributes.views as Record<string, { id: string }[]>).flat();
    generated = new Set(views.flatMap((v) => GENERATED_SUFFIXES.map((suffix) => `${v.id}.${suffix}`)));
    registered = (await vscode.commands.getCommands(true)).filter((id) => id.startsWith('kubecerts.'));
  });

  it('registers every command of contributes.commands', () => {
    assert.deepEqual(
      contributed.filter((id) => !registered.includes(id)),
      [],
    );
  });

  it('contributes every kubecerts command it registers', () => {
    assert.deepEqual(
      registered.filter((id) => !generated.has(id) && !contributed.includes(id)),
      [],
    );
  });

  it('kubecerts.showLog opens the log channel', async () => {
    await vscode.commands.executeCommand('kubecerts.showLog');
  });

  describe('kubecerts.copySpkiPin', () => {
    const pin = `sha256:${'0123456789abcdef'.repeat(4)}`;

    it('copies the pin it is given to the clipboard', async () => {
      await vscode.env.clipboard.writeText('before');
      await vscode.commands.executeCommand('kubecerts.copySpkiPin', pin);
      assert.equal(await vscode.env.clipboard.readText(), pin);
    });

    it('refuses anything that is not a sha256 pin', async () => {
      await vscode.env.clipboard.writeText('before');
      await vscode.commands.executeCommand('kubecerts.copySpkiPin', 'sha256:not-hex');
      await vscode.commands.executeCommand('kubecerts.copySpkiPin', { pin });
      assert.equal(await vscode.env.clipboard.readText(), 'before');
    });
  });
});
