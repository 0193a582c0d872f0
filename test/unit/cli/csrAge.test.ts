// The AGE column of `kubecerts csr list` (and of the CSR view's rows, same function) against
// kubectl on the same objects: kubectl's own HumanDuration (--server-print=false: kubectl computes
// AGE itself) and the demo API server's table. Ages move while the commands run, so each AGE must
// be one that ours gives at some second between the moment before and the moment after.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../../src/cli/run';
import type { CliIo } from '../../../src/cli/io';
import { csrAge } from '../../../src/core/csr/model';
import { startDemoCluster, type DemoCluster } from '../../../tools/demo-cluster/cluster';
import { makeCsr } from '../../fixtures/csr';
import { kubectl } from '../../fixtures/demoCluster';

const SECOND = 1000;
const DAY = 86400 * SECOND;
/** Ages created on top of the seeded ones (minutes to hours): the cases of issue 14 and more. */
const AGES: Record<string, number> = {
  'age-150m': 150 * 60 * SECOND + 20 * SECOND,
  'age-3d4h': 3 * DAY + 4 * 3600 * SECOND + 30 * SECOND,
  'age-800d': 800 * DAY + 60 * SECOND,
  'age-9y': 9 * 365 * DAY,
  // Created last: it ages by the second while the others are created (a loaded machine is slow).
  'age-330s': 330 * SECOND,
};

/** NAME → AGE from a table whose first two columns are NAME and AGE. */
function ageColumn(table: string): Map<string, string> {
  const [header, ...rows] = table.trim().split('\n');
  assert.match(header, /^NAME\s+AGE(\s|$)/);
  return new Map(rows.map((r) => r.trim().split(/\s+/) as [string, string]).map(([n, a]) => [n, a]));
}

async function cliList(kubeconfig: string): Promise<string> {
  let stdout = '';
  const io: CliIo = {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: () => undefined },
    env: { LANG: 'C' },
    cwd: process.cwd(),
    platform: process.platform,
    homedir: '/nonexistent-home',
  };
  await runCli(['csr', 'list', '--kubeconfig', kubeconfig], io);
  return stdout;
}

describe('CSR AGE column against kubectl get csr', function () {
  this.timeout(60_000);
  let dir: string;
  let cluster: DemoCluster;
  let admin: string;
  // The API server's clock: moved back while a CSR is created, so it gets an old creationTimestamp.
  let backMs = 0;

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kubecerts-age-'));
    cluster = await startDemoCluster({
      dir,
      seed: true,
      key: { algorithm: 'EC', curve: 'P-256' },
      now: () => new Date(Date.now() - backMs),
    });
    admin = cluster.kubeconfig('admin.conf');
    for (const [name, age] of Object.entries(AGES)) {
      const csr = await makeCsr({
        name,
        commonName: name,
        signerName: 'kubernetes.io/kube-apiserver-client',
        usages: ['digital signature', 'client auth'],
        username: 'unused',
      });
      const file = path.join(dir, `${name}.json`);
      await fs.writeFile(file, JSON.stringify({ ...csr, metadata: { name } }));
      backMs = age;
      try {
        await kubectl(admin, 'create', '-f', file);
      } finally {
        backMs = 0;
      }
    }
  });
  after(async () => {
    await cluster?.stop();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('prints the AGE kubectl prints for every CSR', async () => {
    const objects = JSON.parse(await kubectl(admin, 'get', 'csr', '-o', 'json')) as {
      items: { metadata: { name: string; creationTimestamp: string } }[];
    };
    const before = Date.now();
    const byKubectl = ageColumn(await kubectl(admin, 'get', 'csr', '--server-print=false'));
    const byServerTable = ageColumn(await kubectl(admin, 'get', 'csr'));
    const ours = ageColumn(await cliList(admin));
    const after = Date.now();

    assert.equal(objects.items.length, Object.keys(AGES).length + 9, 'the seeded CSRs and ours');
    for (const { metadata } of objects.items) {
      const possible = new Set<string>();
      for (let t = before - SECOND; t <= after + SECOND; t += 250)
        possible.add(csrAge({ metadata, spec: { request: '', signerName: '' } }, new Date(t)));
      const name = metadata.name;
      const seen = { kubectl: byKubectl.get(name), server: byServerTable.get(name), cli: ours.get(name) };
      for (const [who, age] of Object.entries(seen))
        assert.ok(age && possible.has(age), `${name}: ${who} printed ${age}, ours: ${[...possible]}`);
    }
    // The cases that used to differ, as kubectl prints them.
    assert.equal(byKubectl.get('age-800d'), '2y70d');
    assert.equal(byKubectl.get('age-150m'), '150m');
    assert.equal(byKubectl.get('age-3d4h'), '3d4h');
    assert.equal(byKubectl.get('age-9y'), '9y');
    // Minutes and seconds below 10 minutes (the old column said just "5m").
    assert.match(byKubectl.get('age-330s') ?? '', /^5m\d{1,2}s$/);
  });
});
