// Against the VSIX installed with --install-extension (no development path): a packaging mistake
// (missing file in .vscodeignore's allow-list, bad manifest) fails here.
import assert from 'node:assert/strict';
import { WORKSPACE_FILES } from '../../fixtures/workspace';
import { runFromPalette } from '../ui/dialogs';
import { hoverValue, openFromExplorer } from '../ui/editor';
import { outputText, waitForActivation } from '../ui/output';
import { screenshot, waitForWorkbench } from '../ui/page';
import { EXTENSION_ID } from '../manifest';

describe('installed VSIX', () => {
  before(waitForWorkbench);

  it('activates when a kubeconfig is opened', async () => {
    await openFromExplorer(WORKSPACE_FILES.admin.file, 'client-certificate-data');
    const line = await waitForActivation(EXTENSION_ID);
    assert.match(line, /activationEvent/);
  });

  it('writes its activation to the Kube Certs log (Show Log command)', async () => {
    await runFromPalette('Kube Certs: Show Log');
    const text = await outputText(/kubecerts \d+\.\d+\.\d+ activated/);
    await screenshot('log');
    assert.match(text, /kubecerts \d+\.\d+\.\d+ activated/);
  });

  it('shows the decoded client certificate on hover', async () => {
    const { admin } = WORKSPACE_FILES;
    await openFromExplorer(admin.file, 'client-certificate-data');
    const text = await hoverValue('client-certificate-data', admin.commonName);
    await screenshot('hover');
    assert.ok(text.includes(admin.commonName), `hover text: ${text}`);
  });
});
