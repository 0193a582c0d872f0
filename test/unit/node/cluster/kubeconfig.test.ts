import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadClientNode } from '../../../../src/node/cluster/client';
import { type ClusterError } from '../../../../src/node/cluster/errors';
import { kubeconfigFiles, loadKubeconfig, readKubeconfigs } from '../../../../src/node/cluster/kubeconfig';

const ROOT = join(__dirname, '../../../..');
/**
 * Makes any import of @kubernetes/client-node fail in a child process, a require too (what
 * src/node/cluster/clientNode.ts becomes under tsx).
 */
const NO_CLIENT_HOOK = `data:text/javascript,${encodeURIComponent(
  `import Module, { register } from 'node:module';
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) { if (request.startsWith("@kubernetes/client-node")) throw new Error("client-node loaded"); return resolveFilename.call(this, request, ...rest); };
register('data:text/javascript,' + encodeURIComponent('export async function resolve(s, c, next) { if (s.startsWith("@kubernetes/client-node")) throw new Error("client-node loaded"); return next(s, c); }'));`,
)}`;

function runWithoutClient(script: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--import', NO_CLIENT_HOOK, '-e', script], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

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

  it('lists contexts from the core model without loading the Kubernetes client (Switch Context)', () => {
    const file = join(dir, 'list.conf');
    writeFileSync(
      file,
      kubeconfig('b', [
        { context: 'a', cluster: 'ca', user: 'ua', server: 'https://a:6443' },
        { context: 'b', cluster: 'cb', user: 'ub', server: 'https://b:6443' },
      ]),
    );
    const listed = readKubeconfigs({ kubeconfig: file });
    assert.deepEqual(
      [...listed.contexts.values()],
      [
        { name: 'a', cluster: 'ca', user: 'ua' },
        { name: 'b', cluster: 'cb', user: 'ub' },
      ],
    );
    assert.equal(listed.currentContext, 'b');

    const kubeconfigModule = JSON.stringify(join(ROOT, 'src/node/cluster/kubeconfig.ts'));
    const clientModule = JSON.stringify(join(ROOT, 'src/node/cluster/client.ts'));
    const listing = runWithoutClient(
      `const m = require(${kubeconfigModule}).readKubeconfigs({ kubeconfig: ${JSON.stringify(file)} });
       console.log([...m.contexts.keys()].join(','));`,
    );
    assert.equal(listing.status, 0, listing.stderr);
    assert.equal(listing.stdout.trim(), 'a,b');
    // The hook does catch a load of the client: connecting needs it.
    const connecting = runWithoutClient(
      `require(${clientModule}).loadClientNode().then(() => console.log('loaded'));`,
    );
    assert.notEqual(connecting.status, 0);
    assert.match(connecting.stderr, /client-node loaded/);
  });

  it("builds the client's configuration from the merged model: CA data, paths against the file, tokenFile, exec arguments", async () => {
    const sub = join(dir, 'sub');
    mkdirSync(sub, { recursive: true });
    writeFileSync(join(sub, 'token'), 'secret-token\n');
    const file = join(sub, 'built.conf');
    writeFileSync(
      file,
      [
        'apiVersion: v1',
        'kind: Config',
        'current-context: tok',
        'clusters:',
        '- name: c',
        '  cluster:',
        '    server: https://c:6443',
        '    certificate-authority-data: Q0E=',
        '    tls-server-name: api.internal',
        'users:',
        '- name: tok',
        '  user:',
        '    tokenFile: token',
        '- name: certs',
        '  user:',
        '    client-certificate: pki/client.crt',
        '    client-key: pki/client.key',
        '- name: plugin',
        '  user:',
        '    exec:',
        '      apiVersion: client.authentication.k8s.io/v1',
        '      command: get-token',
        '      args: [--cluster, c]',
        '      interactiveMode: Never',
        'contexts:',
        '- name: tok',
        '  context: {cluster: c, user: tok, namespace: team}',
        '- name: certs',
        '  context: {cluster: c, user: certs}',
        '- name: plugin',
        '  context: {cluster: c, user: plugin}',
      ].join('\n'),
    );
    const k8s = await loadClientNode();
    const tok = loadKubeconfig(k8s, { kubeconfig: file });
    assert.deepEqual(
      [tok.cluster.server, tok.cluster.caData, tok.cluster.tlsServerName, tok.user.token],
      ['https://c:6443', 'Q0E=', 'api.internal', 'secret-token'],
    );
    assert.equal(tok.kc.getContextObject('tok')?.namespace, 'team');
    assert.equal(tok.kc.getCurrentUser()?.token, 'secret-token');
    const certs = loadKubeconfig(k8s, { kubeconfig: file, context: 'certs' });
    assert.deepEqual(
      [certs.user.certFile, certs.user.keyFile],
      [join(sub, 'pki/client.crt'), join(sub, 'pki/client.key')],
    );
    const plugin = loadKubeconfig(k8s, { kubeconfig: file, context: 'plugin' });
    assert.deepEqual(plugin.kc.getCurrentUser()?.exec?.args, ['--cluster', 'c']);
  });
});
