// The in-cluster certificate objects of the demo cluster (Secrets, ConfigMaps, webhooks,
// APIServices, CRDs) against the real kubectl (v1.32): lists, tables, selectors, pagination,
// watch, RBAC by namespace, create/apply and validation, and the seeded problems themselves,
// checked with Node's own X.509 code rather than the project's.
// One file over 400 lines on purpose: every case runs kubectl against one demo cluster started once.
import { strict as assert } from 'node:assert';
import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { startDemoCluster, type DemoCluster } from '../../../tools/demo-cluster/cluster';
import { SEEDED_PROBLEMS } from '../../../tools/demo-cluster/seedObjects';
import { kubectl, kubectlWatch, run } from './helpers';

const NOW = new Date('2026-06-15T12:00:00Z');
const DAY = 24 * 3600_000;
const TLS_SECRETS = [
  'cert-manager/widgets-webhook-tls',
  'ingress-nginx/api-example-com-tls',
  'ingress-nginx/shop-example-com-tls',
  'monitoring/grafana-tls',
];

interface Item {
  metadata: { name: string; namespace?: string; annotations?: Record<string, string> };
  type?: string;
  data?: Record<string, string>;
  [k: string]: unknown;
}

const pem = (b64: string) => Buffer.from(b64, 'base64').toString('utf8');
const rowsOf = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s{2,}/));

