// The workspace summary in the status bar and its quick pick of affected certificates, as a user
// sees them: nothing opened first, the first scan finds the expired certificates of the workspace's
// kubeconfigs and of its PKI folder; choosing one opens the file at its line.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { decodePemText } from '../../../src/core/x509/decode';
import { WORKSPACE_FILES, WORKSPACE_PKI } from '../../fixtures/workspace';
import { waitFor } from '../wait';
import {
  ACTION_TIMEOUT,
  normalize,
  parkMouse,
  readmeImage,
  regionOf,
  screenshot,
  shown,
  waitForWorkbench,
} from './page';
import { ui } from './session';

function summaryItem() {
  return ui()
    .page.locator('.part.statusbar .statusbar-item', { hasText: /\d+ expired/ })
    .first();
}

function apiserverExpired(): boolean {
  const file = path.join(ui().workspace, WORKSPACE_PKI.folder, WORKSPACE_PKI.expired.file);
  const [first] = decodePemText(fs.readFileSync(file, 'utf8')).certificates;
  assert.ok(first, file);
  return first.cert.notAfter.getTime() < Date.now();
}

describe('workspace summary', () => {
  before(waitForWorkbench);

  it('status bar counts the expired and expiring certificates; its quick pick opens one at its line', async () => {
    const { page } = ui();
    const item = await shown(summaryItem(), 'the Kube Certs status bar summary', 120_000);
    const text = normalize(await item.innerText());
    assert.match(text, /\d+ expired/);
    await parkMouse();
    await screenshot('workspace-status-bar');
    // The left end of the status bar up to the summary: the Problems counts beside it.
    const bar = await regionOf([page.locator('.part.statusbar')]);
    const summary = await regionOf([item]);
    await readmeImage('workspace-status-bar', {
      x: bar.x,
      y: bar.y - 4,
      width: summary.x + summary.width + 24 - bar.x,
      height: bar.height + 4,
    });

    const widget = page.locator('.quick-input-widget');
    const rows = widget.locator('.quick-input-list .monaco-list-row');
    await waitFor('the quick pick of affected certificates', async () => {
      if (await rows.first().isVisible()) return true;
      await item.click({ timeout: ACTION_TIMEOUT });
      return false;
    });
    const labels = (await rows.allInnerTexts()).map(normalize);
    await screenshot('workspace-quick-pick');
    await readmeImage('workspace-quick-pick', await regionOf([widget], 8));
    const { expired } = WORKSPACE_FILES;
    assert.ok(
      labels.some((l) => l.includes(expired.commonName) && l.includes(expired.file)),
      `${expired.commonName} (${expired.file}) in ${JSON.stringify(labels)}`,
    );
    // The PKI folder's apiserver certificate is listed while it is expired; the PKI tests renew it,
    // and then the summary, fed by the watcher, must have dropped it.
    const apiserverListed = labels.some((l) => l.includes('apiserver') && l.includes('apiserver.crt'));
    if (apiserverExpired())
      assert.ok(
        apiserverListed,
        `the PKI folder's expired apiserver certificate in ${JSON.stringify(labels)}`,
      );
    else assert.ok(!apiserverListed, `the renewed apiserver certificate in ${JSON.stringify(labels)}`);

    await rows.filter({ hasText: expired.commonName }).first().click({ timeout: ACTION_TIMEOUT });
    await shown(
      page.locator(`.tabs-container .tab.active[aria-label^="${expired.file}"]`),
      `the tab of ${expired.file}`,
    );
    // The cursor sits on the certificate: the line holding client-certificate-data.
    const cursorLine = await waitFor('the cursor on the certificate line', async () => {
      const current = page.locator('.editor-instance .monaco-editor .view-overlays .current-line').first();
      const box = await current.boundingBox();
      if (!box) return undefined;
      const lines = page.locator('.editor-instance .monaco-editor .view-line');
      for (const line of await lines.all()) {
        const b = await line.boundingBox();
        if (b && Math.abs(b.y - box.y) < 2) return normalize(await line.innerText());
      }
      return undefined;
    });
    await screenshot('workspace-opened-at-certificate');
    assert.match(cursorLine, /client-certificate-data:/);
  });
});
