import { strict as assert } from 'node:assert';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { KUBEADM_CAS, KUBEADM_CERTS, KUBEADM_KUBECONFIGS, certPath } from '../../../../src/core/pki/catalog';
import type { PkiInventory } from '../../../../src/core/pki/inventory';
import type { PkiItem } from '../../../../src/core/pki/item';
import { PkiScanner } from '../../../../src/core/pki/scanner';
import { FsPkiTreeSource } from '../../../../src/node/pki/fsSource';
import {
  CFSSL_FILES,
  VARIANTS,
  removeTree,
  writeCfsslDir,
  writePkiVariant,
  type VariantName,
} from '../../../fixtures/pkiVariants';

const NOW = new Date('2026-03-01T12:00:00Z');
const OPTIONS = { now: NOW, warnDays: 30 };

async function scan(root: string): Promise<PkiInventory> {
  return new PkiScanner(new FsPkiTreeSource({ configDir: root })).scan(OPTIONS);
}

function allItems(inventory: PkiInventory): PkiItem[] {
  return [...inventory.items.values()];
}

describe('PKI inventory', () => {
  const roots: string[] = [];
  after(() => roots.forEach(removeTree));

  describe('healthy kubeadm tree', () => {
    let inventory: PkiInventory;
    let root: string;
    before(async () => {
      ({ root } = await writePkiVariant('healthy', NOW));
      roots.push(root);
      inventory = await scan(root);
    });

    it('recognises the kubeadm layout: the three CAs with their catalog leaves nested', () => {
      assert.equal(inventory.layout, 'kubeadm');
      assert.deepEqual(
        inventory.groups.map((g) => g.ca.name),
        KUBEADM_CAS.map((c) => c.name),
      );
      for (const entry of KUBEADM_CERTS) {
        const group = inventory.groups.find((g) => g.ca.name === entry.caName)!;
        assert.ok(
          group.children.some((c) => c.name === entry.name),
          `${entry.name} under ${entry.caName}`,
        );
      }
    });

    // Written from kubeadm's documentation ("PKI certificates and requirements", "Certificate
    // Management with kubeadm"), not from the catalog under test: which leaf each CA signs.
    it('nests the leaves under their CAs as kubeadm documents them', () => {
      const nested = Object.fromEntries(
        inventory.groups.map((g) => [g.ca.path, g.children.map((c) => c.path).sort()]),
      );
      assert.deepEqual(nested, {
        'pki/ca.crt': ['pki/apiserver-kubelet-client.crt', 'pki/apiserver.crt'],
        'pki/etcd/ca.crt': [
          'pki/apiserver-etcd-client.crt',
          'pki/etcd/healthcheck-client.crt',
          'pki/etcd/peer.crt',
          'pki/etcd/server.crt',
        ],
        'pki/front-proxy-ca.crt': ['pki/front-proxy-client.crt'],
      });
      assert.deepEqual(inventory.kubeconfigs.map((k) => k.name).sort(), [
        'admin.conf',
        'controller-manager.conf',
        'kubelet.conf',
        'scheduler.conf',
        'super-admin.conf',
      ]);
    });

    it('has every item ok, with no findings, and the kubeconfigs with kubelet.conf rotated by the kubelet', () => {
      for (const item of allItems(inventory))
        assert.equal(item.state, 'ok', `${item.id}: ${item.reason ?? ''}`);
      // The one finding of a healthy tree: the break-glass kubeconfig kubeadm >= 1.29 keeps, O=system:masters.
      assert.deepEqual(
        inventory.findings.map((f) => [f.code, relative(root, f.file)]),
        [['system-masters', 'super-admin.conf']],
      );
      assert.deepEqual(
        inventory.kubeconfigs.map((k) => k.name),
        KUBEADM_KUBECONFIGS.map((k) => k.name),
      );
      assert.deepEqual(
        inventory.kubeconfigs.filter((k) => k.rotatedByKubelet).map((k) => k.name),
        ['kubelet.conf'],
      );
      assert.equal(inventory.kubeconfigs[0].checkedWith?.name, 'ca');
    });

    it('shows sa.key / sa.pub as one key pair', () => {
      assert.deepEqual(
        inventory.keyPairs.map((k) => [k.name, k.state]),
        [['sa', 'ok']],
      );
    });

    it('keeps backups apart, with no findings, even when expired', async () => {
      const backupDir = join(root, 'tmp/kubeadm-backup-etcd-2025');
      mkdirSync(backupDir, { recursive: true });
      writeFileSync(join(backupDir, 'apiserver.crt'), readFileSync(join(root, certPath('apiserver'))));
      writeFileSync(join(root, 'pki/apiserver.crt.bak'), readFileSync(join(root, certPath('apiserver'))));
      const later = await new PkiScanner(new FsPkiTreeSource({ configDir: root })).scan({
        now: new Date('2028-01-01T00:00:00Z'),
        warnDays: 30,
      });
      assert.deepEqual(later.backups.map((b) => b.path).sort(), [
        'pki/apiserver.crt.bak',
        'tmp/kubeadm-backup-etcd-2025/apiserver.crt',
      ]);
      assert.ok(later.backups.every((b) => b.state === 'expired' && b.findings.length === 0));
      assert.ok(!later.findings.some((f) => /^tmp\/|\.bak$/.test(relative(root, f.file))));
    });
  });

  for (const name of Object.keys(VARIANTS) as VariantName[]) {
    if (name === 'healthy') continue;
    it(`variant ${name}: states and findings`, async () => {
      const { root } = await writePkiVariant(name, NOW);
      roots.push(root);
      const inventory = await scan(root);
      const variant = VARIANTS[name];
      for (const item of allItems(inventory)) {
        if (item.kind === 'backup') continue;
        assert.equal(item.state, variant.states[item.id] ?? 'ok', `${item.id}: ${item.reason ?? ''}`);
      }
      // Exactly these findings, no more: the break-glass kubeconfig's warning is in every tree.
      const expected = [...variant.findings, { code: 'system-masters', file: 'super-admin.conf' }];
      assert.deepEqual(
        [...new Set(inventory.findings.map((f) => `${f.code}@${relative(root, f.file)}`))].sort(),
        [...new Set(expected.map((f) => `${f.code}@${f.file}`))].sort(),
      );
    });
  }

  it('marks the leaves of a CA without key as externally managed, like kubeadm', async () => {
    const { root } = await writePkiVariant('ca-key-removed', NOW);
    roots.push(root);
    const inventory = await scan(root);
    const group = inventory.groups.find((g) => g.ca.name === 'front-proxy-ca')!;
    assert.equal(group.ca.externallyManaged, true);
    assert.deepEqual(
      group.children.map((c) => [c.name, c.externallyManaged]),
      [['front-proxy-client', true]],
    );
    assert.equal(inventory.groups.find((g) => g.ca.name === 'ca')!.ca.externallyManaged, false);
  });

  it('points wiring findings at the manifest line of the flag', async () => {
    const { root } = await writePkiVariant('manifest-missing-file', NOW);
    roots.push(root);
    const inventory = await scan(root);
    const found = inventory.findings.find((f) => f.code === 'wiring-file-missing')!;
    const text = readFileSync(join(root, 'manifests/kube-apiserver.yaml'), 'utf8');
    assert.equal(
      text.slice(found.span.start, found.span.end),
      '--etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client-old.crt',
    );
    assert.equal(found.params.flag, '--etcd-certfile');
  });

  describe('cfssl cert dir', () => {
    let inventory: PkiInventory;
    before(async () => {
      const dir = await writeCfsslDir(NOW);
      roots.push(dir);
      inventory = await new PkiScanner(new FsPkiTreeSource({ certDir: dir })).scan(OPTIONS);
    });

    it('groups the leaves under ca.pem, paired with their -key.pem, and expects no kubeadm file', () => {
      assert.equal(inventory.layout, 'cfssl');
      assert.deepEqual(
        inventory.groups.map((g) => [g.ca.name, g.ca.state, g.ca.keyPath]),
        [['ca', 'ok', 'pki/ca-key.pem']],
      );
      assert.deepEqual(
        inventory.groups[0].children.map((c) => c.name).sort(),
        [...CFSSL_FILES.leaves].sort(),
      );
      assert.ok(
        inventory.groups[0].children.every((c) => c.state === 'ok' && c.keyPath === `pki/${c.name}-key.pem`),
      );
      assert.ok(!allItems(inventory).some((i) => i.state === 'missing'));
    });

    it('finds the issuer by signature, not by name: a namesake CA does not adopt a foreign leaf', () => {
      assert.deepEqual(
        inventory.unknownIssuer.map((i) => [i.name, i.state]),
        [['foreign', 'mis-signed']],
      );
      assert.ok(
        inventory.findings.some((f) => f.code === 'bad-signature' && f.file.endsWith(CFSSL_FILES.foreign)),
      );
    });
  });

  it('decodes only the changed file on update, and sees the change', async () => {
    const { root } = await writePkiVariant('healthy', NOW);
    roots.push(root);
    const scanner = new PkiScanner(new FsPkiTreeSource({ configDir: root }));
    await scanner.scan(OPTIONS);
    const first = scanner.decodeCount;
    assert.ok(first > 20, `decoded ${first}`);
    writeFileSync(join(root, 'pki/front-proxy-ca.key'), readFileSync(join(root, 'pki/ca.key')));
    const updated = await scanner.update(['pki/front-proxy-ca.key'], OPTIONS);
    assert.equal(scanner.decodeCount - first, 1);
    assert.equal(updated.items.get('ca:pki/front-proxy-ca.crt')!.state, 'key-mismatch');
    const again = await scanner.update(['pki/apiserver.crt'], OPTIONS);
    assert.equal(scanner.decodeCount - first, 1, 'an unchanged file is not decoded again');
    assert.equal(
      again.items.get('cert:pki/apiserver.crt')!.version,
      updated.items.get('cert:pki/apiserver.crt')!.version,
    );
  });
});
