// The textfile written by `kubecerts audit --output`, scraped by a real Prometheus (loopback only,
// temp storage) from a tiny static HTTP handler, then read back through Prometheus' HTTP API: the
// series, the dashboard's queries and the shipped alert rules, evaluated by Prometheus itself.
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { addDays } from '../../fixtures/certs';
import { writeKubeadmTree } from '../../fixtures/kubeadm';
import { cli, dashboardExprs, DOCS } from './prometheusHelpers';

async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface ApiVector {
  status: string;
  data: { result: { metric: Record<string, string>; value: [number, string] }[] };
}

async function poll<T>(what: string, get: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await get().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('kubecerts audit --output scraped by a real Prometheus', function () {
  this.timeout(60_000);
  let dir: string;
  let textfile: string;
  let http: Server;
  let prometheus: ChildProcess | undefined;
  let api: string;
  let log = '';

  const query = async (expr: string): Promise<ApiVector> => {
    const response = await fetch(`${api}/api/v1/query?query=${encodeURIComponent(expr)}`);
    return (await response.json()) as ApiVector;
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kubecerts-scrape-'));
    const now = new Date();
    const etc = join(dir, 'etc-kubernetes');
    await writeKubeadmTree(
      {
        now,
        key: { algorithm: 'EC', curve: 'P-256' },
        validity: {
          'front-proxy-client': { notBefore: addDays(now, -400), notAfter: addDays(now, -1) },
          apiserver: { notBefore: addDays(now, -355), notAfter: addDays(now, 10) },
        },
      },
      etc,
    );
    textfile = join(dir, 'kubecerts.prom');
    const audit = await cli(['audit', etc, '--format', 'prometheus', '--output', textfile], dir);
    assert.equal(audit.stdout, '');

    // The textfile collector's part: serve the file as it is on disk at each scrape.
    http = createHttpServer((_, response) => {
      response.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
      response.end(readFileSync(textfile));
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const target = `127.0.0.1:${(http.address() as { port: number }).port}`;

    const port = await freePort();
    api = `http://127.0.0.1:${port}`;
    const config = join(dir, 'prometheus.yml');
    writeFileSync(
      config,
      stringify({
        global: { scrape_interval: '1s', evaluation_interval: '1s' },
        rule_files: [join(DOCS, 'prometheus/kubecerts.rules.yml')],
        scrape_configs: [
          { job_name: 'node', static_configs: [{ targets: [target], labels: { instance: 'cp-1' } }] },
        ],
      }),
    );
    prometheus = spawn(
      'prometheus',
      [
        `--config.file=${config}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    prometheus.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  });

  after(async () => {
    if (prometheus && prometheus.exitCode === null) {
      const exited = new Promise((resolve) => prometheus!.once('exit', resolve));
      prometheus.kill('SIGTERM');
      await exited;
    }
    await new Promise((resolve) => (http ? http.close(resolve) : resolve(undefined)));
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves x509_cert_not_after with the notAfter openssl reads, labelled by the scrape', async () => {
    const apiserver = join(dir, 'etc-kubernetes/pki/apiserver.crt');
    const result = await poll(`the first scrape (prometheus log: ${log})`, async () => {
      const vector = await query(`x509_cert_not_after{filepath="${apiserver}"}`);
      return vector.data.result.length ? vector.data.result : undefined;
    });
    assert.equal(result.length, 1);
    const [sample] = result;
    assert.equal(sample.metric.job, 'node');
    assert.equal(sample.metric.instance, 'cp-1');
    assert.equal(sample.metric.subject_CN, 'kube-apiserver');
    const enddate = execFileSync(
      'openssl',
      ['x509', '-in', apiserver, '-noout', '-enddate', '-dateopt', 'iso_8601'],
      {
        encoding: 'utf8',
      },
    );
    const expected = Date.parse(/notAfter=(.*)/.exec(enddate)![1].replace(' ', 'T')) / 1000;
    assert.equal(Number(sample.value[1]), expected);
    const up = await query('up{job="node"}');
    assert.equal(up.data.result[0]?.value[1], '1', 'the scrape parsed the whole file');
  });

  it('answers every query of the Grafana dashboard', async () => {
    for (const expr of dashboardExprs()) {
      const promql = expr.replace(/\$instance/g, '.*');
      if (promql.startsWith('label_values(')) continue;
      const result = await query(promql);
      assert.equal(result.status, 'success', promql);
    }
    const expired = await query(dashboardExprs()[0].replace(/\$instance/g, '.*'));
    assert.equal(expired.data.result[0]?.value[1], '1', 'one expired certificate');
  });

  it('fires the shipped alerts on the scraped series', async () => {
    const alerts = await poll('the alerts', async () => {
      const response = await fetch(`${api}/api/v1/alerts`);
      const body = (await response.json()) as {
        data: { alerts: { labels: Record<string, string>; state: string }[] };
      };
      const firing = body.data.alerts.filter((a) => a.state === 'firing');
      return firing.some((a) => a.labels.alertname === 'KubecertsCertificateExpired') &&
        firing.some((a) => a.labels.alertname === 'KubecertsCertificateExpiresWithin14Days')
        ? firing
        : undefined;
    });
    const names = (alertname: string): string[] =>
      alerts.filter((a) => a.labels.alertname === alertname).map((a) => a.labels.filename);
    assert.deepEqual(names('KubecertsCertificateExpired'), ['front-proxy-client.crt']);
    assert.deepEqual(names('KubecertsCertificateExpiresWithin14Days'), ['apiserver.crt']);
  });
});
