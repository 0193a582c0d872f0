// What Go 1.23's parsePublicKey refuses in a certificate's SubjectPublicKeyInfo: a certificate
// with such a key cannot be parsed by Go at all, so Kubernetes cannot use it. RSA needs NULL
// parameters and positive numbers; ECDSA a named curve Go implements (no explicit parameters) and
// an uncompressed point on it; Ed25519/X25519 no parameters and 32 bytes. Other algorithms parse
// (Go leaves their key unset).
import { Buffer } from 'node:buffer';
import { DerError, DerReader, Tag, bitString, decodeOid, integerBytes, readSingle } from './der';

const RSA = '1.2.840.113549.1.1.1';
const EC = '1.2.840.10045.2.1';
const ED25519 = '1.3.101.112';
const X25519 = '1.3.101.110';
const DSA = '1.2.840.10040.4.1';

/** Short Weierstrass curves y² = x³ − 3x + b over GF(p), as Go's crypto/elliptic has them. */
const CURVES: Readonly<Record<string, { readonly p: bigint; readonly b: bigint; readonly size: number }>> = {
  '1.3.132.0.33': {
    p: 2n ** 224n - 2n ** 96n + 1n,
    b: 0xb4050a850c04b3abf54132565044b0b7d7bfd8ba270b39432355ffb4n,
    size: 28,
  },
  '1.2.840.10045.3.1.7': {
    p: 2n ** 256n - 2n ** 224n + 2n ** 192n + 2n ** 96n - 1n,
    b: 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn,
    size: 32,
  },
  '1.3.132.0.34': {
    p: 2n ** 384n - 2n ** 128n - 2n ** 96n + 2n ** 32n - 1n,
    b: 0xb3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aefn,
    size: 48,
  },
  '1.3.132.0.35': {
    p: 2n ** 521n - 1n,
    b: 0x0051953eb9618e1c9a1f929a21a0b68540eea2da725b99b315f3b8b489918ef109e156193951ec7e937b1652c0bd3bb1bf073573df883d2c34f1ef451fd46b503f00n,
    size: 66,
  },
};

function toBigInt(bytes: Uint8Array): bigint {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return n;
}

/** Go's elliptic.Unmarshal: uncompressed form, coordinates below p, point on the curve. */
export function onCurve(curveOid: string, point: Uint8Array): boolean {
  const curve = CURVES[curveOid];
  if (!curve || point.length !== 1 + 2 * curve.size || point[0] !== 4) return false;
  const { p, b } = curve;
  const x = toBigInt(point.subarray(1, 1 + curve.size));
  const y = toBigInt(point.subarray(1 + curve.size));
  if (x >= p || y >= p) return false;
  const lhs = (y * y) % p;
  const rhs = (((x * x * x - 3n * x + b) % p) + p) % p;
  return lhs === rhs;
}

const verdicts = new Map<string, string | null>();
const VERDICT_CACHE_LIMIT = 4096;

/** Why Go's parser refuses this SPKI, or undefined. Cached: a bulk audit sees few distinct CA keys, and leaf keys once. */
export function goSpkiProblem(spki: Uint8Array): string | undefined {
  const id = Buffer.from(spki.buffer, spki.byteOffset, spki.byteLength).toString('base64');
  let verdict = verdicts.get(id);
  if (verdict === undefined) {
    verdict = check(spki) ?? null;
    if (verdicts.size >= VERDICT_CACHE_LIMIT) verdicts.delete(verdicts.keys().next().value as string);
    verdicts.set(id, verdict);
  }
  return verdict ?? undefined;
}

/** Does Go build a public key for this SPKI's algorithm (a parent without one is never tried)? */
export function goHasPublicKey(spki: Uint8Array): boolean {
  try {
    const r = new DerReader(spki).enter(readSingle(spki, 'SubjectPublicKeyInfo'));
    const ar = r.enter(r.expect(Tag.SEQUENCE, 'AlgorithmIdentifier'));
    return GO_KEY_OIDS.has(decodeOid(spki, ar.expect(Tag.OID, 'algorithm')));
  } catch {
    return false;
  }
}

