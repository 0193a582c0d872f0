// PKCS#10 (RFC 2986) decoding for display and review, on the lean DER reader: synchronous, so the
// risk rules stay pure functions. The self-signature is checked with node:crypto (proof that the
// requester holds the private key).
import { Buffer } from 'node:buffer';
import { verify, type KeyObject } from 'node:crypto';
import {
  DerError,
  DerReader,
  Tag,
  bitString,
  content,
  decodeOid,
  readBoolean,
  whole,
  type DerElement,
} from '../x509/der';
import type {
  DistinguishedName,
  KeyAlgorithm,
  NameAttribute,
  PublicKeyInfo,
  SignatureAlgorithm,
  SubjectAltNames,
} from '../x509/model';
import {
  EC_CURVES,
  EXTENSIONS,
  EXT_KEY_USAGES,
  KEY_ALGORITHMS,
  KEY_USAGE_BITS,
  NAME_ATTRIBUTES,
  NODE_DIGESTS,
  SIGNATURE_ALGORITHMS,
} from '../x509/oids';
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
  const subject = parseName(der, info.expect(Tag.SEQUENCE, 'subject'), info);
  const spkiEl = info.expect(Tag.SEQUENCE, 'subjectPKInfo');
  const attributes = info.optional(0xa0);
  info.finish('attributes');

  const extensions = attributes
    ? extensionRequest(der, info.enter(attributes))
    : new Map<string, Uint8Array>();
  const sanDer = extensions.get(EXTENSIONS.subjectAltName);
  const kuDer = extensions.get(EXTENSIONS.keyUsage);
  const ekuDer = extensions.get(EXTENSIONS.extKeyUsage);
  const publicKey = parseSpki(der, spkiEl, info);
  const signatureAlgorithm = parseAlgorithm(der, req.enter(algEl));
  const signatureValue = bitString(der, sigEl).bytes;
  const infoDer = whole(der, infoEl);

  const attrs = subject.rdns.flat();
  return {
    der,
    infoDer,
    signatureValue,
    subject,
    commonName: attrs.find((a) => a.type === 'CN')?.value,
    organizations: attrs.filter((a) => a.type === 'O').map((a) => a.value),
    sans: sanDer ? parseSans(sanDer) : { dns: [], ip: [], email: [], uri: [] },
    publicKey,
    signatureAlgorithm,
    keyUsage: kuDer ? parseKeyUsage(kuDer) : undefined,
    extKeyUsage: ekuDer ? parseExtKeyUsage(ekuDer) : undefined,
    signatureValid: checkSignature(infoDer, signatureValue, signatureAlgorithm, publicKey),
  };
}

function parseName(buf: Uint8Array, el: DerElement, parent: DerReader): DistinguishedName {
  const rdns: NameAttribute[][] = [];
  const names = parent.enter(el);
  while (!names.done) {
    const set = names.enter(names.expect(Tag.SET, 'RelativeDistinguishedName'));
    const rdn: NameAttribute[] = [];
    while (!set.done) {
      const atv = set.enter(set.expect(Tag.SEQUENCE, 'AttributeTypeAndValue'));
      const oid = decodeOid(buf, atv.expect(Tag.OID, 'attribute type'));
      const valueEl = atv.read();
      rdn.push({ oid, type: NAME_ATTRIBUTES[oid] ?? oid, value: decodeString(buf, valueEl) });
    }
    rdns.push(rdn);
  }
  const display = rdns.map((rdn) => rdn.map((a) => `${a.type}=${a.value}`).join('+')).join(', ');
  return { rdns, display, derHex: Buffer.from(whole(buf, el)).toString('hex') };
}

function decodeString(buf: Uint8Array, el: DerElement): string {
  const bytes = Buffer.from(content(buf, el));
  // Hostile lengths and code points are DER errors, not RangeErrors from swap16/fromCodePoint.
  if (el.tag === Tag.BMP_STRING) {
    if (bytes.length % 2) throw new DerError('BMPString length not a multiple of 2', el.start);
    return bytes.swap16().toString('utf16le');
  }
  if (el.tag === Tag.UNIVERSAL_STRING) {
    if (bytes.length % 4) throw new DerError('UniversalString length not a multiple of 4', el.start);
    let out = '';
    for (let i = 0; i < bytes.length; i += 4) {
      const cp = bytes.readUInt32BE(i);
      if (cp > 0x10ffff) throw new DerError('UniversalString code point out of range', el.start);
      out += String.fromCodePoint(cp);
    }
    return out;
  }
  return el.tag === Tag.UTF8_STRING ? bytes.toString('utf8') : bytes.toString('latin1');
}

