// Workload 1: leaf certificates (RSA-2048 and ECDSA P-256 keys) issued by three RSA-2048 CAs,
// like kubeadm's ca, front-proxy-ca and etcd/ca, as one PEM bundle and as a directory tree.
// Names, serials, dates and extensions are a pure function of the index; keys come from
// node:crypto (which has no seeded key generation), so the set is generated once and cached.
// Leaf keys are drawn from a small pool — certificates are all distinct (serial, subject, dates),
// only some share a public key — because generating ten thousand RSA keys would take minutes.
import { Buffer } from 'node:buffer';
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bits, bool, explicit, integer, name, octets, oid, seq, tlv, utcTime } from './der';

export interface CertificateSet {
  readonly dir: string;
  readonly count: number;
  /** CAs then leaves, PEM. */
  readonly bundle: string;
  /** The three CA certificates, PEM. */
  readonly casFile: string;
  /** ca/ca-N.crt and leaves/<ca>/<bucket>/<leaf>.crt */
  readonly tree: string;
  /** A sample of leaf files for per-process anchors (openssl verify). */
  readonly sample: readonly string[];
}

/** The instant the bench audits at (`--now`), so findings do not drift with the calendar. */
export const BENCH_NOW = new Date('2026-01-01T00:00:00Z');

const DAY = 86_400_000;
const SHA256_RSA = '1.2.840.113549.1.1.11';
const CA_NAMES = ['kubernetes', 'front-proxy-ca', 'etcd-ca'];
const KEY_POOL = 8;
const FORMAT_VERSION = 1;

interface Ca {
  readonly name: Buffer;
  readonly key: KeyObject;
  readonly keyId: Buffer;
  readonly der: Buffer;
}

export function keyUsage(flags: number): Buffer {
  let unused = 0;
  while (unused < 7 && !(flags & (1 << unused))) unused++;
  return tlv(0x03, Buffer.from([unused, flags]));
}

export function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return seq(oid(id), ...(critical ? [bool(true)] : []), octets(value));
}

export function certificate(tbs: Buffer, issuerKey: KeyObject): Buffer {
  const alg = seq(oid(SHA256_RSA), tlv(0x05));
  return seq(tbs, alg, bits(sign('sha256', tbs, issuerKey)));
}

export function tbsCertificate(fields: {
  serial: Buffer;
  issuer: Buffer;
  notBefore: Date;
  notAfter: Date;
  subject: Buffer;
  spki: Buffer;
  extensions: Buffer[];
}): Buffer {
  return seq(
    explicit(0, integer(Buffer.from([2]))),
    integer(fields.serial),
    seq(oid(SHA256_RSA), tlv(0x05)),
    fields.issuer,
    seq(utcTime(fields.notBefore), utcTime(fields.notAfter)),
    fields.subject,
    fields.spki,
    explicit(3, seq(...fields.extensions)),
  );
}

export function keyIdOf(spki: Buffer): Buffer {
  return createHash('sha1').update(spki).digest();
}

export function serialOf(label: string): Buffer {
  return createHash('sha256').update(label).digest().subarray(0, 16);
}

function makeCa(index: number): Ca {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const subject = name([['2.5.4.3', CA_NAMES[index]]]);
  const keyId = keyIdOf(spki);
  const tbs = tbsCertificate({
    serial: serialOf(`ca-${index}`),
    issuer: subject,
    notBefore: new Date(BENCH_NOW.getTime() - 400 * DAY),
    notAfter: new Date(BENCH_NOW.getTime() + 3250 * DAY),
    subject,
    spki,
    extensions: [
      extension('2.5.29.15', true, keyUsage(0x80 | 0x20 | 0x04)),
      extension('2.5.29.19', true, seq(bool(true))),
      extension('2.5.29.14', false, octets(keyId)),
    ],
  });
  return { name: subject, key: privateKey, keyId, der: certificate(tbs, privateKey) };
}

