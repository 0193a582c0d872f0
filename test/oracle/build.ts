// A small DER certificate writer for the differential tests: every field and extension is chosen
// by the test (critical flags, malformed values, negative serials, name constraints, arbitrary
// EKUs, v1 roots), and signing uses keys generated once per run, so thousands of chains cost
// seconds. Test-only; issuance for users stays in src/core/x509/issue.ts.
import { Buffer } from 'node:buffer';
import { constants, createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

// ---- DER ----

function length(n: number): number[] {
  if (n < 0x80) return [n];
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return [0x80 | bytes.length, ...bytes];
}

export function tlv(tag: number, ...parts: Uint8Array[]): Uint8Array {
  const body = Buffer.concat(parts);
  return Buffer.concat([Uint8Array.from([tag, ...length(body.length)]), body]);
}

export const seq = (...parts: Uint8Array[]) => tlv(0x30, ...parts);
export const set = (...parts: Uint8Array[]) => tlv(0x31, ...parts);
export const octets = (bytes: Uint8Array) => tlv(0x04, bytes);
export const NULL = Uint8Array.from([0x05, 0x00]);
export const bool = (v: boolean) => Uint8Array.from([0x01, 0x01, v ? 0xff : 0x00]);
export const ia5 = (tag: number, s: string) => tlv(tag, Buffer.from(s, 'latin1'));

export function oid(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map(Number);
  const out: number[] = [];
  const push = (v: number) => {
    const chunk = [v & 0x7f];
    for (v = Math.floor(v / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift(0x80 | (v & 0x7f));
    out.push(...chunk);
  };
  push(arcs[0] * 40 + arcs[1]);
  arcs.slice(2).forEach(push);
  return tlv(0x06, Uint8Array.from(out));
}

/** INTEGER from a signed bigint, minimal two's complement. */
export function int(v: bigint | number): Uint8Array {
  let n = BigInt(v);
  const bytes: number[] = [];
  for (;;) {
    bytes.unshift(Number(n & 0xffn));
    n >>= 8n;
    const top = bytes[0] & 0x80;
    if ((n === 0n && !top) || (n === -1n && top)) break;
  }
  return tlv(0x02, Uint8Array.from(bytes));
}

export const bits = (bytes: Uint8Array, unused = 0) => tlv(0x03, Uint8Array.from([unused]), bytes);

function time(d: Date): Uint8Array {
  const iso = d.toISOString();
  const y = d.getUTCFullYear();
  const body = iso.slice(0, 19).replace(/[-:T]/g, '') + 'Z';
  return y >= 1950 && y < 2050 ? tlv(0x17, Buffer.from(body.slice(2))) : tlv(0x18, Buffer.from(body));
}

// ---- keys ----

export type KeyKind = 'P-256' | 'P-384' | 'Ed25519' | 'RSA' | 'RSA-PSS';

export interface TestKey {
  readonly kind: KeyKind;
  readonly privateKey: KeyObject;
  readonly spki: Uint8Array;
  readonly pem: string;
}

function makeKey(kind: KeyKind): TestKey {
  const pair =
    kind === 'Ed25519'
      ? generateKeyPairSync('ed25519')
      : kind === 'RSA' || kind === 'RSA-PSS'
        ? generateKeyPairSync('rsa', { modulusLength: 2048 })
        : generateKeyPairSync('ec', { namedCurve: kind === 'P-256' ? 'prime256v1' : 'secp384r1' });
  return {
    kind,
    privateKey: pair.privateKey,
    spki: new Uint8Array(pair.publicKey.export({ format: 'der', type: 'spki' })),
    pem: pair.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
  };
}

let pool: Record<KeyKind, TestKey[]> | undefined;

/** Keys generated once per process: several per kind, so chains can mix and collide on purpose. */
export function keys(): Record<KeyKind, TestKey[]> {
  if (!pool) {
    const rsa = [makeKey('RSA'), makeKey('RSA')];
    pool = {
      'P-256': [makeKey('P-256'), makeKey('P-256'), makeKey('P-256'), makeKey('P-256')],
      'P-384': [makeKey('P-384'), makeKey('P-384')],
      Ed25519: [makeKey('Ed25519'), makeKey('Ed25519')],
      RSA: rsa,
      // Same RSA keys, certificates signed with RSASSA-PSS.
      'RSA-PSS': rsa.map((k) => ({ ...k, kind: 'RSA-PSS' as const })),
    };
  }
  return pool;
}

// ---- signature algorithms ----

export type Hash = 'sha256' | 'sha384' | 'sha1' | 'md5';

const PSS_PARAMS: Record<string, Uint8Array> = {};
// Go's pssParametersSHA256/384 (x509.go): hash, MGF1 with the same hash, salt = hash length.
for (const [h, hashOid, salt] of [
  ['sha256', '2.16.840.1.101.3.4.2.1', 32],
  ['sha384', '2.16.840.1.101.3.4.2.2', 48],
] as const) {
  const hashAi = seq(oid(hashOid), NULL);
  PSS_PARAMS[h] = seq(
    tlv(0xa0, hashAi),
    tlv(0xa1, seq(oid('1.2.840.113549.1.1.8'), hashAi)),
    tlv(0xa2, int(salt)),
  );
}

const SIG_OIDS: Record<string, string> = {
  'RSA:sha256': '1.2.840.113549.1.1.11',
  'RSA:sha384': '1.2.840.113549.1.1.12',
  'RSA:sha1': '1.2.840.113549.1.1.5',
  'RSA:md5': '1.2.840.113549.1.1.4',
  'EC:sha256': '1.2.840.10045.4.3.2',
  'EC:sha384': '1.2.840.10045.4.3.3',
  'EC:sha1': '1.2.840.10045.4.1',
};

function signatureAlgorithm(
  key: TestKey,
  hash: Hash,
): { ai: Uint8Array; sign: (tbs: Uint8Array) => Uint8Array } {
  switch (key.kind) {
    case 'Ed25519':
      return { ai: seq(oid('1.3.101.112')), sign: (tbs) => sign(null, tbs, key.privateKey) };
    case 'RSA-PSS': {
      const h = hash === 'sha384' ? 'sha384' : 'sha256';
      return {
        ai: seq(oid('1.2.840.113549.1.1.10'), PSS_PARAMS[h]),
        sign: (tbs) =>
          sign(h, tbs, {
            key: key.privateKey,
            padding: constants.RSA_PKCS1_PSS_PADDING,
            saltLength: h === 'sha256' ? 32 : 48,
          }),
      };
    }
    case 'RSA':
      return { ai: seq(oid(SIG_OIDS[`RSA:${hash}`]), NULL), sign: (tbs) => sign(hash, tbs, key.privateKey) };
    default: {
      const h = hash === 'md5' ? 'sha1' : hash;
      return { ai: seq(oid(SIG_OIDS[`EC:${h}`])), sign: (tbs) => sign(h, tbs, key.privateKey) };
    }
  }
}

// ---- names and extensions ----

export function name(cn: string, o?: string): Uint8Array {
  const rdn = (type: string, value: string) => set(seq(oid(type), tlv(0x13, Buffer.from(value))));
  return o === undefined ? seq(rdn('2.5.4.3', cn)) : seq(rdn('2.5.4.10', o), rdn('2.5.4.3', cn));
}

export interface Extension {
  readonly oid: string;
  readonly critical?: boolean;
  readonly value: Uint8Array;
}

export const ext = {
  basicConstraints: (ca: boolean, pathLen?: number, critical = true): Extension => ({
    oid: '2.5.29.19',
    critical,
    value: seq(...(ca ? [bool(true)] : []), ...(pathLen === undefined ? [] : [int(pathLen)])),
  }),
  keyUsage: (bitsSet: readonly number[]): Extension => {
    // DER named bit list: trailing zero bits dropped, their count in the unused-bits byte.
    let v = 0;
    for (const b of bitsSet) v |= 0x8000 >> b;
    const bytes = v & 0xff ? [v >> 8, v & 0xff] : v ? [v >> 8] : [];
    const last = bytes[bytes.length - 1] ?? 0;
    let unused = 0;
    while (last && unused < 7 && !(last & (1 << unused))) unused++;
    return { oid: '2.5.29.15', critical: true, value: bits(Uint8Array.from(bytes), unused) };
  },
  eku: (oids: readonly string[]): Extension => ({ oid: '2.5.29.37', value: seq(...oids.map(oid)) }),
  ski: (id: Uint8Array, critical = false): Extension => ({ oid: '2.5.29.14', critical, value: octets(id) }),
  aki: (id: Uint8Array, critical = false): Extension => ({
    oid: '2.5.29.35',
    critical,
    value: seq(tlv(0x80, id)),
  }),
  san: (names: SanNames, critical = false): Extension => ({
    oid: '2.5.29.17',
    critical,
    value: seq(...generalNames(names)),
  }),
  nameConstraints: (permitted: SanNames, excluded: SanNames, critical = true): Extension => {
    const subtrees = (n: SanNames) => generalNames(n).map((g) => seq(g));
    const p = subtrees(permitted);
    const x = subtrees(excluded);
    return {
      oid: '2.5.29.30',
      critical,
      value: seq(...(p.length ? [tlv(0xa0, ...p)] : []), ...(x.length ? [tlv(0xa1, ...x)] : [])),
    };
  },
  aia: (critical: boolean): Extension => ({
    oid: '1.3.6.1.5.5.7.1.1',
    critical,
    value: seq(seq(oid('1.3.6.1.5.5.7.48.2'), ia5(0x86, 'http://ca.example.com/ca.crt'))),
  }),
  custom: (dotted: string, critical: boolean): Extension => ({ oid: dotted, critical, value: seq() }),
};

export interface SanNames {
  readonly dns?: readonly string[];
  /** IPv4 "a.b.c.d" or, in name constraints, "a.b.c.d/len". */
  readonly ip?: readonly string[];
  readonly email?: readonly string[];
  readonly uri?: readonly string[];
  /** Directory names (as CNs): Go does not enforce them. */
  readonly dirCn?: readonly string[];
}

function ipv4(s: string): number[] {
  return s.split('.').map(Number);
}

function generalNames(n: SanNames): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const v of n.email ?? []) out.push(ia5(0x81, v));
  for (const v of n.dns ?? []) out.push(ia5(0x82, v));
  for (const v of n.dirCn ?? []) out.push(tlv(0xa4, name(v)));
  for (const v of n.uri ?? []) out.push(ia5(0x86, v));
  for (const v of n.ip ?? []) {
    const [addr, prefix] = v.split('/');
    if (prefix === undefined) {
      out.push(tlv(0x87, Uint8Array.from(ipv4(addr))));
    } else {
      const len = Number(prefix);
      const mask = [0, 1, 2, 3].map((i) => (0xff << (8 - Math.max(0, Math.min(8, len - 8 * i)))) & 0xff);
      out.push(tlv(0x87, Uint8Array.from([...ipv4(addr), ...mask])));
    }
  }
  return out;
}

// ---- certificates ----

export interface CertSpec {
  readonly subject: Uint8Array;
  readonly key: TestKey;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly extensions?: readonly Extension[];
  /** 1 or 3 (default 3; a version 1 certificate has no extensions). */
  readonly version?: 1 | 3;
  readonly serial?: bigint;
  readonly hash?: Hash;
  /** Issuer certificate; absent: self-signed. */
  readonly issuer?: Built;
  /** Signing key when it is not the issuer's (a regenerated CA). */
  readonly signWith?: TestKey;
  /** AKI written (default true when issued); false: none. A Uint8Array: that id. */
  readonly aki?: boolean | Uint8Array;
  readonly ski?: boolean;
}

export interface Built {
  readonly der: Uint8Array;
  readonly pem: string;
  readonly subject: Uint8Array;
  readonly key: TestKey;
  readonly skid: Uint8Array;
}

let serialCounter = 1n;

export function keyId(key: TestKey): Uint8Array {
  return createHash('sha1').update(key.spki).digest().subarray(0, 20);
}

export function build(spec: CertSpec): Built {
  const signer = spec.signWith ?? spec.issuer?.key ?? spec.key;
  const hash = spec.hash ?? (signer.kind === 'P-384' ? 'sha384' : 'sha256');
  const alg = signatureAlgorithm(signer, hash);
  const skid = keyId(spec.key);
  const exts: Extension[] = [...(spec.extensions ?? [])];
  if (spec.ski !== false) exts.push(ext.ski(skid));
  if (spec.issuer && spec.aki !== false)
    exts.push(ext.aki(spec.aki instanceof Uint8Array ? spec.aki : spec.issuer.skid));
  const version = spec.version ?? 3;
  const tbs = seq(
    ...(version === 3 ? [tlv(0xa0, int(2))] : []),
    int(spec.serial ?? 0x1000n + serialCounter++),
    alg.ai,
    spec.issuer?.subject ?? spec.subject,
    seq(time(spec.notBefore), time(spec.notAfter)),
    spec.subject,
    spec.key.spki,
    ...(version === 3 && exts.length
      ? [
          tlv(
            0xa3,
            seq(...exts.map((e) => seq(oid(e.oid), ...(e.critical ? [bool(true)] : []), octets(e.value)))),
          ),
        ]
      : []),
  );
  const der = new Uint8Array(seq(tbs, alg.ai, bits(alg.sign(tbs))));
  return { der, pem: toPem(der), subject: spec.subject, key: spec.key, skid };
}

export function toPem(der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64');
  return `-----BEGIN CERTIFICATE-----\n${b64.replace(/.{64}/g, '$&\n').replace(/\n?$/, '\n')}-----END CERTIFICATE-----\n`;
}
