// Faults: writes killed for real (SIGKILL in a child process) at every step of the atomic writer
// and of a kubeadm renewal leave every file old or new, never torn, with its mode; CSR actions
// through a misbehaving API server (409s, 500s, dropped connections before and after the server
// acted, slow answers, watches cut mid-stream) never approve twice, never approve another object
// than the one reviewed, and the watch that feeds the view recovers by itself.
import { strict as assert } from 'node:assert';
import { Buffer } from 'node:buffer';
import { execFile } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { Csr } from '../../../src/core/csr/model';
import type { GeneratedTree } from '../../../src/core/pki/generate';
import { backedUpFileName } from '../../../src/core/renew/backup';
import { decodeFileContent } from '../../../src/core/x509/decode';
import { connectCluster, type ClusterClient } from '../../../src/node/cluster/client';
import { CsrWatcher } from '../../../src/node/cluster/csrWatch';
import { ClusterError } from '../../../src/node/cluster/errors';
import { renewKubeadm } from '../../../src/node/renew/kubeadm';
import { requestPem } from '../../fixtures/csr';
import { startTestCluster, waitFor } from '../../fixtures/demoCluster';
import { removeTree, writeKubeadmTree } from '../../fixtures/kubeadm';
import { isApproval, isWatch, startFlakyProxy, type FlakyProxy } from './flakyProxy';

const CHILD = join(__dirname, 'crashChild.ts');
const ROOT = join(__dirname, '../../..');

interface ChildOutcome {
  readonly killed: boolean;
  readonly steps?: number;
}

/** Runs crashChild.ts; `killed` when it died of its own SIGKILL. */
function runChild(job: Record<string, unknown>): Promise<ChildOutcome> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', CHILD, JSON.stringify(job)],
      { timeout: 60_000 },
      (err, stdout) => {
        if (err && (err as { signal?: string }).signal === 'SIGKILL') resolve({ killed: true });
        else if (err) reject(err);
        else resolve({ killed: false, steps: (JSON.parse(stdout) as { steps: number }).steps });
      },
    );
  });
}

/** Runs `count` jobs, two at a time (the machine has two cores). */
async function inPairs<T>(count: number, job: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let i = 0; i < count; i += 2)
    results.push(...(await Promise.all([i, i + 1].filter((n) => n < count).map(job))));
  return results;
}

const mode = (file: string): number => statSync(file).mode & 0o7777;

