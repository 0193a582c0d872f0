// Private keys, only to answer "does this key belong to that certificate?". The key material stays
// in a module-private WeakMap: the handle others hold carries only algorithm, size and format, so
// it can be logged, serialised or shown in a hover without leaking anything.
import { Buffer } from 'node:buffer';
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import {
  bitString,
  content,
  decodeOid,
  DerReader,
  integerBytes,
  readSingle,
  smallInteger,
  Tag,
  type DerElement,
} from './der';
import type { Certificate, KeyAlgorithm } from './model';
import {
  EC_PUBLIC_KEY_OID,
  NAMED_CURVES,
  RSA_ENCRYPTION_OID,
  spkiPublicPart,
  unsignedBytes as unsigned,
  type PublicPart,
} from './publicKey';

export type PrivateKeyFormat = 'pkcs1' | 'pkcs8' | 'sec1' | 'openssh' | 'unknown';

export interface PrivateKeyHandle {
  readonly algorithm: KeyAlgorithm;
  readonly bits?: number;
  readonly curve?: string;
  readonly format: PrivateKeyFormat;
}

export class KeyParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyParseError';
  }
}

interface Material {
  /** Loaded on first need only: an RSA import through OpenSSL costs far more than reading the DER. */
  key?: KeyObject;
  readonly der: Buffer;
  readonly type: 'pkcs1' | 'pkcs8' | 'sec1';
  readonly publicPart?: PublicPart;
  spki?: Buffer;
}

const material = new WeakMap<PrivateKeyHandle, Material>();

/** The PEM labels that hold unencrypted private keys, and the DER structure each one names. */
export const PRIVATE_KEY_LABELS: Readonly<Record<string, 'pkcs1' | 'pkcs8' | 'sec1'>> = {
  'RSA PRIVATE KEY': 'pkcs1',
  'EC PRIVATE KEY': 'sec1',
  'PRIVATE KEY': 'pkcs8',
};

const KEY_TYPES: Readonly<Record<string, KeyAlgorithm>> = {
  rsa: 'RSA',
  'rsa-pss': 'RSA',
  ec: 'EC',
  ed25519: 'Ed25519',
  ed448: 'Ed448',
};

const CURVES: Readonly<Record<string, { readonly name: string; readonly bits: number }>> = {
  prime256v1: { name: 'P-256', bits: 256 },
  secp384r1: { name: 'P-384', bits: 384 },
  secp521r1: { name: 'P-521', bits: 521 },
  secp256k1: { name: 'secp256k1', bits: 256 },
};

const FORMAT_NAMES = { pkcs1: 'PKCS#1 RSA', pkcs8: 'PKCS#8', sec1: 'SEC1 EC' } as const;

interface ReadKey {
  readonly type: 'pkcs1' | 'pkcs8' | 'sec1';
  readonly algorithm: KeyAlgorithm;
  readonly bits: number;
  readonly curve?: string;
  readonly publicPart: PublicPart;
}

function bitLength(bytes: Uint8Array): number {
  const b = unsigned(bytes);
  return b[0] === 0 ? 0 : (b.length - 1) * 8 + (32 - Math.clz32(b[0]));
}

/** RSAPrivateKey (two-prime, version 0) with all nine integers and nothing after. */
function readPkcs1(buf: Uint8Array): ReadKey | undefined {
  const seq = readSingle(buf, 'RSAPrivateKey');
  if (seq.tag !== Tag.SEQUENCE) return undefined;
  const r = new DerReader(buf).enter(seq);
  if (smallInteger(buf, r.expect(Tag.INTEGER, 'version')) !== 0) return undefined;
  const ints = Array.from({ length: 8 }, () => integerBytes(buf, r.expect(Tag.INTEGER, 'integer')));
  r.finish('RSAPrivateKey');
  if (ints.some((i) => i[0] >= 0x80)) return undefined;
  const [n, e] = ints;
  const bits = bitLength(n);
  if (bits === 0) return undefined;
  return {
    type: 'pkcs1',
    algorithm: 'RSA',
    bits,
    publicPart: { kind: 'rsa', n: unsigned(n), e: unsigned(e) },
  };
}

