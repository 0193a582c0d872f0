// `kubecerts audit --probe --format prometheus` against a demo cluster whose apiserver certificate
// was renewed on disk but not yet served: the series the KubecertsServedCertificateStale alert
// selects is there, with the served certificate's serial, until the apiserver restarts.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { startDemoCluster, type DemoCluster } from '../../../tools/demo-cluster/cluster';
import { cli, DOCS, parseExposition } from '../cli/prometheusHelpers';

describe('audit --probe --format prometheus: a stale served certificate', function () {
  this.timeout(60_000);
  let dir: string;
  let cluster: DemoCluster;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kubecerts-stale-'));
    cluster = await startDemoCluster({ dir, key: { algorithm: 'EC', curve: 'P-256' }, serving: 'stale' });
  });
  after(async () => {
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives the series the stale alert selects, gone once the apiserver restarts', async () => {
    const rules = parse(readFileSync(join(DOCS, 'prometheus/kubecerts.rules.yml'), 'utf8')) as {
      groups: { rules: { alert?: string; expr: string }[] }[];
    };
    const expr = rules.groups
      .flatMap((g) => g.rules)
      .find((r) => r.alert === 'KubecertsServedCertificateStale')!.expr;
    const selector = /kubecerts_finding\{code="([^"]+)"\}/.exec(expr)!;

    const admin = cluster.kubeconfig('admin.conf');
    const before = await cli(['audit', '--probe', '--format', 'prometheus', admin], dir);
    execFileSync('promtool', ['check', 'metrics'], { input: before.stdout });
    const stale = parseExposition(before.stdout).filter(
      (s) => s.name === 'kubecerts_finding' && s.labels.code === selector[1],
    );
    assert.equal(stale.length, 1, before.stdout);
    assert.equal(stale[0].value, 1);
    assert.equal(stale[0].labels.filepath, admin);
    // The serial the server presents now (the old certificate), as `kubecerts probe` reads it.
    const probe = JSON.parse(
      (await cli(['probe', cluster.url, '--ca', cluster.caFile, '--format', 'json'], dir)).stdout,
    ) as { presented: { serial: string }[] };
    assert.equal(
      stale[0].labels.serial_number,
      BigInt('0x' + probe.presented[0].serial.replace(/:/g, '')).toString(),
    );

    await cluster.restartApiserver();
    const after = await cli(['audit', '--probe', '--format', 'prometheus', admin], dir);
    assert.ok(!after.stdout.includes(`code="${selector[1]}"`), after.stdout);
  });
});
