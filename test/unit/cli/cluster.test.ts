// `kubecerts cluster` against the demo cluster (real TLS server, real client), with kubectl and
// openssl as the oracle: the objects listed are the ones kubectl lists, a tls-key-mismatch is where
// openssl finds tls.key's public half differs from tls.crt's, cert-expiring where openssl's
// -checkend says so. A user who may read Secrets in two namespaces only gets them and a finding
// naming the missing permission. Planted marker values in tls.key, in another data key of a TLS
// Secret and in an Opaque Secret never reach any output format, the --output file or stderr.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import { parseClusterArgs } from '../../../src/cli/commands/cluster';
import { makeCa } from '../../fixtures/certs';
import { brokenKeyPem } from '../../fixtures/secrets';
import { kubectl, kubectlTlsSecrets, startTestCluster, type KubeSecret } from '../../fixtures/demoCluster';
import { cli, parseExposition } from './prometheusHelpers';

type TestCluster = Awaited<ReturnType<typeof startTestCluster>>;

interface JsonReport {
  contexts: {
    context: string;
    status: string;
    access: { group: string; resource: string; readIn?: string[] }[];
  }[];
  findings: {
    code: string;
    severity: string;
    message: string;
    related?: { file: string }[];
    kind?: string;
    namespace?: string | null;
    name?: string;
    file: string;
  }[];
  objects: { kind: string; namespace: string | null; name: string; codes: string[]; keyMatches?: boolean }[];
}

const KEY_MARKER = 'keymark5e2c9a71d3b04f68';
const DATA_MARKER = 'datamark8b1f4c6e2a9d0375';
const OPAQUE_MARKER = 'opaqmark3d7a0e94c1b6f582';
const MARKERS = [KEY_MARKER, DATA_MARKER, OPAQUE_MARKER].flatMap((m) => [
  m,
  Buffer.from(m).toString('base64'),
]);

function openssl(args: string[], input: string): string {
  return execFileSync('openssl', args, { input, encoding: 'utf8' });
}

function keyMatches(secret: KubeSecret): boolean {
  const decode = (k: string): string => Buffer.from(secret.data![k], 'base64').toString('utf8');
  const fromCert = openssl(['x509', '-noout', '-pubkey'], decode('tls.crt'));
  const fromKey = openssl(['pkey', '-pubout'], decode('tls.key'));
  return fromCert === fromKey;
}

function expiresWithin(secret: KubeSecret, seconds: number): boolean {
  try {
    openssl(
      ['x509', '-noout', '-checkend', String(seconds)],
      Buffer.from(secret.data!['tls.crt'], 'base64').toString(),
    );
    return false;
  } catch {
    return true;
  }
}

