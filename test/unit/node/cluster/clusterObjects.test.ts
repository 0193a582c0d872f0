// Reading the inventory's objects through a scripted API: pages (limit/continue), the Secret field
// selector, Secrets left alone unless allowed, a 403 turned into an access problem with the
// namespaces read instead, and a cluster that cannot be reached failing the read. The watcher:
// events applied, a closed stream resumed from the last version, 410 Gone → list again.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WatchEvent } from '../../../../src/node/cluster/client';
import { fetchClusterObjects } from '../../../../src/node/cluster/clusterObjects';
import { ClusterWatcher } from '../../../../src/node/cluster/clusterWatch';
import { type ClusterError } from '../../../../src/node/cluster/errors';
import { waitFor } from '../../../fixtures/demoCluster';
import { clusterPki, tlsSecret, webhookConfig, type ClusterPki } from '../../core/cluster/clusterFixtures';

type Route = (url: URL) => unknown;

class FakeApi {
  requests: string[] = [];
  watches: {
    path: string;
    query: Record<string, string | boolean>;
    emit: (e: WatchEvent) => void;
    close: (err?: ClusterError) => void;
  }[] = [];
  constructor(private readonly routes: Record<string, Route>) {}

  async getJson(apiPath: string): Promise<unknown> {
    this.requests.push(apiPath);
    const url = new URL(apiPath, 'https://api');
    const route = this.routes[url.pathname];
    if (!route) throw Object.assign(new Error('HTTP 404'), { code: 404, body: '{"message":"not found"}' });
    const result = route(url);
    if (result instanceof Error) throw result;
    return result;
  }

  async watchPath(
    path: string,
    query: Record<string, string | boolean>,
    _action: string,
    emit: (e: WatchEvent) => void,
    close: (err?: ClusterError) => void,
  ): Promise<() => void> {
    this.watches.push({ path, query, emit, close });
    return () => undefined;
  }
}

const forbidden = (): Error =>
  Object.assign(new Error('HTTP 403'), {
    code: 403,
    body: JSON.stringify({ message: 'secrets is forbidden' }),
  });

function list(items: unknown[], rv = '7', next = ''): unknown {
  return { items, metadata: { resourceVersion: rv, ...(next ? { continue: next } : {}) } };
}

/** Items as a list returns them: no apiVersion/kind. */
function bare(object: Record<string, unknown>): Record<string, unknown> {
  const rest = { ...object };
  delete rest.apiVersion;
  delete rest.kind;
  return rest;
}

describe('fetchClusterObjects', function () {
  this.timeout(30_000);
  let pki: ClusterPki;
  before(async () => {
    pki = await clusterPki();
  });

  it('pages through Secrets with the TLS field selector and reads every resource', async () => {
    const pages: Record<string, unknown> = {
      '': list([bare(tlsSecret('a', 's1', { crt: pki.good.certPem }))], '7', 'tok1'),
      tok1: list([bare(tlsSecret('b', 's2', { crt: pki.expiring.certPem }))], '7'),
    };
    const api = new FakeApi({
      '/api/v1/secrets': (url) => {
        assert.equal(url.searchParams.get('fieldSelector'), 'type=kubernetes.io/tls');
        assert.equal(url.searchParams.get('limit'), '2');
        return pages[url.searchParams.get('continue') ?? ''];
      },
      '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations': () =>
        list([bare(webhookConfig('ValidatingWebhookConfiguration', 'v', [pki.issuerCa.certPem]))]),
      '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations': () => list([]),
      '/apis/apiextensions.k8s.io/v1/customresourcedefinitions': (url) => {
        // CRDs carry their schemas: smaller pages than anything else.
        assert.equal(url.searchParams.get('limit'), '2');
        return list([]);
      },
      '/api/v1/namespaces/kube-public/configmaps': () => list([]),
      '/api/v1/configmaps': (url) => {
        assert.equal(url.searchParams.get('fieldSelector'), 'metadata.name=kube-root-ca.crt');
        return list([]);
      },
    });
    const out = await fetchClusterObjects(api, { readSecrets: true, pageSize: 2 });
    assert.deepEqual(out.objects.map((o) => `${o.ref.kind}/${o.ref.namespace ?? ''}/${o.ref.name}`).sort(), [
      'Secret/a/s1',
      'Secret/b/s2',
      'ValidatingWebhookConfiguration//v',
    ]);
    assert.equal(api.requests.filter((r) => r.startsWith('/api/v1/secrets')).length, 2);
    // apiservices is not served here: a read error of that group, not a failure.
    assert.deepEqual(
      out.access.map((a) => [a.resource, a.forbidden]),
      [['apiservices.apiregistration.k8s.io', false]],
    );
  });

  it('never lists Secrets unless allowed; -n lists namespaced resources in that namespace only', async () => {
    const api = new FakeApi({
      '/api/v1/namespaces/apps/configmaps': () => list([]),
      '/api/v1/namespaces/kube-public/configmaps': () => list([]),
    });
    await fetchClusterObjects(api, { readSecrets: false, namespace: 'apps' });
    assert.ok(!api.requests.some((r) => r.includes('secrets')), api.requests.join('\n'));
    // kubectl's chunk size, and pages of 50 for CRDs, whose schemas make each item large.
    const limitOf = (path: string): string | null =>
      new URL(
        api.requests.find((r) => r.startsWith(path))!,
        'https://api',
      ).searchParams.get('limit');
    assert.equal(limitOf('/api/v1/namespaces/apps/configmaps'), '500');
    assert.equal(limitOf('/apis/apiextensions.k8s.io/v1/customresourcedefinitions'), '50');
  });

  it('a forbidden all-namespaces Secret list falls back to the namespaces that allow it', async () => {
    const api = new FakeApi({
      '/api/v1/secrets': () => forbidden(),
      '/api/v1/namespaces': () =>
        list([{ metadata: { name: 'apps' } }, { metadata: { name: 'kube-system' } }]),
      '/api/v1/namespaces/apps/secrets': () =>
        list([bare(tlsSecret('apps', 'web', { crt: pki.good.certPem }))]),
      '/api/v1/namespaces/kube-system/secrets': () => forbidden(),
    });
    const out = await fetchClusterObjects(api, { readSecrets: true });
    assert.deepEqual(
      out.objects.map((o) => o.ref.name),
      ['web'],
    );
    const denied = out.access.find((a) => a.resource === 'secrets')!;
    assert.equal(denied.forbidden, true);
    assert.deepEqual(denied.readIn, ['apps']);
    assert.deepEqual(denied.missingPermissions, ['list on secrets (cluster-wide)']);
  });

  it('an unreachable cluster fails the read', async () => {
    const api = new FakeApi({});
    api.getJson = async () => {
      throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    };
    await assert.rejects(
      fetchClusterObjects(api, { readSecrets: true }),
      (err: ClusterError) => err.kind === 'unreachable',
    );
  });
});