function parseSpki(buf: Uint8Array, el: DerElement, parent: DerReader): PublicKeyInfo {
  const spkiDer = whole(buf, el);
  const alg = parent.enter(parent.enter(el).expect(Tag.SEQUENCE, 'algorithm'));
  const oid = decodeOid(buf, alg.expect(Tag.OID, 'key algorithm'));
  const algorithm: KeyAlgorithm = KEY_ALGORITHMS[oid] ?? 'unknown';
  const params = alg.done ? undefined : alg.read();
  if (algorithm === 'EC') {
    const curveOid = params?.tag === Tag.OID ? decodeOid(buf, params) : '';
    const curve = EC_CURVES[curveOid];
    return { algorithm, spkiDer, curve: curve?.name ?? (curveOid || undefined), bits: curve?.bits };
  }
  if (algorithm === 'RSA') {
    const details = keyDetails(spkiDer);
    return { algorithm, spkiDer, bits: details?.modulusLength };
  }
  return {
    algorithm,
    spkiDer,
    bits: algorithm === 'Ed25519' ? 256 : algorithm === 'Ed448' ? 456 : undefined,
  };
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

function keyDetails(spkiDer: Uint8Array): { modulusLength?: number } | undefined {
  return publicKeyOf(spkiDer)?.asymmetricKeyDetails;
}

function parseAlgorithm(buf: Uint8Array, alg: DerReader): SignatureAlgorithm {
  const oid = decodeOid(buf, alg.expect(Tag.OID, 'signature algorithm'));
  const known = SIGNATURE_ALGORITHMS[oid];
  return { oid, name: known?.name ?? oid, hash: known?.hash };
}

/** The extensions of the extensionRequest attribute, by OID (DER of each extnValue's content). */
function extensionRequest(buf: Uint8Array, attributes: DerReader): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  while (!attributes.done) {
    const attr = attributes.enter(attributes.expect(Tag.SEQUENCE, 'Attribute'));
    const type = decodeOid(buf, attr.expect(Tag.OID, 'attribute type'));
    const values = attr.enter(attr.expect(Tag.SET, 'attribute values'));
    if (type !== EXTENSION_REQUEST_OID) continue;
    while (!values.done) {
      const exts = values.enter(values.expect(Tag.SEQUENCE, 'Extensions'));
      while (!exts.done) {
        const ext = exts.enter(exts.expect(Tag.SEQUENCE, 'Extension'));
        const oid = decodeOid(buf, ext.expect(Tag.OID, 'extnID'));
        const critical = ext.optional(Tag.BOOLEAN);
        if (critical) readBoolean(buf, critical);
        out.set(oid, content(buf, ext.expect(Tag.OCTET_STRING, 'extnValue')));
      }
    }
  }
  return out;
}

/** GeneralName context tags (implicit, primitive) → the SAN list they go to. */
const GENERAL_NAME_TAGS: Readonly<Record<number, keyof SubjectAltNames>> = {
  0x81: 'email',
  0x82: 'dns',
  0x86: 'uri',
  0x87: 'ip',
};

function parseSans(der: Uint8Array): SubjectAltNames {
  const out = { dns: [] as string[], ip: [] as string[], email: [] as string[], uri: [] as string[] };
  const top = new DerReader(der);
  const names = top.enter(top.expect(Tag.SEQUENCE, 'GeneralNames'));
  while (!names.done) {
    const el = names.read();
    const kind = GENERAL_NAME_TAGS[el.tag];
    if (!kind) continue;
    const bytes = content(der, el);
    out[kind].push(kind === 'ip' ? formatIp(bytes) : Buffer.from(bytes).toString('latin1'));
  }
  return out;
}

function formatIp(bytes: Uint8Array): string {
  if (bytes.length === 4) return Array.from(bytes).join('.');
  if (bytes.length !== 16) return Buffer.from(bytes).toString('hex');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] << 8) | bytes[i + 1]).toString(16));
  // Compress the longest run of zero groups, as RFC 5952 prints it.
  let best = { start: -1, length: 0 };
  for (let i = 0; i < 8;) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > best.length && j - i > 1) best = { start: i, length: j - i };
    i = j;
  }
  if (best.start < 0) return groups.join(':');
  return `${groups.slice(0, best.start).join(':')}::${groups.slice(best.start + best.length).join(':')}`;
}

function parseKeyUsage(der: Uint8Array): string[] {
  const { bytes } = bitString(der, new DerReader(der).expect(Tag.BIT_STRING, 'KeyUsage'));
  return KEY_USAGE_BITS.filter((_, i) => i >> 3 < bytes.length && (bytes[i >> 3] & (0x80 >> (i & 7))) !== 0);
}

function parseExtKeyUsage(der: Uint8Array): string[] {
  const top = new DerReader(der);
  const seq = top.enter(top.expect(Tag.SEQUENCE, 'ExtKeyUsageSyntax'));
  const out: string[] = [];
  while (!seq.done) {
    const oid = decodeOid(der, seq.expect(Tag.OID, 'KeyPurposeId'));
    out.push(EXT_KEY_USAGES[oid] ?? oid);
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
