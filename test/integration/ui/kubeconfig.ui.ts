import assert from 'node:assert/strict';
import { WORKSPACE_FILES } from '../../fixtures/workspace';
import { ui } from './session';
import { waitFor } from '../wait';
import { hoverValue, openFromExplorer } from './editor';
import { readmeImage, regionOf, screenshot, waitForWorkbench } from './page';
import { openProblemsPanel, problemRows } from './problems';

describe('kubeconfig', () => {
  before(waitForWorkbench);

  it('hover shows the decoded client certificate', async () => {
    const { admin } = WORKSPACE_FILES;
    await openFromExplorer(admin.file, 'client-certificate-data');
    await screenshot('kubeconfig-open');
    const text = await hoverValue('client-certificate-data', admin.commonName);
    await screenshot('kubeconfig-hover');
    const { page } = ui();
    const hover = page.locator('.monaco-hover').filter({ visible: true }).first();
    const frame = await regionOf([page.locator('.part.editor'), hover]);
    const hoverBox = await regionOf([hover], 24);
    await readmeImage('hover', { ...frame, height: hoverBox.y + hoverBox.height - frame.y });
    assert.ok(text.includes(admin.commonName), `hover text: ${text}`);
    for (const group of admin.organizations)
      assert.ok(text.includes(group), `group ${group} in hover: ${text}`);
  });

  it('Problems panel lists the findings of the expired client certificate', async () => {
    const { expired } = WORKSPACE_FILES;
    await openFromExplorer(expired.file, 'client-certificate-data');
    await ui().page.mouse.move(5, 5);
    await openProblemsPanel();
    const listed = (rows: { text: string }[], code: string) => rows.some((row) => row.text.includes(code));
    const rows = await waitFor(`${expired.expectedFindings.join(', ')} in the Problems panel`, problemRows, {
      until: (r) => expired.expectedFindings.every((code) => listed(r, code)),
    });
    await screenshot('problems');
    const { page } = ui();
    // The editor and the panel down to its last row: the empty rest of the panel says nothing.
    const frame = await regionOf([page.locator('.part.editor'), page.locator('.part.panel')]);
    const lastRow = await regionOf([page.locator('.markers-panel .monaco-list-row').last()], 16);
    await readmeImage('problems', { ...frame, height: lastRow.y + lastRow.height - frame.y });
    for (const code of expired.expectedFindings) {
      const row = rows.find((r) => r.text.includes(code));
      assert.ok(row, `${code} not in Problems rows: ${JSON.stringify(rows)}`);
      assert.match(row.label, /error/i, `severity of ${row.text}`);
    }
  });
});
