// The CSR view's session in plain Node against the demo API server: connect, list and review,
// follow the watch, decide (kubectl must agree), survive a restart of the server, and report
// what cannot be listed. The rows and prompt texts are checked on the reviews it produced.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { englishTemplate } from '../../../../../src/core/findings/finding';
import { connectCluster } from '../../../../../src/node/cluster/client';
import { csrRow, grantSummary } from '../../../../../src/extension/views/csr/csrRows';
import { CsrSession, type CsrSessionDeps } from '../../../../../src/extension/views/csr/csrSession';
import { makeCsr } from '../../../../fixtures/csr';
import { kubectl } from '../../../../fixtures/demoCluster';
import { lifecycleCases, silentLog, useDemoSessions } from '../sessionCases';

const english = { t: englishTemplate };

function sessionFor(kubeconfig: string, overrides: Partial<CsrSessionDeps> = {}): CsrSession {
  return new CsrSession({
    connect: (context) => connectCluster({ kubeconfig, context }),
    policy: () => ({}),
    now: () => new Date(),
    log: silentLog,
    backoff: { initialMs: 50, maxMs: 200 },
    ...overrides,
  });
}

function risks(session: CsrSession, name: string): string[] | undefined {
  return session.entry(name)?.review?.findings.map((f) => f.code);
}

describe('CsrSession (demo cluster)', function () {
  this.timeout(60_000);
  const suite = useDemoSessions('kubecerts-session-', sessionFor);
  const { open } = suite;
  lifecycleCases(
    suite,
    (session) => session.entries().size,
    (session) => session.settled,
  );

  it('connects, lists every CSR and reviews each; rows say the verdict first', async () => {
    const session = open(suite.admin);
    assert.equal(session.settled, false);
    await session.refresh();
    assert.ok(session.settled);
    assert.equal(session.problem, undefined);
    assert.equal(session.context, 'kubernetes-admin@kubecerts-demo');
    assert.equal(session.entries().size, 9);
    assert.deepEqual(risks(session, 'csr-node-2-serving-unknown-sans'), ['san-not-node-address']);
    assert.deepEqual(risks(session, 'csr-node-1-serving'), []);

    const now = new Date();
    const row = (name: string) => csrRow(session.entry(name)!, now, english);
    assert.match(row('csr-node-2-serving-unknown-sans').description, /^foreign SANs · \d+m(\d+s)?$/);
    assert.deepEqual(row('csr-node-2-serving-unknown-sans').icon, ['error', 'problemsErrorIcon.foreground']);
    assert.match(row('csr-node-1-serving').description, /^no risk found · /);
    assert.match(row('csr-jane-developer').description, /^issued · /);
    assert.equal(row('csr-jane-developer').contextValue, 'csr-issued');
    assert.match(row('csr-mallory-cluster-admin').description, /^denied · /);
    assert.match(row('csr-node-1-serving-no-sans').description, /^signer refused · /);
    assert.equal(
      grantSummary(session.entry('csr-node-1-serving')!, english),
      "system:node:node-1 gets a certificate for user system:node:node-1, groups system:nodes, SANs node-1, 10.0.0.11, from kubernetes.io/kubelet-serving, valid for the signer's default duration.",
    );
  });

  it('shows the list before the reviews, which follow in slices', async () => {
    const session = open(suite.admin);
    const seen: { listed: number; reviewed: number }[] = [];
    session.onDidChange(() => {
      const entries = [...session.entries().values()];
      seen.push({ listed: entries.length, reviewed: entries.filter((e) => e.review).length });
    });
    await session.refresh();
    const firstListed = seen.find((s) => s.listed > 0);
    assert.deepEqual(firstListed, { listed: 9, reviewed: 0 });
    assert.equal(seen[seen.length - 1].reviewed, 9);
  });

  it('follows the watch: a CSR created with kubectl appears, reviewed', async () => {
    const session = open(suite.admin);
    await session.refresh();
    const csr = await makeCsr({
      name: 'session-jane',
      commonName: 'jane',
      signerName: 'kubernetes.io/kube-apiserver-client',
      usages: ['digital signature', 'client auth'],
      username: 'ignored',
      expirationSeconds: 25 * 3600,
    });
    const file = path.join(suite.dir, 'session-jane.json');
    await fs.writeFile(file, JSON.stringify({ ...csr, metadata: { name: 'session-jane' } }));
    await kubectl(suite.admin, 'create', '-f', file);
    assert.ok(await session.until(() => risks(session, 'session-jane') !== undefined, 10_000));
    // Created by the admin for "jane": a request on someone's behalf (a warning).
    assert.deepEqual(risks(session, 'session-jane'), ['requester-differs']);
    assert.match(grantSummary(session.entry('session-jane')!, english), /valid for 25h\.$/);
  });

  it('denies with the uid it showed; the watch and kubectl see the reason', async () => {
    const session = open(suite.admin);
    await session.refresh();
    const name = 'csr-node-3-asks-for-node-1';
    const failures = await session.decide([name], 'Denied', { message: 'node-3 asked for node-1' });
    assert.deepEqual(failures, []);
    assert.ok(await session.decisionsSeen([name]));
    assert.equal(session.entry(name)?.csr.status?.conditions?.[0].type, 'Denied');
    const message = await kubectl(
      suite.admin,
      'get',
      'csr',
      name,
      '-o',
      'jsonpath={.status.conditions[0].message}',
    );
    assert.equal(message, 'node-3 asked for node-1');
    // Denied is final: the API refuses an approval, and the session reports it per name.
    const refused = await session.decide([name], 'Approved', { message: 'x' });
    assert.equal(refused.length, 1);
    assert.equal(refused[0].name, name);
  });

  it('refuses to decide a same-name replacement it has not shown', async () => {
    // A watch that never delivers: the session keeps showing the CSR it listed.
    const session = open(suite.admin, {
      connect: async (context) =>
        Object.assign(await connectCluster({ kubeconfig: suite.admin, context }), {
          watchCsrs: async () => () => undefined,
        }),
    });
    await session.refresh();
    const name = 'csr-node-1-serving';
    const original = JSON.parse(await kubectl(suite.admin, 'get', 'csr', name, '-o', 'json')) as object;
    await kubectl(suite.admin, 'delete', 'csr', name);
    const file = path.join(suite.dir, 'replacement.json');
    await fs.writeFile(file, JSON.stringify({ ...original, metadata: { name }, status: {} }));
    await kubectl(suite.admin, 'create', '-f', file);
    const failures = await session.decide([name], 'Approved', { message: 'approved the one I saw' });
    assert.deepEqual(
      failures.map((f) => f.name),
      [name],
    );
    assert.equal(await kubectl(suite.admin, 'get', 'csr', name, '-o', 'jsonpath={.status.conditions}'), '');
  });
});
