import { strict as assert } from 'node:assert';
import { cisFindings } from '../../../../src/core/pki/cis';
import { kubeadmDate, rfc3339, tabwrite } from '../../../../src/core/pki/expiration';
import { shortHumanDuration } from '../../../../src/core/time/duration';
import { fileRole, isBackupPath, keyPathFor, looksLikePki } from '../../../../src/core/pki/layout';
import { parseStaticPodManifest } from '../../../../src/core/pki/manifest';
import type { PkiFileStat } from '../../../../src/core/pki/source';
import { FILE_FLAG, advertisedHosts, normalizeIp } from '../../../../src/core/pki/wiring';

function stat(path: string, mode: number, type: 'file' | 'directory' = 'file', uid = 0): PkiFileStat {
  return { path, absolutePath: `/etc/kubernetes/${path}`, type, size: 1, mtimeMs: 1, mode, uid, gid: uid };
}

describe('PKI rules', () => {
  it("formats residual time like apimachinery's ShortHumanDuration", () => {
    const cases: [number, string][] = [
      [-5, '<invalid>'],
      [-1, '0s'],
      [59, '59s'],
      [3599, '59m'],
      [86399, '23h'],
      [365 * 86400 - 3600, '364d'],
      [365 * 86400, '1y'],
      [3650 * 86400 - 3600, '9y'],
    ];
    for (const [seconds, text] of cases) assert.equal(shortHumanDuration(seconds), text, String(seconds));
  });

  it("formats dates with kubeadm's Go layouts", () => {
    const date = new Date('2026-08-19T09:03:59.500Z');
    assert.equal(kubeadmDate(date), 'Aug 19, 2026 09:03 UTC');
    assert.equal(rfc3339(new Date('2026-08-19T09:03:04Z')), '2026-08-19T09:03:04Z');
  });

  it("aligns columns like Go's tabwriter: blocks of consecutive lines, trailing text outside columns", () => {
    assert.equal(
      tabwrite(['a\tbb\tlast', 'ccc\td\t', '', 'x\ty'], { minWidth: 4, padding: 1 }),
      'a   bb  last\nccc d   \n\nx   y\n',
    );
  });

  it('checks CIS file modes and owners per revision, naming the item and the revision', () => {
    const stats = [
      stat('admin.conf', 0o644),
      stat('pki/etcd/ca.crt', 0o644),
      stat('pki/ca.key', 0o600),
      stat('pki', 0o755, 'directory', 1000),
    ];
    const v112 = cisFindings(stats, { revision: 'v1.12.0', checkOwnership: true });
    assert.deepEqual(
      v112.map((f) => [f.code, f.params.item, f.params.benchmark]),
      [
        ['cis-file-permissions', '1.1.13', 'CIS Kubernetes Benchmark v1.12.0'],
        ['cis-file-ownership', '1.1.19', 'CIS Kubernetes Benchmark v1.12.0'],
      ],
    );
    const v110 = cisFindings(stats, { revision: 'v1.10.0', checkOwnership: false });
    assert.deepEqual(
      v110.map((f) => [f.code, f.params.item, f.params.mode, f.params.expected]),
      [
        ['cis-file-permissions', '1.1.13', '644', '600'],
        ['cis-file-permissions', '1.1.20', '644', '600'],
      ],
    );
    assert.deepEqual(
      cisFindings([stat('tmp/kubeadm-backup/admin.conf', 0o777)], {
        revision: 'v1.12.0',
        checkOwnership: true,
      }),
      [],
    );
  });

  it('recognises backups, key names and PKI folders', () => {
    assert.ok(isBackupPath('tmp/kubeadm-backup-etcd/etcd.yaml'));
    assert.ok(isBackupPath('pki/apiserver.crt.bak'));
    assert.ok(isBackupPath('pki/expired/apiserver.crt'));
    assert.ok(!isBackupPath('pki/apiserver.crt'));
    assert.equal(fileRole('pki/apiserver.crt.bak'), 'certificate');
    assert.equal(keyPathFor('pki/etcd/server.crt'), 'pki/etcd/server.key');
    assert.equal(keyPathFor('pki/admin.pem'), 'pki/admin-key.pem');
    assert.equal(keyPathFor('pki/admin-key.pem'), undefined);
    assert.ok(looksLikePki(['ca.crt', 'apiserver.crt']));
    assert.ok(looksLikePki(['ca.pem', 'admin-key.pem']));
    assert.ok(!looksLikePki(['ca.crt', 'README.md']));
  });

  it('reads manifest flags with their offsets, in both --flag=value and --flag value forms', () => {
    const text =
      'spec:\n  containers:\n  - name: etcd\n    command:\n    - etcd\n    - --cert-file=/etc/kubernetes/pki/etcd/server.crt\n    - --key-file\n    - "/etc/kubernetes/pki/etcd/server.key"\n';
    const manifest = parseStaticPodManifest(text, '/m.yaml');
    assert.deepEqual(
      manifest.flags.map((f) => [f.name, f.value, text.slice(f.valueSpan.start, f.valueSpan.end)]),
      [
        ['--cert-file', '/etc/kubernetes/pki/etcd/server.crt', '/etc/kubernetes/pki/etcd/server.crt'],
        ['--key-file', '/etc/kubernetes/pki/etcd/server.key', '"/etc/kubernetes/pki/etcd/server.key"'],
      ],
    );
  });

  it('knows which flags name files and which addresses a manifest advertises', () => {
    for (const flag of [
      '--etcd-cafile',
      '--kubelet-client-certificate',
      '--kubelet-client-key',
      '--etcd-certfile',
      '--peer-key-file',
      '--kubeconfig',
      '--authentication-kubeconfig',
    ]) {
      assert.ok(FILE_FLAG.test(flag), flag);
    }
    for (const flag of ['--etcd-servers', '--data-dir', '--advertise-address'])
      assert.ok(!FILE_FLAG.test(flag), flag);
    assert.deepEqual(advertisedHosts('https://10.0.0.10:2379,https://[fd00::1]:2379', 'urls'), [
      '10.0.0.10',
      'fd00::1',
    ]);
    assert.equal(normalizeIp('fd00:0:0::1'), normalizeIp('fd00::0001'));
    assert.equal(normalizeIp('::ffff:10.0.0.1'), '0:0:0:0:0:ffff:a00:1');
    assert.equal(normalizeIp('cp-1'), undefined);
  });
});
