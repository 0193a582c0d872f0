// The certificate objects over the raw API: discovery, the strategies (defaults, server-owned
// status, validation wording), namespace lifecycle, watch from a resourceVersion, and a restart
// that keeps every object and resourceVersion.
import { strict as assert } from 'node:assert';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startDemoCluster, type DemoCluster } from '../../../tools/demo-cluster/cluster';
import { api, credentials, waitUntil } from './helpers';

type Creds = Awaited<ReturnType<typeof credentials>>;

const SECRETS = '/api/v1/namespaces/default/secrets';
const APISERVICES = '/apis/apiregistration.k8s.io/v1/apiservices';
const CRDS = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
const EC = { algorithm: 'EC', curve: 'P-256' } as const;

describe('demo cluster certificate objects API', function () {
  this.timeout(30_000);
  let dir: string;
  let cluster: DemoCluster;
  let admin: Creds;

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kubecerts-demo-objects-api-'));
    cluster = await startDemoCluster({ dir, key: EC });
    admin = await credentials(cluster.kubeconfig('admin.conf'));
  });
  after(async () => {
    await cluster?.stop();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('discovery: groups, versions, scope, verbs and short names of each resource', async () => {
    const groups = (await api(admin, 'GET', '/apis')).body.groups.map((g: { name: string }) => g.name);
    for (const group of ['admissionregistration.k8s.io', 'apiregistration.k8s.io', 'apiextensions.k8s.io'])
      assert.ok(groups.includes(group), group);
    const core = (await api(admin, 'GET', '/api/v1')).body.resources as {
      name: string;
      namespaced: boolean;
      shortNames?: string[];
      verbs: string[];
    }[];
    const byName = new Map(core.map((r) => [r.name, r]));
    assert.equal(byName.get('secrets')?.namespaced, true);
    assert.deepEqual(byName.get('configmaps')?.shortNames, ['cm']);
    assert.deepEqual(byName.get('namespaces')?.shortNames, ['ns']);
    assert.equal(byName.get('namespaces')?.namespaced, false);
    assert.ok(byName.get('secrets')?.verbs.includes('watch'));
    const crd = (await api(admin, 'GET', '/apis/apiextensions.k8s.io/v1')).body.resources[0];
    assert.deepEqual(
      [crd.name, crd.namespaced, crd.shortNames],
      ['customresourcedefinitions', false, ['crd', 'crds']],
    );
  });

  it('the system namespaces exist with their kube-root-ca.crt; a new namespace gets one too', async () => {
    const names = (await api(admin, 'GET', '/api/v1/namespaces')).body.items.map(
      (n: { metadata: { name: string } }) => n.metadata.name,
    );
    assert.deepEqual(names, ['default', 'kube-node-lease', 'kube-public', 'kube-system']);
    const created = await api(admin, 'POST', '/api/v1/namespaces', { metadata: { name: 'team-a' } });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.status.phase, 'Active');
    assert.equal(created.body.metadata.labels['kubernetes.io/metadata.name'], 'team-a');
    const root = await api(admin, 'GET', '/api/v1/namespaces/team-a/configmaps/kube-root-ca.crt');
    assert.equal(root.body.data['ca.crt'], await fs.readFile(cluster.caFile, 'utf8'));
    const badName = await api(admin, 'POST', '/api/v1/namespaces', { metadata: { name: 'a.b' } });
    assert.equal(badName.status, 422);
    assert.match(
      badName.body.message,
      /Namespace "a\.b" is invalid: metadata\.name: Invalid value: "a\.b": a lowercase RFC 1123 label/,
    );
  });

  it('Secrets: stringData merged into data, type defaulted and immutable, 404 outside a namespace', async () => {
    const r = await api(admin, 'POST', SECRETS, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'plain' },
      data: { a: Buffer.from('1').toString('base64') },
      stringData: { b: 'two' },
    });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.type, 'Opaque');
    assert.equal(r.body.stringData, undefined);
    assert.deepEqual(r.body.data, { a: 'MQ==', b: 'dHdv' });
    assert.equal(r.body.metadata.namespace, 'default');
    const retyped = await api(admin, 'PUT', `${SECRETS}/plain`, { ...r.body, type: 'kubernetes.io/tls' });
    assert.equal(retyped.status, 422);
    assert.match(retyped.body.message, /type: Invalid value: "kubernetes.io\/tls": field is immutable/);
    const wrongNs = await api(admin, 'POST', SECRETS, { metadata: { name: 'x', namespace: 'kube-system' } });
    assert.equal(wrongNs.status, 400);
    assert.equal(
      wrongNs.body.message,
      'the namespace of the provided object does not match the namespace sent on the request',
    );
    const missing = await api(admin, 'GET', `${SECRETS}/absent`);
    assert.deepEqual([missing.status, missing.body.message], [404, 'secrets "absent" not found']);
    const badKey = await api(admin, 'POST', SECRETS, {
      metadata: { name: 'badkey' },
      data: { 'a b': 'eQ==' },
    });
    assert.match(
      badKey.body.message,
      /data\[a b\]: Invalid value: "a b": a valid config key must consist of alphanumeric characters/,
    );
  });

  it('APIServices and CRDs: status is the server’s; validation as kube-aggregator and apiextensions', async () => {
    const svc = await api(admin, 'POST', APISERVICES, {
      metadata: { name: 'v1alpha1.example.com' },
      spec: {
        group: 'example.com',
        version: 'v1alpha1',
        service: { namespace: 'default', name: 'example' },
        groupPriorityMinimum: 1000,
        versionPriority: 10,
        insecureSkipTLSVerify: true,
      },
      status: { conditions: [{ type: 'Available', status: 'True' }] },
    });
    assert.equal(svc.status, 201, svc.text);
    assert.deepEqual(
      [
        svc.body.status.conditions[0].status,
        svc.body.status.conditions[0].reason,
        svc.body.spec.service.port,
      ],
      ['False', 'ServiceNotFound', 443],
    );
    const local = await api(admin, 'POST', APISERVICES, {
      metadata: { name: 'v1.wrong' },
      spec: {
        group: 'example.com',
        version: 'v1',
        groupPriorityMinimum: 100,
        versionPriority: 10,
        caBundle: 'eQ==',
      },
    });
    assert.equal(local.status, 422);
    assert.match(local.body.message, /metadata\.name: Invalid value: "v1\.wrong": must be v1\.example\.com/);
    assert.match(
      local.body.message,
      /spec\.caBundle: Invalid value: "1 bytes": local APIServices may not have a caBundle/,
    );
    const crd = await api(admin, 'POST', CRDS, {
      metadata: { name: 'gadgets.example.com' },
      spec: {
        group: 'example.com',
        names: { plural: 'gizmos', kind: 'Gizmo' },
        scope: 'Namespaced',
        versions: [{ name: 'v1', served: true, storage: true }],
      },
    });
    assert.equal(crd.status, 422);
    assert.match(
      crd.body.message,
      /metadata\.name: Invalid value: "gadgets\.example\.com": must be spec\.names\.plural\+"\."\+spec\.group/,
    );
  });

  it('deleting a namespace deletes what it holds; watch from a resourceVersion replays only later changes', async () => {
    await api(admin, 'POST', '/api/v1/namespaces', { metadata: { name: 'doomed' } });
    const first = await api(admin, 'POST', '/api/v1/namespaces/doomed/secrets', { metadata: { name: 's1' } });
    const events: { type: string; object: { metadata: { name: string } } }[] = [];
    const { request } = await import('node:https');
    const url = new URL(
      `/api/v1/secrets?watch=true&resourceVersion=${first.body.metadata.resourceVersion}`,
      admin.server,
    );
    const req = request(url, { ca: admin.ca, cert: admin.cert, key: admin.key }, (res) => {
      let buffer = '';
      res.on('data', (d: Buffer) => {
        buffer += d.toString();
        const lines = buffer.split('\n');
        buffer = lines.pop() ?? '';
        for (const line of lines) if (line.trim()) events.push(JSON.parse(line));
      });
    });
    req.end();
    try {
      await api(admin, 'POST', '/api/v1/namespaces/doomed/secrets', { metadata: { name: 's2' } });
      const deleted = await api(admin, 'DELETE', '/api/v1/namespaces/doomed');
      assert.equal(deleted.status, 200, deleted.text);
      await waitUntil(async () => events.length >= 3);
      assert.deepEqual(
        events.map((e) => `${e.type} ${e.object.metadata.name}`),
        ['ADDED s2', 'DELETED s1', 'DELETED s2'],
      );
    } finally {
      req.destroy();
    }
    const left = await api(admin, 'GET', '/api/v1/namespaces/doomed/configmaps');
    assert.deepEqual(left.body.items, []);
    const orphan = await api(admin, 'POST', '/api/v1/namespaces/doomed/secrets', {
      metadata: { name: 's3' },
    });
    assert.deepEqual([orphan.status, orphan.body.message], [404, 'namespaces "doomed" not found']);
  });

  it('a restart keeps every object and continues the resourceVersions; --seed adds its objects once', async () => {
    const before = (await api(admin, 'GET', SECRETS)).body;
    await cluster.stop();
    cluster = await startDemoCluster({ dir, key: EC, seed: true });
    admin = await credentials(cluster.kubeconfig('admin.conf'));
    const after = (await api(admin, 'GET', SECRETS)).body;
    assert.ok(after.items.some((s: { metadata: { name: string } }) => s.metadata.name === 'plain'));
    assert.ok(Number(after.metadata.resourceVersion) > Number(before.metadata.resourceVersion));
    const count = async () => (await api(admin, 'GET', '/api/v1/secrets')).body.items.length;
    const seeded = await count();
    await cluster.stop();
    cluster = await startDemoCluster({ dir, key: EC, seed: true });
    admin = await credentials(cluster.kubeconfig('admin.conf'));
    assert.equal(await count(), seeded);
    const info = await api(admin, 'GET', '/api/v1/namespaces/kube-public/configmaps/cluster-info');
    assert.match(info.body.data.kubeconfig, new RegExp(`server: ${cluster.url}\n`));
  });
});
