import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadClientNode } from '../../../../src/node/cluster/client';
import { type ClusterError } from '../../../../src/node/cluster/errors';
import { kubeconfigFiles, loadKubeconfig } from '../../../../src/node/cluster/kubeconfig';

function kubeconfig(
  current: string,
  entries: { context: string; cluster: string; user: string; server: string; exec?: boolean }[],
): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    `current-context: "${current}"`,
    'clusters:',
    ...entries.map((e) => `- name: ${e.cluster}\n  cluster:\n    server: ${e.server}`),
    'users:',
    ...entries.map((e) =>
      e.exec
        ? `- name: ${e.user}\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: ./get-token.sh\n      interactiveMode: Never`
        : `- name: ${e.user}\n  user:\n    token: t`,
    ),
    'contexts:',
    ...entries.map((e) => `- name: ${e.context}\n  context:\n    cluster: ${e.cluster}\n    user: ${e.user}`),
  ].join('\n');
}

describe('kubeconfig loading for the cluster client', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'kubecerts-kc-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('picks the explicit file, else KUBECONFIG (existing entries only), else ~/.kube/config', () => {
    const a = join(dir, 'a.conf');
    writeFileSync(a, kubeconfig('x', []));
    assert.deepEqual(kubeconfigFiles({ kubeconfig: '/explicit', env: { KUBECONFIG: a } }), {
      files: ['/explicit'],
      origin: 'explicit',
    });
    assert.deepEqual(
      kubeconfigFiles({ env: { KUBECONFIG: `${join(dir, 'missing')}:${a}` }, platform: 'linux' }),
      { files: [a], origin: 'env' },
    );
    assert.deepEqual(kubeconfigFiles({ env: {}, homeDir: '/home/u' }), {
      files: ['/home/u/.kube/config'],
      origin: 'default',
    });
  });

  it('merges KUBECONFIG files as kubectl does: the first file defining a name or current-context wins', async () => {
    const first = join(dir, 'first.conf');
    const second = join(dir, 'second.conf');
    writeFileSync(
      first,
      kubeconfig('one', [{ context: 'one', cluster: 'c', user: 'u', server: 'https://first:6443' }]),
    );
    writeFileSync(
      second,
      kubeconfig('two', [
        { context: 'two', cluster: 'c', user: 'u', server: 'https://second:6443' },
        { context: 'three', cluster: 'c3', user: 'u3', server: 'https://third:6443' },
      ]),
    );
    const k8s = await loadClientNode();
    const loaded = loadKubeconfig(k8s, { env: { KUBECONFIG: `${first}:${second}` }, platform: 'linux' });
    assert.equal(loaded.context, 'one');
    assert.deepEqual([...loaded.contexts].sort(), ['one', 'three', 'two']);
    assert.equal(loaded.cluster.server, 'https://first:6443');
    const two = loadKubeconfig(k8s, {
      env: { KUBECONFIG: `${first}:${second}` },
      platform: 'linux',
      context: 'two',
    });
    assert.equal(two.cluster.server, 'https://first:6443', 'cluster c is taken from the first file');
    assert.throws(
      () => loadKubeconfig(k8s, { kubeconfig: first, context: 'nope' }),
      (e: ClusterError) => e.kind === 'config',
    );
  });

  it('refuses exec credential plugins from files inside untrusted roots, before running anything', async () => {
    const workspace = join(dir, 'workspace');
    mkdirSync(workspace, { recursive: true });
    const inside = join(workspace, 'kubeconfig');
    writeFileSync(
      inside,
      kubeconfig('e', [{ context: 'e', cluster: 'c', user: 'plugin', server: 'https://x:6443', exec: true }]),
    );
    const k8s = await loadClientNode();
    assert.throws(
      () => loadKubeconfig(k8s, { kubeconfig: inside, untrustedRoots: [workspace] }),
      (e: ClusterError) => e.kind === 'exec-refused' && /not trusted/.test(e.message),
    );
    assert.equal(
      loadKubeconfig(k8s, { kubeconfig: inside, untrustedRoots: [join(dir, 'elsewhere')] }).user.name,
      'plugin',
    );
    assert.equal(loadKubeconfig(k8s, { kubeconfig: inside }).context, 'e');
  });
});
