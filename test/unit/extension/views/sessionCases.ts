// What the CSR and Cluster Certificates session tests share: a seeded demo cluster for the suite,
// sessions disposed after each test, and the connection lifecycle both inherit from WatchSession
// (src/extension/views/watchSession.ts), run against each of them.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { connectCluster } from '../../../../src/node/cluster/client';
import { ClusterError } from '../../../../src/node/cluster/errors';
import type { SessionLog, WatchSession } from '../../../../src/extension/views/watchSession';
import { startDemoCluster, type DemoCluster } from '../../../../tools/demo-cluster/cluster';

export const silentLog: SessionLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any session, whatever it loads and keeps
type AnySession = WatchSession<any, any, any> & { refresh(): Promise<void> };

type Open<S, O> = (kubeconfig: string, overrides?: O) => S;

export interface DemoSessions<S, O> {
  /** The suite's folder (removed after it). */
  readonly dir: string;
  readonly cluster: DemoCluster;
  /** The admin kubeconfig of the demo cluster. */
  readonly admin: string;
  /** A session on `kubeconfig`, disposed after the test. */
  readonly open: Open<S, O>;
}

/** Starts a seeded demo cluster before the suite and stops it after; call inside `describe`. */
export function useDemoSessions<S extends AnySession, O>(
  tmpPrefix: string,
  make: Open<S, O>,
): DemoSessions<S, O> {
  const sessions: S[] = [];
  const suite = {
    open: (kubeconfig: string, overrides?: O) => {
      const session = make(kubeconfig, overrides);
      sessions.push(session);
      return session;
    },
  } as { -readonly [K in keyof DemoSessions<S, O>]: DemoSessions<S, O>[K] };
  before(async () => {
    suite.dir = await fs.mkdtemp(path.join(os.tmpdir(), tmpPrefix));
    suite.cluster = await startDemoCluster({ dir: suite.dir, seed: true, key: DEMO_KEY });
    suite.admin = suite.cluster.kubeconfig('admin.conf');
  });
  afterEach(() => {
    for (const s of sessions.splice(0)) s.dispose();
  });
  after(async () => {
    await suite.cluster?.stop();
    if (suite.dir) await fs.rm(suite.dir, { recursive: true, force: true });
  });
  return suite;
}

const DEMO_KEY = { algorithm: 'EC', curve: 'P-256' } as const;

/**
 * The lifecycle cases every session must pass. `shown` counts what the session shows (CSRs, rows);
 * `settled` says it has shown the list or a problem.
 */
export function lifecycleCases<S extends AnySession>(
  suite: DemoSessions<S, { connect?: (context: string | undefined) => ReturnType<typeof connectCluster> }>,
  shown: (session: S) => number,
  settled: (session: S) => boolean,
): void {
  it('an unknown context is a config problem; switching back lists again', async () => {
    const session = suite.open(suite.admin);
    await session.refresh();
    await session.switchContext('no-such-context');
    assert.equal(session.problem?.kind, 'config');
    assert.equal(shown(session), 0);
    await session.switchContext('kubernetes-admin@kubecerts-demo');
    assert.ok(await session.until(() => settled(session) && shown(session) > 0));
    assert.equal(session.problem, undefined);
  });

  it('reports a connection problem, settles on it, and clears it on a refresh that works', async () => {
    let fail = true;
    const session = suite.open(suite.admin, {
      connect: async (context) => {
        if (fail) throw new ClusterError('unreachable', 'connect ECONNREFUSED 127.0.0.1:1');
        return connectCluster({ kubeconfig: suite.admin, context });
      },
    });
    await session.refresh();
    assert.equal(session.problem?.kind, 'unreachable');
    assert.ok(settled(session));
    assert.equal(session.connected, false);
    fail = false;
    await session.refresh();
    assert.equal(session.problem, undefined);
    assert.ok(shown(session) > 0);
  });

  it('a connect that finishes after a newer one is dropped', async () => {
    let release: (() => void) | undefined;
    let calls = 0;
    const session = suite.open(suite.admin, {
      connect: async (context) => {
        calls++;
        if (calls === 1) await new Promise<void>((r) => (release = r));
        return connectCluster({ kubeconfig: suite.admin, context });
      },
    });
    const first = session.ensureConnected();
    await new Promise((r) => setTimeout(r, 50));
    const second = session.reconnect(true);
    release?.();
    await Promise.all([first, second]);
    await session.until(() => settled(session));
    assert.equal(calls, 2);
    assert.ok(session.connected);
  });

  it('survives an API server restart: the problem shows, then the list comes back', async () => {
    const own = await fs.mkdtemp(path.join(os.tmpdir(), 'kubecerts-session-restart-'));
    let server = await startDemoCluster({ dir: own, seed: true, key: DEMO_KEY });
    try {
      const session = suite.open(server.kubeconfig('admin.conf'));
      await session.refresh();
      const count = shown(session);
      assert.ok(count > 0);
      const port = server.port;
      await server.stop();
      assert.ok(await session.until(() => session.problem !== undefined, 15_000), 'problem shown');
      assert.equal(session.problem?.kind, 'unreachable');
      server = await startDemoCluster({ dir: own, port, key: DEMO_KEY });
      assert.ok(
        await session.until(() => session.problem === undefined && shown(session) === count, 20_000),
        'the list is back',
      );
    } finally {
      await server.stop();
      await fs.rm(own, { recursive: true, force: true });
    }
  });
}
