// The Cluster Certificates view at the side bar's default width (300 px), against the seeded demo
// cluster: each seeded problem is on its row with the verdict first and whole (issue 20's rule for
// every side-bar view), the icon of its worst finding, the findings in the tooltip; a TLS Secret
// with planted markers (in tls.key, other data, the last-applied annotation) opens as YAML with
// those values redacted, and no marker reaches the tree, a tooltip, the editor, a screenshot's
// page text or the Kube Certs log.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { markerTlsSecret, type MarkerSecret } from '../../fixtures/clusterMarkers';
import { waitFor } from '../wait';
import { kubectl } from './cluster';
import { kubeCertsLogs } from './output';
import { normalize, parkMouse, readmeImage, regionOf, screenshot, shown, waitForWorkbench } from './page';
import { ui } from './session';
import {
  clickInlineAction,
  openKubeCertsSideBar,
  rowInfoWhen,
  rowTooltip,
  setSideBarWidth,
  treeRow,
  viewPane,
  visibleShare,
} from './sideBar';

const VIEW = 'Cluster Certificates';
/** The other views, collapsed while this one is looked at so that its rows have room. */
const OTHER_VIEWS = ['PKI', 'Certificate Signing Requests'];
const OPEN_YAML = 'Open as YAML (Secret Values Redacted)';

/** The demo's seeded problems (tools/demo-cluster/seedObjects.ts), as each row must say them. */
const SEEDED_ROWS: readonly { label: string; verdict: RegExp; icon: string }[] = [
  { label: 'api-example-com-tls', verdict: /^wrong key · /, icon: 'error' },
  { label: 'shop-example-com-tls', verdict: /^1[12]d · /, icon: 'warning' },
  { label: 'grafana-tls', verdict: /^wrong CA · /, icon: 'error' },
  { label: 'policy-validator', verdict: /^expired · 10d ago · /, icon: 'error' },
  // Under kube-root-ca.crt, by namespace (the TLS Secrets group has a "monitoring" row too).
  { label: 'monitoring', verdict: /^stale CA · /, icon: 'warning' },
  { label: 'v1beta1.metrics.k8s.io', verdict: /^\d+[dy] · /, icon: 'shield' },
];

async function setPaneExpanded(title: string, expanded: boolean): Promise<void> {
  const header = await shown(
    ui().page.locator(`.part.sidebar .pane-header[aria-label="${title} Section"]`),
    `the ${title} view`,
  );
  await waitFor(`the ${title} view ${expanded ? 'expanded' : 'collapsed'}`, async () => {
    if ((await header.getAttribute('aria-expanded')) === String(expanded)) return true;
    await header.click();
    return false;
  });
}

/** Text of the page with every marker looked for: none may be drawn anywhere. */
async function assertNoMarker(planted: MarkerSecret, where: string): Promise<void> {
  const text = normalize(await ui().page.locator('body').innerText());
  for (const secret of planted.forbidden)
    assert.ok(!text.includes(secret), `${where}: "${secret}" is on screen`);
}

describe('Cluster Certificates view at the default side-bar width', () => {
  let previousWidth = 0;
  let planted: MarkerSecret;

  before(async () => {
    await waitForWorkbench();
    await openKubeCertsSideBar();
    previousWidth = await setSideBarWidth(300);
    for (const title of OTHER_VIEWS) await setPaneExpanded(title, false);
  });

  after(async () => {
    for (const title of OTHER_VIEWS) await setPaneExpanded(title, true);
    if (previousWidth) await setSideBarWidth(previousWidth);
  });

  it('shows each seeded problem on its row, the verdict first and whole at 300 px', async () => {
    const pane = await viewPane(VIEW);
    for (const expected of SEEDED_ROWS) {
      const match = { label: expected.label, description: expected.verdict };
      const info = await rowInfoWhen(pane, match, (i) => expected.verdict.test(i.description), {
        timeoutMs: 60_000,
      });
      assert.equal(info.icon, expected.icon, `${expected.label}: ${info.icon}`);
      const verdict = info.description.split(' · ')[0];
      const share = await visibleShare(await treeRow(pane, match), verdict.length);
      assert.equal(
        share,
        1,
        `${expected.label}: "${verdict}" is cut at 300 px (${Math.round(share * 100)}% shown)`,
      );
    }
    const top = await treeRow(pane, { label: 'TLS Secrets' });
    await top.scrollIntoViewIfNeeded();
    await parkMouse();
    await screenshot('cluster-view-300px');
    await readmeImage('cluster-view', await regionOf([pane]));
  });

  it('names the findings in the row tooltip, and no secret value', async () => {
    const pane = await viewPane(VIEW);
    const { text } = await rowTooltip(pane, { label: 'api-example-com-tls' }, (t) =>
      t.includes('api-example-com-tls'),
    );
    assert.match(
      text,
      /tls\.key of Secret ingress-nginx\/api-example-com-tls is not the private key of its tls\.crt/,
    );
    assert.match(text, /tls-key-mismatch/);
    await screenshot('cluster-view-tooltip');
    await parkMouse();
  });

  it('opens the planted Secret as YAML with every secret value redacted; nothing in the log', async () => {
    // Created only now, so that the README image above shows the seeded objects alone.
    planted = await markerTlsSecret('default', 'marker-ui-tls');
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kubecerts-ui-marker-')), 'secret.json');
    fs.writeFileSync(file, planted.manifest);
    await kubectl(['create', '-f', file]);
    const pane = await viewPane(VIEW);
    const row = await rowInfoWhen(pane, { label: 'marker-ui-tls' }, (i) => /^\d+d · /.test(i.description), {
      timeoutMs: 60_000,
    });
    assert.match(row.description, /marker-ui-tls\.example\.com$/);
    await assertNoMarker(planted, 'the tree');
    await clickInlineAction(await treeRow(pane, { label: 'marker-ui-tls' }), OPEN_YAML);
    const editor = ui().page.locator('.editor-instance .monaco-editor .view-lines');
    const yaml = await waitFor('the YAML document', async () => normalize(await editor.first().innerText()), {
      until: (t) => t.includes('marker-ui-tls') && t.includes('REDACTED'),
    });
    assert.match(yaml, /password: REDACTED/);
    assert.match(yaml, /tls\.key: REDACTED/);
    await parkMouse();
    await screenshot('cluster-view-yaml-redacted');
    await assertNoMarker(planted, 'the YAML editor');
    const log = kubeCertsLogs(ui().userDataDir)
      .map((f) => fs.readFileSync(f, 'utf8'))
      .join('\n');
    assert.match(log, /Cluster view: watching context/);
    for (const secret of planted.forbidden) assert.ok(!log.includes(secret), `"${secret}" is in the log`);
  });
});
