import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { KUBEADM_CAS, KUBEADM_CERTS, KUBEADM_KUBECONFIGS } from '../../../../src/core/pki/catalog';
import { opensslVerifyEntry, removeTree, writeKubeadmTree } from '../../../fixtures/kubeadm';

const NOW = new Date('2026-03-01T12:00:00Z');

describe('generateKubeadmPki', () => {
  let root = '';
  before(async () => {
    ({ root } = await writeKubeadmTree({
      now: NOW,
      key: { algorithm: 'EC', curve: 'P-256' },
      validity: {
        apiserver: {
          notBefore: new Date('2025-01-01T00:00:00Z'),
          notAfter: new Date('2026-02-01T00:00:00Z'),
        },
      },
    }));
  });
  after(() => removeTree(root));

  it('writes every catalog certificate, signed by its CA (openssl verify at the chosen instant)', () => {
    for (const entry of KUBEADM_CERTS.filter((e) => e.name !== 'apiserver')) {
      assert.match(opensslVerifyEntry(root, entry, NOW), /: OK/, entry.name);
    }
  });

  it('honours per-entry validity overrides', () => {
    const out = execFileSync(
      'openssl',
      ['x509', '-noout', '-enddate', '-in', join(root, 'pki/apiserver.crt')],
      {
        encoding: 'utf8',
      },
    );
    assert.match(out, /notAfter=Feb  1 00:00:00 2026 GMT/);
  });

  it('gives the apiserver certificate the SANs kubeadm gives it', () => {
    const out = execFileSync(
      'openssl',
      ['x509', '-noout', '-ext', 'subjectAltName', '-in', join(root, 'pki/apiserver.crt')],
      {
        encoding: 'utf8',
      },
    );
    for (const san of [
      'DNS:cp-1',
      'DNS:kubernetes.default.svc.cluster.local',
      'IP Address:10.96.0.1',
      'IP Address:10.0.0.10',
    ]) {
      assert.ok(out.includes(san), `${san} in ${out}`);
    }
  });

  it('keeps keys private (0600) and certificates readable (0644)', () => {
    for (const ca of KUBEADM_CAS) {
      assert.equal(statSync(join(root, `pki/${ca.baseName}.key`)).mode & 0o777, 0o600);
      assert.equal(statSync(join(root, `pki/${ca.baseName}.crt`)).mode & 0o777, 0o644);
    }
    assert.equal(statSync(join(root, 'admin.conf')).mode & 0o777, 0o600);
  });

  it('writes kubeconfigs that kubectl reads, with the catalog identity', () => {
    for (const entry of KUBEADM_KUBECONFIGS) {
      const file = join(root, entry.name);
      const user = execFileSync(
        'kubectl',
        ['config', 'view', '--kubeconfig', file, '-o', 'jsonpath={.contexts[0].context.user}'],
        {
          encoding: 'utf8',
        },
      );
      assert.ok(user.length > 0, entry.name);
      const data = execFileSync(
        'kubectl',
        [
          'config',
          'view',
          '--raw',
          '--kubeconfig',
          file,
          '-o',
          'jsonpath={.users[0].user.client-certificate-data}',
        ],
        { encoding: 'utf8' },
      );
      const subject = execFileSync('openssl', ['x509', '-noout', '-subject'], {
        input: Buffer.from(data, 'base64'),
        encoding: 'utf8',
      });
      const cn = entry.commonName ?? 'system:node:cp-1';
      assert.ok(subject.includes(`CN = ${cn}`), `${entry.name}: ${subject}`);
      for (const o of entry.organizations)
        assert.ok(subject.includes(`O = ${o}`), `${entry.name}: ${subject}`);
    }
  });

  it('writes the sa key pair and the static pod manifests', () => {
    const pub = readFileSync(join(root, 'pki/sa.pub'), 'utf8');
    assert.match(pub, /BEGIN PUBLIC KEY/);
    const manifest = readFileSync(join(root, 'manifests/kube-apiserver.yaml'), 'utf8');
    assert.match(manifest, /--etcd-certfile=\/etc\/kubernetes\/pki\/apiserver-etcd-client\.crt/);
  });
});
