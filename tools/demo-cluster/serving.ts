// What the demo servers present, for the served-certificate checks (kubecerts probe, hover on
// `server:`). Like a real kube-apiserver, the demo reads its serving pair once at start: a file
// renewed afterwards is only served after `restartApiserver()`. Modes:
//   current        the pair on disk (pki/apiserver.crt/.key)
//   stale          the pair on disk at start, then pki/apiserver.crt/.key are renewed on disk (new
//                  key and serial, same subject and SANs, as `kubeadm certs renew apiserver`)
//   name-mismatch  a certificate from the cluster CA whose SANs miss 127.0.0.1, the address used
// and a stand-in for node-1's kubelet: a TLS listener with a self-signed serving pair as the kubelet
// makes it without serverTLSBootstrap (<node>@<time>, signed by <node>-ca@<time>), in a kubelet
// folder (DIR/kubelet: config.yaml with the port it listens on, pki/ with the rotated client
// certificate from the cluster CA and its kubelet-client-current.pem link).
// The static pod manifest of kube-apiserver is pointed at the port the demo listens on, so the
// PKI folder's served-certificate check reaches it (`pointManifestsAt`).
import { promises as fs } from 'node:fs';
import { generateKubeletFolder, kubeletConfigText } from '../../src/core/pki/generateKubelet';
import { setManifestFlags } from '../../src/core/pki/manifest';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { decodePemText } from '../../src/core/x509/decode';
import { issueCertificate, type KeySpec } from '../../src/core/x509/issue';
import { atomicWriteFile } from '../../src/node/fs/atomicWrite';
import { pathExists } from '../../src/node/fs/stat';

export const SERVING_MODES = ['current', 'stale', 'name-mismatch'] as const;
export type ServingMode = (typeof SERVING_MODES)[number];

export interface ServingPair {
  readonly certPem: string;
  readonly keyPem: string;
}

const APISERVER_CERT = 'pki/apiserver.crt';
const APISERVER_KEY = 'pki/apiserver.key';
const BACKDATE_MS = 5 * 60 * 1000;
const YEAR_MS = 365 * 24 * 3600 * 1000;

/** The serving pair as the files are now: what a (re)started kube-apiserver loads. */
export async function readApiserverPair(dir: string): Promise<ServingPair> {
  return {
    certPem: await fs.readFile(path.join(dir, APISERVER_CERT), 'utf8'),
    keyPem: await fs.readFile(path.join(dir, APISERVER_KEY), 'utf8'),
  };
}

/** `kubeadm certs renew apiserver` on the demo's files: same subject, SANs and usages, new key and serial. */
export async function renewApiserverOnDisk(
  dir: string,
  ca: ServingPair,
  now: Date,
  key: KeySpec,
): Promise<ServingPair> {
  const current = decodePemText(await fs.readFile(path.join(dir, APISERVER_CERT), 'utf8')).certificates[0]
    ?.cert;
  if (!current) throw new Error(`${APISERVER_CERT} holds no certificate`);
  const renewed = await issueCertificate({
    subject: { commonName: 'kube-apiserver' },
    notBefore: new Date(now.getTime() - BACKDATE_MS),
    notAfter: new Date(now.getTime() + YEAR_MS),
    sans: { dns: [...current.sans.dns], ip: [...current.sans.ip] },
    keyUsage: ['digitalSignature', 'keyEncipherment'],
    extKeyUsage: ['serverAuth'],
    basicConstraints: { ca: false },
    issuer: ca,
    key,
  });
  await atomicWriteFile(path.join(dir, APISERVER_KEY), renewed.keyPem, { mode: 0o600 });
  await atomicWriteFile(path.join(dir, APISERVER_CERT), renewed.certPem, { mode: 0o644 });
  return { certPem: renewed.certPem, keyPem: renewed.keyPem };
}

/** A serving certificate from the cluster CA for the in-cluster names only: 127.0.0.1 is not covered. */
export async function mismatchedPair(ca: ServingPair, now: Date, key: KeySpec): Promise<ServingPair> {
  const issued = await issueCertificate({
    subject: { commonName: 'kube-apiserver' },
    notBefore: new Date(now.getTime() - BACKDATE_MS),
    notAfter: new Date(now.getTime() + YEAR_MS),
    sans: {
      dns: [
        'kubernetes',
        'kubernetes.default',
        'kubernetes.default.svc',
        'kubernetes.default.svc.cluster.local',
      ],
      ip: ['10.96.0.1'],
    },
    keyUsage: ['digitalSignature', 'keyEncipherment'],
    extKeyUsage: ['serverAuth'],
    basicConstraints: { ca: false },
    issuer: ca,
    key,
  });
  return { certPem: issued.certPem, keyPem: issued.keyPem };
}

