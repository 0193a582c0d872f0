// `npm run demo`: the demo cluster (seeded with CSRs) plus VS Code (code-server) with the packaged
// extension installed, on a demo workspace that shows every kind of finding. Prints the URL to open.
//   --cli          only the cluster, with kubectl / kubecerts commands to try
//   --fresh        throw away the previous demo state (CSRs, generated files) first
//   --screenshot   open the workbench in headless Chromium, save test-results/demo-*.png, then exit
// State lives in .cache/demo (git-ignored), so a restart keeps the cluster's CSRs.
import { Buffer } from 'node:buffer';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startDemoCluster, type DemoCluster } from '../tools/demo-cluster/cluster';
import { pointManifestsAt } from '../tools/demo-cluster/serving';
import { buildKubeconfig } from '../src/core/kubeconfig/build';
import { generateKubeadmPki } from '../src/core/pki/generate';
import { issueCertificate, type IssuedCertificate } from '../src/core/x509/issue';
import { writeTree } from '../test/fixtures/kubeadm';
import {
  QUIET_SETTINGS,
  ensureCodeServer,
  installExtension,
  isolatedDirs,
  startCodeServer,
  type CodeServer,
} from './e2e/codeServer';
import { launchChromium } from './e2e/chromium';

const ROOT = path.resolve(__dirname, '..');
const DEMO = path.join(ROOT, '.cache', 'demo');
const VSIX = path.join(ROOT, 'dist', 'kubecerts.vsix');
const DAY = 24 * 3600 * 1000;
const EC = { algorithm: 'EC', curve: 'P-256' } as const;

const args = new Set(process.argv.slice(2));
const say = (line: string): void => console.log(`[demo] ${line}`);

async function prepareWorkspace(workspace: string, cluster: DemoCluster, now: Date): Promise<void> {
  fs.mkdirSync(path.join(workspace, 'kubeconfigs'), { recursive: true });
  // The live cluster's admin kubeconfig, as the user would have it (its port changes per start).
  fs.copyFileSync(cluster.kubeconfig('admin.conf'), path.join(workspace, 'kubeconfigs', 'demo-admin.conf'));
  if (fs.existsSync(path.join(workspace, '.generated'))) return;
  const at = (days: number): Date => new Date(now.getTime() + days * DAY);

  // A copy of a control plane's /etc/kubernetes whose apiserver certificate expires in 12 days
  // and whose front-proxy client certificate expired last month.
  const tree = await generateKubeadmPki({
    now,
    key: EC,
    // Its manifests name loopback: "Check Served Certificates" stays on this machine.
    node: { advertiseAddress: '127.0.0.1' },
    validity: {
      apiserver: { notBefore: at(-353), notAfter: at(12) },
      'front-proxy-client': { notBefore: at(-400), notAfter: at(-35) },
    },
  });
  writeTree(path.join(workspace, 'etc-kubernetes'), tree);

  const ca = await issueCertificate({
    subject: { commonName: 'kubernetes' },
    notBefore: at(-300),
    notAfter: at(3350),
    basicConstraints: { ca: true },
    keyUsage: ['digitalSignature', 'keyEncipherment', 'keyCertSign'],
    key: EC,
  });
  const client = (cn: string, o: string[], from: number, to: number, issuer = ca) =>
    issueCertificate({
      subject: { commonName: cn, organizations: o },
      notBefore: at(from),
      notAfter: at(to),
      keyUsage: ['digitalSignature', 'keyEncipherment'],
      extKeyUsage: ['clientAuth'],
      issuer,
      key: EC,
    });
  const write = (name: string, text: string): void =>
    fs.writeFileSync(path.join(workspace, 'kubeconfigs', name), text, { mode: 0o600 });

  write(
    'expiring.kubeconfig',
    buildKubeconfig({
      clusterName: 'staging',
      server: 'https://127.0.0.1:6443',
      caPem: ca.certPem,
      userName: 'deploy-bot',
      client: await client('deploy-bot', ['ci:deployers'], -340, 23),
    }),
  );
  // Same CA name, new key: the classic trap after `kubeadm init` was re-run.
  const regenerated = await issueCertificate({
    subject: { commonName: 'kubernetes' },
    notBefore: at(-30),
    notAfter: at(3620),
    basicConstraints: { ca: true },
    keyUsage: ['digitalSignature', 'keyEncipherment', 'keyCertSign'],
    key: EC,
  });
  write(
    'regenerated-ca.kubeconfig',
    buildKubeconfig({
      clusterName: 'prod',
      server: 'https://127.0.0.1:6443',
      caPem: regenerated.certPem,
      userName: 'alice',
      client: await client('alice', ['developers'], -100, 265),
    }),
  );
  write(
    'redacted.kubeconfig',
    [
      'apiVersion: v1',
      'clusters:',
      '- cluster:',
      '    certificate-authority-data: DATA+OMITTED',
      '    server: https://127.0.0.1:6443',
      '  name: prod',
      'contexts:',
      '- context:',
      '    cluster: prod',
      '    user: alice',
      '  name: alice@prod',
      'current-context: alice@prod',
      'kind: Config',
      'preferences: {}',
      'users:',
      '- name: alice',
      '  user:',
      '    client-certificate-data: DATA+OMITTED',
      '    client-key-data: DATA+OMITTED',
      '',
    ].join('\n'),
  );
  await writeManifests(path.join(workspace, 'manifests'), ca, at);
  fs.writeFileSync(
    path.join(workspace, 'README.md'),
    [
      '# kubecerts demo workspace',
      '',
      '- `kubeconfigs/`: hover a `client-certificate-data` value; open the Problems panel (Ctrl+Shift+M).',
      '- `kubeconfigs/demo-admin.conf`: hover the `server:` value to see what the live demo cluster serves.',
      '- `etc-kubernetes/`: a copy of a control plane; see the **Kube Certs** side bar → PKI.',
      '- `manifests/`: TLS Secrets and a webhook as a GitOps repository keeps them: hover `tls.crt`, click a CodeLens.',
      "- The side bar's **Certificate Signing Requests** view shows the live demo cluster.",
      '',
    ].join('\n'),
  );
  fs.writeFileSync(path.join(workspace, '.generated'), now.toISOString());
}

