// Certificates readable at a glance: the CodeLens above a Secret manifest's certificate fields,
// then the details document it opens (the full decoding and our verdict). The Secret's tls.key is
// painted over in every screenshot (page.ts) and never reaches the log.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { Buffer } from 'node:buffer';
import { WORKSPACE_MANIFEST } from '../../fixtures/manifests';
import { brokenKeyPem } from '../../fixtures/secrets';
import { CLUSTER_CA_COMMON_NAME } from '../../fixtures/workspace';
import { runFromPalette } from './dialogs';
import { openFromExplorer } from './editor';
import { kubeCertsLogs } from './output';
import { parkMouse, readmeImage, regionOf, screenshot, shown, waitForWorkbench } from './page';
import { ui } from './session';

describe('codelens', () => {
  before(waitForWorkbench);

  it('shows a CodeLens above each certificate field of a Secret manifest and opens its details', async () => {
    const m = WORKSPACE_MANIFEST;
    const { page } = ui();
    await openFromExplorer(m.file, 'tls.crt');
    await parkMouse();
    const expired = `CN=${m.commonName} · ✗ expired ${m.expiredDays} days ago · signed by CN=${CLUSTER_CA_COMMON_NAME}`;
    const lens = await shown(
      page.locator('.codelens-decoration a').filter({ hasText: expired }),
      'the CodeLens of tls.crt',
    );
    await shown(
      page
        .locator('.codelens-decoration a')
        .filter({ hasText: `CN=${CLUSTER_CA_COMMON_NAME} · expires in 8 years · root CA` })
        .first(),
      'the CodeLens of ca.crt',
    );
    await screenshot('codelens');
    const editor = page.locator('.part.editor');
    const lastLine = page.locator('.editor-instance .view-line').filter({ hasText: 'caBundle' });
    const frame = await regionOf([editor]);
    const end = await regionOf([lastLine], 24);
    await readmeImage('codelens', { ...frame, height: end.y + end.height - frame.y });

    await lens.click();
    const details = await shown(
      page.locator('.editor-instance .view-lines').filter({ hasText: 'Subject Public Key Info' }),
      'the details document',
    );
    await shown(
      details.filter({ hasText: `expired ${m.expiredDays} days ago` }),
      'our verdict in the details',
    );
    // The document alone, as wide as the editor area.
    await runFromPalette('View: Close Editors in Other Groups');
    await shown(page.locator('.tabs-container .tab.active[aria-label^="CN="]'), 'the details document alone');
    await parkMouse();
    await screenshot('details');
    await readmeImage('details', await regionOf([editor]));

    const log = kubeCertsLogs(ui().userDataDir)
      .map((f) => fs.readFileSync(f, 'utf8'))
      .join('\n');
    const keyBase64 = Buffer.from(brokenKeyPem(m.keyMarker)).toString('base64');
    for (const secret of [m.keyMarker, keyBase64.slice(0, 32), keyBase64.slice(-40, -8)])
      assert.ok(!log.includes(secret), 'the key never reaches the log');
  });
});
