import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildKubeconfig } from '../../../../src/core/kubeconfig/build';
import { GitignoreRules } from '../../../../src/extension/workspace/gitignore';
import { nodeFs, WorkspaceEngine, type FileProblems } from '../../../../src/extension/workspace/engine';
import { addDays, makeCa, makeLeaf, P_256, type TestCert } from '../../../fixtures/certs';
import { writeKubeadmTree } from '../../../fixtures/kubeadm';

const NOW = new Date('2026-06-01T00:00:00Z');
const OPTIONS = { now: NOW, warnDays: 30, disabled: new Set<string>() };

function walk(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else out.push(full);
  }
  return out;
}

const codes = (p: FileProblems | undefined) =>
  [...(p?.own?.findings ?? []), ...(p?.pki ?? [])].map((f) => f.code).sort();

describe('workspace engine', () => {
  let root: string;
  let ca: TestCert;
  let expiredKubeconfig: string;

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'kubecerts-workspace-'));
    ca = await makeCa({
      cn: 'kubernetes',
      notBefore: addDays(NOW, -400),
      notAfter: addDays(NOW, 3000),
      key: P_256,
    });
    const client = (days: number) =>
      makeLeaf({
        issuer: ca,
        cn: 'dev',
        o: ['developers'],
        eku: ['clientAuth'],
        notBefore: addDays(NOW, -365),
        notAfter: addDays(NOW, days),
        key: P_256,
      });
    const kubeconfig = async (days: number) =>
      buildKubeconfig({
        clusterName: 'k',
        server: 'https://k:6443',
        caPem: ca.certPem,
        userName: 'dev',
        client: await client(days),
      });
    expiredKubeconfig = await kubeconfig(-3);
    // A kubeconfig named like nothing in particular: found by its content.
    writeFileSync(join(root, 'prod-access'), expiredKubeconfig);
    mkdirSync(join(root, 'certs'));
    writeFileSync(join(root, 'certs', 'old.pem'), (await client(-10)).certPem);
    // A Secret manifest whose tls.crt expires in 12 days.
    const tls = await client(12);
    writeFileSync(
      join(root, 'secret.yaml'),
      [
        'apiVersion: v1',
        'kind: Secret',
        'metadata:',
        '  name: web-tls',
        'type: kubernetes.io/tls',
        'data:',
        `  tls.crt: ${Buffer.from(tls.certPem).toString('base64')}`,
        '',
      ].join('\n'),
    );
    writeFileSync(join(root, 'README.md'), '# notes\n');
    writeFileSync(join(root, 'values.yaml'), 'replicas: 2\n');
    // Ignored by .gitignore: never read, though it is an expired kubeconfig.
    mkdirSync(join(root, 'build'));
    writeFileSync(join(root, 'build', 'copy.kubeconfig'), expiredKubeconfig);
    writeFileSync(join(root, '.gitignore'), 'build/\n');
    // A control plane's /etc/kubernetes copy with an expired front-proxy client.
    await writeKubeadmTree(
      {
        now: NOW,
        key: P_256,
        validity: { 'front-proxy-client': { notBefore: addDays(NOW, -400), notAfter: addDays(NOW, -35) } },
      },
      join(root, 'etc-kubernetes'),
    );
  });

  after(() => rmSync(root, { recursive: true, force: true }));

  async function scanned(): Promise<{ engine: WorkspaceEngine; reads: () => number }> {
    let reads = 0;
    const engine = new WorkspaceEngine({ ...nodeFs, read: (file) => (reads++, nodeFs.read(file)) });
    engine.setGitignore(
      await GitignoreRules.load([join(root, '.gitignore')], async (f) =>
        (await import('node:fs/promises')).readFile(f, 'utf8'),
      ),
    );
    await engine.setPkiRoots([join(root, 'etc-kubernetes')], OPTIONS);
    await engine.sync(walk(root), OPTIONS);
    return { engine, reads: () => reads };
  }

  it('finds kubeconfigs, PEM files and manifests by content, skipping .gitignored folders', async () => {
    const { engine } = await scanned();
    const problems = engine.problems();
    assert.deepEqual(codes(problems.get(join(root, 'prod-access'))), ['cert-expired']);
    assert.equal(problems.get(join(root, 'prod-access'))?.own?.kind, 'kubeconfig');
    assert.deepEqual(codes(problems.get(join(root, 'certs', 'old.pem'))), ['cert-expired']);
    assert.ok(codes(problems.get(join(root, 'secret.yaml'))).includes('cert-expiring'));
    assert.equal(problems.get(join(root, 'build', 'copy.kubeconfig')), undefined);
    assert.equal(problems.get(join(root, 'README.md')), undefined);
    assert.equal(problems.get(join(root, 'values.yaml')), undefined);
  });

  it('puts the PKI scan findings on the file they concern, without repeating the kubeconfig audit', async () => {
    const { engine } = await scanned();
    const problems = engine.problems();
    const frontProxy = problems.get(join(root, 'etc-kubernetes', 'pki', 'front-proxy-client.crt'));
    assert.deepEqual(codes(frontProxy), ['cert-expired']);
    assert.equal(frontProxy?.own, undefined, 'PKI files are the PKI scan’s, not read twice');
    // A kubeconfig of the folder gets the kubeconfig audit; the PKI scan's own expiry codes are not repeated.
    const admin = problems.get(join(root, 'etc-kubernetes', 'admin.conf'));
    assert.equal(admin?.own?.kind, 'kubeconfig');
    assert.ok(!admin?.pki.some((f) => f.code === 'cert-expired' || f.code === 'cert-expiring'));
  });

  it('re-reads only the file that changed', async () => {
    const { engine, reads } = await scanned();
    const before = reads();
    const file = join(root, 'prod-access');
    writeFileSync(file, expiredKubeconfig.replace('server: https://k:6443', 'server: https://k:6444'));
    const later = new Date(statSync(file).mtimeMs + 5000);
    utimesSync(file, later, later);
    await engine.changed([file], OPTIONS);
    assert.equal(reads() - before, 1);
    await engine.changed([join(root, 'README.md')], OPTIONS);
    assert.equal(reads() - before, 1, 'an unchanged file is not read again');
    rmSync(join(root, 'certs', 'old.pem'));
    await engine.changed([join(root, 'certs', 'old.pem')], OPTIONS);
    assert.equal(engine.problems().get(join(root, 'certs', 'old.pem')), undefined);
    assert.equal(reads() - before, 1);
  });

  it('audits again from the kept contents when the settings change, reading nothing', async () => {
    const { engine, reads } = await scanned();
    const before = reads();
    await engine.reaudit({ ...OPTIONS, disabled: new Set(['cert-expired']) });
    assert.equal(reads(), before);
    assert.deepEqual(codes(engine.problems().get(join(root, 'prod-access'))), []);
  });
});
