import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { CliIo } from '../../../src/cli/io';
import { runCli } from '../../../src/cli/run';
import { decodeFileContent } from '../../../src/core/x509/decode';
import { removeTree, writeKubeadmTree } from '../../fixtures/kubeadm';

const GENERATED = new Date('2025-02-01T12:00:00Z');
const NOW = '2026-03-01T12:00:00Z';

async function cli(argv: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (s: string) => (stdout += s), isTTY: false },
    stderr: { write: (s: string) => (stderr += s) },
    env: { LANG: 'C' },
    cwd,
    platform: 'linux',
    homedir: join(cwd, 'home'),
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

describe('kubecerts renew (CLI)', function () {
  this.timeout(60_000);
  let root = '';
  beforeEach(async () => {
    ({ root } = await writeKubeadmTree({ now: GENERATED, key: { algorithm: 'EC', curve: 'P-256' } }));
  });
  afterEach(() => removeTree(root));

  it('renews one certificate with kubeadm wording and the restart reminder', async () => {
    const run = await cli(['renew', 'apiserver', '--config-dir', root, '--now', NOW], root);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^certificate for serving the Kubernetes API renewed$/m);
    assert.match(run.stdout, /backup: .*apiserver\.crt\.20260301120000\.bak/);
    assert.match(run.stdout, /restart the kube-apiserver static pods/);
    const cert = decodeFileContent(readFileSync(join(root, 'pki/apiserver.crt'))).certificates[0]!.cert;
    assert.equal(cert.notAfter.toISOString(), '2027-03-01T12:00:00.000Z');
  });

  it('renews all, naming every static pod, and reminds about copies of admin.conf', async () => {
    const run = await cli(['renew', 'all', '--config-dir', root, '--now', NOW, '--duration', '720h'], root);
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stdout,
      /certificate embedded in the kubeconfig file for the admin to use and for kubeadm itself renewed/,
    );
    assert.match(
      run.stdout,
      /restart the kube-apiserver, etcd, kube-controller-manager, kube-scheduler static pods/,
    );
    assert.match(run.stdout, /Give the renewed admin\.conf, super-admin\.conf/);
    const cert = decodeFileContent(readFileSync(join(root, 'pki/etcd/peer.crt'))).certificates[0]!.cert;
    assert.equal(cert.notAfter.toISOString(), '2026-03-31T12:00:00.000Z');
  });

  it('--dry-run prints the preview and writes nothing', async () => {
    const before = readFileSync(join(root, 'pki/front-proxy-client.crt'), 'utf8');
    const run = await cli(
      ['renew', 'front-proxy-client', '--config-dir', root, '--now', NOW, '--dry-run'],
      root,
    );
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /\[dry-run\] would renew front-proxy-client/);
    assert.match(run.stdout, /Subject: +CN=front-proxy-client \(unchanged\)/);
    assert.match(run.stdout, /Not after: +2026-02-01T12:00:00Z → 2027-03-01T12:00:00Z/);
    assert.doesNotMatch(run.stdout, /Done renewing/);
    assert.equal(readFileSync(join(root, 'pki/front-proxy-client.crt'), 'utf8'), before);
    assert.deepEqual(
      readdirSync(join(root, 'pki')).filter((n) => n.endsWith('.bak')),
      [],
    );
  });

  it('refuses kubelet.conf and an externally managed CA with exit code 1; all skips the external CA', async () => {
    const kubelet = await cli(['renew', 'kubelet.conf', '--config-dir', root, '--now', NOW], root);
    assert.equal(kubelet.code, 1);
    assert.match(kubelet.stderr, /kubelet\.conf: .*the kubelet rotates itself/);
    rmSync(join(root, 'pki/front-proxy-ca.key'));
    const named = await cli(['renew', 'front-proxy-client', '--config-dir', root, '--now', NOW], root);
    assert.equal(named.code, 1);
    assert.match(named.stderr, /front-proxy-ca CA is externally managed/);
    const all = await cli(['renew', 'all', '--config-dir', root, '--now', NOW], root);
    assert.equal(all.code, 0, all.stderr);
    assert.match(all.stderr, /front-proxy-client: The front-proxy-ca CA is externally managed/);
  });

  it('rejects bad arguments with exit code 2', async () => {
    assert.equal((await cli(['renew'], root)).code, 2);
    assert.equal((await cli(['renew', 'apiserver', '--duration', '1y'], root)).code, 2);
    assert.equal((await cli(['renew', 'apiserver', '--now', 'yesterday'], root)).code, 2);
    assert.equal((await cli(['renew-user', '--expiration-seconds', '60'], root)).code, 2);
  });
});
