// The CSR view as an approver uses it, against the demo cluster the runner started: a pending
// kubelet-serving request naming addresses that are not its node's is flagged, denied with the
// inline Deny button and a reason; the good one is approved with the inline Approve button. After
// each click, the real kubectl (as the cluster admin) must see the same decision. The tests create
// their own CSRs (as node-1, like a kubelet), so the extension-host suite's seeded ones are not
// touched twice.
import assert from 'node:assert/strict';
import { createKubeletServingCsr, csrField } from './cluster';
import { waitFor } from '../wait';
import { answerInputBox, inputBox } from './dialogs';
import { parkMouse, screenshot, waitForWorkbench } from './page';
import {
  clickInlineAction,
  collapseRow,
  expandRow,
  inlineActions,
  openKubeCertsSideBar,
  rowInfo,
  rowInfoWhen,
  rowUnder,
  setSideBarWidth,
  treeRow,
  viewPane,
} from './sideBar';

const NODE = 'node-1';
const GOOD = { name: 'ui-node-1-serving', node: NODE, sans: { dns: [NODE], ip: ['10.0.0.11'] } };
const FOREIGN = {
  name: 'ui-node-1-serving-foreign-sans',
  node: NODE,
  sans: { dns: [NODE, 'metrics.attacker.example'], ip: ['10.0.0.11', '203.0.113.7'] },
};
const DENY_REASON = 'Foreign SANs: metrics.attacker.example, 203.0.113.7 are not addresses of node-1.';
const APPROVE = 'Approve Certificate Signing Request';
const DENY = 'Deny Certificate Signing Request';
const VIEW = 'Certificate Signing Requests';
// Rows are looked up under their group, opened first whatever its state: a group's open state is
// the user's (and the view keeps it across refreshes), never something a test may assume.
const PENDING = { label: 'Pending' };

/** The condition types and messages kubectl reports, once the server has any condition. */
async function kubectlDecision(name: string): Promise<{ types: string; message: string }> {
  const read = async () => ({
    types: await csrField(name, '{.status.conditions[*].type}'),
    message: await csrField(name, '{.status.conditions[0].message}'),
  });
  return waitFor(`a decision on ${name} in kubectl`, read, { until: (d) => d.types !== '' });
}

describe('CSR view', () => {
  let previousWidth = 0;

  before(async () => {
    await waitForWorkbench();
    await createKubeletServingCsr(GOOD);
    await createKubeletServingCsr(FOREIGN);
    await openKubeCertsSideBar();
    // Wide enough to read signer, requester and age next to each name.
    previousWidth = await setSideBarWidth(460);
  });

  after(async () => {
    if (previousWidth) await setSideBarWidth(previousWidth);
  });

  it('shows the kubelet-serving CSR with foreign SANs under Pending, with a risk badge', async () => {
    const pane = await viewPane(VIEW);
    const pending = await treeRow(pane, { label: 'Pending' });
    assert.equal((await rowInfo(pending)).expanded, 'true', 'the Pending group is expanded');
    // The review (which reads node-1's addresses) lands after the row itself.
    const info = await rowInfoWhen(pane, { label: FOREIGN.name }, (i) => i.badge !== '', { group: PENDING });
    assert.match(info.ariaLabel, /, Pending, 1 risks$/, info.ariaLabel);
    assert.equal(info.badge, '1', 'one error-level risk on the badge');
    // The verdict first (the worst risk's short label), then kubectl's AGE.
    assert.match(info.description, /^foreign SANs · \d+[smh]/, info.description);
    const good = await rowInfo(await rowUnder(pane, PENDING, { label: GOOD.name }));
    assert.match(good.ariaLabel, /, Pending, 0 risks$/, good.ariaLabel);
    assert.equal(good.badge, '', 'no badge on the request that names only its node');
    assert.match(good.description, /^no risk found · \d+[smh]/, good.description);

    await expandRow(await rowUnder(pane, PENDING, { label: FOREIGN.name }));
    const risk = await rowInfo(await treeRow(pane, { label: /are not addresses of node node-1/ }));
    assert.equal(risk.description, 'san-not-node-address');
    assert.match(risk.label, /metrics\.attacker\.example/);
    assert.match(risk.label, /203\.0\.113\.7/);
    await parkMouse();
    await screenshot('csr-risk');
    await collapseRow(await treeRow(pane, { label: FOREIGN.name }));
  });

  it('denies it with the inline Deny button and a reason; kubectl agrees', async () => {
    const pane = await viewPane(VIEW);
    const row = await rowUnder(pane, PENDING, { label: FOREIGN.name });
    await row.hover();
    await screenshot('csr-inline-actions');
    await clickInlineAction(row, DENY);
    const box = await inputBox();
    assert.equal(box.title, `Deny ${FOREIGN.name}`);
    await box.input.fill(DENY_REASON);
    await screenshot('csr-deny-reason');
    await answerInputBox();

    // The row moves to the Denied group once the watch reports the decision.
    const info = await rowInfoWhen(pane, { label: FOREIGN.name }, (i) => i.ariaLabel.includes(', Denied,'), {
      group: { label: 'Denied' },
    });
    assert.match(info.ariaLabel, /, Denied, /, info.ariaLabel);
    assert.equal(info.icon, 'circle-slash');
    assert.deepEqual(await kubectlDecision(FOREIGN.name), { types: 'Denied', message: DENY_REASON });
    // Denied is final: no Approve or Deny offered any more.
    assert.deepEqual(await inlineActions(await treeRow(pane, { label: FOREIGN.name })), []);
    await parkMouse();
    await screenshot('csr-denied');
  });

  it('approves the good one with the inline Approve button; it is issued; kubectl agrees', async () => {
    const pane = await viewPane(VIEW);
    const row = await rowUnder(pane, PENDING, { label: GOOD.name });
    await clickInlineAction(row, APPROVE);
    const box = await inputBox();
    assert.equal(box.title, `Approve ${GOOD.name}`);
    assert.equal(box.value, 'Approved with Kube Certs after review.');
    await answerInputBox();

    // The row moves to Approved/Issued once the approval and then the signed certificate land.
    const info = await rowInfoWhen(
      pane,
      { label: GOOD.name },
      (i) => i.ariaLabel.includes(', Approved,Issued,'),
      { group: { label: 'Approved/Issued' } },
    );
    assert.match(info.ariaLabel, /, Approved,Issued, /, info.ariaLabel);
    assert.equal(info.icon, 'pass-filled');
    assert.deepEqual(await kubectlDecision(GOOD.name), {
      types: 'Approved',
      message: 'Approved with Kube Certs after review.',
    });
    assert.match(await csrField(GOOD.name, '{.status.certificate}'), /^LS0tLS1CRUdJTi/);
    await parkMouse();
    await screenshot('csr-approved');
  });
});