/** The pair the apiserver serves at start in `mode` (renewing the files afterwards for `stale`). */
export async function apiserverServingPair(
  dir: string,
  mode: ServingMode,
  ca: ServingPair,
  now: Date,
  key: KeySpec,
): Promise<ServingPair> {
  if (mode === 'name-mismatch') return mismatchedPair(ca, now, key);
  const loaded = await readApiserverPair(dir);
  if (mode === 'stale') await renewApiserverOnDisk(dir, ca, now, key);
  return loaded;
}

export interface KubeletStandIn {
  readonly url: string;
  readonly port: number;
  /** The serving certificate, where the kubelet keeps it (/var/lib/kubelet/pki/kubelet.crt). */
  readonly certFile: string;
  /** Its /var/lib/kubelet: config.yaml and pki/. */
  readonly dir: string;
  stop(): Promise<void>;
}

/** node-1's kubelet on loopback: its self-signed serving pair, asking for (not requiring) a client certificate. */
export async function startKubeletStandIn(options: {
  readonly dir: string;
  readonly nodeName: string;
  readonly now: Date;
  readonly key: KeySpec;
  readonly port?: number;
}): Promise<KubeletStandIn> {
  const kubeletDir = path.join(options.dir, 'kubelet');
  const pkiDir = path.join(kubeletDir, 'pki');
  const certFile = path.join(pkiDir, 'kubelet.crt');
  const keyFile = path.join(pkiDir, 'kubelet.key');
  // What a kubelet leaves behind: written once, what exists is kept (a restart keeps its certificates).
  const folder = await generateKubeletFolder({
    now: options.now,
    nodeName: options.nodeName,
    clusterCa: {
      certPem: await fs.readFile(path.join(options.dir, 'pki/ca.crt'), 'utf8'),
      keyPem: await fs.readFile(path.join(options.dir, 'pki/ca.key'), 'utf8'),
    },
    key: options.key,
    config: false,
  });
  await fs.mkdir(pkiDir, { recursive: true, mode: 0o700 });
  const servingExists = await pathExists(certFile);
  for (const [relative, file] of folder.files) {
    const target = path.join(kubeletDir, relative);
    if (servingExists && (target === certFile || target === keyFile)) continue;
    if (!(await pathExists(target))) await atomicWriteFile(target, file.contents, { mode: file.mode });
  }
  for (const [relative, name] of folder.links) {
    const link = path.join(kubeletDir, relative);
    if (!(await pathExists(link))) await fs.symlink(name, link);
  }
  const cert = await fs.readFile(certFile, 'utf8');
  const key = await fs.readFile(keyFile, 'utf8');
  const server: Server = createServer(
    { cert, key, requestCert: true, rejectUnauthorized: false },
    (_req, res) => {
      // Like a kubelet with webhook authentication: anonymous requests are refused.
      res.writeHead(401, { 'content-type': 'text/plain' });
      res.end('Unauthorized\n');
    },
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  // Where the kubelet listens is config.yaml's address and port.
  await atomicWriteFile(
    path.join(kubeletDir, 'config.yaml'),
    kubeletConfigText({ address: '127.0.0.1', port, rotateCertificates: true }),
    { mode: 0o644 },
  );
  return {
    url: `https://127.0.0.1:${port}`,
    dir: kubeletDir,
    port,
    certFile,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Points kube-apiserver's static pod manifest at the port the demo serves on (its file says 6443). */
export async function pointManifestsAt(dir: string, apiserverPort: number): Promise<void> {
  const file = path.join(dir, 'manifests/kube-apiserver.yaml');
  if (!(await pathExists(file))) return;
  const text = await fs.readFile(file, 'utf8');
  const updated = setManifestFlags(text, { '--secure-port': String(apiserverPort) });
  if (updated !== text) await atomicWriteFile(file, updated, { mode: 0o600 });
}
