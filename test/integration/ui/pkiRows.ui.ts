// The PKI view at the side bar's default width (300 px), as issue 20 asks (items 4 to 7): every
// item row shows its verdict whole (label and description not cut), the externally managed CA's
// tooltip names only files that exist and says which one is missing, the activity bar icon counts
// the folders' errors, and super-admin.conf (valid, but O=system:masters) is not green. Runs after
// pki.ui.ts (files run in name order): the apiserver is renewed by then.
import assert from 'node:assert/strict';
import type { Locator } from 'playwright-core';
import { WORKSPACE_PKI } from '../../fixtures/workspace';
import { waitFor } from '../wait';
import { parkMouse, screenshot, waitForWorkbench } from './page';
import { ui } from './session';
import {
  closeTooltip,
  openKubeCertsSideBar,
  rowInfo,
  rowTooltip,
  setSideBarWidth,
  treeRow,
  viewPane,
  type RowMatch,
} from './sideBar';

const { missing, externallyManaged, loosePermissions } = WORKSPACE_PKI;

/** True when the row's label and description are drawn whole (no ellipsis). */
function drawnWhole(row: Locator): Promise<boolean> {
  return row.evaluate((r) => {
    const container = r.querySelector('.monaco-icon-label-container') as HTMLElement | null;
    return !!container && container.scrollWidth <= container.clientWidth + 1;
  });
}

/** True when the row's label (its verdict, for a finding row) is drawn whole; the description may be cut. */
function labelWhole(row: Locator): Promise<boolean> {
  return row.evaluate((r) => {
    const label = r.querySelector('.label-name') as HTMLElement | null;
    const container = r.querySelector('.monaco-icon-label-container') as HTMLElement | null;
    if (!label || !container) return false;
    return label.getBoundingClientRect().right <= container.getBoundingClientRect().right + 1;
  });
}

/** The tooltip a row shows on hover, as text, with a screenshot of it. */
async function tooltipOf(pane: Locator, match: RowMatch, until: (text: string) => boolean): Promise<string> {
  const { text, tooltip } = await rowTooltip(pane, match, until);
  await screenshot('pki-rows-tooltip');
  await closeTooltip(tooltip);
  return text;
}

describe('PKI rows at 300 px', () => {
  let previousWidth = 0;

  before(async () => {
    await waitForWorkbench();
    await openKubeCertsSideBar();
    previousWidth = await setSideBarWidth(300);
  });

  after(async () => {
    if (previousWidth) await setSideBarWidth(previousWidth);
  });

  it('shows the verdict of every row kind whole: CA, certificate, MISSING, kubeconfig, key pair', async () => {
    const pane = await viewPane('PKI');
    await treeRow(pane, { label: WORKSPACE_PKI.folder }, 30_000);
    const rows = [
      { label: 'ca', description: /^\d+y$/ },
      { label: externallyManaged.name, description: /^\d+y$/, icon: 'lock' },
      { label: 'apiserver-kubelet-client', description: /^36[45]d$/ },
      { label: missing.name, description: /^MISSING$/, icon: 'question' },
      { label: 'controller-manager.conf', description: /^(1y|36[45]d)$/ },
      { label: 'kubelet.conf', description: /^(1y|36[45]d)$/ },
      { label: 'sa', description: /^$/ },
    ];
    for (const expected of rows) {
      const row = await treeRow(pane, { label: expected.label });
      const info = await rowInfo(row);
      assert.match(info.description, expected.description, `${expected.label}: "${info.description}"`);
      if (expected.icon) assert.equal(info.icon, expected.icon, expected.label);
      assert.ok(await drawnWhole(row), `${expected.label} "${info.description}" is cut at 300 px`);
    }
    await treeRow(pane, { label: WORKSPACE_PKI.folder });
    await parkMouse();
    await screenshot('pki-rows-300px');
  });

  // A finding row's verdict is its code, drawn whole; the file it concerns follows and may be cut
  // (it is in the tooltip, with the message).
  it('shows a CIS finding row by its code, whole, then its file; the benchmark item in the tooltip', async () => {
    const pane = await viewPane('PKI');
    const row = await treeRow(pane, { label: 'cis-file-permissions' }, 30_000);
    const info = await rowInfo(row);
    assert.equal(info.description, loosePermissions.file.split('/').pop());
    assert.equal(info.icon, 'warning');
    assert.ok(await labelWhole(row), 'the code cis-file-permissions is cut at 300 px');
    const text = await tooltipOf(pane, { label: 'cis-file-permissions' }, (t) =>
      t.includes('front-proxy-client.key'),
    );
    assert.match(text, /has mode 0?644; CIS Kubernetes Benchmark .* item [\d.]+ requires 0?600/);
    await parkMouse();
    await screenshot('pki-rows-300px-cis');
  });

  it('names in the externally managed CA tooltip only files that exist, and the missing key', async () => {
    const pane = await viewPane('PKI');
    const text = await tooltipOf(pane, { label: externallyManaged.name }, (t) => t.includes('Missing'));
    const key = externallyManaged.removed.split('/').pop() as string;
    assert.match(text, new RegExp(`Missing: +\\S*${key.replace('.', '\\.')}`));
    assert.doesNotMatch(text, new RegExp(`Key: +\\S*${key.replace('.', '\\.')}`));
    assert.match(text, /File: +\S*front-proxy-ca\.crt/);
    assert.match(text, /the CA key is not here/);
  });

  it('colours super-admin.conf by its system:masters warning, not green', async () => {
    const pane = await viewPane('PKI');
    const info = await rowInfo(await treeRow(pane, { label: 'super-admin.conf' }));
    assert.equal(info.icon, 'warning');
    assert.equal((await rowInfo(await treeRow(pane, { label: 'admin.conf' }))).icon, 'file-code');
  });

  it('counts the errors on the activity bar icon, as the Problems panel does', async () => {
    const { page } = ui();
    const entry = page.locator('.part.activitybar .action-item').filter({
      has: page.locator('a.action-label[aria-label^="Kube Certs"]'),
    });
    const count = await waitFor(
      'the Kube Certs badge',
      async () =>
        (
          await entry
            .locator('.badge-content')
            .innerText()
            .catch(() => '')
        ).trim(),
      { until: (t) => /^\d+$/.test(t) },
    );
    // At least the MISSING healthcheck client certificate, drawn red.
    assert.ok(Number(count) >= 1, `badge ${count}`);
    await screenshot('pki-rows-badge');
  });
});
