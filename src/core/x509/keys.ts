// Private keys, only to answer "does this key belong to that certificate?". The key material stays
// in a module-private WeakMap: the handle others hold carries only algorithm, size and format, so
// it can be logged, serialised or shown in a hover without leaking anything.
import { Buffer } from 'node:buffer';
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import type { Certificate, KeyAlgorithm } from './model';

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
  readonly key: KeyObject;
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

/**
 * Reads an unencrypted private key from DER. With `format` the bytes must be that structure (as a
 * PEM label demands); without, PKCS#8, PKCS#1 and SEC1 are tried in turn. Throws KeyParseError.
 */
export function parsePrivateKey(der: Uint8Array, format?: 'pkcs1' | 'pkcs8' | 'sec1'): PrivateKeyHandle {
  const buf = Buffer.from(der.buffer, der.byteOffset, der.byteLength);
  for (const type of format ? [format] : (['pkcs8', 'pkcs1', 'sec1'] as const)) {
    let key: KeyObject;
    try {
      key = createPrivateKey({ key: buf, format: 'der', type });
    } catch {
      continue;
    }
    const handle = describe(key, type);
    material.set(handle, { key });
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

/** True when the certificate's public key is the public half of `key`. */
export function keyMatchesCertificate(key: PrivateKeyHandle, cert: Certificate): boolean {
  const m = material.get(key);
  if (!m || key.algorithm !== cert.publicKey.algorithm) return false;
  try {
    m.spki ??= createPublicKey(m.key).export({ type: 'spki', format: 'der' });
    const certSpki = cert.publicKey.spkiDer;
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
