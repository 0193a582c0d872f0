// Workload 2: one kubeconfig with N contexts, each with its own cluster (own CA certificate) and
// user (client certificate signed by that CA, and its key), all embedded as *-data (≈ 6 MB for
// 1,000). Keys come from a small RSA-2048 pool (see certs.ts); every certificate is distinct.
import { Buffer } from 'node:buffer';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bool, name, octets, oid, seq, tlv } from './der';
import { BENCH_NOW, certificate, extension, keyIdOf, keyUsage, pem, serialOf, tbsCertificate } from './certs';

export interface BigKubeconfig {
  readonly file: string;
  readonly contexts: number;
  readonly bytes: number;
  /** Offset of a character inside the client-certificate-data value of the last user. */
  readonly hoverOffset: number;
}

const DAY = 86_400_000;
const KEY_POOL = 16;
const FORMAT_VERSION = 1;

function b64(text: string): string {
  return Buffer.from(text).toString('base64');
}

export function bigKubeconfig(
  cacheDir: string,
  contexts: number,
  log: (line: string) => void,
): BigKubeconfig {
  const file = path.join(cacheDir, `kubeconfig-v${FORMAT_VERSION}-${contexts}.yaml`);
  if (!fs.existsSync(file)) {
    const started = Date.now();
    log(`generating a kubeconfig with ${contexts} contexts (once; cached) …`);
    const pool: { key: KeyObject; spki: Buffer; pem: string }[] = Array.from({ length: KEY_POOL }, () => {
      const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      return {
        key: privateKey,
        spki: publicKey.export({ type: 'spki', format: 'der' }),
        pem: privateKey.export({ type: 'pkcs1', format: 'pem' }) as string,
      };
    });
    const clusters: string[] = [];
    const users: string[] = [];
    const list: string[] = [];
    for (let i = 0; i < contexts; i++) {
      const caKey = pool[i % KEY_POOL];
      const clientKey = pool[(i * 7 + 3) % KEY_POOL];
      const caName = name([['2.5.4.3', `cluster-${i}-ca`]]);
      const caKeyId = keyIdOf(caKey.spki);
      const ca = certificate(
        tbsCertificate({
          serial: serialOf(`kc-ca-${i}`),
          issuer: caName,
          notBefore: new Date(BENCH_NOW.getTime() - 300 * DAY),
          notAfter: new Date(BENCH_NOW.getTime() + 3350 * DAY),
          subject: caName,
          spki: caKey.spki,
          extensions: [
            extension('2.5.29.15', true, keyUsage(0x80 | 0x20 | 0x04)),
            extension('2.5.29.19', true, seq(bool(true))),
            extension('2.5.29.14', false, octets(caKeyId)),
          ],
        }),
        caKey.key,
      );
      const client = certificate(
        tbsCertificate({
          serial: serialOf(`kc-user-${i}`),
          issuer: caName,
          notBefore: new Date(BENCH_NOW.getTime() - 100 * DAY),
          notAfter: new Date(BENCH_NOW.getTime() + (i % 20 === 0 ? 5 : 265) * DAY),
          subject: name([
            ['2.5.4.10', i % 100 === 0 ? 'system:masters' : 'developers'],
            ['2.5.4.3', `user-${i}`],
          ]),
          spki: clientKey.spki,
          extensions: [
            extension('2.5.29.15', true, keyUsage(0x80 | 0x20)),
            extension('2.5.29.37', false, seq(oid('1.3.6.1.5.5.7.3.2'))),
            extension('2.5.29.19', true, seq()),
            extension('2.5.29.35', false, seq(tlv(0x80, caKeyId))),
          ],
        }),
        caKey.key,
      );
      clusters.push(
        `- cluster:\n    certificate-authority-data: ${b64(pem(ca))}\n    server: https://10.${(i >> 8) & 255}.${i & 255}.1:6443\n  name: cluster-${i}\n`,
      );
      users.push(
        `- name: user-${i}\n  user:\n    client-certificate-data: ${b64(pem(client))}\n    client-key-data: ${b64(clientKey.pem)}\n`,
      );
      list.push(
        `- context:\n    cluster: cluster-${i}\n    user: user-${i}\n    namespace: ns-${i}\n  name: context-${i}\n`,
      );
    }
    const text =
      'apiVersion: v1\nkind: Config\npreferences: {}\ncurrent-context: context-0\n' +
      `clusters:\n${clusters.join('')}contexts:\n${list.join('')}users:\n${users.join('')}`;
    fs.mkdirSync(cacheDir, { recursive: true });
    fs.writeFileSync(file + '.tmp', text);
    fs.renameSync(file + '.tmp', file);
    log(`generated in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  const text = fs.readFileSync(file, 'utf8');
  const marker = `- name: user-${contexts - 1}\n  user:\n    client-certificate-data: `;
  const at = text.lastIndexOf(marker);
  return { file, contexts, bytes: Buffer.byteLength(text), hoverOffset: at + marker.length + 10 };
}