describe('hardening: faults', function () {
  this.timeout(120_000);

  it('every file write of src/node and src/cli goes through atomicWriteFile', () => {
    const direct =
      /\b(?:writeFile(?:Sync)?|appendFile(?:Sync)?|createWriteStream|copyFile(?:Sync)?|truncate(?:Sync)?|renameSync|rename)\(/;
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
        const rel = `${dir}/${entry.name}`;
        if (entry.isDirectory()) walk(rel);
        else if (rel.endsWith('.ts') && rel !== 'src/node/fs/atomicWrite.ts') {
          readFileSync(join(ROOT, rel), 'utf8')
            .split('\n')
            .forEach((line, i) => {
              if (direct.test(line) && !/^\s*(?:\/\/|\*)/.test(line))
                offenders.push(`${rel}:${i + 1}: ${line.trim()}`);
            });
        }
      }
    };
    walk('src/node');
    walk('src/cli');
    assert.deepEqual(offenders, []);
  });

  describe('atomic writes killed at each step', () => {
    const dirs: string[] = [];
    after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

    it('leave the old or the new content, with the old mode, never a torn file', async () => {
      const oldData = 'old\n'.repeat(4096);
      const newData = 'new\n'.repeat(8192);
      const prepare = (): string => {
        const dir = mkdtempSync(join(tmpdir(), 'kubecerts-crash-'));
        dirs.push(dir);
        writeFileSync(join(dir, 'target.key'), oldData);
        chmodSync(join(dir, 'target.key'), 0o640);
        return join(dir, 'target.key');
      };
      const probe = prepare();
      const full = await runChild({ kind: 'atomic', killAt: 1000, target: probe, data: newData });
      assert.equal(full.killed, false);
      assert.equal(full.steps, 5, 'temp-created, temp-written, temp-synced, renamed, dir-synced');
      assert.equal(readFileSync(probe, 'utf8'), newData);
      const outcomes = await inPairs(full.steps!, async (killAt) => {
        const target = prepare();
        const outcome = await runChild({ kind: 'atomic', killAt, target, data: newData });
        return { killAt, outcome, content: readFileSync(target, 'utf8'), mode: mode(target) };
      });
      for (const { killAt, outcome, content, mode: m } of outcomes) {
        assert.ok(outcome.killed, `killed at step ${killAt}`);
        assert.ok(content === oldData || content === newData, `torn file after a kill at step ${killAt}`);
        assert.equal(content === newData, killAt >= 3, `the rename is the commit point (step ${killAt})`);
        assert.equal(m, 0o640, `mode after a kill at step ${killAt}`);
      }
    });
  });

  describe('kubeadm renewal killed at each step', () => {
    const NOW = new Date('2026-03-01T12:00:00Z');
    let pristine = '';
    let tree: GeneratedTree;
    const scratch: string[] = [];

    before(async () => {
      ({ root: pristine, tree } = await writeKubeadmTree({
        now: new Date('2025-02-01T12:00:00Z'),
        key: { algorithm: 'EC', curve: 'P-256' },
      }));
    });
    after(() => {
      removeTree(pristine);
      scratch.forEach((d) => rmSync(d, { recursive: true, force: true }));
    });

    function copyTree(): string {
      const dir = mkdtempSync(join(tmpdir(), 'kubecerts-renew-crash-'));
      cpSync(pristine, dir, { recursive: true });
      for (const [relative, file] of tree) chmodSync(join(dir, relative), file.mode);
      scratch.push(dir);
      return dir;
    }

    it('apiserver.crt and .key: each old or complete new, modes kept, backups complete, a re-run recovers', async () => {
      const files = ['pki/apiserver.crt', 'pki/apiserver.key'];
      const probe = await runChild({
        kind: 'renew',
        killAt: 10_000,
        configDir: copyTree(),
        name: 'apiserver',
        now: NOW.toISOString(),
      });
      assert.equal(probe.killed, false);
      assert.ok(probe.steps! >= 20, `${probe.steps} steps: a backup and a replacement of two files`);
      const roots = await inPairs(probe.steps!, async (killAt) => {
        const root = copyTree();
        const outcome = await runChild({
          kind: 'renew',
          killAt,
          configDir: root,
          name: 'apiserver',
          now: NOW.toISOString(),
        });
        assert.ok(outcome.killed, `killed at step ${killAt}`);
        return { killAt, root };
      });
      for (const { killAt, root } of roots) {
        for (const rel of files) {
          const file = join(root, rel);
          const original = tree.get(rel)!;
          const content = readFileSync(file, 'utf8');
          if (content !== original.contents) {
            const decoded = decodeFileContent(Buffer.from(content));
            assert.equal(decoded.problems.length, 0, `${rel} torn after a kill at step ${killAt}`);
            if (rel.endsWith('.crt'))
              assert.equal(decoded.certificates[0]?.cert.notBefore.getTime() <= NOW.getTime(), true);
            else assert.equal(decoded.privateKeys.length, 1);
          }
          assert.equal(mode(file), original.mode, `${rel} mode after a kill at step ${killAt}`);
          for (const name of readdirSync(dirname(file)).filter(
            (n) => backedUpFileName(n) === basename(file),
          )) {
            assert.equal(
              readFileSync(join(dirname(file), name), 'utf8'),
              original.contents,
              `backup ${name} complete`,
            );
            assert.equal(mode(join(dirname(file), name)), original.mode, `backup ${name} mode`);
          }
        }
        const [again] = await renewKubeadm(['apiserver'], { configDir: root, now: NOW });
        assert.equal(again?.outcome, 'renewed', `a re-run recovers after a kill at step ${killAt}`);
      }
    });
  });

  describe('CSR actions against a flaky API server', () => {
    let cluster: Awaited<ReturnType<typeof startTestCluster>>;
    let proxy: FlakyProxy;
    let direct: ClusterClient;
    let viaProxy: ClusterClient;
    let node1: ClusterClient;
    let counter = 0;

    before(async () => {
      cluster = await startTestCluster(false);
      proxy = await startFlakyProxy(cluster);
      direct = await connectCluster({ kubeconfig: cluster.kubeconfig('admin.conf') });
      viaProxy = await connectCluster({ kubeconfig: proxy.kubeconfig });
      node1 = await connectCluster({ kubeconfig: cluster.kubeconfig('node-1.conf') });
    });
    afterEach(() => {
      proxy.rule = () => undefined;
    });
    after(async () => {
      await proxy?.close();
      await cluster?.cleanup();
    });

    /** A kubelet-serving CSR by node-1: never auto-approved, so it stays pending until we decide. */
    async function newCsr(name = `flaky-${++counter}`): Promise<Csr> {
      const pem = await requestPem({
        commonName: 'system:node:node-1',
        organizations: ['system:nodes'],
        sans: { dns: ['node-1'], ip: ['10.0.0.11'] },
      });
      return node1.createCsr({
        metadata: { name },
        spec: {
          request: Buffer.from(pem).toString('base64'),
          signerName: 'kubernetes.io/kubelet-serving',
          usages: ['digital signature', 'server auth'],
        },
      });
    }

    async function conditionTypes(name: string): Promise<string[]> {
      return ((await direct.getCsr(name)).status?.conditions ?? []).map((c) => c.type);
    }

    it('409 on the first updates: retried, approved exactly once', async () => {
      const csr = await newCsr();
      let conflicts = 0;
      proxy.rule = (req) =>
        isApproval(req, csr.metadata.name) && conflicts++ < 2
          ? { kind: 'status', status: 409, reason: 'Conflict' }
          : undefined;
      const outcome = await viaProxy.setApproval(csr.metadata.name, 'Approved', {
        expectedUid: csr.metadata.uid,
      });
      assert.equal(outcome.attempts, 3);
      assert.deepEqual(await conditionTypes(csr.metadata.name), ['Approved']);
    });

    it('500 on the update: an error, nothing approved; a retry approves once', async () => {
      const csr = await newCsr();
      proxy.rule = (req) => (isApproval(req) ? { kind: 'status', status: 500 } : undefined);
      await assert.rejects(
        viaProxy.setApproval(csr.metadata.name, 'Approved'),
        (err: ClusterError) => err.kind === 'other',
      );
      assert.deepEqual(await conditionTypes(csr.metadata.name), []);
      proxy.rule = () => undefined;
      assert.equal((await viaProxy.setApproval(csr.metadata.name, 'Approved')).changed, true);
      assert.deepEqual(await conditionTypes(csr.metadata.name), ['Approved']);
    });

    it('connection dropped after the server approved: the retry is a no-op, never a second approval', async () => {
      const csr = await newCsr();
      proxy.rule = (req) => (isApproval(req) ? { kind: 'drop-after' } : undefined);
      await assert.rejects(
        viaProxy.setApproval(csr.metadata.name, 'Approved', { expectedUid: csr.metadata.uid }),
        ClusterError,
      );
      assert.deepEqual(await conditionTypes(csr.metadata.name), ['Approved'], 'the server did act');
      proxy.rule = () => undefined;
      const retry = await viaProxy.setApproval(csr.metadata.name, 'Approved', {
        expectedUid: csr.metadata.uid,
      });
      assert.equal(retry.changed, false);
      assert.deepEqual(await conditionTypes(csr.metadata.name), ['Approved']);
      // Nor can a late "deny" flip it.
      await assert.rejects(
        viaProxy.setApproval(csr.metadata.name, 'Denied'),
        (err: ClusterError) => err.kind === 'refused',
      );
    });

    it('connection dropped before the server saw the request: unreachable, nothing changed', async () => {
      const csr = await newCsr();
      proxy.rule = () => ({ kind: 'drop-before' });
      await assert.rejects(
        viaProxy.setApproval(csr.metadata.name, 'Approved'),
        (err: ClusterError) => err.kind === 'unreachable',
      );
      assert.deepEqual(await conditionTypes(csr.metadata.name), []);
    });

    it('slow answers: still exactly one approval', async () => {
      const csr = await newCsr();
      proxy.rule = () => ({ kind: 'delay', ms: 300 });
      const outcome = await viaProxy.setApproval(csr.metadata.name, 'Approved');
      assert.equal(outcome.changed, true);
      assert.deepEqual(await conditionTypes(csr.metadata.name), ['Approved']);
    });

    it('two approvers at once through the flaky server: one Approved condition', async () => {
      const csr = await newCsr();
      let n = 0;
      proxy.rule = (req) => (isApproval(req) && n++ % 2 === 0 ? { kind: 'delay', ms: 100 } : undefined);
      const both = await Promise.allSettled([
        viaProxy.setApproval(csr.metadata.name, 'Approved'),
        direct.setApproval(csr.metadata.name, 'Approved'),
      ]);
      assert.ok(
        both.every((r) => r.status === 'fulfilled'),
        JSON.stringify(both),
      );
      assert.deepEqual(await conditionTypes(csr.metadata.name), ['Approved']);
    });

    it('refuses to decide a CSR deleted and created again under the same name (uid check)', async () => {
      const reviewed = await newCsr('flaky-reused-name');
      await direct.deleteCsr(reviewed.metadata.name);
      const replacement = await newCsr('flaky-reused-name');
      assert.notEqual(replacement.metadata.uid, reviewed.metadata.uid);
      for (const decision of ['Approved', 'Denied'] as const) {
        await assert.rejects(
          viaProxy.setApproval(reviewed.metadata.name, decision, { expectedUid: reviewed.metadata.uid }),
          (err: ClusterError) =>
            err.kind === 'refused' && /no longer the request that was reviewed/.test(err.message),
        );
      }
      assert.deepEqual(await conditionTypes(replacement.metadata.name), [], 'the replacement stays pending');
    });

    it('the watch recovers by itself from a failed list, cut streams and dropped connections', async () => {
      let lists = 0;
      let watches = 0;
      proxy.rule = (req) => {
        if (isWatch(req)) return watches++ < 4 ? { kind: 'cut-stream', afterMs: 150 } : undefined;
        if (
          req.method === 'GET' &&
          req.url.includes('/certificatesigningrequests') &&
          !req.url.includes('/certificatesigningrequests/')
        )
          return lists++ === 0
            ? { kind: 'status', status: 500 }
            : lists === 2
              ? { kind: 'drop-before' }
              : undefined;
        return undefined;
      };
      const errors: (ClusterError | undefined)[] = [];
      const watcher = new CsrWatcher(viaProxy, {
        onChange: () => undefined,
        onError: (e) => errors.push(e),
        initialBackoffMs: 20,
        maxBackoffMs: 200,
      });
      watcher.start();
      try {
        await waitFor(() => watcher.synced, 'the first successful list');
        const created = await newCsr();
        await waitFor(
          () => watcher.items.has(created.metadata.name),
          'a CSR created while streams are being cut',
        );
        await direct.deleteCsr(created.metadata.name);
        await waitFor(() => !watcher.items.has(created.metadata.name), 'the deletion');
        await waitFor(() => watches > 4, 'a watch that is no longer cut');
        const late = await newCsr();
        await waitFor(() => watcher.items.has(late.metadata.name), 'a CSR created on a healthy stream');
        assert.ok(
          errors.some((e) => e !== undefined),
          'the failures were reported',
        );
        assert.equal(watcher.error, undefined, 'and cleared once connected again');
      } finally {
        watcher.stop();
      }
    });
  });
});