describe('kubecerts cluster (demo cluster)', function () {
  this.timeout(120_000);
  let cluster: TestCluster;
  let dir: string;
  let admin: string;

  before(async () => {
    cluster = await startTestCluster();
    dir = mkdtempSync(join(tmpdir(), 'kubecerts-cluster-'));
    admin = cluster.kubeconfig('admin.conf');
  });
  after(async () => {
    await cluster?.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('-A --format json lists what kubectl lists and finds the problems openssl finds', async () => {
    const { code, stdout } = await cli(['cluster', '-A', '--kubeconfig', admin, '--format', 'json'], dir);
    const out = JSON.parse(stdout) as JsonReport;
    const secrets = await kubectlTlsSecrets(admin);
    const names = (kind: string): string[] =>
      out.objects
        .filter((o) => o.kind === kind)
        .map((o) => (o.namespace ? `${o.namespace}/${o.name}` : o.name))
        .sort();
    assert.deepEqual(
      names('Secret'),
      secrets.map((s) => `${s.metadata.namespace}/${s.metadata.name}`).sort(),
    );
    const webhooks = (await kubectl(admin, 'get', 'validatingwebhookconfigurations', '-o', 'name')).trim();
    assert.deepEqual(
      names('ValidatingWebhookConfiguration'),
      webhooks
        .split('\n')
        .filter(Boolean)
        .map((n) => n.split('/')[1])
        .sort(),
    );
    const codesOf = (namespace: string, name: string): string[] =>
      out.findings
        .filter((f) => f.kind === 'Secret' && f.namespace === namespace && f.name === name)
        .map((f) => f.code);
    for (const secret of secrets) {
      const { namespace, name } = secret.metadata;
      const codes = codesOf(namespace, name);
      if (secret.data?.['tls.key'])
        assert.equal(
          codes.includes('tls-key-mismatch'),
          !keyMatches(secret),
          `${namespace}/${name}: ${codes.join()}`,
        );
      const expiring = expiresWithin(secret, 30 * 86400) && !expiresWithin(secret, 0);
      assert.equal(codes.includes('cert-expiring'), expiring, `${namespace}/${name}: ${codes.join()}`);
    }
    assert.ok(
      out.findings.some((f) => f.code === 'tls-key-mismatch'),
      'the demo seeds a key that does not match',
    );
    assert.ok(
      out.findings.some((f) => f.code === 'cert-expired' && f.kind === 'ValidatingWebhookConfiguration'),
      'the demo seeds a webhook with an expired caBundle',
    );
    assert.ok(
      !out.findings.some((f) => f.code === 'cluster-info-ca-mismatch'),
      'admin.conf trusts the published CA',
    );
    assert.equal(code, 1, 'error-level findings give exit code 1');
    for (const f of out.findings)
      assert.match(f.file, /^k8s:\/\/kubernetes-admin%40kubecerts-demo\/[^/]+\/[A-Za-z]+\/[^/]+$/);
  });

  it('prints a kubectl-style table, SARIF with k8s:// locations, and metrics promtool accepts', async () => {
    const table = await cli(['cluster', '-A', '--kubeconfig', admin, '--fail-on', 'never'], dir);
    assert.equal(table.code, 0);
    assert.match(
      table.stdout.split('\n')[0],
      /^NAMESPACE\s+KIND\s+NAME\s+CN\s+CERTS\s+RESIDUAL\s+VERDICT\s+FINDINGS$/,
    );
    const sarif = JSON.parse(
      (await cli(['cluster', '-A', '--kubeconfig', admin, '--format', 'sarif'], dir)).stdout,
    ) as {
      runs: {
        results: {
          ruleId: string;
          locations: { physicalLocation: { artifactLocation: { uri: string } } }[];
        }[];
      }[];
    };
    const uris = sarif.runs[0].results.map((r) => r.locations[0].physicalLocation.artifactLocation.uri);
    assert.ok(
      uris.length > 0 && uris.every((u) => u.startsWith('k8s://kubernetes-admin%40kubecerts-demo/')),
      uris.join(),
    );
    const file = join(dir, 'cluster.prom');
    const metrics = await cli(
      ['cluster', '-A', '--kubeconfig', admin, '--format', 'prometheus', '--output', file],
      dir,
    );
    assert.equal(metrics.stdout, '');
    const text = readFileSync(file, 'utf8');
    execFileSync('promtool', ['check', 'metrics'], { input: text });
    const samples = parseExposition(text);
    const tls = samples.filter((s) => s.name === 'x509_cert_not_after' && s.labels.secret_key === 'tls.crt');
    assert.ok(tls.length > 0);
    for (const s of tls) {
      const secret = JSON.parse(
        await kubectl(
          admin,
          'get',
          'secret',
          '-n',
          s.labels.secret_namespace,
          s.labels.secret_name,
          '-o',
          'json',
        ),
      ) as KubeSecret;
      const end = openssl(
        ['x509', '-noout', '-enddate', '-dateopt', 'iso_8601'],
        Buffer.from(secret.data!['tls.crt'], 'base64').toString(),
      );
      assert.equal(s.value, Date.parse(end.trim().replace('notAfter=', '').replace(' ', 'T')) / 1000);
    }
    assert.ok(samples.some((s) => s.name === 'kubecerts_cluster_inventory_up' && s.value === 1));
  });

  it('a user who may read Secrets in two namespaces gets those, and a finding naming the missing permission', async () => {
    const { stdout } = await cli(
      ['cluster', '-A', '--kubeconfig', cluster.kubeconfig('ns-reader.conf'), '--format', 'json'],
      dir,
    );
    const out = JSON.parse(stdout) as JsonReport;
    const denied = out.findings.find((f) => f.code === 'cluster-access-denied');
    assert.ok(denied, JSON.stringify(out.findings.map((f) => f.code)));
    const access = out.contexts[0].access.find((a) => a.resource === 'secrets')!;
    assert.deepEqual(access.readIn, ['ingress-nginx', 'monitoring']);
    assert.ok(
      out.objects.filter((o) => o.kind === 'Secret').every((o) => access.readIn!.includes(o.namespace!)),
    );
  });

  it('never prints a planted Secret value, in any format, file or error', async () => {
    const leaf = await kubectlTlsSecrets(admin);
    const crt = Buffer.from(leaf[0].data!['tls.crt'], 'base64').toString();
    const manifest = join(dir, 'planted.yaml');
    writeFileSync(
      manifest,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'List',
        items: [
          {
            apiVersion: 'v1',
            kind: 'Secret',
            type: 'kubernetes.io/tls',
            metadata: { name: 'planted-tls', namespace: 'default' },
            data: {
              'tls.crt': Buffer.from(crt).toString('base64'),
              'tls.key': Buffer.from(brokenKeyPem(KEY_MARKER)).toString('base64'),
              password: Buffer.from(DATA_MARKER).toString('base64'),
            },
          },
          {
            apiVersion: 'v1',
            kind: 'Secret',
            type: 'Opaque',
            metadata: { name: 'planted-opaque', namespace: 'default' },
            data: {
              'tls.crt': Buffer.from(crt).toString('base64'),
              token: Buffer.from(OPAQUE_MARKER).toString('base64'),
            },
          },
        ],
      }),
    );
    await kubectl(admin, 'create', '--validate=false', '-f', manifest);
    const seen: string[] = [];
    for (const format of ['table', 'json', 'sarif', 'prometheus']) {
      const run = await cli(['cluster', '-A', '--kubeconfig', admin, '--format', format], dir);
      seen.push(run.stdout, run.stderr);
      if (format === 'json') {
        const out = JSON.parse(run.stdout) as JsonReport;
        assert.ok(out.objects.some((o) => o.name === 'planted-tls'));
        assert.ok(!out.objects.some((o) => o.name === 'planted-opaque'), 'Opaque Secrets are not listed');
        assert.ok(out.findings.some((f) => f.name === 'planted-tls' && f.code === 'invalid-pem'));
      }
    }
    const file = join(dir, 'planted.json');
    await cli(['cluster', '-A', '--kubeconfig', admin, '--format', 'json', '--output', file], dir);
    seen.push(readFileSync(file, 'utf8'));
    // Errors too: a context that times out, and one whose server refuses the credentials.
    const timedOut = await cli(
      ['cluster', '-A', '--kubeconfig', admin, '--timeout', '1ms', '--format', 'json'],
      dir,
    );
    seen.push(timedOut.stdout, timedOut.stderr);
    for (const text of seen)
      for (const marker of MARKERS) assert.ok(!text.includes(marker), `${marker} leaked`);
  });

  it('cluster-info publishing another CA than the kubeconfig trusts: cluster-info-ca-mismatch (kubeadm join would fail)', async () => {
    // The rotated-CA case: kubectl still reaches the cluster with admin.conf's CA, but the CA
    // kube-public/cluster-info publishes (what kubeadm join pins) is another one.
    const other = await makeCa({
      cn: 'kubernetes',
      notBefore: new Date(Date.now() - 86_400_000),
      notAfter: new Date(Date.now() + 3650 * 86_400_000),
    });
    const info = JSON.parse(
      await kubectl(admin, 'get', 'configmap', '-n', 'kube-public', 'cluster-info', '-o', 'json'),
    ) as {
      data: { kubeconfig: string };
    };
    const kubeconfigText = info.data.kubeconfig.replace(
      /certificate-authority-data: \S+/,
      `certificate-authority-data: ${Buffer.from(other.certPem).toString('base64')}`,
    );
    const patch = join(dir, 'cluster-info-patch.json');
    writeFileSync(patch, JSON.stringify({ data: { kubeconfig: kubeconfigText } }));
    await kubectl(
      admin,
      'patch',
      'configmap',
      '-n',
      'kube-public',
      'cluster-info',
      '--type',
      'merge',
      '--patch-file',
      patch,
    );
    const { stdout } = await cli(['cluster', '-A', '--kubeconfig', admin, '--format', 'json'], dir);
    const out = JSON.parse(stdout) as JsonReport;
    const mismatch = out.findings.filter((f) => f.code === 'cluster-info-ca-mismatch');
    assert.equal(mismatch.length, 1);
    assert.equal(mismatch[0].severity, 'error');
    // The pin kubeadm would print for the published CA, computed by openssl.
    const der = execFileSync('openssl', ['x509', '-noout', '-pubkey'], { input: other.certPem });
    const spki = execFileSync('openssl', ['pkey', '-pubin', '-outform', 'DER'], { input: der });
    const pin = createHash('sha256').update(spki).digest('hex');
    assert.ok(mismatch[0].message.includes(`sha256:${pin}`), mismatch[0].message);
    assert.equal(mismatch[0].related?.[0].file, admin);
    // Every kube-root-ca.crt still holds the old CA: each now differs from cluster-info.
    assert.ok(out.findings.filter((f) => f.code === 'kube-root-ca-mismatch').length >= 4);
  });
});

describe('kubecerts cluster arguments', () => {
  it('keeps the contract: -n | -A, formats, --all-contexts with --parallel and --timeout', () => {
    assert.equal(parseClusterArgs(['-n', 'apps']).namespace, 'apps');
    assert.equal(parseClusterArgs(['-A']).allNamespaces, true);
    assert.throws(() => parseClusterArgs(['-n', 'a', '-A']), /exclude/);
    assert.throws(
      () => parseClusterArgs(['--format', 'yaml']),
      /--format must be one of table, json, sarif, prometheus/,
    );
    assert.throws(() => parseClusterArgs(['--all-contexts', '--context', 'x']), /exclude/);
    assert.deepEqual(parseClusterArgs(['--all-contexts', '--parallel', '2', '--timeout', '5s']).fleet, {
      parallel: 2,
      timeoutMs: 5000,
    });
    assert.deepEqual(parseClusterArgs(['--now', '2026-01-01T00:00:00Z', '--warn-days', '10']).warnDays, 10);
    assert.throws(() => parseClusterArgs(['extra']), /positional/i);
  });
});