/**
 * Certificates outside kubeconfigs, as a GitOps repository holds them: TLS Secrets (one expired, one
 * expiring, each with its key and CA) and a webhook whose caBundle is the CA.
 */
async function writeManifests(dir: string, ca: IssuedCertificate, at: (days: number) => Date): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');
  const secret = async (name: string, namespace: string, host: string, from: number, to: number) => {
    const leaf = await issueCertificate({
      subject: { commonName: host },
      sans: { dns: [host] },
      notBefore: at(from),
      notAfter: at(to),
      keyUsage: ['digitalSignature', 'keyEncipherment'],
      extKeyUsage: ['serverAuth'],
      issuer: ca,
      key: EC,
    });
    return [
      'apiVersion: v1',
      'kind: Secret',
      'metadata:',
      `  name: ${name}`,
      `  namespace: ${namespace}`,
      'type: kubernetes.io/tls',
      'data:',
      `  tls.crt: ${b64(leaf.certPem)}`,
      `  tls.key: ${b64(leaf.keyPem)}`,
      `  ca.crt: ${b64(ca.certPem)}`,
    ].join('\n');
  };
  const secrets = [
    '# TLS of the shop frontend and its API, as the GitOps repository keeps them.',
    await secret('shop-tls', 'shop', 'shop.example.com', -95, -5),
    '---',
    await secret('api-tls', 'shop', 'api.shop.example.com', -70, 20),
    '',
  ];
  fs.writeFileSync(path.join(dir, 'tls-secrets.yaml'), secrets.join('\n'), { mode: 0o600 });
  const webhook = [
    'apiVersion: admissionregistration.k8s.io/v1',
    'kind: ValidatingWebhookConfiguration',
    'metadata:',
    '  name: shop-policy',
    'webhooks:',
    '- name: policy.shop.example.com',
    '  admissionReviewVersions: ["v1"]',
    '  sideEffects: None',
    '  clientConfig:',
    `    caBundle: ${b64(ca.certPem)}`,
    '    service:',
    '      name: shop-policy',
    '      namespace: shop',
    '',
  ];
  fs.writeFileSync(path.join(dir, 'webhook.yaml'), webhook.join('\n'));
}

function packageExtension(): void {
  say('packaging the extension (npm run package)');
  const result = spawnSync('npm', ['run', '--silent', 'package'], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('npm run package failed');
}

async function screenshot(server: CodeServer, workspace: string): Promise<void> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(server.url(workspace));
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator('.activitybar [aria-label^="Kube Certs"]').first().click();
    await page.locator('.monaco-list-row', { hasText: 'Pending' }).first().waitFor({ timeout: 60_000 });
    // The picture shows the verdicts, not the views still loading, and no tooltip over them.
    await page.mouse.move(800, 400);
    await page.waitForFunction(
      () => !/scanning…|reviewing…/.test(document.querySelector('.sidebar')?.textContent ?? ''),
      undefined,
      { timeout: 60_000 },
    );
    const out = path.join(ROOT, 'test-results');
    fs.mkdirSync(out, { recursive: true });
    await page.screenshot({ path: path.join(out, 'demo-sidebar.png') });
    say(`screenshot saved to ${path.relative(ROOT, path.join(out, 'demo-sidebar.png'))}`);
  } finally {
    await browser.close();
  }
}

