// The Cluster Certificates view's session in plain Node against the demo API server: connect, list
// and judge every seeded object (each seeded problem on its row, as the rows module words it),
// follow the watch, honour the Secrets setting, say which list RBAC forbids, survive a restart of
// the server, and report what cannot be read. Expected problems are the demo's seeded ones
// (tools/demo-cluster/seedObjects.ts SEEDED_PROBLEMS), written out here by hand.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { InventoryRow } from '../../../../../src/core/cluster/inventoryRow';
import { englishTemplate } from '../../../../../src/core/findings/finding';
import { connectCluster } from '../../../../../src/node/cluster/client';
import { accessRow, objectRow } from '../../../../../src/extension/views/cluster/clusterRows';
import {
  ClusterSession,
  type ClusterSessionDeps,
} from '../../../../../src/extension/views/cluster/clusterSession';
import { readRedactedObject } from '../../../../../src/extension/views/cluster/clusterYaml';
import { kubectl } from '../../../../fixtures/demoCluster';
import { lifecycleCases, silentLog, useDemoSessions } from '../sessionCases';

const english = { t: englishTemplate };

function sessionFor(kubeconfig: string, overrides: Partial<ClusterSessionDeps> = {}): ClusterSession {
  return new ClusterSession({
    connect: (context) => connectCluster({ kubeconfig, context }),
    location: () => ({ kubeconfig }),
    readSecrets: () => true,
    judgeOptions: () => ({ warnDays: 30 }),
    now: () => new Date(),
    log: silentLog,
    backoff: { initialMs: 50, maxMs: 200 },
    ...overrides,
  });
}

function rows(session: ClusterSession): InventoryRow[] {
  return (session.inventory?.groups ?? []).flatMap((g) => g.rows);
}

function row(session: ClusterSession, kind: string, name: string, namespace?: string): InventoryRow {
  const found = rows(session).find(
    (r) => r.ref.kind === kind && r.ref.name === name && r.ref.namespace === namespace,
  );
  assert.ok(
    found,
    `${kind} ${namespace ?? ''}/${name} is a row (${session.problem?.message ?? 'no problem'})`,
  );
  return found;
}

const codes = (r: InventoryRow) => r.findings.map((f) => f.code);
const describe_ = (r: InventoryRow) => objectRow(r, new Date(), english).description;