describe('demo cluster certificate objects with kubectl', function () {
  this.timeout(30_000);
  let dir: string;
  let cluster: DemoCluster;
  const admin = (...args: string[]) => kubectl(dir, 'admin.conf', ...args);
  const json = async (...args: string[]) => {
    const r = await admin(...args, '-o', 'json');
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout) as { items: Item[] } & Item;
  };

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kubecerts-demo-objects-'));
    cluster = await startDemoCluster({ dir, seed: true, now: NOW, key: { algorithm: 'EC', curve: 'P-256' } });
  });
  after(async () => {
    await cluster?.stop();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('get secrets,validatingwebhookconfigurations,apiservices -A: the columns of a real cluster', async () => {
    const r = await admin('get', 'secrets,validatingwebhookconfigurations,apiservices', '-A');
    assert.equal(r.code, 0, r.stderr);
    const [secrets, webhooks, apiservices] = r.stdout.trim().split('\n\n').map(rowsOf);
    assert.deepEqual(secrets[0], ['NAMESPACE', 'NAME', 'TYPE', 'DATA', 'AGE']);
    assert.deepEqual(
      secrets.slice(1).map((row) => `${row[0]}/${row[1].replace('secret/', '')}`),
      [
        'cert-manager/widgets-webhook-tls',
        'default/build-robot-token',
        'default/db-credentials',
        'ingress-nginx/api-example-com-tls',
        'ingress-nginx/shop-example-com-tls',
        'monitoring/grafana-tls',
      ],
    );
    const shop = secrets.find((row) => row[1] === 'secret/shop-example-com-tls');
    assert.deepEqual(shop?.slice(2, 4), ['kubernetes.io/tls', '2']);
    assert.deepEqual(webhooks[0], ['NAMESPACE', 'NAME', 'WEBHOOKS', 'AGE']);
    assert.match(
      webhooks[1].join(' '),
      /validatingwebhookconfiguration\.admissionregistration\.k8s\.io\/policy-validator 1 /,
    );
    assert.deepEqual(apiservices[0], ['NAMESPACE', 'NAME', 'SERVICE', 'AVAILABLE', 'AGE']);
    const byName = new Map(apiservices.slice(1).map((row) => [row[0].split('/')[1], row.slice(1, 3)]));
    assert.deepEqual(byName.get('v1.apps'), ['Local', 'True']);
    assert.deepEqual(byName.get('v1beta1.metrics.k8s.io'), ['kube-system/metrics-server', 'True']);
  });

  it('-o json: every seeded object is there as its kind', async () => {
    const kinds: Record<string, string> = {
      secrets: 'Secret',
      configmaps: 'ConfigMap',
      validatingwebhookconfigurations: 'ValidatingWebhookConfiguration',
      mutatingwebhookconfigurations: 'MutatingWebhookConfiguration',
      apiservices: 'APIService',
      customresourcedefinitions: 'CustomResourceDefinition',
    };
    for (const { object } of SEEDED_PROBLEMS) {
      const [resource, ...rest] = object.split('/');
      const name = rest.pop() as string;
      const namespace = rest[0];
      const obj = await json('get', resource, name, ...(namespace ? ['-n', namespace] : []));
      assert.equal(obj.kind, kinds[resource], object);
      assert.equal(obj.metadata.name, name);
    }
    const list = await json('get', 'secrets', '-A');
    assert.equal(list.kind, 'List');
    assert.ok(list.items.every((s) => s.kind === 'Secret' && s.apiVersion === 'v1'));
  });

  it('--field-selector type=kubernetes.io/tls returns the TLS Secrets only', async () => {
    const list = await json('get', 'secrets', '-A', '--field-selector', 'type=kubernetes.io/tls');
    assert.deepEqual(
      list.items.map((s) => `${s.metadata.namespace}/${s.metadata.name}`),
      TLS_SECRETS,
    );
    const names = await admin(
      'get',
      'secrets',
      '-A',
      '--field-selector',
      'metadata.namespace=default,metadata.name=db-credentials',
      '-o',
      'name',
    );
    assert.equal(names.stdout.trim(), 'secret/db-credentials');
    const none = await admin(
      'get',
      'secrets',
      '-A',
      '--field-selector',
      'type!=kubernetes.io/tls',
      '-o',
      'name',
    );
    assert.deepEqual(none.stdout.trim().split('\n').sort(), [
      'secret/build-robot-token',
      'secret/db-credentials',
    ]);
  });

  it('an unsupported field selector is refused with the API server text', async () => {
    const secret = await admin('get', 'secrets', '--field-selector', 'spec.foo=bar');
    assert.match(secret.stderr, /\(BadRequest\).*: field label not supported: spec\.foo$/m);
    const webhook = await admin('get', 'validatingwebhookconfigurations', '--field-selector', 'spec.foo=bar');
    assert.match(
      webhook.stderr,
      /: "spec\.foo" is not a known field selector: only "metadata\.name", "metadata\.namespace"$/m,
    );
  });

  it('--chunk-size 2 pages with limit/continue and returns everything once', async () => {
    const r = await admin(
      'get',
      'configmaps',
      '-A',
      '--chunk-size',
      '2',
      '--no-headers',
      '-o',
      'custom-columns=NS:.metadata.namespace,NAME:.metadata.name',
      '-v=6',
    );
    assert.equal(r.code, 0, r.stderr);
    const requests = r.stderr.split('\n').filter((l) => /GET https:.*\/api\/v1\/configmaps\?/.test(l));
    assert.equal(requests.length, 4, r.stderr);
    assert.match(requests[0], /limit=2/);
    assert.ok(requests.slice(1).every((l) => /continue=/.test(l)));
    const rows = r.stdout.trim().split('\n');
    // kube-root-ca.crt in the 7 namespaces, and kube-public/cluster-info: 8 objects, each once.
    assert.equal(rows.length, 8);
    assert.equal(new Set(rows).size, 8);
    assert.ok(rows.some((row) => /^kube-public\s+cluster-info$/.test(row)));
  });

  it('get -w: the list, then the events of a new Secret', async () => {
    const watch = kubectlWatch(dir, 'admin.conf', 'get', 'secrets', '-n', 'default', '-w');
    try {
      await watch.waitFor(/db-credentials\s+Opaque\s+2/);
      const created = await admin(
        'create',
        'secret',
        'generic',
        'watched',
        '-n',
        'default',
        '--from-literal=a=b',
      );
      assert.equal(created.code, 0, created.stderr);
      const output = await watch.waitFor(/watched\s+Opaque\s+1\s+\d+s/);
      assert.match(output, /^NAME\s+TYPE\s+DATA\s+AGE$/m);
    } finally {
      await watch.stop();
      await admin('delete', 'secret', 'watched', '-n', 'default');
    }
  });

  it('RBAC: the namespace reader is refused at the cluster scope and outside its namespaces', async () => {
    const reader = (...args: string[]) => kubectl(dir, 'ns-reader.conf', ...args);
    const all = await reader('get', 'secrets', '-A');
    assert.equal(all.code, 1);
    assert.equal(
      all.stderr.trim(),
      'Error from server (Forbidden): secrets is forbidden: User "kubecerts-ns-reader" cannot list resource "secrets" in API group "" at the cluster scope',
    );
    const system = await reader('get', 'secrets', '-n', 'kube-system');
    assert.equal(
      system.stderr.trim(),
      'Error from server (Forbidden): secrets is forbidden: User "kubecerts-ns-reader" cannot list resource "secrets" in API group "" in the namespace "kube-system"',
    );
    const allowed = await reader('get', 'secrets', '-n', 'monitoring', '-o', 'name');
    assert.equal(allowed.stdout.trim(), 'secret/grafana-tls');
    assert.equal(
      (await reader('auth', 'can-i', 'list', 'secrets', '-n', 'ingress-nginx')).stdout.trim(),
      'yes',
    );
    assert.equal((await reader('auth', 'can-i', 'list', 'secrets', '-n', 'default')).stdout.trim(), 'no');
    const secretsRule = /^secrets\s+\[\]\s+\[\]\s+\[get list watch\]$/m;
    assert.match((await reader('auth', 'can-i', '--list', '-n', 'monitoring')).stdout, secretsRule);
    assert.doesNotMatch((await reader('auth', 'can-i', '--list', '-n', 'default')).stdout, secretsRule);
    const namespaces = await reader('get', 'namespaces', '-o', 'name');
    assert.equal(namespaces.code, 0, namespaces.stderr);
    const viewer = await kubectl(dir, 'viewer.conf', 'get', 'secrets', '-n', 'monitoring');
    assert.match(
      viewer.stderr,
      /User "kubecerts-viewer" cannot list resource "secrets" in API group "" in the namespace "monitoring"/,
    );
  });

  it('create and apply a TLS Secret; a missing tls.key, bad base64 and a bad name are refused', async () => {
    const key = path.join(dir, 'own.key');
    const crt = path.join(dir, 'own.crt');
    const made = await run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      key,
      '-out',
      crt,
      '-subj',
      '/CN=own.example.com',
      '-days',
      '5',
    ]);
    assert.equal(made.code, 0, made.stderr);
    const created = await admin(
      'create',
      'secret',
      'tls',
      'own-tls',
      '-n',
      'default',
      '--cert',
      crt,
      '--key',
      key,
    );
    assert.equal(created.stdout.trim(), 'secret/own-tls created', created.stderr);
    const stored = await json('get', 'secret', 'own-tls', '-n', 'default');
    assert.equal(pem(stored.data?.['tls.crt'] ?? ''), await fs.readFile(crt, 'utf8'));

    const manifest = (
      await admin(
        'create',
        'secret',
        'tls',
        'applied-tls',
        '-n',
        'default',
        '--cert',
        crt,
        '--key',
        key,
        '--dry-run=client',
        '-o',
        'yaml',
      )
    ).stdout;
    const file = path.join(dir, 'applied.yaml');
    await fs.writeFile(file, manifest);
    assert.equal((await admin('apply', '-f', file)).stdout.trim(), 'secret/applied-tls created');
    const labelled = manifest.replace('metadata:\n', 'metadata:\n  labels:\n    team: web\n');
    await fs.writeFile(file, labelled);
    assert.equal((await admin('apply', '-f', file)).stdout.trim(), 'secret/applied-tls configured');
    assert.equal(
      (await admin('get', 'secrets', '-n', 'default', '-l', 'team=web', '-o', 'name')).stdout.trim(),
      'secret/applied-tls',
    );

    const noKey = labelled.replace(/^ {2}tls\.key: .*\n/m, '').replace('applied-tls', 'keyless-tls');
    await fs.writeFile(file, noKey);
    const refused = await admin('create', '-f', file);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /The Secret "keyless-tls" is invalid: data\[tls\.key\]: Required value/);

    await fs.writeFile(
      file,
      noKey.replace(/tls\.crt: \S+/, 'tls.crt: bm90 YmFzZTY0').replace('keyless-tls', 'bad-b64'),
    );
    const badBase64 = await admin('create', '-f', file);
    assert.match(
      badBase64.stderr,
      /\(BadRequest\).*Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 4/,
    );
    const badName = await admin(
      'create',
      'secret',
      'generic',
      'Bad_Name',
      '-n',
      'default',
      '--from-literal=a=b',
    );
    assert.match(
      badName.stderr,
      /Secret "Bad_Name" is invalid: metadata\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/,
    );
    const missingNs = await admin('create', 'secret', 'generic', 'x', '-n', 'nowhere', '--from-literal=a=b');
    assert.match(missingNs.stderr, /namespaces "nowhere" not found/);
  });

  it('replace and delete a Secret; the deleted one is NotFound', async () => {
    const file = path.join(dir, 'replaced.yaml');
    const manifest = (value: string) =>
      `apiVersion: v1\nkind: Secret\nmetadata:\n  name: replaced\n  namespace: default\nstringData:\n  token: ${value}\n`;
    await fs.writeFile(file, manifest('one'));
    assert.equal((await admin('create', '-f', file)).stdout.trim(), 'secret/replaced created');
    await fs.writeFile(file, manifest('two'));
    assert.equal((await admin('replace', '-f', file)).stdout.trim(), 'secret/replaced replaced');
    const data = await admin('get', 'secret', 'replaced', '-n', 'default', '-o', 'jsonpath={.data.token}');
    assert.equal(pem(data.stdout), 'two');
    assert.equal((await admin('delete', '-f', file)).stdout.trim(), 'secret "replaced" deleted');
    const gone = await admin('get', 'secret', 'replaced', '-n', 'default');
    assert.equal(gone.stderr.trim(), 'Error from server (NotFound): secrets "replaced" not found');
  });

  it('CRD and mutating webhook: get, short names and the caBundles', async () => {
    const crds = await admin('get', 'crd');
    assert.deepEqual(rowsOf(crds.stdout)[0], ['NAME', 'CREATED AT']);
    assert.match(crds.stdout, /widgets\.example\.com\s+\d{4}-\d\d-\d\dT/);
    const crd = await json('get', 'crd', 'widgets.example.com');
    assert.equal(
      crd.metadata.annotations?.['cert-manager.io/inject-ca-from'],
      'cert-manager/widgets-webhook',
    );
    const conversion = (crd.spec as { conversion: { webhook: { clientConfig: { caBundle: string } } } })
      .conversion;
    assert.ok(new X509Certificate(pem(conversion.webhook.clientConfig.caBundle)).ca);
    const mutating = await admin('get', 'mutatingwebhookconfigurations');
    assert.match(mutating.stdout, /^cert-manager-webhook\s+1\s+/m);
    const caBundle = await admin(
      'get',
      'mutatingwebhookconfiguration',
      'cert-manager-webhook',
      '-o',
      'jsonpath={.webhooks[0].clientConfig.caBundle}',
    );
    assert.ok(new Date(new X509Certificate(pem(caBundle.stdout)).validTo).getTime() > NOW.getTime());
    const resources = await admin('api-resources', '--api-group=apiextensions.k8s.io');
    assert.match(
      resources.stdout,
      /customresourcedefinitions\s+crd,crds\s+apiextensions\.k8s\.io\/v1\s+false\s+CustomResourceDefinition/,
    );
  });

  it('apply of a webhook configuration merges its webhooks by name (strategic merge patch)', async () => {
    const file = path.join(dir, 'hooks.yaml');
    const manifest = (caBundle: string, second: boolean) =>
      [
        'apiVersion: admissionregistration.k8s.io/v1',
        'kind: ValidatingWebhookConfiguration',
        'metadata:',
        '  name: applied-hooks',
        'webhooks:',
        '- name: a.hooks.example.com',
        `  clientConfig: {service: {namespace: default, name: hooks, path: /a}, caBundle: ${caBundle}}`,
        '  sideEffects: None',
        '  admissionReviewVersions: [v1]',
        ...(second
          ? [
              '- name: b.hooks.example.com',
              '  clientConfig: {url: "https://hooks.example.com/b"}',
              '  sideEffects: None',
              '  admissionReviewVersions: [v1]',
            ]
          : []),
        '',
      ].join('\n');
    const hooks = async () =>
      (
        await admin(
          'get',
          'validatingwebhookconfiguration',
          'applied-hooks',
          '-o',
          'jsonpath={range .webhooks[*]}{.name}={.clientConfig.caBundle},{.timeoutSeconds};{end}',
        )
      ).stdout;
    await fs.writeFile(file, manifest('eQ==', true));
    assert.match((await admin('apply', '-f', file)).stdout, /applied-hooks created/);
    await fs.writeFile(file, manifest('eg==', true));
    assert.match((await admin('apply', '-f', file)).stdout, /applied-hooks configured/);
    assert.equal(await hooks(), 'a.hooks.example.com=eg==,10;b.hooks.example.com=,10;');
    await fs.writeFile(file, manifest('eg==', false));
    assert.match((await admin('apply', '-f', file)).stdout, /applied-hooks configured/);
    assert.equal(await hooks(), 'a.hooks.example.com=eg==,10;');
    assert.match((await admin('delete', '-f', file)).stdout, /"applied-hooks" deleted/);
  });

  it('the seeded problems are what the notes say (checked with Node, not with kubecerts)', async () => {
    const secrets = new Map(
      (await json('get', 'secrets', '-A')).items.map((s) => [
        `${s.metadata.namespace}/${s.metadata.name}`,
        s,
      ]),
    );
    const cert = (id: string, key: string) => new X509Certificate(pem(secrets.get(id)?.data?.[key] ?? ''));
    const daysLeft = (c: X509Certificate) => (Date.parse(c.validTo) - NOW.getTime()) / DAY;
    const keyMatches = (id: string) => {
      const data = secrets.get(id)?.data ?? {};
      const spki = (k: ReturnType<typeof createPublicKey>) =>
        k.export({ type: 'spki', format: 'der' }).toString('hex');
      return (
        spki(createPublicKey(createPrivateKey(pem(data['tls.key'])))) === spki(cert(id, 'tls.crt').publicKey)
      );
    };
    const verifies = (id: string) => cert(id, 'tls.crt').verify(cert(id, 'ca.crt').publicKey);

    assert.ok(daysLeft(cert('cert-manager/widgets-webhook-tls', 'tls.crt')) > 30);
    assert.ok(keyMatches('cert-manager/widgets-webhook-tls') && verifies('cert-manager/widgets-webhook-tls'));
    const shop = daysLeft(cert('ingress-nginx/shop-example-com-tls', 'tls.crt'));
    assert.ok(shop > 0 && shop < 30, String(shop));
    assert.equal(secrets.get('ingress-nginx/shop-example-com-tls')?.data?.['ca.crt'], undefined);
    assert.equal(keyMatches('ingress-nginx/api-example-com-tls'), false);
    assert.ok(verifies('ingress-nginx/api-example-com-tls'));
    assert.ok(keyMatches('monitoring/grafana-tls'));
    assert.equal(verifies('monitoring/grafana-tls'), false);
    assert.equal(
      cert('monitoring/grafana-tls', 'ca.crt').subject,
      cert('ingress-nginx/api-example-com-tls', 'ca.crt').subject,
    );
    for (const id of TLS_SECRETS)
      assert.equal(
        secrets.get(id)?.metadata.annotations?.['cert-manager.io/certificate-name'] !== undefined,
        true,
        id,
      );

    const expired = await admin(
      'get',
      'validatingwebhookconfiguration',
      'policy-validator',
      '-o',
      'jsonpath={.webhooks[0].clientConfig.caBundle}',
    );
    assert.ok(Date.parse(new X509Certificate(pem(expired.stdout)).validTo) < NOW.getTime());

    const clusterCa = new X509Certificate(await fs.readFile(cluster.caFile));
    const info = await admin(
      'get',
      'configmap',
      'cluster-info',
      '-n',
      'kube-public',
      '-o',
      'jsonpath={.data.kubeconfig}',
    );
    const kubeconfig = parseYaml(info.stdout) as {
      clusters: { name: string; cluster: Record<string, string> }[];
    };
    assert.equal(kubeconfig.clusters[0].name, '');
    assert.equal(kubeconfig.clusters[0].cluster.server, cluster.url);
    assert.ok(
      new X509Certificate(pem(kubeconfig.clusters[0].cluster['certificate-authority-data'])).publicKey.equals(
        clusterCa.publicKey,
      ),
    );
    const roots = (
      await json('get', 'configmaps', '-A', '--field-selector', 'metadata.name=kube-root-ca.crt')
    ).items;
    assert.deepEqual(
      roots.map((cm) => cm.metadata.namespace),
      [
        'cert-manager',
        'default',
        'ingress-nginx',
        'kube-node-lease',
        'kube-public',
        'kube-system',
        'monitoring',
      ],
    );
    for (const cm of roots) {
      const same = new X509Certificate(String(cm.data?.['ca.crt'])).publicKey.equals(clusterCa.publicKey);
      assert.equal(same, cm.metadata.namespace !== 'monitoring', cm.metadata.namespace);
    }
  });
});
