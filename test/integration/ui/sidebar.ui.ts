import assert from 'node:assert/strict';
import { screenshot, waitForWorkbench } from './page';
import { openKubeCertsSideBar } from './sideBar';

describe('side bar', () => {
  before(waitForWorkbench);

  it('shows the PKI and Certificate Signing Requests views in the Kube Certs container', async () => {
    const sidebar = await openKubeCertsSideBar();
    await screenshot('sidebar');
    const title = await sidebar.locator('.composite.title').innerText();
    assert.match(title, /kube certs/i);
  });
});
