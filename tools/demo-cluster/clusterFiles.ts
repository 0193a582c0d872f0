// The files a demo cluster lives in: a kubeadm PKI under DIR/pki (from the shared catalog), the
// kubeadm kubeconfigs plus the demo users', and a bootstrap token. Created once, reused after;
// only the server URL is rewritten when the port changes.
import { promises as fs } from 'node:fs';
import { X509Certificate, randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { parseDocument } from 'yaml';
import { generateKubeadmPki } from '../../src/core/pki/generate';
import { buildKubeconfig } from '../../src/core/kubeconfig/build';
import { issueCertificate, type KeySpec } from '../../src/core/x509/issue';
import { atomicWriteFile } from '../../src/node/fs/atomicWrite';
import { pathExists } from '../../src/node/fs/stat';
import type { BootstrapToken } from './authn';
import { NAMESPACE_READER_USER, VIEWER_GROUP } from './authz';
import { CONTROL_PLANE_NODE } from './nodes';

export const CLUSTER_NAME = 'kubecerts-demo';

/** The demo users beyond kubeadm's own kubeconfigs. */
const DEMO_USERS: readonly { file: string; commonName: string; organizations: string[] }[] = [
  { file: 'viewer.conf', commonName: 'kubecerts-viewer', organizations: [VIEWER_GROUP] },
  { file: 'node-1.conf', commonName: 'system:node:node-1', organizations: ['system:nodes'] },
  { file: 'ns-reader.conf', commonName: NAMESPACE_READER_USER, organizations: [] },
];

export const BOOTSTRAP_KUBECONFIG = 'bootstrap-kubelet.conf';
const TOKENS_FILE = 'state/bootstrap-tokens.json';
const LEAF_VALIDITY_MS = 365 * 24 * 3600 * 1000;

export interface ClusterFiles {
  readonly caCertPem: string;
  readonly caKeyPem: string;
  readonly serverCertPem: string;
  readonly serverKeyPem: string;
  readonly tokens: readonly BootstrapToken[];
  /** When the cluster was made (the CA's birth): Node objects are that old. */
  readonly createdAt: Date;
}

export async function prepareClusterFiles(dir: string, now: Date, key: KeySpec): Promise<ClusterFiles> {
  await fs.mkdir(path.join(dir, 'state'), { recursive: true, mode: 0o700 });
  const caCert = path.join(dir, 'pki/ca.crt');
  if (!(await pathExists(caCert))) {
    const tree = await generateKubeadmPki({
      now,
      key,
      node: {
        nodeName: CONTROL_PLANE_NODE,
        advertiseAddress: '127.0.0.1',
        clusterName: CLUSTER_NAME,
        server: 'https://127.0.0.1:6443',
        configDir: dir,
      },
    });
    // The CA last: its presence marks a complete tree.
    const ordered = [...tree.entries()].sort(
      ([a], [b]) => Number(a === 'pki/ca.crt') - Number(b === 'pki/ca.crt'),
    );
    for (const [relative, file] of ordered)
      await writeNew(path.join(dir, relative), file.contents, file.mode);
  }
  const caCertPem = await fs.readFile(caCert, 'utf8');
  const caKeyPem = await fs.readFile(path.join(dir, 'pki/ca.key'), 'utf8');
  const createdAt = new Date(new X509Certificate(caCertPem).validFrom);

  for (const user of DEMO_USERS) {
    const file = path.join(dir, user.file);
    if (await pathExists(file)) continue;
    const issued = await issueCertificate({
      subject: { commonName: user.commonName, organizations: user.organizations },
      notBefore: new Date(now.getTime() - 5 * 60 * 1000),
      notAfter: new Date(now.getTime() + LEAF_VALIDITY_MS),
      basicConstraints: { ca: false },
      keyUsage: ['digitalSignature', 'keyEncipherment'],
      extKeyUsage: ['clientAuth'],
      issuer: { certPem: caCertPem, keyPem: caKeyPem },
      key,
    });
    const contents = buildKubeconfig({
      clusterName: CLUSTER_NAME,
      server: 'https://127.0.0.1:6443',
      caPem: caCertPem,
      userName: user.commonName,
      client: issued,
    });
    await writeNew(file, contents, 0o600);
  }

  const tokens = await bootstrapTokens(dir);
  const bootstrapFile = path.join(dir, BOOTSTRAP_KUBECONFIG);
  if (!(await pathExists(bootstrapFile))) {
    const token = tokens[0];
    const contents = buildKubeconfig({
      clusterName: CLUSTER_NAME,
      server: 'https://127.0.0.1:6443',
      caPem: caCertPem,
      userName: 'tls-bootstrap-token-user',
      contextName: 'tls-bootstrap-token-user@kubernetes',
      token: `${token.id}.${token.secret}`,
    });
    await writeNew(bootstrapFile, contents, 0o600);
  }

  return {
    caCertPem,
    caKeyPem,
    serverCertPem: await fs.readFile(path.join(dir, 'pki/apiserver.crt'), 'utf8'),
    serverKeyPem: await fs.readFile(path.join(dir, 'pki/apiserver.key'), 'utf8'),
    tokens,
    createdAt,
  };
}

/** Points every kubeconfig in DIR at the running server. */
export async function pointKubeconfigsAt(dir: string, server: string): Promise<void> {
  for (const name of (await fs.readdir(dir)).filter((f) => f.endsWith('.conf')).sort()) {
    const file = path.join(dir, name);
    const text = await fs.readFile(file, 'utf8');
    const doc = parseDocument(text);
    const clusters = doc.get('clusters') as { items?: unknown[] } | undefined;
    clusters?.items?.forEach((_, i) => doc.setIn(['clusters', i, 'cluster', 'server'], server));
    const updated = doc.toString();
    if (updated !== text) await atomicWriteFile(file, updated);
  }
}

async function bootstrapTokens(dir: string): Promise<BootstrapToken[]> {
  const file = path.join(dir, TOKENS_FILE);
  if (await pathExists(file)) return JSON.parse(await fs.readFile(file, 'utf8')) as BootstrapToken[];
  // kubeadm's default token TTL is 24h; a demo must survive being restarted days later.
  const tokens: BootstrapToken[] = [
    {
      id: randomToken(6),
      secret: randomToken(16),
      extraGroups: ['system:bootstrappers:kubeadm:default-node-token'],
    },
  ];
  await writeNew(file, JSON.stringify(tokens, null, 2) + '\n', 0o600);
  return tokens;
}

function randomToken(length: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(length * 2);
  let out = '';
  for (const b of bytes) {
    if (b < 252) out += alphabet[b % 36]; // 252 = 7 × 36: no modulo bias
    if (out.length === length) return out;
  }
  return out + randomToken(length - out.length);
}

async function writeNew(file: string, contents: string, mode: number): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  await atomicWriteFile(file, contents, { mode });
}