describe('ClusterSession (demo cluster)', function () {
  this.timeout(60_000);
  const suite = useDemoSessions('kubecerts-cluster-session-', sessionFor);
  const { open } = suite;
  lifecycleCases(
    suite,
    (session) => rows(session).length,
    (session) => session.settled,
  );

  it('lists every seeded object; each seeded problem is on its row, verdict first', async () => {
    const session = open(suite.admin);
    assert.equal(session.settled, false);
    await session.refresh();
    assert.equal(session.problem, undefined);
    assert.equal(session.context, 'kubernetes-admin@kubecerts-demo');

    const expiring = row(session, 'Secret', 'shop-example-com-tls', 'ingress-nginx');
    assert.deepEqual(codes(expiring), ['cert-expiring']);
    assert.match(describe_(expiring), /^1[12]d · /);
    const mismatch = row(session, 'Secret', 'api-example-com-tls', 'ingress-nginx');
    assert.deepEqual(codes(mismatch), ['tls-key-mismatch']);
    assert.match(describe_(mismatch), /^wrong key · /);
    const wrongCa = row(session, 'Secret', 'grafana-tls', 'monitoring');
    assert.deepEqual(codes(wrongCa), ['tls-ca-mismatch']);
    const webhook = row(session, 'ValidatingWebhookConfiguration', 'policy-validator');
    assert.ok(codes(webhook).includes('cert-expired'), codes(webhook).join());
    assert.match(describe_(webhook), /^expired · 10d ago · /);
    const staleRoot = row(session, 'ConfigMap', 'kube-root-ca.crt', 'monitoring');
    assert.deepEqual(codes(staleRoot), ['kube-root-ca-mismatch']);
    assert.match(describe_(staleRoot), /^stale CA · /);

    for (const [kind, name, namespace] of [
      ['Secret', 'widgets-webhook-tls', 'cert-manager'],
      ['MutatingWebhookConfiguration', 'cert-manager-webhook', undefined],
      ['APIService', 'v1beta1.metrics.k8s.io', undefined],
      ['CustomResourceDefinition', 'widgets.example.com', undefined],
      ['ConfigMap', 'cluster-info', 'kube-public'],
      ['ConfigMap', 'kube-root-ca.crt', 'default'],
    ] as const)
      assert.deepEqual(codes(row(session, kind, name, namespace)), [], `${kind} ${name}`);
    assert.equal(
      row(session, 'CustomResourceDefinition', 'widgets.example.com').certManager.injectCaFrom !== undefined,
      true,
    );
    // Only kubernetes.io/tls Secrets are listed: the Opaque and token Secrets are not rows.
    assert.deepEqual(
      rows(session)
        .filter((r) => r.ref.kind === 'Secret')
        .map((r) => r.ref.name)
        .sort(),
      ['api-example-com-tls', 'grafana-tls', 'shop-example-com-tls', 'widgets-webhook-tls'],
    );
  });

  it('follows the watch: a TLS Secret created with kubectl appears, and goes when deleted', async () => {
    const session = open(suite.admin);
    await session.refresh();
    const secret = row(session, 'Secret', 'shop-example-com-tls', 'ingress-nginx');
    // The same pair under another name, in a namespace of its own.
    const json = await kubectl(
      suite.admin,
      'get',
      'secret',
      '-n',
      'ingress-nginx',
      'shop-example-com-tls',
      '-o',
      'json',
    );
    const copy = JSON.parse(json) as { metadata: Record<string, unknown> };
    copy.metadata = { name: 'watched-tls', namespace: 'default' };
    const file = path.join(suite.dir, 'watched-tls.json');
    await fs.writeFile(file, JSON.stringify(copy));
    await kubectl(suite.admin, 'create', '-f', file);
    assert.ok(
      await session.until(() => rows(session).some((r) => r.ref.name === 'watched-tls'), 10_000),
      'the new Secret is a row',
    );
    assert.deepEqual(codes(row(session, 'Secret', 'watched-tls', 'default')), codes(secret));
    await kubectl(suite.admin, 'delete', 'secret', '-n', 'default', 'watched-tls');
    assert.ok(
      await session.until(() => !rows(session).some((r) => r.ref.name === 'watched-tls'), 10_000),
      'the deleted Secret is gone',
    );
  });

  it('with Secrets not allowed, lists no Secret and says so', async () => {
    const session = open(suite.admin, { readSecrets: () => false });
    await session.refresh();
    const group = session.inventory?.groups.find((g) => g.id === 'tls-secrets');
    assert.equal(group?.skipped, true);
    assert.deepEqual(group?.rows, []);
    assert.ok(rows(session).some((r) => r.ref.kind === 'APIService'));
  });

  it('as a user RBAC does not allow to list Secrets: a row says which verb and resource', async () => {
    const session = open(suite.cluster.kubeconfig('viewer.conf'));
    await session.refresh();
    assert.equal(session.problem, undefined);
    const access = session.inventory?.groups.find((g) => g.id === 'tls-secrets')?.access ?? [];
    assert.equal(access.length, 1, JSON.stringify(access));
    const view = accessRow(access[0], english);
    assert.equal(view.label, 'forbidden: list secrets');
    assert.match(view.tooltip, /list on secrets/);
    // The rest is still read.
    assert.ok(rows(session).some((r) => r.ref.name === 'policy-validator'));
  });

  it('the YAML of a TLS Secret keeps its certificates and redacts tls.key', async () => {
    const session = open(suite.admin);
    await session.refresh();
    const yaml = await readRedactedObject(session.client!, {
      kind: 'Secret',
      namespace: 'ingress-nginx',
      name: 'shop-example-com-tls',
    });
    assert.match(yaml, /tls\.key: REDACTED/);
    assert.match(yaml, /tls\.crt: [A-Za-z0-9+/]{40}/);
    assert.doesNotMatch(yaml, /managedFields/);
    const key = await kubectl(
      suite.admin,
      'get',
      'secret',
      '-n',
      'ingress-nginx',
      'shop-example-com-tls',
      '-o',
      'jsonpath={.data.tls\\.key}',
    );
    assert.ok(key.length > 40 && !yaml.includes(key.slice(0, 40)));
  });
});
