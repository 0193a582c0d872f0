import * as vscode from 'vscode';
import { activatedExtension } from '../workspace';

describe('views', () => {
  before(activatedExtension);

  it('opens the Kube Certs view container', async () => {
    await vscode.commands.executeCommand('workbench.view.extension.kubecerts');
  });

  for (const view of ['kubecerts.pkiView', 'kubecerts.csrView', 'kubecerts.clusterView']) {
    it(`focuses ${view}`, async () => {
      // Rejects with "command not found" when the view is not contributed.
      await vscode.commands.executeCommand(`${view}.focus`);
    });
  }
});
