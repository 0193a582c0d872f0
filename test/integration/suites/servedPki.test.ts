// The served-certificate check of the PKI view in a real extension host: a kubeadm folder whose
// kube-apiserver manifest points at a loopback listener that, like kube-apiserver, loads its
// certificate once at start. "Renew Certificate…" (scripted arguments) ends by checking and names
// kube-apiserver as still serving the old certificate; the row says so until the "restart" and
// "Check Served Certificates". A kubelet folder from kubecerts.kubeletDirectories shows its rows.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import * as vscode from 'vscode';
import { setManifestFlags } from '../../../src/core/pki/manifest';
import { issueCertificate } from '../../../src/core/x509/issue';
import type { PkiViewSnapshot, ServedSummary } from '../../../src/extension/views/pki/pkiView';
import { removeTree, writeKubeadmTree } from '../../fixtures/kubeadm';
import { writeKubeletFolder } from '../../fixtures/kubelet';
import { waitFor } from '../wait';
import { activatedExtension } from '../workspace';

const EC = { algorithm: 'EC', curve: 'P-256' } as const;

async function snapshot(): Promise<PkiViewSnapshot> {
  return (await vscode.commands.executeCommand('kubecerts.pki.refresh')) as PkiViewSnapshot;
}

async function setFolders(key: 'pkiDirectories' | 'kubeletDirectories', folders: string[] | undefined) {
  await vscode.workspace
    .getConfiguration('kubecerts')
    .update(key, folders, vscode.ConfigurationTarget.Global);
}

describe('served certificates of the PKI folders', function () {
  this.timeout(120_000);
  let root = '';
  let kubelet = '';
  let server: Server | undefined;
  const previous = { pki: undefined as string[] | undefined, kubelet: undefined as string[] | undefined };

  before(async () => {
    await activatedExtension();
    const config = vscode.workspace.getConfiguration('kubecerts');
    previous.pki = config.inspect<string[]>('pkiDirectories')?.globalValue;
    previous.kubelet = config.inspect<string[]>('kubeletDirectories')?.globalValue;
    root = (await writeKubeadmTree({ now: new Date(), key: EC, node: { advertiseAddress: '127.0.0.1' } }))
      .root;
    const pair = () => ({
      cert: fs.readFileSync(path.join(root, 'pki/apiserver.crt')),
      key: fs.readFileSync(path.join(root, 'pki/apiserver.key')),
    });
    const listening = createServer(pair(), (_req, res) => res.end());
    server = listening;
    await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
    const manifest = path.join(root, 'manifests/kube-apiserver.yaml');
    const port = (listening.address() as AddressInfo).port;
    fs.writeFileSync(
      manifest,
      setManifestFlags(fs.readFileSync(manifest, 'utf8'), { '--secure-port': String(port) }),
    );
    const ca = await issueCertificate({
      subject: { commonName: 'kubernetes' },
      notBefore: new Date(Date.now() - 60_000),
      notAfter: new Date(Date.now() + 3650 * 86_400_000),
      basicConstraints: { ca: true },
      keyUsage: ['keyCertSign'],
      key: EC,
    });
    kubelet = (await writeKubeletFolder({ now: new Date(), nodeName: 'node-1', clusterCa: ca, key: EC }))
      .root;
    await setFolders('pkiDirectories', [root]);
    await setFolders('kubeletDirectories', [kubelet]);
    await vscode.commands.executeCommand('kubecerts.pkiView.focus');
  });

  after(async () => {
    await setFolders('pkiDirectories', previous.pki);
    await setFolders('kubeletDirectories', previous.kubelet);
    server?.close();
    server?.closeAllConnections();
    if (root) removeTree(root);
    if (kubelet) removeTree(kubelet);
  });

  it('served: renewing the apiserver names kube-apiserver as serving the old certificate until it restarts', async () => {
    await waitFor('the folder scanned', snapshot, {
      until: (s) => s.roots.some((r) => r.folder === root && r.layout === 'kubeadm'),
    });
    const result = (await vscode.commands.executeCommand('kubecerts.renewCert', {
      file: path.join(root, 'pki/apiserver.crt'),
      method: 'local',
      confirmed: true,
    })) as { outcome: string; stillServingOld?: string[] };
    assert.equal(result.outcome, 'renewed', JSON.stringify(result));
    assert.deepEqual(result.stillServingOld, ['kube-apiserver']);

    const stale = await waitFor('the apiserver row to say restart needed', snapshot, {
      until: (s) =>
        s.roots
          .find((r) => r.folder === root)
          ?.items.some((i) => i.id === 'cert:pki/apiserver.crt' && i.stale === true) === true,
    });
    const row = stale.roots
      .find((r) => r.folder === root)!
      .items.find((i) => i.id === 'cert:pki/apiserver.crt')!;
    assert.ok(row.findings.includes('served-cert-stale'), row.findings.join());
    assert.match(row.description, /^restart needed · 36[45]d$/);

    // "Restart kube-apiserver": it loads the renewed pair; the next check finds nothing to restart.
    server!.setSecureContext({
      cert: fs.readFileSync(path.join(root, 'pki/apiserver.crt')),
      key: fs.readFileSync(path.join(root, 'pki/apiserver.key')),
    });
    server!.closeAllConnections();
    const [summary] = (await vscode.commands.executeCommand(
      'kubecerts.pki.checkServed',
      root,
    )) as ServedSummary[];
    assert.equal(summary.folder, root);
    assert.deepEqual(summary.restart, []);
    const apiserver = summary.endpoints.find((e) => e.component === 'kube-apiserver');
    assert.equal(apiserver?.stale, false);
    assert.equal(apiserver?.item, 'cert:pki/apiserver.crt');
    const after = (await snapshot()).roots.find((r) => r.folder === root)!;
    assert.match(after.items.find((i) => i.id === 'cert:pki/apiserver.crt')!.description, /^36[45]d$/);
  });

  it('served: a kubelet folder from kubecerts.kubeletDirectories shows its client and serving certificates', async () => {
    const view = await waitFor('the kubelet folder scanned', snapshot, {
      until: (s) => s.roots.some((r) => r.folder === kubelet && r.layout !== undefined),
    });
    const shown = view.roots.find((r) => r.folder === kubelet)!;
    assert.equal(shown.layout, 'kubelet');
    assert.deepEqual(
      shown.items.filter((i) => i.id.startsWith('kubelet:')).map((i) => [i.name, i.state]),
      [
        ['kubelet-client', 'ok'],
        ['kubelet-serving', 'ok'],
      ],
    );
  });
});
