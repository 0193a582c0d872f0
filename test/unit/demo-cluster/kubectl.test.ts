// The demo cluster against the real kubectl (v1.32): the session of the issue must work unchanged.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { startDemoCluster, type DemoCluster } from '../../../tools/demo-cluster/cluster';
import {
  CSR_PATH,
  api,
  credentials,
  csrManifest,
  kubectl,
  kubectlWatch,
  opensslRequest,
  run,
  waitUntil,
} from './helpers';

const CLIENT_SIGNER = 'kubernetes.io/kube-apiserver-client';

describe('demo cluster with kubectl', function () {
  this.timeout(30_000);
  let dir: string;
  let cluster: DemoCluster;
  const admin = (...args: string[]) => kubectl(dir, 'admin.conf', ...args);

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kubecerts-demo-'));
    cluster = await startDemoCluster({ dir, port: 0, seed: true, key: { algorithm: 'EC', curve: 'P-256' } });
  });
  after(async () => {
    await cluster?.stop();
    await fs.rm(dir, { recursive: true, force: true });
  });

  async function createWithOpenssl(
    name: string,
    subject: string,
    kubeconfig = 'admin.conf',
    expirationSeconds?: number,
  ) {
    const pem = await opensslRequest(dir, name, subject);
    const file = path.join(dir, `${name}.yaml`);
    await fs.writeFile(
      file,
      csrManifest(name, pem, CLIENT_SIGNER, ['digital signature', 'client auth'], expirationSeconds),
    );
    return kubectl(dir, kubeconfig, 'create', '-f', file);
  }

  async function certificateOf(name: string): Promise<string> {
    let pem = '';
    await waitUntil(async () => {
      const r = await admin('get', 'csr', name, '-o', 'jsonpath={.status.certificate}');
      pem = Buffer.from(r.stdout, 'base64').toString('utf8');
      return pem.includes('BEGIN CERTIFICATE');
    });
    return pem;
  }

  it('prints ready URL and kubeconfigs pointing at it', async () => {
    assert.match(cluster.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    for (const file of ['admin.conf', 'viewer.conf', 'node-1.conf', 'bootstrap-kubelet.conf']) {
      assert.ok((await fs.readFile(path.join(dir, file), 'utf8')).includes(`server: ${cluster.url}`), file);
    }
  });

  it('get csr: kubectl columns and the seeded mix', async () => {
    const r = await admin('get', 'csr');
    assert.equal(r.code, 0, r.stderr);
    const [header, ...rows] = r.stdout.trim().split('\n');
    assert.deepEqual(header.trim().split(/\s+/), [
      'NAME',
      'AGE',
      'SIGNERNAME',
      'REQUESTOR',
      'REQUESTEDDURATION',
      'CONDITION',
    ]);
    const byName = new Map(rows.map((row) => [row.split(/\s+/)[0], row.trim().split(/\s+/)]));
    assert.equal(byName.get('node-csr-node-2-bootstrap')?.[5], 'Approved,Issued');
    assert.match(byName.get('node-csr-node-2-bootstrap')?.[3] ?? '', /^system:bootstrap:[a-z0-9]{6}$/);
    assert.equal(byName.get('csr-node-1-serving')?.[5], 'Pending');
    assert.equal(byName.get('csr-node-2-serving-unknown-sans')?.[5], 'Pending');
    assert.equal(byName.get('csr-node-3-asks-for-node-1')?.[5], 'Pending');
    assert.equal(byName.get('csr-legacy-unknown')?.[2], 'kubernetes.io/legacy-unknown');
    assert.equal(byName.get('csr-mallory-cluster-admin')?.[5], 'Denied');
    assert.equal(byName.get('csr-node-1-serving-no-sans')?.[5], 'Approved,Failed');
    assert.deepEqual(byName.get('csr-jane-developer')?.slice(1), [
      '40m',
      CLIENT_SIGNER,
      'jane',
      '24h',
      'Approved,Issued',
    ]);
  });

  it('get csr -o yaml: the stored object, identity set by the server', async () => {
    const r = await admin('get', 'csr', 'csr-node-1-serving-no-sans', '-o', 'yaml');
    assert.equal(r.code, 0, r.stderr);
    const csr = parseYaml(r.stdout);
    assert.equal(csr.kind, 'CertificateSigningRequest');
    assert.equal(csr.apiVersion, 'certificates.k8s.io/v1');
    assert.equal(csr.spec.username, 'system:node:node-1');
    assert.deepEqual(csr.spec.groups, ['system:nodes', 'system:authenticated']);
    const failed = csr.status.conditions.find((c: { type: string }) => c.type === 'Failed');
    assert.equal(failed.reason, 'SignerValidationFailure');
    assert.equal(failed.message, 'DNS or IP subjectAltName is required');
    assert.match(csr.metadata.resourceVersion, /^\d+$/);
  });

  it('describe csr: subject and SANs of the request', async () => {
    const r = await admin('describe', 'csr', 'csr-node-1-serving');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Requesting User:\s+system:node:node-1/);
    assert.match(r.stdout, /Signer:\s+kubernetes\.io\/kubelet-serving/);
    assert.match(r.stdout, /Status:\s+Pending/);
    assert.match(r.stdout, /Common Name:\s+system:node:node-1/);
    assert.match(r.stdout, /DNS Names:\s+node-1/);
    assert.match(r.stdout, /IP Addresses:\s+10\.0\.0\.11/);
  });

  it('create -f (openssl request), certificate approve, then a certificate the CA verifies', async () => {
    const created = await createWithOpenssl('alice', '/CN=alice/O=devs', 'admin.conf', 3600);
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /certificatesigningrequest.certificates.k8s.io\/alice created/);
    const approved = await admin('certificate', 'approve', 'alice');
    assert.equal(approved.code, 0, approved.stderr);
    assert.match(approved.stdout, /alice approved/);
    const pem = await certificateOf('alice');
    await fs.writeFile(path.join(dir, 'alice.crt'), pem);
    const verify = await run('openssl', ['verify', '-CAfile', cluster.caFile, path.join(dir, 'alice.crt')]);
    assert.equal(verify.code, 0, verify.stderr + verify.stdout);
    assert.match(verify.stdout, /alice.crt: OK/);
    const cert = new X509Certificate(pem);
    assert.match(cert.subject, /CN=alice/);
    // min(expirationSeconds, signing duration) = 1 h, backdated 5 min.
    const lifetime = Date.parse(cert.validTo) - Date.parse(cert.validFrom);
    assert.equal(lifetime, 3600_000 + 300_000);
    const row = (await admin('get', 'csr', 'alice')).stdout;
    assert.match(
      row,
      /alice\s+\S+\s+kubernetes.io\/kube-apiserver-client\s+kubernetes-admin\s+60m\s+Approved,Issued/,
    );
  });

  it('certificate deny, and a denied CSR can never be approved', async () => {
    assert.equal((await createWithOpenssl('bob', '/CN=bob')).code, 0);
    const denied = await admin('certificate', 'deny', 'bob');
    assert.equal(denied.code, 0, denied.stderr);
    assert.match((await admin('get', 'csr', 'bob')).stdout, /Denied/);
    // kubectl 1.32 refuses on its own, with or without --force…
    for (const flags of [[], ['--force']]) {
      const r = await admin('certificate', 'approve', ...flags, 'bob');
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /certificate signing request "bob" is already Denied/);
    }
    // …and the API rejects the second condition whatever the client.
    const creds = await credentials(cluster.kubeconfig('admin.conf'));
    const current = (await api(creds, 'GET', `${CSR_PATH}/bob`)).body;
    current.status.conditions.push({ type: 'Approved', status: 'True', reason: 'Test', message: 'force' });
    const r = await api(creds, 'PUT', `${CSR_PATH}/bob/approval`, current);
    assert.equal(r.status, 422);
    assert.equal(r.body.reason, 'Invalid');
    assert.match(r.body.message, /Approved and Denied conditions are mutually exclusive/);
    assert.match((await admin('get', 'csr', 'bob')).stdout, /\sDenied\s*$/m);
  });

  it('get csr -w shows the change', async () => {
    assert.equal((await createWithOpenssl('carol', '/CN=carol')).code, 0);
    const watch = kubectlWatch(dir, 'admin.conf', 'get', 'csr', 'carol', '-w');
    try {
      await watch.waitFor(/carol\s.*Pending/);
      assert.equal((await admin('certificate', 'approve', 'carol')).code, 0);
      const output = await watch.waitFor(/carol\s.*Approved,Issued/);
      assert.equal(output.match(/^NAME\s/gm)?.length, 1, 'one header only');
    } finally {
      await watch.stop();
    }
  });

  it('delete csr', async () => {
    assert.equal((await createWithOpenssl('dave', '/CN=dave')).code, 0);
    const r = await admin('delete', 'csr', 'dave');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /certificatesigningrequest.certificates.k8s.io "dave" deleted/);
    const gone = await admin('get', 'csr', 'dave');
    assert.notEqual(gone.code, 0);
    assert.match(gone.stderr, /NotFound.*"dave" not found/);
  });

  it('viewer: get works, approve is Forbidden', async () => {
    const list = await kubectl(dir, 'viewer.conf', 'get', 'csr');
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /csr-node-1-serving/);
    const r = await kubectl(dir, 'viewer.conf', 'certificate', 'approve', 'csr-node-1-serving');
    assert.notEqual(r.code, 0);
    assert.match(
      r.stderr,
      /Forbidden.*certificatesigningrequests.certificates.k8s.io "csr-node-1-serving" is forbidden: User "kubecerts-viewer" cannot update resource "certificatesigningrequests\/approval" in API group "certificates.k8s.io" at the cluster scope/,
    );
    assert.match((await admin('get', 'csr', 'csr-node-1-serving')).stdout, /Pending/);
  });

  it('node-1 creates its own CSR and sees only its own', async () => {
    const r = await createWithOpenssl('node-1-extra', '/CN=system:node:node-1/O=system:nodes', 'node-1.conf');
    assert.equal(r.code, 0, r.stderr);
    const list = await kubectl(dir, 'node-1.conf', 'get', 'csr', '-o', 'name');
    const names = list.stdout.trim().split('\n');
    assert.ok(names.includes('certificatesigningrequest.certificates.k8s.io/node-1-extra'));
    assert.ok(!names.some((n) => n.endsWith('/csr-jane-developer')));
    const csr = parseYaml((await admin('get', 'csr', 'node-1-extra', '-o', 'yaml')).stdout);
    assert.equal(csr.spec.username, 'system:node:node-1');
  });

  it('a bootstrap token creates a node client CSR that is auto-approved and issued', async () => {
    const pem = await opensslRequest(dir, 'node-9', '/O=system:nodes/CN=system:node:node-9');
    const file = path.join(dir, 'node-9.yaml');
    await fs.writeFile(
      file,
      csrManifest('node-csr-node-9', pem, 'kubernetes.io/kube-apiserver-client-kubelet', [
        'digital signature',
        'client auth',
      ]),
    );
    const r = await kubectl(dir, 'bootstrap-kubelet.conf', 'create', '-f', file);
    assert.equal(r.code, 0, r.stderr);
    await cluster.idle();
    const csr = parseYaml((await admin('get', 'csr', 'node-csr-node-9', '-o', 'yaml')).stdout);
    assert.equal(csr.status.conditions[0].reason, 'AutoApproved');
    assert.ok(csr.status.certificate);
  });

  it('409 Conflict on a stale update', async () => {
    const creds = await credentials(cluster.kubeconfig('admin.conf'));
    const stale = (await api(creds, 'GET', `${CSR_PATH}/alice`)).body;
    const fresh = structuredClone(stale);
    fresh.metadata.labels = { team: 'a' };
    assert.equal((await api(creds, 'PUT', `${CSR_PATH}/alice`, fresh)).status, 200);
    stale.metadata.labels = { team: 'b' };
    const r = await api(creds, 'PUT', `${CSR_PATH}/alice`, stale);
    assert.equal(r.status, 409);
    assert.equal(r.body.reason, 'Conflict');
    assert.match(
      r.body.message,
      /Operation cannot be fulfilled on certificatesigningrequests.certificates.k8s.io "alice": the object has been modified/,
    );
  });

  it('422 on a request whose signature does not verify', async () => {
    const pem = await opensslRequest(dir, 'broken', '/CN=broken');
    const der = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    der[der.length - 1] ^= 0x01;
    const brokenPem = `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`;
    const file = path.join(dir, 'broken.yaml');
    await fs.writeFile(file, csrManifest('broken', brokenPem, CLIENT_SIGNER, ['client auth']));
    const r = await admin('create', '-f', file);
    assert.notEqual(r.code, 0);
    assert.match(
      r.stderr,
      /CertificateSigningRequest "broken" is invalid: spec.request: Invalid value: .*x509: ECDSA verification failure/,
    );
    const direct = await api(
      await credentials(cluster.kubeconfig('admin.conf')),
      'POST',
      CSR_PATH,
      parseYaml(await fs.readFile(file, 'utf8')),
    );
    assert.equal(direct.status, 422);
    assert.equal(direct.body.reason, 'Invalid');
    assert.equal(direct.body.details.causes[0].field, 'spec.request');
  });

  it('state survives a restart', async () => {
    const before = (await admin('get', 'csr', '-o', 'yaml')).stdout;
    const beforeItems = parseYaml(before).items as {
      metadata: { name: string; uid: string; resourceVersion: string };
    }[];
    await cluster.stop();
    cluster = await startDemoCluster({ dir, port: 0, seed: true, key: { algorithm: 'EC', curve: 'P-256' } });
    const afterItems = parseYaml((await admin('get', 'csr', '-o', 'yaml')).stdout)
      .items as typeof beforeItems;
    assert.deepEqual(
      afterItems.map((i) => [i.metadata.name, i.metadata.uid, i.metadata.resourceVersion]),
      beforeItems.map((i) => [i.metadata.name, i.metadata.uid, i.metadata.resourceVersion]),
    );
    assert.equal((await createWithOpenssl('erin', '/CN=erin')).code, 0);
    const erin = parseYaml((await admin('get', 'csr', 'erin', '-o', 'yaml')).stdout);
    const highest = Math.max(...beforeItems.map((i) => Number(i.metadata.resourceVersion)));
    assert.ok(Number(erin.metadata.resourceVersion) > highest);
  });

  it('npm run demo-cluster: prints ready, serves, stops cleanly on SIGTERM', async () => {
    await cluster.stop();
    const child = spawn(
      process.execPath,
      [path.resolve('scripts/run-ts.mjs'), 'tools/demo-cluster/main.ts', '--dir', dir, '--port', '0'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await waitUntil(async () => /ready https:\/\/127\.0\.0\.1:\d+\n/.test(out), 20_000);
      const url = /ready (\S+)/.exec(out)?.[1];
      assert.ok((await fs.readFile(path.join(dir, 'admin.conf'), 'utf8')).includes(`server: ${url}`));
      const r = await admin('get', 'csr', 'erin');
      assert.equal(r.code, 0, r.stderr);
    } finally {
      child.kill('SIGTERM');
    }
    assert.equal(await exited, 0, out);
  });
});
