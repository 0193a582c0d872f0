// The CSR view in a real extension host against the demo cluster. Needs KUBECERTS_DEMO_DIR: the
// directory of a freshly seeded demo cluster (`npm run demo-cluster -- --dir DIR --seed`), running
// for the whole suite; kubectl on PATH. The suite points kubecerts.kubeconfig at DIR/admin.conf.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import * as vscode from 'vscode';
import type { CsrViewSnapshot } from '../../../src/extension/views/csr/csrView';
import { waitFor } from '../wait';
import { activatedExtension } from '../workspace';

const DEMO_DIR = process.env.KUBECERTS_DEMO_DIR;
const run = promisify(execFile);

async function kubectlConditions(name: string): Promise<string> {
  const { stdout } = await run('kubectl', [
    '--kubeconfig',
    path.join(DEMO_DIR!, 'admin.conf'),
    'get',
    'csr',
    name,
    '-o',
    'jsonpath={.status.conditions[*].type}',
  ]);
  return stdout.trim();
}

async function snapshot(): Promise<CsrViewSnapshot> {
  return (await vscode.commands.executeCommand('kubecerts.csr.refresh')) as CsrViewSnapshot;
}

function item(snap: CsrViewSnapshot, name: string): CsrViewSnapshot['items'][number] {
  const found = snap.items.find((i) => i.name === name);
  assert.ok(found, `${name} is in the view (${snap.problem?.detail ?? 'no problem'})`);
  return found;
}

async function useKubeconfig(file: string): Promise<void> {
  await vscode.workspace
    .getConfiguration('kubecerts')
    .update('kubeconfig', path.join(DEMO_DIR!, file), vscode.ConfigurationTarget.Global);
}

describe('CSR view (demo cluster)', function () {
  this.timeout(60_000);
  // The user's own value (the e2e runner writes one for the UI tests), restored after the suite.
  let previous: string | undefined;

  before(async function () {
    if (!DEMO_DIR) this.skip();
    await activatedExtension();
    previous = vscode.workspace.getConfiguration('kubecerts').inspect<string>('kubeconfig')?.globalValue;
    await useKubeconfig('admin.conf');
    await vscode.commands.executeCommand('kubecerts.csrView.focus');
  });

  after(async () => {
    if (DEMO_DIR)
      await vscode.workspace
        .getConfiguration('kubecerts')
        .update('kubeconfig', previous, vscode.ConfigurationTarget.Global);
  });

  it('lists the seeded CSRs with their risks', async () => {
    const snap = await waitFor('the seeded CSRs', async () => {
      const s = await snapshot();
      return s.items.length ? s : undefined;
    });
    assert.equal(snap.context, 'kubernetes-admin@kubecerts-demo');
    assert.deepEqual(item(snap, 'csr-node-2-serving-unknown-sans').risks, ['san-not-node-address']);
    assert.equal(item(snap, 'csr-node-2-serving-unknown-sans').contextValue, 'csr-pending');
    assert.deepEqual(item(snap, 'csr-node-1-serving').risks, []);
  });

  it('denies the kubelet-serving CSR with foreign SANs; kubectl agrees', async () => {
    await vscode.commands.executeCommand('kubecerts.csr.deny', 'csr-node-2-serving-unknown-sans', {
      message: 'foreign SANs',
    });
    await waitFor('Denied in the view', async () =>
      item(await snapshot(), 'csr-node-2-serving-unknown-sans').contextValue === 'csr-denied'
        ? true
        : undefined,
    );
    assert.equal(await kubectlConditions('csr-node-2-serving-unknown-sans'), 'Denied');
  });

  it('approves the good one; it is issued; kubectl agrees', async () => {
    await vscode.commands.executeCommand('kubecerts.csr.approve', 'csr-node-1-serving', {
      message: 'checked',
    });
    await waitFor('Approved,Issued in the view', async () =>
      item(await snapshot(), 'csr-node-1-serving').contextValue === 'csr-issued' ? true : undefined,
    );
    assert.equal(await kubectlConditions('csr-node-1-serving'), 'Approved');
  });

  it('does not approve a denied CSR', async () => {
    await vscode.commands.executeCommand('kubecerts.csr.approve', 'csr-node-2-serving-unknown-sans', {
      message: 'x',
    });
    assert.equal(await kubectlConditions('csr-node-2-serving-unknown-sans'), 'Denied');
    assert.equal(item(await snapshot(), 'csr-node-2-serving-unknown-sans').contextValue, 'csr-denied');
  });

  it('opens a CSR as read-only YAML and saves its issued certificate', async () => {
    await vscode.commands.executeCommand('kubecerts.csr.openYaml', 'csr-node-1-serving');
    const doc = vscode.window.activeTextEditor?.document;
    assert.equal(doc?.languageId, 'yaml');
    assert.match(doc!.getText(), /name: csr-node-1-serving/);
    const target = vscode.Uri.file(
      path.join(mkdtempSync(path.join(tmpdir(), 'kubecerts-crt-')), 'node-1.crt'),
    );
    await vscode.commands.executeCommand('kubecerts.csr.saveCertificate', 'csr-node-1-serving', target);
    assert.match(readFileSync(target.fsPath, 'utf8'), /^-----BEGIN CERTIFICATE-----/);
  });

  it('as the viewer: the list works, a denial is refused by RBAC and nothing changes', async () => {
    await useKubeconfig('viewer.conf');
    const snap = await waitFor('the viewer context', async () => {
      const s = await snapshot();
      return s.context.includes('viewer') && s.items.length ? s : undefined;
    });
    assert.equal(item(snap, 'csr-node-3-asks-for-node-1').contextValue, 'csr-pending');
    await vscode.commands.executeCommand('kubecerts.csr.deny', 'csr-node-3-asks-for-node-1', {
      message: 'x',
    });
    assert.equal(await kubectlConditions('csr-node-3-asks-for-node-1'), '');
    await useKubeconfig('admin.conf');
  });
});
