// Workload 6: a GitOps-like repository of 1,000 files for the whole-workspace audit: kubeconfigs
// (some named `config`, some `*.conf`), PEM certificates, TLS Secret manifests, and the files around
// them (Deployments, JSON, sources, docs), plus a .gitignored build/ folder. Every 10th certificate
// is expired, every 10th (offset) expires within the warning window.
import { Buffer } from 'node:buffer';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bool, name, octets, oid, seq, tlv } from './der';
import { BENCH_NOW, certificate, extension, keyIdOf, keyUsage, pem, serialOf, tbsCertificate } from './certs';

export interface BenchWorkspace {
  readonly dir: string;
  readonly files: number;
  /** The file the single-change measure edits (a kubeconfig). */
  readonly changed: string;
}

const DAY = 86_400_000;
const FORMAT_VERSION = 1;
const KEY_POOL = 4;

/** How many files of each kind, 1,000 in all. */
const MIX = {
  kubeconfigs: 100,
  pemFiles: 100,
  secrets: 100,
  deployments: 250,
  json: 200,
  sources: 150,
  ignored: 100,
} as const;

function b64(text: string): string {
  return Buffer.from(text).toString('base64');
}

export function benchWorkspace(cacheDir: string, log: (line: string) => void): BenchWorkspace {
  const total = Object.values(MIX).reduce((a, b) => a + b, 0);
  const dir = path.join(cacheDir, `workspace-v${FORMAT_VERSION}-${total}`);
  const changed = path.join(dir, 'clusters', 'c-000', 'config');
  if (fs.existsSync(path.join(dir, '.done'))) return { dir, files: total, changed };
  fs.rmSync(dir, { recursive: true, force: true });
  log(`generating a ${total}-file workspace (once; cached) …`);
  const pool: { key: KeyObject; spki: Buffer; pem: string }[] = Array.from({ length: KEY_POOL }, () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    return {
      key: privateKey,
      spki: publicKey.export({ type: 'spki', format: 'der' }),
      pem: privateKey.export({ type: 'pkcs1', format: 'pem' }) as string,
    };
  });
  const caName = name([['2.5.4.3', 'kubernetes']]);
  const caKey = pool[0];
  const caKeyId = keyIdOf(caKey.spki);
  const caPem = pem(
    certificate(
      tbsCertificate({
        serial: serialOf('ws-ca'),
        issuer: caName,
        notBefore: new Date(BENCH_NOW.getTime() - 400 * DAY),
        notAfter: new Date(BENCH_NOW.getTime() + 3250 * DAY),
        subject: caName,
        spki: caKey.spki,
        extensions: [
          extension('2.5.29.15', true, keyUsage(0x80 | 0x20 | 0x04)),
          extension('2.5.29.19', true, seq(bool(true))),
          extension('2.5.29.14', false, octets(caKeyId)),
        ],
      }),
      caKey.key,
    ),
  );
  const leaf = (i: number, client: boolean): { certPem: string; keyPem: string } => {
    const key = pool[1 + (i % (KEY_POOL - 1))];
    const notAfter =
      i % 10 === 0
        ? new Date(BENCH_NOW.getTime() - 5 * DAY)
        : i % 10 === 5
          ? new Date(BENCH_NOW.getTime() + 12 * DAY)
          : new Date(BENCH_NOW.getTime() + 200 * DAY);
    const der = certificate(
      tbsCertificate({
        serial: serialOf(`ws-leaf-${client}-${i}`),
        issuer: caName,
        notBefore: new Date(BENCH_NOW.getTime() - 165 * DAY),
        notAfter,
        subject: name([['2.5.4.3', client ? `user-${i}` : `svc-${i}.apps.svc`]]),
        spki: key.spki,
        extensions: [
          extension('2.5.29.15', true, keyUsage(0x80 | 0x20)),
          extension('2.5.29.37', false, seq(oid(client ? '1.3.6.1.5.5.7.3.2' : '1.3.6.1.5.5.7.3.1'))),
          extension('2.5.29.35', false, seq(tlv(0x80, caKeyId))),
        ],
      }),
      caKey.key,
    );
    return { certPem: pem(der), keyPem: key.pem };
  };
  const write = (relative: string, text: string): void => {
    const file = path.join(dir, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  };
  const pad = (i: number) => String(i).padStart(3, '0');
  for (let i = 0; i < MIX.kubeconfigs; i++) {
    const client = leaf(i, true);
    const text = [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      `- name: c-${i}`,
      '  cluster:',
      `    server: https://c-${i}.example:6443`,
      `    certificate-authority-data: ${b64(caPem)}`,
      'users:',
      `- name: user-${i}`,
      '  user:',
      `    client-certificate-data: ${b64(client.certPem)}`,
      `    client-key-data: ${b64(client.keyPem)}`,
      'contexts:',
      `- name: user-${i}@c-${i}`,
      '  context:',
      `    cluster: c-${i}`,
      `    user: user-${i}`,
      `current-context: user-${i}@c-${i}`,
      '',
    ].join('\n');
    write(i % 2 === 0 ? `clusters/c-${pad(i)}/config` : `clusters/c-${pad(i)}/admin.conf`, text);
  }
  for (let i = 0; i < MIX.pemFiles; i++) write(`certs/svc-${pad(i)}.pem`, leaf(i, false).certPem);
  for (let i = 0; i < MIX.secrets; i++) {
    const tls = leaf(i + 1000, false);
    write(
      `apps/app-${pad(i)}/tls-secret.yaml`,
      [
        'apiVersion: v1',
        'kind: Secret',
        'type: kubernetes.io/tls',
        'metadata:',
        `  name: app-${i}-tls`,
        '  namespace: apps',
        'data:',
        `  tls.crt: ${b64(tls.certPem)}`,
        `  ca.crt: ${b64(caPem)}`,
        '',
      ].join('\n'),
    );
  }
  for (let i = 0; i < MIX.deployments; i++)
    write(
      `apps/app-${pad(i % 100)}/deployment-${i}.yaml`,
      [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata:',
        `  name: app-${i}`,
        'spec:',
        '  replicas: 2',
        '  template:',
        '    spec:',
        '      containers:',
        `        - name: app-${i}`,
        `          image: registry.example/app:${i}`,
        '',
      ].join('\n'),
    );
  for (let i = 0; i < MIX.json; i++)
    write(
      `config/settings-${pad(i)}.json`,
      JSON.stringify({ name: `settings-${i}`, replicas: i % 5, labels: { app: `a${i}` } }, null, 2),
    );
  for (let i = 0; i < MIX.sources; i++)
    write(
      i % 2 ? `src/module-${pad(i)}.ts` : `docs/page-${pad(i)}.md`,
      `// file ${i}\nexport const value${i} = ${i};\n`,
    );
  for (let i = 0; i < MIX.ignored; i++)
    write(`build/out-${pad(i)}.yaml`, `kind: Config\nclusters: []\n# ${i}\n`);
  write('.gitignore', 'build/\n');
  fs.writeFileSync(path.join(dir, '.done'), new Date().toISOString());
  return { dir, files: total, changed };
}
