// `kubecerts csr …` in-process against the demo cluster, with kubectl checking each action.
import assert from 'node:assert/strict';
import { runCli } from '../../../src/cli/run';
import type { CliIo } from '../../../src/cli/io';
import { kubectlConditions, startTestCluster } from '../../fixtures/demoCluster';

type TestCluster = Awaited<ReturnType<typeof startTestCluster>>;

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    env: { LANG: 'C' },
    cwd: process.cwd(),
    platform: process.platform,
    homedir: '/nonexistent-home',
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

describe('kubecerts csr', function () {
  this.timeout(60_000);
  let cluster: TestCluster;
  let admin: string;

  before(async () => {
    cluster = await startTestCluster();
    admin = cluster.kubeconfig('admin.conf');
  });
  after(async () => {
    await cluster?.cleanup();
  });

  it('list --format json: every CSR with its risk codes; exit 1 while a pending CSR has error-level risks', async () => {
    const { code, stdout } = await cli('csr', 'list', '--kubeconfig', admin, '--format', 'json');
    assert.equal(code, 1);
    const out = JSON.parse(stdout) as {
      context: string;
      items: { name: string; state: string; risks: { code: string; severity: string; message: string }[] }[];
    };
    const byName = new Map(out.items.map((i) => [i.name, i]));
    assert.deepEqual(
      byName.get('csr-node-2-serving-unknown-sans')?.risks.map((r) => r.code),
      ['san-not-node-address'],
    );
    assert.deepEqual(
      byName.get('csr-node-3-asks-for-node-1')?.risks.map((r) => r.code),
      ['requester-not-subject'],
    );
    assert.equal(byName.get('csr-mallory-cluster-admin')?.state, 'denied');
    assert.deepEqual(byName.get('csr-node-1-serving')?.risks, []);
    assert.match(
      byName.get('csr-node-3-asks-for-node-1')!.risks[0].message,
      /system:node:node-3 asks for the identity system:node:node-1/,
    );
  });

  it('list (table) has kubectl columns plus risks', async () => {
    const { stdout } = await cli('csr', 'list', '--kubeconfig', admin);
    const [header, ...rows] = stdout.trim().split('\n');
    assert.match(header, /^NAME\s+AGE\s+SIGNERNAME\s+REQUESTOR\s+REQUESTEDDURATION\s+CONDITION\s+RISKS$/);
    assert.ok(
      rows.some((r) => /^csr-jane-developer\s.*\s24h\s+Approved,Issued\s+-$/.test(r)),
      rows.join('\n'),
    );
  });

  it('review NAME prints the decoded request and exits 1 on error-level risks', async () => {
    const { code, stdout } = await cli(
      'csr',
      'review',
      'csr-node-2-serving-unknown-sans',
      '--kubeconfig',
      admin,
    );
    assert.equal(code, 1);
    assert.match(stdout, /api\.attacker\.example/);
    assert.match(stdout, /san-not-node-address/);
    assert.equal((await cli('csr', 'review', 'csr-node-1-serving', '--kubeconfig', admin)).code, 0);
  });

  it('refuses to approve a risky CSR without --force; deny works; kubectl agrees', async () => {
    const refused = await cli('csr', 'approve', 'csr-node-2-serving-unknown-sans', '--kubeconfig', admin);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /san-not-node-address/);
    assert.equal(await kubectlConditions(admin, 'csr-node-2-serving-unknown-sans'), '');
    const denied = await cli(
      'csr',
      'deny',
      'csr-node-2-serving-unknown-sans',
      '--kubeconfig',
      admin,
      '--message',
      'foreign SANs',
    );
    assert.equal(denied.code, 0, denied.stderr);
    assert.equal(await kubectlConditions(admin, 'csr-node-2-serving-unknown-sans'), 'Denied');
  });

  it('approves the good one; kubectl agrees', async () => {
    const approved = await cli('csr', 'approve', 'csr-node-1-serving', '--kubeconfig', admin);
    assert.equal(approved.code, 0, approved.stderr);
    assert.match(
      approved.stdout,
      /certificatesigningrequest\.certificates\.k8s\.io\/csr-node-1-serving approved/,
    );
    assert.equal(await kubectlConditions(admin, 'csr-node-1-serving'), 'Approved');
  });

  it('will not approve a denied CSR, even with --force (the API refuses)', async () => {
    const plain = await cli('csr', 'approve', 'csr-mallory-cluster-admin', '--kubeconfig', admin);
    assert.equal(plain.code, 1);
    const forced = await cli('csr', 'approve', 'csr-mallory-cluster-admin', '--kubeconfig', admin, '--force');
    assert.equal(forced.code, 1);
    assert.match(forced.stderr, /mutually exclusive/);
    assert.equal(await kubectlConditions(admin, 'csr-mallory-cluster-admin'), 'Denied');
  });

  it('as the viewer, names the RBAC it lacks', async () => {
    const { code, stderr } = await cli(
      'csr',
      'deny',
      'csr-node-3-asks-for-node-1',
      '--kubeconfig',
      cluster.kubeconfig('viewer.conf'),
    );
    assert.equal(code, 1);
    assert.match(stderr, /certificatesigningrequests\.certificates\.k8s\.io\/approval/);
    assert.equal(await kubectlConditions(admin, 'csr-node-3-asks-for-node-1'), '');
  });

  it('exits 2 on usage errors and on a kubeconfig that does not exist', async () => {
    assert.equal((await cli('csr', 'frobnicate')).code, 2);
    assert.equal((await cli('csr', 'review')).code, 2);
    const missing = await cli('csr', 'list', '--kubeconfig', '/nonexistent/kubeconfig');
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /does not exist/);
  });
});
