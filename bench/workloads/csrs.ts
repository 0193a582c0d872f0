// Workload 3: a demo-cluster state directory holding N CertificateSigningRequests (ECDSA P-256
// PKCS#10 requests from a small key pool, each with its own subject and SANs), written as the
// demo cluster's store files so the cluster starts with them. Pending ones name a signer no
// controller acts on, so the cluster has nothing to do at start; some are Denied.
import { Buffer } from 'node:buffer';
import { generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bits, explicit, integer, name, octets, oid, seq, set, tlv } from './der';

const FORMAT_VERSION = 1;
const KEY_POOL = 8;
const ECDSA_SHA256 = '1.2.840.10045.4.3.2';

function request(i: number, key: { privateKey: KeyObject; spki: Buffer }): string {
  const sans = seq(tlv(0x82, Buffer.from(`app-${i}.bench.svc`)));
  const extensionRequest = seq(oid('1.2.840.113549.1.9.14'), set(seq(seq(oid('2.5.29.17'), octets(sans)))));
  const info = seq(
    integer(Buffer.from([0])),
    name([
      ['2.5.4.10', i % 10 === 0 ? 'system:masters' : 'bench'],
      ['2.5.4.3', `app-${i}`],
    ]),
    key.spki,
    explicit(0, extensionRequest),
  );
  const der = seq(info, seq(oid(ECDSA_SHA256)), bits(sign('sha256', info, key.privateKey)));
  const b64 = der.toString('base64');
  let pem = '-----BEGIN CERTIFICATE REQUEST-----\n';
  for (let k = 0; k < b64.length; k += 64) pem += b64.slice(k, k + 64) + '\n';
  return Buffer.from(pem + '-----END CERTIFICATE REQUEST-----\n').toString('base64');
}

/** A directory to start the demo cluster in, holding `count` CSRs; generated once. */
export function csrClusterDir(cacheDir: string, count: number, log: (line: string) => void): string {
  const dir = path.join(cacheDir, `csr-cluster-v${FORMAT_VERSION}-${count}`);
  if (fs.existsSync(path.join(dir, 'csrs-done'))) return dir;
  const started = Date.now();
  log(`generating ${count} CSRs (once; cached) …`);
  fs.rmSync(dir, { recursive: true, force: true });
  const store = path.join(dir, 'state', 'certificatesigningrequests');
  fs.mkdirSync(store, { recursive: true });
  const pool = Array.from({ length: KEY_POOL }, () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    return { privateKey, spki: publicKey.export({ type: 'spki', format: 'der' }) };
  });
  const created = new Date(Date.now() - 3600_000).toISOString().replace(/\.\d+Z$/, 'Z');
  for (let i = 0; i < count; i++) {
    const csrName = `bench-${String(i).padStart(5, '0')}`;
    const denied = i % 4 === 3;
    const csr = {
      apiVersion: 'certificates.k8s.io/v1',
      kind: 'CertificateSigningRequest',
      metadata: {
        name: csrName,
        uid: randomUUID(),
        resourceVersion: String(i + 1),
        creationTimestamp: created,
      },
      spec: {
        request: request(i, pool[i % KEY_POOL]),
        signerName: denied ? 'kubernetes.io/kube-apiserver-client' : 'example.com/bench',
        usages: ['digital signature', 'client auth'],
        username: `user-${i % 37}`,
        groups: ['system:authenticated'],
      },
      status: denied
        ? {
            conditions: [
              {
                type: 'Denied',
                status: 'True',
                reason: 'Bench',
                message: 'denied by the bench',
                lastUpdateTime: created,
                lastTransitionTime: created,
              },
            ],
          }
        : {},
    };
    fs.writeFileSync(path.join(store, `${csrName}.json`), JSON.stringify(csr));
  }
  fs.writeFileSync(path.join(dir, 'state', 'meta.json'), JSON.stringify({ resourceVersion: count }));
  fs.writeFileSync(path.join(dir, 'csrs-done'), '');
  log(`generated in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return dir;
}