async function main(): Promise<void> {
  if (args.has('--fresh')) fs.rmSync(DEMO, { recursive: true, force: true });
  fs.mkdirSync(DEMO, { recursive: true });
  const now = new Date();
  const cluster = await startDemoCluster({
    dir: path.join(DEMO, 'cluster'),
    seed: true,
    key: EC,
    kubelet: true,
  });
  if (cluster.kubelet) say(`node-1's kubelet (stand-in) at ${cluster.kubelet.url}`);
  // Its static pod manifest names the port it really listens on: "Check Served Certificates" reaches it.
  await pointManifestsAt(cluster.dir, cluster.port);
  // "Restart kube-apiserver" after renewing its certificate: it then serves the new one.
  process.on('SIGHUP', () => {
    void cluster
      .restartApiserver()
      .then(() => say('SIGHUP: kube-apiserver reloaded its serving certificate'));
  });
  say(`cluster ready at ${cluster.url}`);
  const stops: (() => Promise<void>)[] = [() => cluster.stop()];
  let stopping = false;
  const stopAll = async (code: number): Promise<never> => {
    if (!stopping) {
      stopping = true;
      for (const stop of stops.reverse()) await stop().catch(() => undefined);
    }
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  const admin = cluster.kubeconfig('admin.conf');
  if (args.has('--cli')) {
    // The CLI is this checkout's dist/cli.js (built by npm ci); an alias gives it its name.
    say('try:');
    console.log(`  alias kubecerts='node ${path.join(ROOT, 'dist', 'cli.js')}'`);
    console.log(`  kubectl --kubeconfig ${admin} get csr`);
    console.log(`  kubecerts csr list --kubeconfig ${admin}`);
    console.log(`  kubectl --kubeconfig ${admin} get secrets -A --field-selector type=kubernetes.io/tls`);
    console.log(`  kubecerts cluster --kubeconfig ${admin} -A`);
    console.log(`  kubecerts audit ${path.join(DEMO, 'cluster')}`);
    console.log(`  kubecerts check-expiration --config-dir ${path.join(DEMO, 'cluster')}`);
    console.log(`  kubecerts probe ${cluster.url} --ca ${cluster.caFile}`);
    console.log(`  kubecerts audit --probe ${admin}`);
    console.log(`  kubecerts audit --probe ${path.join(DEMO, 'cluster')}`);
    if (cluster.kubelet) console.log(`  kubecerts audit --probe ${cluster.kubelet.dir}`);
    if (cluster.kubelet) console.log(`  kubecerts probe ${cluster.kubelet.url} --ca ${cluster.caFile}`);
    say(
      `renew ${path.join(DEMO, 'cluster', 'pki', 'apiserver.crt')}, then kill -HUP ${process.pid} restarts kube-apiserver`,
    );
    say('Ctrl+C stops the cluster.');
    return;
  }

  const workspace = path.join(DEMO, 'workspace');
  await prepareWorkspace(workspace, cluster, now);
  packageExtension();
  const dirs = isolatedDirs(path.join(DEMO, 'code-server'), { KUBECONFIG: admin });
  const entry = ensureCodeServer(dirs.env.TMPDIR ?? path.join(DEMO, 'tmp'));
  installExtension(entry, dirs, VSIX);
  const server = await startCodeServer({
    entry,
    dirs,
    workspace,
    settings: {
      ...QUIET_SETTINGS,
      'kubecerts.kubeconfig': admin,
      // The live cluster's own folder too: renewing its apiserver certificate there leaves the
      // running server on the old one (served-cert-stale on server: in its admin.conf).
      'kubecerts.pkiDirectories': [path.join(workspace, 'etc-kubernetes'), path.join(DEMO, 'cluster')],
      // node-1's kubelet folder: its client certificate, serving pair and config.yaml.
      ...(cluster.kubelet ? { 'kubecerts.kubeletDirectories': [cluster.kubelet.dir] } : {}),
    },
  });
  stops.push(() => server.stop());
  if (args.has('--screenshot')) {
    await screenshot(server, workspace);
    await stopAll(0);
  }
  say(`VS Code with kubecerts: ${server.url(workspace)}`);
  say(`kubectl against the demo cluster: kubectl --kubeconfig ${admin} get csr`);
  say('Ctrl+C stops everything.');
  await server.exited.catch(async (err: Error) => {
    console.error(err.message);
    await stopAll(1);
  });
}

main().catch((err: unknown) => {
  console.error(`[demo] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
