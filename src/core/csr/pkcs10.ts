// PKCS#10 (RFC 2986) decoding for display and review, on the lean DER reader: synchronous, so the
// risk rules stay pure functions. The self-signature is checked with node:crypto (proof that the
// requester holds the private key).
import { Buffer } from 'node:buffer';
import { verify, type KeyObject } from 'node:crypto';
import { DerError, DerReader, Tag, bitString, decodeOid, whole } from '../x509/der';
import { parseSignatureAlgorithm, parseSpki } from '../x509/algorithms';
import { NO_SANS, parseExtensions, type Extensions } from '../x509/extensions';
import { parseName } from '../x509/names';
import type {
  DistinguishedName,
  KeyAlgorithm,
  PublicKeyInfo,
  SignatureAlgorithm,
  SubjectAltNames,
} from '../x509/model';
import { NODE_DIGESTS, SIGNATURE_ALGORITHMS } from '../x509/oids';
import { importSpki } from '../x509/publicKey';

const EXTENSION_REQUEST_OID = '1.2.840.113549.1.9.14';
const PEM_BLOCK =
  /-----BEGIN (?:NEW )?CERTIFICATE REQUEST-----([\s\S]*?)-----END (?:NEW )?CERTIFICATE REQUEST-----/;

export interface CertificateRequest {
  readonly der: Uint8Array;
  /** DER of certificationRequestInfo: the signed bytes. */
  readonly infoDer: Uint8Array;
  readonly signatureValue: Uint8Array;
  readonly subject: DistinguishedName;
  readonly commonName?: string;
  readonly organizations: readonly string[];
  readonly sans: SubjectAltNames;
  readonly publicKey: PublicKeyInfo;
  readonly signatureAlgorithm: SignatureAlgorithm;
  readonly keyUsage?: readonly string[];
  readonly extKeyUsage?: readonly string[];
  /** true/false: the self-signature was checked; undefined: the algorithm cannot be checked here. */
  readonly signatureValid: boolean | undefined;
}

export class CsrDecodeError extends Error {
  override name = 'CsrDecodeError';
}

/** `spec.request` of a CSR object: base64 of one PEM CERTIFICATE REQUEST. */
export function decodeCsrRequest(requestBase64: string): CertificateRequest {
  const pem = Buffer.from(requestBase64.replace(/\s+/g, ''), 'base64').toString('latin1');
  return decodeCsrPem(pem);
}

export function decodeCsrPem(pem: string): CertificateRequest {
  const match = PEM_BLOCK.exec(pem);
  if (!match) throw new CsrDecodeError('no PEM CERTIFICATE REQUEST block');
  const der = new Uint8Array(Buffer.from(match[1].replace(/\s+/g, ''), 'base64'));
  return parseCertificateRequest(der);
}

export function parseCertificateRequest(der: Uint8Array): CertificateRequest {
  try {
    return parse(der);
  } catch (err) {
    if (err instanceof DerError) throw new CsrDecodeError(`invalid PKCS#10 DER: ${err.message}`);
    throw err;
  }
}