/** ECPrivateKey (version 1); only with its public point, else node:crypto derives it. */
function readSec1(buf: Uint8Array, outerCurve?: string): ReadKey | undefined {
  const seq = readSingle(buf, 'ECPrivateKey');
  if (seq.tag !== Tag.SEQUENCE) return undefined;
  const r = new DerReader(buf).enter(seq);
  if (smallInteger(buf, r.expect(Tag.INTEGER, 'version')) !== 1) return undefined;
  r.expect(Tag.OCTET_STRING, 'privateKey');
  const params = r.optional(0xa0);
  const publicKey = r.optional(0xa1);
  r.finish('ECPrivateKey');
  let curveOid = outerCurve;
  if (params) {
    const inner = r.enter(params);
    const oid = decodeOid(buf, inner.expect(Tag.OID, 'namedCurve'));
    inner.finish('ECParameters');
    if (curveOid !== undefined && curveOid !== oid) return undefined;
    curveOid = oid;
  }
  if (!publicKey || curveOid === undefined || !NAMED_CURVES[curveOid]) return undefined;
  const inner = r.enter(publicKey);
  const { bytes: point, unused } = bitString(buf, inner.expect(Tag.BIT_STRING, 'publicKey'));
  inner.finish('publicKey');
  if (unused !== 0 || point.length === 0) return undefined;
  const curve = CURVES[NAMED_CURVES[curveOid].node];
  return {
    type: 'sec1',
    algorithm: 'EC',
    bits: curve.bits,
    curve: curve.name,
    publicPart: { kind: 'ec', curveOid, point },
  };
}

/** PrivateKeyInfo (version 0) holding an RSA or EC key; other algorithms go through node:crypto. */
function readPkcs8(buf: Uint8Array): ReadKey | undefined {
  const seq = readSingle(buf, 'PrivateKeyInfo');
  if (seq.tag !== Tag.SEQUENCE) return undefined;
  const r = new DerReader(buf).enter(seq);
  if (smallInteger(buf, r.expect(Tag.INTEGER, 'version')) !== 0) return undefined;
  const algorithm = r.enter(r.expect(Tag.SEQUENCE, 'AlgorithmIdentifier'));
  const oid = decodeOid(buf, algorithm.expect(Tag.OID, 'algorithm'));
  const key = content(buf, r.expect(Tag.OCTET_STRING, 'privateKey'));
  r.optional(0xa0);
  r.finish('PrivateKeyInfo');
  if (oid === RSA_ENCRYPTION_OID) {
    algorithm.expect(Tag.NULL, 'parameters');
    algorithm.finish('AlgorithmIdentifier');
    const inner = readPkcs1(key);
    return inner && { ...inner, type: 'pkcs8' };
  }
  if (oid === EC_PUBLIC_KEY_OID) {
    const curveOid = decodeOid(buf, algorithm.expect(Tag.OID, 'namedCurve'));
    algorithm.finish('AlgorithmIdentifier');
    const inner = readSec1(key, curveOid);
    return inner && { ...inner, type: 'pkcs8' };
  }
  return undefined;
}

const READERS = { pkcs8: readPkcs8, pkcs1: readPkcs1, sec1: readSec1 } as const;

/** The curves Go's crypto/x509 parses private keys on (namedCurveFromOID). */
const GO_CURVES: ReadonlySet<string> = new Set([
  '1.3.132.0.33',
  '1.2.840.10045.3.1.7',
  '1.3.132.0.34',
  '1.3.132.0.35',
]);

/** Names for what Go refuses, as the unsupported-key finding states them. */
const UNSUPPORTED_ALGORITHMS: Readonly<Record<string, string>> = {
  '1.3.101.113': 'Ed448 key',
  '1.3.101.110': 'X25519 key, which cannot sign',
  '1.3.101.111': 'X448 key, which cannot sign',
  '1.2.840.113549.1.1.10': 'RSA-PSS key (id-RSASSA-PSS)',
  '1.2.840.10040.4.1': 'DSA key',
};

