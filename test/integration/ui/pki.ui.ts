// The PKI view on the workspace's copy of /etc/kubernetes (test/fixtures/workspace.ts WORKSPACE_PKI,
// listed in kubecerts.pkiDirectories by the runner): what an admin sees at a glance, then the
// kubeadm-style renewal of the expired apiserver certificate from the command palette. The tests
// run in this order: the renewal changes the tree the first one checks.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { WORKSPACE_PKI } from '../../fixtures/workspace';
import { ui } from './session';
import { modalDialog, notification, notificationGone, pressDialogButton, runFromPalette } from './dialogs';
import { normalize, parkMouse, readmeImage, regionOf, screenshot, shown, waitForWorkbench } from './page';
import {
  closeTooltip,
  contextMenu,
  openKubeCertsSideBar,
  rowInfo,
  rowInfoWhen,
  rowTooltip,
  setSideBarWidth,
  treeRow,
  viewPane,
} from './sideBar';

const { expired, missing, externallyManaged } = WORKSPACE_PKI;

describe('PKI view', () => {
  let previousWidth = 0;

  before(async () => {
    await waitForWorkbench();
    await openKubeCertsSideBar();
    previousWidth = await setSideBarWidth(460);
  });

  after(async () => {
    if (previousWidth) await setSideBarWidth(previousWidth);
  });

  it('shows the CAs, the expired apiserver, a MISSING and an EXTERNALLY MANAGED entry', async () => {
    const pane = await viewPane('PKI');
    // A folder inside the workspace is labelled by its workspace-relative path.
    // The folder row says "scanning…" until the first scan is done.
    const root = await rowInfoWhen(
      pane,
      { label: WORKSPACE_PKI.folder },
      (i) => !/scanning/.test(i.description),
      {
        timeoutMs: 30_000,
      },
    );
    assert.equal(root.description, 'kubeadm control plane');
    for (const ca of WORKSPACE_PKI.cas) {
      const info = await rowInfo(await treeRow(pane, { label: ca }));
      assert.equal(info.expanded, 'true', `${ca} shows the certificates it signed`);
      assert.match(info.description, /^\d+y/, `${ca}: ${info.description}`);
    }
    const apiserver = await rowInfo(await treeRow(pane, { label: expired.name }));
    assert.equal(apiserver.description, `expired ${expired.expiredDays}d ago`);
    assert.equal(apiserver.icon, 'error');
    const absent = await rowInfo(await treeRow(pane, { label: missing.name }));
    assert.equal(absent.description, 'MISSING');
    assert.equal(absent.icon, 'question');
    const external = await rowInfo(await treeRow(pane, { label: externallyManaged.name }));
    assert.match(external.description, /^\d+y$/, 'the lock icon says externally managed');
    assert.equal(external.icon, 'lock');
    const healthy = await rowInfo(await treeRow(pane, { label: 'apiserver-kubelet-client' }));
    assert.match(healthy.description, /^36[45]d$/);

    // The details a row's tooltip gives on hover.
    const { text: details, tooltip } = await rowTooltip(pane, { label: expired.name }, (t) =>
      t.includes('CN=kube-apiserver'),
    );
    assert.match(details, /Valid until/);
    assert.match(details, /Key: +EC P-256\n/);
    await screenshot('pki-tooltip');
    await closeTooltip(tooltip);
    // Back to the top of the tree for the overview, focus in the editor (no focus ring on a view).
    await treeRow(pane, { label: WORKSPACE_PKI.folder });
    await ui().page.locator('.part.editor').click();
    await parkMouse();
    await screenshot('pki-tree');
    // Activity bar, side bar and status bar, below the title bar.
    const frame = await regionOf([
      ui().page.locator('.part.activitybar'),
      ui().page.locator('.part.sidebar'),
    ]);
    await readmeImage('sidebar', { ...frame, height: (ui().page.viewportSize()?.height ?? 800) - frame.y });
  });

  it('renews the expired apiserver from the palette: preview, confirm, valid in the tree', async () => {
    const { page, workspace } = ui();
    const pane = await viewPane('PKI');
    const entries = await contextMenu(await treeRow(pane, { label: expired.name }), 'Open File');
    assert.ok(entries.includes('Renew Certificate…'), `context menu: ${entries.join(', ')}`);
    await shown(
      page.locator(`.tabs-container .tab.active[aria-label^="${path.basename(expired.file)}"]`),
      `the active tab ${path.basename(expired.file)}`,
    );

    await runFromPalette('Kube Certs: Renew Certificate…');
    const dialog = await modalDialog(30_000);
    const preview = normalize(await dialog.innerText());
    assert.match(preview, /Renew apiserver with the local CA\?/);
    assert.match(preview, /Subject: CN=kube-apiserver \(unchanged\)/);
    assert.match(preview, /DNS:kubernetes\.default\.svc\.cluster\.local/);
    assert.match(preview, /Not after: \S+ → \S+/);
    assert.match(preview, /Key: EC P-256 → EC P-256 \(new key\)/);
    await parkMouse();
    await screenshot('renew-preview');

    await pressDialogButton(dialog, 'Renew');
    const done = await notification('apiserver renewed', true);
    assert.match(done, /Restart the kube-apiserver static pods/);
    await notificationGone('Renewing apiserver');

    const renewed = await rowInfoWhen(
      pane,
      { label: expired.name },
      (i) => !i.description.startsWith('expired'),
    );
    assert.match(renewed.description, /^36[45]d$/, `after renewal: ${renewed.description}`);
    assert.notEqual(renewed.icon, 'error');
    const pki = path.join(workspace, WORKSPACE_PKI.folder, path.dirname(expired.file));
    const backups = fs.readdirSync(pki).filter((f) => /^apiserver\.(crt|key)\..+\.bak$/.test(f));
    assert.equal(backups.length, 2, `backups: ${backups.join(', ')}`);
    await parkMouse();
    await screenshot('renew-done');
  });
});