function parse(der: Uint8Array): CertificateRequest {
  const top = new DerReader(der);
  const outer = top.expect(Tag.SEQUENCE, 'CertificationRequest');
  top.finish('CertificationRequest');
  const req = top.enter(outer);
  const infoEl = req.expect(Tag.SEQUENCE, 'certificationRequestInfo');
  const algEl = req.expect(Tag.SEQUENCE, 'signatureAlgorithm');
  const sigEl = req.expect(Tag.BIT_STRING, 'signature');
  req.finish('signature');

  const info = req.enter(infoEl);
  info.expect(Tag.INTEGER, 'version');
  const subject = parseName(der, info, 'subject');
  const publicKey = withFixedBits(parseSpki(der, info, info.expect(Tag.SEQUENCE, 'subjectPKInfo')));
  const attributes = info.optional(0xa0);
  info.finish('attributes');

  const extensions = attributes ? extensionRequest(der, info.enter(attributes)) : { sans: NO_SANS };
  const signatureAlgorithm = parseSignatureAlgorithm(der, req.enter(algEl));
  const signatureValue = bitString(der, sigEl).bytes;
  const infoDer = whole(der, infoEl);

  const attrs = subject.rdns.flat();
  return {
    der,
    infoDer,
    signatureValue,
    subject: { ...subject, display: encodingOrderDisplay(subject) },
    // The last CN, as Go's crypto/x509 (and so the API server) reads the subject.
    commonName: attrs.filter((a) => a.type === 'CN').at(-1)?.value,
    organizations: attrs.filter((a) => a.type === 'O').map((a) => a.value),
    sans: extensions.sans,
    publicKey,
    signatureAlgorithm,
    keyUsage: extensions.keyUsage,
    extKeyUsage: extensions.extKeyUsage,
    signatureValid: checkSignature(infoDer, signatureValue, signatureAlgorithm, publicKey),
  };
}

// openssl req and @peculiar/x509 print a request's subject in encoding order (O=…, CN=…), unescaped.
function encodingOrderDisplay(subject: DistinguishedName): string {
  return subject.rdns.map((rdn) => rdn.map((a) => `${a.type}=${a.value}`).join('+')).join(', ');
}

/** Key sizes the SPKI does not spell out, shown beside RSA and EC sizes in the CSR view. */
const FIXED_KEY_BITS: Partial<Record<KeyAlgorithm, number>> = { Ed25519: 256, Ed448: 456 };

function withFixedBits(key: PublicKeyInfo): PublicKeyInfo {
  const bits = FIXED_KEY_BITS[key.algorithm];
  return bits === undefined ? key : { ...key, bits };
}

const KEY_CACHE_LIMIT = 1024;
// A cluster's requests often share keys (renewals that keep the key): each is imported once.
const keyCache = new Map<string, KeyObject | null>();

function publicKeyOf(spkiDer: Uint8Array): KeyObject | undefined {
  const id = Buffer.from(spkiDer.buffer, spkiDer.byteOffset, spkiDer.byteLength).toString('base64');
  let key = keyCache.get(id);
  if (key === undefined) {
    try {
      key = importSpki(spkiDer);
    } catch {
      key = null;
    }
    if (keyCache.size >= KEY_CACHE_LIMIT) keyCache.delete(keyCache.keys().next().value as string);
    keyCache.set(id, key);
  }
  return key ?? undefined;
}

/** The extensions of the extensionRequest attribute (RFC 2985 §5.4.2). */
function extensionRequest(der: Uint8Array, attributes: DerReader): Extensions {
  const out: Extensions = { sans: NO_SANS };
  while (!attributes.done) {
    const attr = attributes.enter(attributes.expect(Tag.SEQUENCE, 'Attribute'));
    const type = decodeOid(der, attr.expect(Tag.OID, 'attribute type'));
    const values = attr.enter(attr.expect(Tag.SET, 'attribute values'));
    if (type !== EXTENSION_REQUEST_OID) continue;
    while (!values.done) parseExtensions(der, values, values.expect(Tag.SEQUENCE, 'Extensions'), out);
  }
  return out;
}

function checkSignature(
  data: Uint8Array,
  signature: Uint8Array,
  alg: SignatureAlgorithm,
  key: PublicKeyInfo,
): boolean | undefined {
  const known = SIGNATURE_ALGORITHMS[alg.oid];
  // RSA-PSS needs its parameters; unknown algorithms cannot be checked: say so rather than guess.
  if (!known || (known.key !== 'Ed25519' && known.key !== 'Ed448' && !known.hash)) return undefined;
  if (known.key !== key.algorithm) return false;
  try {
    const publicKey = publicKeyOf(key.spkiDer);
    if (!publicKey) return false;
    const digest = known.hash ? NODE_DIGESTS[known.hash] : null;
    return verify(digest, data, publicKey, signature);
  } catch {
    return false;
  }
}
