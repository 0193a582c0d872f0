// The PKI view inside a real extension host: each fixture variant, added through the setting,
// must show every item in the state VARIANTS names (tree data read back with kubecerts.pki.refresh).
import { strict as assert } from 'node:assert';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { PkiViewSnapshot } from '../../../src/extension/views/pki/pkiView';
import {
  VARIANTS,
  removeTree,
  writeCfsslDir,
  writePkiVariant,
  type VariantName,
} from '../../fixtures/pkiVariants';
import { waitFor } from '../wait';
import { activatedExtension } from '../workspace';

const NOW = new Date();

async function snapshot(): Promise<PkiViewSnapshot> {
  return (await vscode.commands.executeCommand('kubecerts.pki.refresh')) as PkiViewSnapshot;
}

async function showFolders(folders: string[]): Promise<void> {
  await vscode.workspace
    .getConfiguration('kubecerts')
    .update('pkiDirectories', folders, vscode.ConfigurationTarget.Global);
}

describe('PKI view', () => {
  const roots = new Map<VariantName, string>();
  let cfssl = '';
  let previous: string[] | undefined;

  before(async function () {
    this.timeout(60_000);
    await activatedExtension();
    previous = vscode.workspace
      .getConfiguration('kubecerts')
      .inspect<string[]>('pkiDirectories')?.globalValue;
    for (const name of Object.keys(VARIANTS) as VariantName[])
      roots.set(name, (await writePkiVariant(name, NOW)).root);
    cfssl = await writeCfsslDir(NOW);
    await showFolders([...roots.values(), cfssl]);
    await vscode.commands.executeCommand('kubecerts.pkiView.focus');
  });

  after(async () => {
    await showFolders(previous ?? []);
    for (const root of roots.values()) removeTree(root);
    removeTree(cfssl);
  });

  for (const name of Object.keys(VARIANTS) as VariantName[]) {
    it(`shows variant ${name} with the expected states`, async () => {
      const root = roots.get(name)!;
      const view = await waitFor(`${name} scanned`, snapshot, {
        until: (s) => s.roots.some((r) => r.folder === root && r.layout !== undefined),
      });
      const shown = view.roots.find((r) => r.folder === root)!;
      assert.equal(shown.layout, 'kubeadm');
      for (const item of shown.items) {
        if (item.kind === 'backup') continue;
        assert.equal(item.state, VARIANTS[name].states[item.id] ?? 'ok', item.id);
      }
      for (const expected of VARIANTS[name].findings)
        assert.ok(shown.findings.includes(expected.code), `${expected.code} in ${name}`);
    });
  }

  it('shows a cfssl folder grouped by signature', async () => {
    const view = await waitFor('cfssl scanned', snapshot, {
      until: (s) => s.roots.some((r) => r.folder === cfssl && r.layout !== undefined),
    });
    const shown = view.roots.find((r) => r.folder === cfssl)!;
    assert.equal(shown.layout, 'cfssl');
    assert.equal(shown.items.find((i) => i.name === 'foreign')?.state, 'mis-signed');
    assert.ok(
      shown.items.filter((i) => i.kind === 'cert' && i.name !== 'foreign').every((i) => i.state === 'ok'),
    );
  });

  it('follows a file deleted on disk', async () => {
    const root = roots.get('healthy')!;
    rmSync(join(root, 'pki/etcd/peer.crt'));
    await waitFor('etcd-peer missing', snapshot, {
      until: (s) =>
        s.roots.find((r) => r.folder === root)?.items.find((i) => i.id === 'cert:pki/etcd/peer.crt')
          ?.state === 'missing',
    });
  });

  it('offers the PKI commands', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const id of [
      'kubecerts.pki.refresh',
      'kubecerts.pki.addFolder',
      'kubecerts.pki.openFile',
      'kubecerts.pki.reveal',
      'kubecerts.pki.copySpkiPin',
    ]) {
      assert.ok(commands.includes(id), id);
    }
  });
});
