// "Renewed on disk, not yet served": a kubeadm folder whose manifests point at loopback listeners
// that, like kube-apiserver and etcd, load their certificate once at start. After
// `renewKubeadm(['apiserver'])` (the product's own renewal) the listener still serves the old
// serial until it is "restarted"; the kubelet's serving certificate is compared the same way.
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { setManifestFlags } from '../../../../src/core/pki/manifest';
import { servedEndpoints } from '../../../../src/core/pki/served';
import { issueCertificate } from '../../../../src/core/x509/issue';
import { checkServedFolder, componentsToRestart } from '../../../../src/node/probe/pkiServed';
import { renewKubeadm } from '../../../../src/node/renew/kubeadm';
import { removeTree, writeKubeadmTree } from '../../../fixtures/kubeadm';
import { writeKubeletFolder } from '../../../fixtures/kubelet';
import { PkiScanner } from '../../../../src/core/pki/scanner';
import { openPkiFolder } from '../../../../src/node/pki/fsSource';
import { englishTemplate } from '../../../../src/core/findings/finding';
import { describeItem, tooltipRows } from '../../../../src/extension/views/pki/pkiRows';

const l10n = { t: englishTemplate };

const EC = { algorithm: 'EC', curve: 'P-256' } as const;

async function listen(certFile: string, keyFile: string): Promise<Server> {
  const server = createServer({ cert: readFileSync(certFile), key: readFileSync(keyFile) }, (_q, r) =>
    r.end(),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/** A port nothing listens on: opened, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const portOf = (server: Server) => (server.address() as AddressInfo).port;

describe('served certificates of a PKI folder', function () {
  this.timeout(60_000);
  const servers: Server[] = [];
  const dirs: string[] = [];
  after(() => {
    servers.forEach((s) => {
      s.close();
      s.closeAllConnections();
    });
    dirs.forEach(removeTree);
  });

  it('reads where each component listens from the manifests (defaults for scheduler and controller-manager)', async () => {
    const { root } = await writeKubeadmTree({ now: new Date(), key: EC });
    dirs.push(root);
    const inv = await new PkiScanner(await openPkiFolder(root)).scan({ now: new Date(), warnDays: 30 });
    // kubeadm's defaults (DEFAULT_NODE_FACTS advertises 10.0.0.10); bind 127.0.0.1 for the other two.
    assert.deepEqual(
      servedEndpoints(inv).map((e) => [e.component, e.target.host, e.target.port, e.itemId ?? '']),
      [
        ['kube-apiserver', '10.0.0.10', 6443, 'cert:pki/apiserver.crt'],
        ['etcd', '127.0.0.1', 2379, 'cert:pki/etcd/server.crt'],
        ['etcd', '10.0.0.10', 2380, 'cert:pki/etcd/peer.crt'],
        ['kube-scheduler', '127.0.0.1', 10259, ''],
        ['kube-controller-manager', '127.0.0.1', 10257, ''],
      ],
    );
  });

  it('says served-cert-stale on the renewed file until the component restarts', async () => {
    const now = new Date();
    const { root } = await writeKubeadmTree({ now, key: EC, node: { advertiseAddress: '127.0.0.1' } });
    dirs.push(root);
    const apiserver = await listen(join(root, 'pki/apiserver.crt'), join(root, 'pki/apiserver.key'));
    const etcd = await listen(join(root, 'pki/etcd/server.crt'), join(root, 'pki/etcd/server.key'));
    servers.push(apiserver, etcd);
    const closed = await closedPort();
    const manifests = join(root, 'manifests');
    const edit = (file: string, values: Record<string, string>) =>
      writeFileSync(
        join(manifests, file),
        setManifestFlags(readFileSync(join(manifests, file), 'utf8'), values),
      );
    edit('kube-apiserver.yaml', { '--secure-port': String(portOf(apiserver)) });
    edit('etcd.yaml', {
      '--listen-client-urls': `https://127.0.0.1:${portOf(etcd)}`,
      '--listen-peer-urls': `https://127.0.0.1:${closed}`,
    });
    edit('kube-scheduler.yaml', { '--bind-address': '127.0.0.1' });
    const options = { now, warnDays: 30, env: {}, timeoutMs: 3000 };

    const before = await checkServedFolder(root, options);
    assert.deepEqual(componentsToRestart(before.rows), []);
    assert.equal(before.inventory.items.get('cert:pki/apiserver.crt')?.served?.stale, false);

    const oldSerial = before.inventory.items.get('cert:pki/apiserver.crt')?.certificate?.serialHex;
    const [renewal] = await renewKubeadm(['apiserver'], { configDir: root, now: new Date() });
    assert.equal(renewal.outcome, 'renewed');

    const after = await checkServedFolder(root, options);
    assert.deepEqual(componentsToRestart(after.rows), ['kube-apiserver']);
    const item = after.inventory.items.get('cert:pki/apiserver.crt')!;
    const stale = item.findings.find((f) => f.code === 'served-cert-stale');
    assert.ok(stale, item.findings.map((f) => f.code).join());
    assert.equal(stale.params.component, 'kube-apiserver');
    assert.equal(stale.params.servedSerial, oldSerial);
    assert.notEqual(stale.params.diskSerial, oldSerial);
    assert.equal(stale.file, join(root, 'pki/apiserver.crt'));
    assert.equal(item.served?.stale, true);
    // The row: the verdict first and short (a 300 px side bar), the served serial in the tooltip.
    assert.match(describeItem(item, new Date(), l10n), /^restart needed · 36[45]d$/);
    const tooltip = new Map(tooltipRows(item, l10n));
    assert.equal(tooltip.get('Restart'), 'kube-apiserver still serves its old certificate');
    assert.match(
      tooltip.get(`Served by kube-apiserver at https://127.0.0.1:${portOf(apiserver)}`) ?? '',
      new RegExp(`^serial ${oldSerial}, expires `),
    );
    // etcd serves its file: nothing on its row; the peer port is closed: unreachable, not stale.
    const codes = (id: string) => after.inventory.items.get(id)?.findings.map((f) => f.code) ?? [];
    assert.deepEqual(codes('cert:pki/etcd/server.crt'), []);
    assert.deepEqual(codes('cert:pki/etcd/peer.crt'), ['server-unreachable']);
    // The scheduler and controller-manager serve no file of the folder: their findings have no row.
    assert.deepEqual(
      after.inventory.servedChecks.map((f) => [f.code, f.file.endsWith('.yaml')]),
      [
        ['server-unreachable', true],
        ['server-unreachable', true],
      ],
    );

    // "Restart kube-apiserver": it loads the renewed pair.
    apiserver.setSecureContext({
      cert: readFileSync(join(root, 'pki/apiserver.crt')),
      key: readFileSync(join(root, 'pki/apiserver.key')),
    });
    apiserver.closeAllConnections();
    const restarted = await checkServedFolder(root, options);
    assert.deepEqual(componentsToRestart(restarted.rows), []);
  });

  it('compares the kubelet with its serving certificate, at the port of config.yaml', async () => {
    const now = new Date();
    const ca = await issueCertificate({
      subject: { commonName: 'kubernetes' },
      notBefore: new Date(now.getTime() - 1000),
      notAfter: new Date(now.getTime() + 86_400_000),
      basicConstraints: { ca: true },
      keyUsage: ['keyCertSign'],
      key: EC,
    });
    const port = await closedPort();
    const { root } = await writeKubeletFolder({
      now,
      nodeName: 'node-1',
      clusterCa: ca,
      config: { rotateCertificates: true, address: '127.0.0.1', port },
    });
    dirs.push(root);
    const down = await checkServedFolder(root, { now, warnDays: 30, env: {}, timeoutMs: 3000 });
    assert.deepEqual(
      down.rows.map((r) => [
        r.endpoint.component,
        r.endpoint.target.port,
        r.findings.map((f) => f.code).join(),
      ]),
      [['kubelet', port, 'server-unreachable']],
    );
    // The kubelet regenerates its self-signed pair at start when it is gone; this one serves another.
    const other = await writeKubeletFolder({
      now,
      nodeName: 'node-1',
      clusterCa: ca,
      serving: {
        notBefore: new Date(now.getTime() - 3_600_000),
        notAfter: new Date(now.getTime() + 400 * 86_400_000),
      },
    });
    dirs.push(other.root);
    const kubelet = createServer({
      cert: readFileSync(join(other.root, 'pki/kubelet.crt')),
      key: readFileSync(join(other.root, 'pki/kubelet.key')),
    });
    servers.push(kubelet);
    await new Promise<void>((resolve) => kubelet.listen(port, '127.0.0.1', resolve));
    const up = await checkServedFolder(root, { now, warnDays: 30, env: {}, timeoutMs: 3000 });
    // Another self-signed pair (another throwaway CA): not an older issue of the file, so not "stale".
    assert.deepEqual(
      up.rows[0].findings.map((f) => f.code),
      [],
    );
    assert.equal(up.rows[0].facts.stale, false);
    assert.ok(up.rows[0].facts.serialHex);
  });
});