const GO_KEY_OIDS = new Set([RSA, EC, ED25519, X25519, DSA]);

function check(spki: Uint8Array): string | undefined {
  let oid: string;
  let params: Uint8Array | undefined;
  let paramTag = -1;
  let key: { bytes: Uint8Array; unused: number };
  try {
    const r = new DerReader(spki).enter(readSingle(spki, 'SubjectPublicKeyInfo'));
    const ar = r.enter(r.expect(Tag.SEQUENCE, 'AlgorithmIdentifier'));
    oid = decodeOid(spki, ar.expect(Tag.OID, 'algorithm'));
    if (!ar.done) {
      const el = ar.read();
      paramTag = el.tag;
      params = spki.subarray(el.start, el.end);
    }
    key = bitString(spki, r.expect(Tag.BIT_STRING, 'subjectPublicKey'));
  } catch {
    return 'x509: malformed spki';
  }
  const bytes = key.bytes;
  switch (oid) {
    case RSA: {
      if (!params || params.length !== 2 || params[0] !== Tag.NULL || params[1] !== 0)
        return 'x509: RSA key missing NULL parameters';
      try {
        const kr = new DerReader(bytes);
        const seq = kr.enter(kr.expect(Tag.SEQUENCE, 'RSAPublicKey'));
        const n = integerBytes(bytes, seq.expect(Tag.INTEGER, 'modulus'));
        const e = integerBytes(bytes, seq.expect(Tag.INTEGER, 'exponent'));
        if (n[0] >= 0x80 || n.every((b) => b === 0)) return 'x509: RSA modulus is not a positive number';
        if (e[0] >= 0x80 || e.every((b) => b === 0))
          return 'x509: RSA public exponent is not a positive number';
        if (e.length > 8 || (e.length === 8 && e[0] >= 0x80)) return 'x509: invalid RSA public exponent';
      } catch (err) {
        if (err instanceof DerError) return 'x509: invalid RSA public key';
        throw err;
      }
      return undefined;
    }
    case EC: {
      if (paramTag !== Tag.OID || !params) return 'x509: invalid ECDSA parameters';
      let curveOid: string;
      try {
        curveOid = decodeOid(params, new DerReader(params).read());
      } catch {
        return 'x509: invalid ECDSA parameters';
      }
      if (!CURVES[curveOid]) return 'x509: unsupported elliptic curve';
      return onCurve(curveOid, bytes) ? undefined : 'x509: failed to unmarshal elliptic curve point';
    }
    case ED25519:
      if (params) return 'x509: Ed25519 key encoded with illegal parameters';
      return bytes.length === 32 ? undefined : 'x509: wrong Ed25519 public key size';
    case X25519:
      if (params) return 'x509: X25519 key encoded with illegal parameters';
      return bytes.length === 32 ? undefined : 'crypto/ecdh: invalid public key';
    case DSA:
      return dsaProblem(bytes, params);
    default:
      return undefined;
  }
}

function dsaProblem(key: Uint8Array, params: Uint8Array | undefined): string | undefined {
  try {
    const y = integerBytes(key, new DerReader(key).expect(Tag.INTEGER, 'y'));
    if (!params) return 'x509: invalid DSA parameters';
    const pr = new DerReader(params);
    const seq = pr.enter(pr.expect(Tag.SEQUENCE, 'Dss-Parms'));
    const values = [y, ...['p', 'q', 'g'].map((what) => integerBytes(params, seq.expect(Tag.INTEGER, what)))];
    if (values.some((v) => v[0] >= 0x80 || v.every((b) => b === 0)))
      return 'x509: zero or negative DSA parameter';
    return undefined;
  } catch {
    return 'x509: invalid DSA parameters';
  }
}