const CURVE_NAMES: Readonly<Record<string, string>> = {
  '1.3.132.0.10': 'secp256k1',
  '1.3.36.3.3.2.8.1.1.7': 'brainpoolP256r1',
  '1.3.36.3.3.2.8.1.1.11': 'brainpoolP384r1',
  '1.3.36.3.3.2.8.1.1.13': 'brainpoolP512r1',
  '1.2.840.10045.3.1.1': 'P-192',
};

/** Why Go cannot use EC parameters (a named curve OID, or explicit parameters), undefined when it can. */
function ecParametersProblem(buf: Uint8Array, params: DerElement | undefined): string | undefined {
  if (!params) return undefined;
  if (params.tag !== Tag.OID) return 'EC key with explicit curve parameters';
  const oid = decodeOid(buf, params);
  return GO_CURVES.has(oid) ? undefined : `EC key on curve ${CURVE_NAMES[oid] ?? oid}`;
}

/** SEC1 ECPrivateKey: version 1, key, [0] parameters (named or explicit). */
function sec1Problem(buf: Uint8Array, outer?: DerElement): string | undefined {
  const r = new DerReader(buf).enter(readSingle(buf, 'ECPrivateKey'));
  if (smallInteger(buf, r.expect(Tag.INTEGER, 'version')) !== 1) return undefined;
  r.expect(Tag.OCTET_STRING, 'privateKey');
  const wrapped = r.optional(0xa0);
  const params = wrapped ? new DerReader(buf).enter(wrapped).read() : undefined;
  return ecParametersProblem(buf, outer) ?? ecParametersProblem(buf, params);
}

/**
 * Why Go's tls.X509KeyPair cannot load this private key ("tls: failed to parse private key" or
 * "found unknown private key type in PKCS#8 wrapping"), undefined when it can or when the DER is
 * not a key at all. Go reads RSA, ECDSA on P-224/P-256/P-384/P-521 and Ed25519 only.
 */
export function goPrivateKeyProblem(der: Uint8Array): string | undefined {
  try {
    const top = readSingle(der, 'PrivateKey');
    if (top.tag !== Tag.SEQUENCE) return undefined;
    const r = new DerReader(der).enter(top);
    const version = smallInteger(der, r.expect(Tag.INTEGER, 'version'));
    if (version === 1) return sec1Problem(der);
    if (version !== 0 || r.peekTag() !== Tag.SEQUENCE) return undefined;
    // PKCS#8: the algorithm decides.
    const algorithm = r.enter(r.expect(Tag.SEQUENCE, 'AlgorithmIdentifier'));
    const oid = decodeOid(der, algorithm.expect(Tag.OID, 'algorithm'));
    const key = content(der, r.expect(Tag.OCTET_STRING, 'privateKey'));
    if (oid === EC_PUBLIC_KEY_OID) {
      const params = algorithm.peekTag() >= 0 ? algorithm.read() : undefined;
      if (!params) return 'EC key without curve parameters';
      return ecParametersProblem(der, params) ?? sec1Problem(key);
    }
    if (oid === RSA_ENCRYPTION_OID || oid === '1.3.101.112') return undefined;
    return UNSUPPORTED_ALGORITHMS[oid] ?? `key of algorithm ${oid}`;
  } catch {
    return undefined;
  }
}

/** The key read straight from its DER, or undefined when node:crypto must load it. */
function readKeyDer(der: Uint8Array, type: 'pkcs1' | 'pkcs8' | 'sec1'): ReadKey | undefined {
  try {
    return READERS[type](der);
  } catch {
    return undefined;
  }
}

/**
 * Reads an unencrypted private key from DER. With `format` the bytes must be that structure (as a
 * PEM label demands); without, PKCS#8, PKCS#1 and SEC1 are tried in turn. Throws KeyParseError.
 */
