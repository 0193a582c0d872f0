// Runs the renewal commands in a real extension host: scripted arguments (file, method, confirmed)
// stand in for the quick pick and the confirmation dialog.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { generateKubeadmPki } from '../../../src/core/pki/generate';
import { decodeFileContent } from '../../../src/core/x509/decode';
import { WORKSPACE_FILES } from '../../fixtures/workspace';
import { waitFor } from '../wait';
import { activatedExtension, workspaceUri } from '../workspace';

const DAY = 24 * 3600 * 1000;

interface CommandResult {
  readonly outcome: string;
  readonly reasons?: readonly string[];
  readonly restart?: readonly string[];
  readonly written?: readonly { readonly files: readonly string[]; readonly backups: readonly string[] }[];
}

function notAfterOf(file: string): Date {
  const cert = decodeFileContent(fs.readFileSync(file)).certificates[0]?.cert;
  assert.ok(cert, file);
  return cert.notAfter;
}

describe('renew', function () {
  this.timeout(60_000);
  let root = '';

  before(async () => {
    await activatedExtension();
    const now = new Date();
    const tree = await generateKubeadmPki({
      now: new Date(now.getTime() - 400 * DAY),
      key: { algorithm: 'EC', curve: 'P-256' },
      // The CAs outlive the renewal; every leaf has expired.
      validity: Object.fromEntries(
        ['ca', 'front-proxy-ca', 'etcd-ca'].map((ca) => [
          ca,
          { notBefore: new Date(now.getTime() - 400 * DAY), notAfter: new Date(now.getTime() + 3000 * DAY) },
        ]),
      ),
    });
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'kubecerts-renew-ext-'));
    for (const [relative, file] of tree) {
      fs.mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
      fs.writeFileSync(path.join(root, relative), file.contents, { mode: file.mode });
    }
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('renews an expired apiserver certificate for a year, keeping a backup and naming kube-apiserver', async () => {
    const file = path.join(root, 'pki/apiserver.crt');
    assert.ok(notAfterOf(file).getTime() < Date.now());
    const result = (await vscode.commands.executeCommand('kubecerts.renewCert', {
      file,
      method: 'local',
      confirmed: true,
    })) as CommandResult;
    assert.equal(result.outcome, 'renewed', JSON.stringify(result));
    assert.deepEqual(result.restart, ['kube-apiserver']);
    const days = (notAfterOf(file).getTime() - Date.now()) / DAY;
    assert.ok(days > 364 && days <= 365, `valid for ${days} days`);
    const backups = result.written?.[0]?.backups ?? [];
    assert.equal(backups.length, 2);
    for (const backup of backups) assert.ok(fs.existsSync(backup), backup);
  });

  it('refuses kubelet.conf, explaining that the kubelet rotates it', async () => {
    const result = (await vscode.commands.executeCommand('kubecerts.renewCert', {
      file: path.join(root, 'kubelet.conf'),
      confirmed: true,
    })) as CommandResult;
    assert.equal(result.outcome, 'refused');
    assert.match(result.reasons?.join(' ') ?? '', /kubelet rotates itself/);
  });

  it('renews the whole kubeadm catalog with renewAll', async () => {
    const result = (await vscode.commands.executeCommand('kubecerts.renewAll', {
      configDir: root,
      confirmed: true,
    })) as CommandResult;
    assert.equal(result.outcome, 'renewed', JSON.stringify(result));
    assert.equal(result.written?.length, 11);
    assert.deepEqual(result.restart, ['kube-apiserver', 'etcd', 'kube-controller-manager', 'kube-scheduler']);
    for (const rel of ['pki/etcd/peer.crt', 'pki/front-proxy-client.crt'])
      assert.ok(notAfterOf(path.join(root, rel)).getTime() > Date.now());
  });

  it('offers a "Renew certificate…" quick fix on an expired client certificate', async () => {
    const uri = workspaceUri(WORKSPACE_FILES.expired.file);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const diagnostic = await waitFor('a cert-expired diagnostic', () =>
      vscode.languages
        .getDiagnostics(uri)
        .find((d) => (typeof d.code === 'object' ? d.code.value : d.code) === 'cert-expired'),
    );
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      uri,
      diagnostic.range,
    );
    const renew = actions.find((a) => a.command?.command === 'kubecerts.renewCert');
    assert.ok(renew, `actions: ${actions.map((a) => a.title).join(', ')}`);
    assert.deepEqual(renew.command?.arguments, [
      { file: uri.fsPath, offset: doc.offsetAt(diagnostic.range.start) },
    ]);
  });
});