/** Leaf i: which CA, key, names and dates; every 25th expired, every 25th (offset) expiring soon. */
function makeLeaf(i: number, cas: readonly Ca[], pool: readonly { spki: Buffer; rsa: boolean }[]): Buffer {
  const ca = cas[i % cas.length];
  const key = pool[i % pool.length];
  const notBefore = new Date(BENCH_NOW.getTime() - (30 + (i % 200)) * DAY);
  const notAfter =
    i % 25 === 0
      ? new Date(BENCH_NOW.getTime() - 10 * DAY)
      : i % 25 === 12
        ? new Date(BENCH_NOW.getTime() + 10 * DAY)
        : new Date(notBefore.getTime() + 365 * DAY);
  const server = i % 3 === 1;
  const cn = server ? `svc-${i}.bench.svc` : i % 50 === 7 ? `admin-${i}` : `system:node:node-${i}`;
  const org = i % 50 === 7 ? 'system:masters' : server ? 'bench' : 'system:nodes';
  const extensions = [
    extension('2.5.29.15', true, keyUsage(key.rsa ? 0x80 | 0x20 : 0x80)),
    extension('2.5.29.37', false, seq(oid(server ? '1.3.6.1.5.5.7.3.1' : '1.3.6.1.5.5.7.3.2'))),
    extension('2.5.29.19', true, seq()),
    extension('2.5.29.35', false, seq(tlv(0x80, ca.keyId))),
  ];
  if (server) {
    const ip = Buffer.from([10, (i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff]);
    extensions.push(extension('2.5.29.17', false, seq(tlv(0x82, Buffer.from(cn)), tlv(0x87, ip))));
  }
  const tbs = tbsCertificate({
    serial: serialOf(`leaf-${i}`),
    issuer: ca.name,
    notBefore,
    notAfter,
    subject: name([
      ['2.5.4.10', org],
      ['2.5.4.3', cn],
    ]),
    spki: key.spki,
    extensions,
  });
  return certificate(tbs, ca.key);
}

export function pem(der: Buffer): string {
  const b64 = der.toString('base64');
  let out = '-----BEGIN CERTIFICATE-----\n';
  for (let i = 0; i < b64.length; i += 64) out += b64.slice(i, i + 64) + '\n';
  return out + '-----END CERTIFICATE-----\n';
}

/** The set of `count` leaves under `cacheDir`, generated on first use. */
export function certificateSet(cacheDir: string, count: number, log: (line: string) => void): CertificateSet {
  const dir = path.join(cacheDir, `certs-v${FORMAT_VERSION}-${count}`);
  const set: CertificateSet = {
    dir,
    count,
    bundle: path.join(dir, 'bundle.pem'),
    casFile: path.join(dir, 'cas.pem'),
    tree: path.join(dir, 'tree'),
    sample: Array.from({ length: Math.min(count, 50) }, (_, k) =>
      leafFile(dir, Math.floor((k * count) / Math.min(count, 50))),
    ),
  };
  if (fs.existsSync(path.join(dir, 'done'))) return set;
  const started = Date.now();
  log(`generating ${count} certificates in ${path.relative(process.cwd(), dir)} (once; cached) …`);
  fs.rmSync(dir, { recursive: true, force: true });
  const cas = [0, 1, 2].map(makeCa);
  const pool = Array.from({ length: KEY_POOL }, (_, k) => {
    const rsa = k % 2 === 0;
    const { publicKey } = rsa
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : generateKeyPairSync('ec', { namedCurve: 'P-256' });
    return { spki: publicKey.export({ type: 'spki', format: 'der' }), rsa };
  });
  const caPems = cas.map((ca) => pem(ca.der));
  fs.mkdirSync(path.join(set.tree, 'ca'), { recursive: true });
  caPems.forEach((text, k) => fs.writeFileSync(path.join(set.tree, 'ca', `ca-${k + 1}.crt`), text));
  fs.writeFileSync(set.casFile, caPems.join(''));
  const bundle = fs.openSync(set.bundle, 'w');
  fs.writeSync(bundle, caPems.join(''));
  for (let i = 0; i < count; i++) {
    const text = pem(makeLeaf(i, cas, pool));
    fs.writeSync(bundle, text);
    const file = leafFile(dir, i);
    if (i % 100 === 0) fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
  fs.closeSync(bundle);
  fs.writeFileSync(path.join(dir, 'done'), '');
  log(`generated in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return set;
}

function leafFile(dir: string, i: number): string {
  const bucket = String(Math.floor(i / 100)).padStart(3, '0');
  return path.join(dir, 'tree', 'leaves', bucket, `leaf-${String(i).padStart(5, '0')}.crt`);
}
