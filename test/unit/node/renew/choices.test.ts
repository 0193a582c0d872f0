import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildKubeconfig } from '../../../../src/core/kubeconfig/build';
import { issueCertificate } from '../../../../src/core/x509/issue';
import { refusalsOnly, renewalChoicesForFile } from '../../../../src/node/renew/choices';
import { removeTree, writeKubeadmTree } from '../../../fixtures/kubeadm';

const NOW = new Date('2026-03-01T12:00:00Z');

describe('renewalChoicesForFile', function () {
  this.timeout(60_000);
  let root = '';
  before(async () => {
    ({ root } = await writeKubeadmTree({
      now: new Date('2025-06-01T00:00:00Z'),
      key: { algorithm: 'EC', curve: 'P-256' },
    }));
  });
  after(() => removeTree(root));

  it('offers the local CA for a kubeadm certificate, from its certificate or its key', async () => {
    for (const file of ['pki/apiserver.crt', 'pki/etcd/server.key']) {
      const choices = await renewalChoicesForFile(join(root, file), { now: NOW });
      assert.equal(choices.length, 1, file);
      assert.equal(choices[0]?.kind, 'local');
      assert.equal(choices[0]?.decision.ok, true);
    }
  });

  it('offers both ways for admin.conf, and only the CSR API is refused for super-admin.conf', async () => {
    const admin = await renewalChoicesForFile(join(root, 'admin.conf'), { now: NOW });
    assert.deepEqual(
      admin.map((c) => [c.kind, c.decision.ok]),
      [
        ['local', true],
        ['csr', true],
      ],
    );
    const superAdmin = await renewalChoicesForFile(join(root, 'super-admin.conf'), { now: NOW });
    const csr = superAdmin.find((c) => c.kind === 'csr');
    assert.ok(csr && !csr.decision.ok && csr.decision.refusal.code === 'system-masters');
    assert.deepEqual(refusalsOnly(superAdmin), []);
  });

  it('explains kubelet.conf and CAs instead of offering anything', async () => {
    const kubelet = await renewalChoicesForFile(join(root, 'kubelet.conf'), { now: NOW });
    assert.deepEqual(
      refusalsOnly(kubelet).map((r) => r.code),
      ['rotated-by-kubelet'],
    );
    const ca = await renewalChoicesForFile(join(root, 'pki/ca.crt'), { now: NOW });
    assert.deepEqual(
      refusalsOnly(ca).map((r) => r.code),
      ['ca-certificate'],
    );
  });

  it('limits a kubeconfig with several users to the one at the offset', async () => {
    const tree = await writeKubeadmTree({
      now: new Date('2025-06-01T00:00:00Z'),
      key: { algorithm: 'EC', curve: 'P-256' },
    });
    try {
      const ca = {
        certPem: tree.tree.get('pki/ca.crt')!.contents,
        keyPem: tree.tree.get('pki/ca.key')!.contents,
      };
      const client = await issueCertificate({
        subject: { commonName: 'jane', organizations: ['devs'] },
        notBefore: new Date('2025-06-01T00:00:00Z'),
        notAfter: new Date('2026-06-01T00:00:00Z'),
        extKeyUsage: ['clientAuth'],
        issuer: ca,
      });
      const one = buildKubeconfig({
        clusterName: 'c',
        server: 'https://127.0.0.1:6443',
        caPem: ca.certPem,
        userName: 'jane',
        client,
      });
      const two = one.replace(/^users:\n/m, 'users:\n- name: bob\n  user:\n    token: t\n');
      const file = join(tree.root, 'people.kubeconfig');
      writeFileSync(file, two);
      const all = await renewalChoicesForFile(file, { now: NOW });
      assert.deepEqual(
        all.map((c) => (c.kind === 'csr' ? c.user : c.kind)),
        ['jane'],
      );
      const atBob = await renewalChoicesForFile(file, { now: NOW, offset: two.indexOf('name: bob') + 6 });
      assert.deepEqual(atBob, []);
    } finally {
      removeTree(tree.root);
    }
  });
});
