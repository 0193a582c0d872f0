// The cluster client against the demo cluster, checked with the real kubectl after each action.
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import type { Csr } from '../../../../src/core/csr/model';
import {
  connectCluster,
  MAX_APPROVAL_ATTEMPTS,
  type ClusterClient,
} from '../../../../src/node/cluster/client';
import { CsrWatcher } from '../../../../src/node/cluster/csrWatch';
import { type ClusterError } from '../../../../src/node/cluster/errors';
import { NodeCache, reviewInCluster } from '../../../../src/node/cluster/review';
import { requestPem } from '../../../fixtures/csr';
import { kubectl, kubectlConditions, startTestCluster, waitFor } from '../../../fixtures/demoCluster';

type TestCluster = Awaited<ReturnType<typeof startTestCluster>>;

describe('cluster client (demo cluster)', function () {
  this.timeout(60_000);
  let cluster: TestCluster;
  let admin: ClusterClient;
  let node1: ClusterClient;
  let adminConf: string;
  let counter = 0;

  before(async () => {
    cluster = await startTestCluster();
    adminConf = cluster.kubeconfig('admin.conf');
    admin = await connectCluster({ kubeconfig: adminConf });
    node1 = await connectCluster({ kubeconfig: cluster.kubeconfig('node-1.conf') });
  });

  after(async () => {
    await cluster?.cleanup();
  });

  /** A fresh, well-formed kubelet-serving CSR by node-1 for its own addresses: it stays pending (never auto-approved). */
  async function newNodeCsr(): Promise<string> {
    const name = `test-node-1-serving-${++counter}`;
    const pem = await requestPem({
      commonName: 'system:node:node-1',
      organizations: ['system:nodes'],
      sans: { dns: ['node-1'], ip: ['10.0.0.11'] },
    });
    await node1.createCsr({
      metadata: { name },
      spec: {
        request: Buffer.from(pem).toString('base64'),
        signerName: 'kubernetes.io/kubelet-serving',
        usages: ['digital signature', 'server auth'],
      },
    });
    return name;
  }

  it('lists CSRs as plain JSON with a resourceVersion, as kubectl does', async () => {
    const list = await admin.listCsrs();
    assert.ok(list.resourceVersion);
    const names = list.items.map((c) => c.metadata.name);
    assert.ok(names.includes('csr-node-2-serving-unknown-sans'));
    assert.equal(typeof list.items[0].metadata.creationTimestamp, 'string');
    const fromKubectl = (await kubectl(adminConf, 'get', 'csr', '-o', 'name'))
      .trim()
      .split('\n')
      .map((l) => l.replace(/^.*\//, ''));
    assert.deepEqual([...names].sort(), fromKubectl.sort());
    assert.equal(admin.info.context, 'kubernetes-admin@kubecerts-demo');
  });

  it('approves like kubectl certificate approve; the signer issues; kubectl agrees', async () => {
    const name = await newNodeCsr();
    const outcome = await admin.setApproval(name, 'Approved');
    assert.equal(outcome.changed, true);
    assert.equal(outcome.attempts, 1);
    assert.equal(await kubectlConditions(adminConf, name), 'Approved');
    await cluster.idle();
    assert.ok((await admin.getCsr(name)).status?.certificate);
    // Approving again is kubectl's no-op.
    assert.equal((await admin.setApproval(name, 'Approved')).changed, false);
  });

  it('denies; kubectl agrees', async () => {
    const name = await newNodeCsr();
    await admin.setApproval(name, 'Denied', { reason: 'TestDeny', message: 'not this one' });
    assert.equal(await kubectlConditions(adminConf, name), 'Denied');
    const reason = await kubectl(
      adminConf,
      'get',
      'csr',
      name,
      '-o',
      'jsonpath={.status.conditions[0].reason}',
    );
    assert.equal(reason, 'TestDeny');
  });

  it('refuses to approve a denied CSR; with force the API answers 422 and nothing changes', async () => {
    const name = await newNodeCsr();
    await kubectl(adminConf, 'certificate', 'deny', name);
    await assert.rejects(
      admin.setApproval(name, 'Approved'),
      (err: ClusterError) => err.kind === 'refused' && /already Denied/.test(err.message),
    );
    await assert.rejects(
      admin.setApproval(name, 'Approved', { force: true }),
      (err: ClusterError) => err.kind === 'invalid' && err.details.status === 422,
    );
    assert.equal(await kubectlConditions(adminConf, name), 'Denied');
  });

  it('names the missing RBAC on a 403 (viewer)', async () => {
    const name = await newNodeCsr();
    const viewer = await connectCluster({ kubeconfig: cluster.kubeconfig('viewer.conf') });
    assert.ok((await viewer.listCsrs()).items.length > 0, 'the viewer may list');
    await assert.rejects(viewer.setApproval(name, 'Approved'), (err: ClusterError) => {
      assert.equal(err.kind, 'forbidden');
      assert.match(err.message, /update on certificatesigningrequests\.certificates\.k8s\.io\/approval/);
      assert.match(
        err.message,
        /approve on signers\.certificates\.k8s\.io with resourceName kubernetes\.io\/kubelet-serving/,
      );
      return true;
    });
    assert.equal(await kubectlConditions(adminConf, name), '');
  });

  it('retries after a 409 caused by a concurrent kubectl update', async () => {
    const name = await newNodeCsr();
    // Between our read and our update, kubectl changes the object: our update is stale.
    const api = (
      admin as unknown as {
        certificates: { readCertificateSigningRequest: (p: { name: string }) => Promise<unknown> };
      }
    ).certificates;
    const original = api.readCertificateSigningRequest.bind(api);
    let reads = 0;
    api.readCertificateSigningRequest = async (params) => {
      const result = await original(params);
      if (++reads === 1) await kubectl(adminConf, 'label', 'csr', name, 'touched=by-kubectl', '--overwrite');
      return result;
    };
    try {
      const outcome = await admin.setApproval(name, 'Approved');
      assert.equal(outcome.attempts, 2);
      assert.equal(reads, 2);
    } finally {
      api.readCertificateSigningRequest = original;
    }
    assert.equal(await kubectlConditions(adminConf, name), 'Approved');
    assert.equal(
      await kubectl(adminConf, 'get', 'csr', name, '-o', 'jsonpath={.metadata.labels.touched}'),
      'by-kubectl',
    );
  });

  it(`gives up after ${MAX_APPROVAL_ATTEMPTS} conflicts`, async () => {
    const name = await newNodeCsr();
    const api = (
      admin as unknown as {
        certificates: { readCertificateSigningRequest: (p: { name: string }) => Promise<unknown> };
      }
    ).certificates;
    const original = api.readCertificateSigningRequest.bind(api);
    let reads = 0;
    api.readCertificateSigningRequest = async (params) => {
      const result = await original(params);
      await kubectl(adminConf, 'label', 'csr', name, `n=${++reads}`, '--overwrite');
      return result;
    };
    try {
      await assert.rejects(
        admin.setApproval(name, 'Approved'),
        (err: ClusterError) => err.kind === 'conflict',
      );
      assert.equal(reads, MAX_APPROVAL_ATTEMPTS);
    } finally {
      api.readCertificateSigningRequest = original;
    }
  });

  it('reviews kubelet-serving SANs against the Node when it may read it', async () => {
    const csr = await admin.getCsr('csr-node-2-serving-unknown-sans');
    const review = await reviewInCluster(csr, new NodeCache(admin), new Date(), {});
    assert.deepEqual(
      review.findings.map((f) => [f.code, f.params.values]),
      [['san-not-node-address', 'api.attacker.example, 10.0.0.99']],
    );
    // A bootstrap token may not get nodes: the check is reported as not done, not silently passed.
    const bootstrap = await connectCluster({ kubeconfig: cluster.kubeconfig('bootstrap-kubelet.conf') });
    const asBootstrap = await reviewInCluster(
      await admin.getCsr('csr-node-1-serving'),
      new NodeCache(bootstrap),
      new Date(),
      {},
    );
    assert.deepEqual(
      asBootstrap.findings.map((f) => [f.code, f.params.reason]),
      [['node-addresses-unchecked', 'no permission to get nodes']],
    );
  });

  it('watches: a created CSR appears, its approval by kubectl shows, its deletion removes it', async () => {
    let changes = 0;
    const errors: (ClusterError | undefined)[] = [];
    const watcher = new CsrWatcher(admin, { onChange: () => changes++, onError: (e) => errors.push(e) });
    watcher.start();
    try {
      await waitFor(() => watcher.synced && changes > 0, 'the first list');
      const name = await newNodeCsr();
      await waitFor(() => watcher.items.has(name), 'ADDED');
      await kubectl(adminConf, 'certificate', 'approve', name);
      const approved = (csr?: Csr): boolean =>
        (csr?.status?.conditions ?? []).some((c) => c.type === 'Approved');
      await waitFor(() => approved(watcher.items.get(name)), 'MODIFIED with Approved');
      await waitFor(() => Boolean(watcher.items.get(name)?.status?.certificate), 'the issued certificate');
      await kubectl(adminConf, 'delete', 'csr', name);
      await waitFor(() => !watcher.items.has(name), 'DELETED');
      assert.deepEqual(errors.filter(Boolean), []);
    } finally {
      watcher.stop();
    }
  });

  it('reports a stopped cluster as unreachable', async () => {
    const stopped = await startTestCluster(false);
    const client = await connectCluster({ kubeconfig: stopped.kubeconfig('admin.conf') });
    await stopped.cleanup();
    await assert.rejects(client.listCsrs(), (err: ClusterError) => err.kind === 'unreachable');
  });
});
