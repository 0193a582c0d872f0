// `kubecerts audit --probe DIR` on the demo cluster's own folder and node-1's kubelet folder: the
// demo's `stale` mode renews pki/apiserver.crt on disk after the server loaded it, as `kubeadm
// certs renew apiserver` without a restart. The PKI audit then reports served-cert-stale on that
// file (from the manifest's --advertise-address/--secure-port) until the apiserver restarts; the
// kubelet folder reports its certificates and what the stand-in serves.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemoCluster, type DemoCluster } from '../../../tools/demo-cluster/cluster';
import { pointManifestsAt } from '../../../tools/demo-cluster/serving';
import { cli } from './prometheusHelpers';

interface JsonReport {
  readonly findings: { readonly code: string; readonly file: string; readonly message: string }[];
}

describe('audit --probe DIR: served certificates of a PKI folder', function () {
  this.timeout(90_000);
  let dir: string;
  let cluster: DemoCluster;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kubecerts-audit-probe-'));
    cluster = await startDemoCluster({
      dir,
      key: { algorithm: 'EC', curve: 'P-256' },
      serving: 'stale',
      kubelet: true,
    });
    await pointManifestsAt(dir, cluster.port);
  });
  after(async () => {
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const audit = async (target: string): Promise<JsonReport> => {
    const run = await cli(['audit', '--probe', '--format', 'json', '--fail-on', 'never', target], dir);
    assert.equal(run.code, 0, run.stderr);
    return JSON.parse(run.stdout) as JsonReport;
  };

  it('reports served-cert-stale on pki/apiserver.crt until the apiserver restarts', async () => {
    const before = await audit(dir);
    const stale = before.findings.filter(
      (f) => f.code === 'served-cert-stale' && f.file.endsWith(join('pki', 'apiserver.crt')),
    );
    assert.equal(stale.length, 1, JSON.stringify(before.findings.map((f) => [f.code, f.file])));
    assert.match(
      stale[0].message,
      /the running server still serves serial [0-9a-f]+, expiring on .*: restart kube-apiserver/,
    );

    await cluster.restartApiserver();
    const after = await audit(dir);
    assert.deepEqual(
      after.findings.filter((f) => f.code === 'served-cert-stale').map((f) => f.file),
      [],
    );
  });

  it('audits node-1 kubelet folder: its certificates and what the kubelet serves', async () => {
    const kubelet = cluster.kubelet!;
    const report = await audit(kubelet.dir);
    // A fresh kubelet: valid certificates, rotation on, and the stand-in serves its kubelet.crt
    // (paths in the report are relative to the working directory, the cluster folder).
    assert.deepEqual(
      report.findings.map((f) => f.code),
      [],
    );
    await kubelet.stop();
    const down = await audit(kubelet.dir);
    assert.deepEqual(
      down.findings.map((f) => [f.code, f.file]),
      [['server-unreachable', join('kubelet', 'pki', 'kubelet.crt')]],
    );
  });
});
