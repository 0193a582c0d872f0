// The ClusterWatcher against the demo cluster's real list + watch (paged lists, watch with the
// Secret field selector from each list's resourceVersion): a TLS Secret created with kubectl shows
// up, its deletion removes it, an Opaque Secret never shows up.
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClusterSnapshot } from '../../../../src/core/cluster/snapshot';
import { connectCluster } from '../../../../src/node/cluster/client';
import { ClusterWatcher } from '../../../../src/node/cluster/clusterWatch';
import { kubectl, startTestCluster, waitFor } from '../../../fixtures/demoCluster';

describe('ClusterWatcher (demo cluster)', function () {
  this.timeout(120_000);
  let cluster: Awaited<ReturnType<typeof startTestCluster>>;
  let dir: string;
  before(async () => {
    cluster = await startTestCluster();
    dir = mkdtempSync(join(tmpdir(), 'kubecerts-watch-demo-'));
  });
  after(async () => {
    await cluster?.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('follows kubectl create and delete of TLS Secrets, never lists an Opaque one', async () => {
    const admin = cluster.kubeconfig('admin.conf');
    const location = { kubeconfig: admin };
    const client = await connectCluster(location);
    let latest: ClusterSnapshot | undefined;
    const errors: string[] = [];
    const watcher = new ClusterWatcher(client, {
      location,
      context: client.info.context,
      readSecrets: true,
      debounceMs: 20,
      onChange: (snapshot) => (latest = snapshot),
      onError: (error) => {
        if (error) errors.push(error.message);
      },
    });
    const secrets = (): string[] =>
      (latest?.objects ?? [])
        .filter((o) => o.ref.kind === 'Secret')
        .map((o) => `${o.ref.namespace}/${o.ref.name}`)
        .sort();
    watcher.start();
    try {
      await waitFor(() => latest !== undefined, 'the first list', 30_000);
      const before = secrets();
      assert.ok(before.includes('ingress-nginx/api-example-com-tls'), before.join());
      const existing = JSON.parse(
        await kubectl(admin, 'get', 'secret', '-n', 'ingress-nginx', 'api-example-com-tls', '-o', 'json'),
      ) as { data: Record<string, string> };
      const manifest = join(dir, 'new.json');
      writeFileSync(
        manifest,
        JSON.stringify({
          apiVersion: 'v1',
          kind: 'List',
          items: [
            {
              apiVersion: 'v1',
              kind: 'Secret',
              type: 'kubernetes.io/tls',
              metadata: { name: 'watched-tls', namespace: 'default' },
              data: { 'tls.crt': existing.data['tls.crt'], 'tls.key': existing.data['tls.key'] },
            },
            {
              apiVersion: 'v1',
              kind: 'Secret',
              type: 'Opaque',
              metadata: { name: 'watched-opaque', namespace: 'default' },
              data: { 'tls.crt': existing.data['tls.crt'], token: Buffer.from('x').toString('base64') },
            },
          ],
        }),
      );
      await kubectl(admin, 'create', '--validate=false', '-f', manifest);
      await waitFor(() => secrets().includes('default/watched-tls'), 'the ADDED event', 30_000);
      assert.ok(!secrets().includes('default/watched-opaque'));
      await kubectl(admin, 'delete', 'secret', '-n', 'default', 'watched-tls');
      await waitFor(() => !secrets().includes('default/watched-tls'), 'the DELETED event', 30_000);
      assert.deepEqual(secrets(), before);
      assert.deepEqual(errors, []);
    } finally {
      watcher.stop();
    }
  });
});