describe('ClusterWatcher', function () {
  this.timeout(30_000);
  let pki: ClusterPki;
  before(async () => {
    pki = await clusterPki();
  });

  it('lists, applies watch events, resumes a closed stream and relists on 410 Gone', async () => {
    let secrets = [bare(tlsSecret('apps', 'one', { crt: pki.good.certPem }))];
    const empty = (): unknown => list([]);
    const api = new FakeApi({
      '/api/v1/namespaces/apps/secrets': () => list(secrets, '10'),
      '/api/v1/namespaces/apps/configmaps': empty,
      '/api/v1/namespaces/kube-public/configmaps': empty,
      '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations': empty,
      '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations': empty,
      '/apis/apiregistration.k8s.io/v1/apiservices': empty,
      '/apis/apiextensions.k8s.io/v1/customresourcedefinitions': empty,
    });
    const dir = mkdtempSync(join(tmpdir(), 'kubecerts-watch-'));
    const kubeconfig = join(dir, 'config');
    writeFileSync(
      kubeconfig,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]',
        'users: [{name: u, user: {}}]',
        'contexts: [{name: demo, context: {cluster: c, user: u, namespace: apps}}]',
        'current-context: demo',
        '',
      ].join('\n'),
    );
    const names: string[][] = [];
    const watcher = new ClusterWatcher(api, {
      location: { kubeconfig },
      context: 'demo',
      namespace: 'apps',
      readSecrets: true,
      debounceMs: 5,
      onChange: (s) => names.push(s.objects.map((o) => o.ref.name).sort()),
      onError: () => undefined,
    });
    watcher.start();
    try {
      await waitFor(() => api.watches.length === 7, 'a watch per list');
      assert.deepEqual(names, [['one']]);
      const secretWatch = api.watches.find((w) => w.path === '/api/v1/namespaces/apps/secrets')!;
      assert.deepEqual(secretWatch.query, { resourceVersion: '10', fieldSelector: 'type=kubernetes.io/tls' });
      secretWatch.emit({
        type: 'ADDED',
        object: bare(tlsSecret('apps', 'two', { crt: pki.expiring.certPem })),
      });
      secretWatch.emit({
        type: 'DELETED',
        object: bare(tlsSecret('apps', 'one', { crt: pki.good.certPem })),
      });
      secretWatch.emit({ type: 'BOOKMARK', object: { metadata: { resourceVersion: '15' } } });
      await waitFor(() => names.length === 2, 'the coalesced change');
      assert.deepEqual(names[1], ['two']);
      // Closed by the server after a while: watched again from the last version, no list.
      const lists = api.requests.length;
      await new Promise((r) => setTimeout(r, 1100));
      secretWatch.close();
      await waitFor(() => api.watches.length === 8, 'the resumed watch');
      assert.equal(api.watches[7].query.resourceVersion, '15');
      assert.equal(api.requests.length, lists);
      // 410 Gone: everything is listed again.
      secrets = [bare(tlsSecret('apps', 'three', { crt: pki.good.certPem }))];
      api.watches[7].emit({ type: 'ERROR', object: { kind: 'Status', code: 410 } });
      await waitFor(() => names.some((n) => n.join() === 'three'), 'the relist');
      assert.deepEqual(
        watcher.snapshot?.objects.map((o) => o.ref.name),
        ['three'],
      );
    } finally {
      watcher.stop();
      rmSync(dir, { recursive: true, force: true });
    }
    const errors: string[] = [];
    const failing = new ClusterWatcher(api, {
      location: { kubeconfig: join(dir, 'missing') },
      context: 'demo',
      readSecrets: true,
      onChange: () => undefined,
      onError: (e) => e && errors.push(e.kind),
    });
    failing.start();
    await waitFor(() => errors.length > 0, 'the kubeconfig error');
    failing.stop();
    assert.deepEqual(errors, ['config']);
  });
});