export function parsePrivateKey(der: Uint8Array, format?: 'pkcs1' | 'pkcs8' | 'sec1'): PrivateKeyHandle {
  const buf = Buffer.from(der.buffer, der.byteOffset, der.byteLength);
  const types = format ? [format] : (['pkcs8', 'pkcs1', 'sec1'] as const);
  for (const type of types) {
    const read = readKeyDer(buf, type);
    if (!read) continue;
    const handle: PrivateKeyHandle = Object.freeze(
      read.curve
        ? { algorithm: read.algorithm, format: type, bits: read.bits, curve: read.curve }
        : { algorithm: read.algorithm, format: type, bits: read.bits },
    );
    // A copy: the caller's buffer may be reused, the handle must keep answering.
    material.set(handle, { der: Buffer.from(buf), type, publicPart: read.publicPart });
    return handle;
  }
  for (const type of types) {
    let key: KeyObject;
    try {
      key = createPrivateKey({ key: buf, format: 'der', type });
    } catch {
      continue;
    }
    const handle = describe(key, type);
    material.set(handle, { key, der: buf, type });
    return handle;
  }
  throw new KeyParseError(
    format ? `not a valid ${FORMAT_NAMES[format]} private key` : 'not a PKCS#8, PKCS#1 or SEC1 private key',
  );
}

function describe(key: KeyObject, format: PrivateKeyFormat): PrivateKeyHandle {
  const algorithm = KEY_TYPES[key.asymmetricKeyType ?? ''] ?? 'unknown';
  const details = key.asymmetricKeyDetails ?? {};
  const curve = details.namedCurve ? CURVES[details.namedCurve] : undefined;
  const handle: { -readonly [K in keyof PrivateKeyHandle]: PrivateKeyHandle[K] } = { algorithm, format };
  if (details.modulusLength !== undefined) handle.bits = details.modulusLength;
  if (curve) {
    handle.bits = curve.bits;
    handle.curve = curve.name;
  } else if (details.namedCurve) {
    handle.curve = details.namedCurve;
  }
  return Object.freeze(handle);
}

const equalBytes = (a: Uint8Array, b: Uint8Array): boolean => Buffer.compare(a, b) === 0;

/** Match decided from the DER alone, or undefined when the encodings differ (compressed points) or are unknown. */
function matchPublicParts(own: PublicPart, cert: PublicPart): boolean | undefined {
  if (own.kind === 'rsa' && cert.kind === 'rsa')
    return equalBytes(own.n, cert.n) && equalBytes(own.e, cert.e);
  if (own.kind === 'ec' && cert.kind === 'ec') {
    if (own.curveOid !== cert.curveOid) return false;
    if (equalBytes(own.point, cert.point)) return true;
    // Both uncompressed (04 || x || y) and different: different keys. Otherwise let OpenSSL compare.
    return own.point[0] === 4 && cert.point[0] === 4 ? false : undefined;
  }
  return undefined;
}

/** True when the certificate's public key is the public half of `key`. */
export function keyMatchesCertificate(key: PrivateKeyHandle, cert: Certificate): boolean {
  const m = material.get(key);
  if (!m || key.algorithm !== cert.publicKey.algorithm) return false;
  const certSpki = cert.publicKey.spkiDer;
  if (m.publicPart) {
    const theirs = spkiPublicPart(certSpki);
    const decided = theirs && matchPublicParts(m.publicPart, theirs);
    if (decided !== undefined) return decided;
  }
  try {
    m.key ??= createPrivateKey({ key: m.der, format: 'der', type: m.type });
    m.spki ??= createPublicKey(m.key).export({ type: 'spki', format: 'der' });
    if (m.spki.equals(certSpki)) return true;
    // Same key, other encoding (compressed EC point, RSA-PSS parameters): compare the keys themselves.
    const certKey = createPublicKey({
      key: Buffer.from(certSpki.buffer, certSpki.byteOffset, certSpki.byteLength),
      format: 'der',
      type: 'spki',
    });
    const ownKey = createPublicKey(m.key);
    // KeyObject.equals on two key types leaves an OpenSSL error queued that breaks the next key import.
    return certKey.asymmetricKeyType === ownKey.asymmetricKeyType && certKey.equals(ownKey);
  } catch {
    return false;
  }
}
