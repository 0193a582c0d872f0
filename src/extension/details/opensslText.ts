// The full decoding of one certificate, laid out as `openssl x509 -text -noout` prints it (the
// layout people compare with): version, serial, signature algorithm, issuer, validity, subject, the
// public key with its parameters, every extension with its criticality, the signature. Read from
// the DER with the core's DER reader; labels stay openssl's English, as in openssl's own output.
// vscode-free: plain-Node tests compare it with openssl.
import { Buffer } from 'node:buffer';
import {
  DerReader,
  Tag,
  bitString,
  content,
  decodeOid,
  integerBytes,
  readBoolean,
  type DerElement,
} from '../../core/x509/der';
import type { Certificate } from '../../core/x509/model';
import { EC_CURVES, NAME_ATTRIBUTES, SIGNATURE_ALGORITHMS } from '../../core/x509/oids';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** openssl's key algorithm names (OBJ_nid2ln). */
const KEY_ALGORITHM_NAMES: Readonly<Record<string, string>> = {
  '1.2.840.113549.1.1.1': 'rsaEncryption',
  '1.2.840.113549.1.1.10': 'rsassaPss',
  '1.2.840.10045.2.1': 'id-ecPublicKey',
  '1.3.101.112': 'ED25519',
  '1.3.101.113': 'ED448',
};

/** openssl's curve names: the ASN1 OID line and the NIST name. */
const OPENSSL_CURVES: Readonly<Record<string, { asn1: string; nist?: string }>> = {
  '1.2.840.10045.3.1.7': { asn1: 'prime256v1', nist: 'P-256' },
  '1.3.132.0.34': { asn1: 'secp384r1', nist: 'P-384' },
  '1.3.132.0.35': { asn1: 'secp521r1', nist: 'P-521' },
  '1.3.132.0.33': { asn1: 'secp224r1', nist: 'P-224' },
};

const KEY_USAGE_NAMES = [
  'Digital Signature',
  'Non Repudiation',
  'Key Encipherment',
  'Data Encipherment',
  'Key Agreement',
  'Certificate Sign',
  'CRL Sign',
  'Encipher Only',
  'Decipher Only',
];

const EKU_NAMES: Readonly<Record<string, string>> = {
  '1.3.6.1.5.5.7.3.1': 'TLS Web Server Authentication',
  '1.3.6.1.5.5.7.3.2': 'TLS Web Client Authentication',
  '1.3.6.1.5.5.7.3.3': 'Code Signing',
  '1.3.6.1.5.5.7.3.4': 'E-mail Protection',
  '1.3.6.1.5.5.7.3.8': 'Time Stamping',
  '1.3.6.1.5.5.7.3.9': 'OCSP Signing',
  '2.5.29.37.0': 'Any Extended Key Usage',
};

const ACCESS_METHODS: Readonly<Record<string, string>> = {
  '1.3.6.1.5.5.7.48.1': 'OCSP',
  '1.3.6.1.5.5.7.48.2': 'CA Issuers',
};

const POLICY_QUALIFIERS: Readonly<Record<string, string>> = {
  '1.3.6.1.5.5.7.2.1': 'CPS',
  '1.3.6.1.5.5.7.2.2': 'User Notice',
};

type ExtensionBody = (der: Uint8Array, value: DerElement) => string[];

interface ExtensionKind {
  readonly name: string;
  readonly body: ExtensionBody;
}

/** Every extension openssl names, with how it prints the value; others print as a hex dump. */
const EXTENSION_KINDS: Readonly<Record<string, ExtensionKind>> = {
  '2.5.29.14': {
    name: 'X509v3 Subject Key Identifier',
    body: (der, v) => [colonHex(content(der, single(der, v, Tag.OCTET_STRING)), true)],
  },
  '2.5.29.35': { name: 'X509v3 Authority Key Identifier', body: authorityKeyId },
  '2.5.29.17': {
    name: 'X509v3 Subject Alternative Name',
    body: (der, v) => [generalNames(der, single(der, v, Tag.SEQUENCE)).join(', ')],
  },
  '2.5.29.18': {
    name: 'X509v3 Issuer Alternative Name',
    body: (der, v) => [generalNames(der, single(der, v, Tag.SEQUENCE)).join(', ')],
  },
  '2.5.29.15': { name: 'X509v3 Key Usage', body: keyUsage },
  '2.5.29.37': {
    name: 'X509v3 Extended Key Usage',
    body: (der, v) => [
      children(der, single(der, v, Tag.SEQUENCE))
        .map((el) => oidName(decodeOid(der, el), EKU_NAMES))
        .join(', '),
    ],
  },
  '2.5.29.19': { name: 'X509v3 Basic Constraints', body: basicConstraints },
  '2.5.29.32': { name: 'X509v3 Certificate Policies', body: policies },
  '1.3.6.1.5.5.7.1.1': { name: 'Authority Information Access', body: authorityInfoAccess },
  '2.5.29.31': { name: 'X509v3 CRL Distribution Points', body: crlDistributionPoints },
  '2.5.29.30': { name: 'X509v3 Name Constraints', body: nameConstraints },
};

/** `openssl x509 -text -noout` of the certificate. Never throws: an unreadable part says so. */
export function opensslText(cert: Certificate): string {
  const der = cert.der;
  const out: string[] = ['Certificate:', '    Data:'];
  try {
    const top = new DerReader(der);
    const c = top.enter(top.expect(Tag.SEQUENCE, 'Certificate'));
    const t = c.enter(c.expect(Tag.SEQUENCE, 'tbsCertificate'));
    const outerAlg = c.expect(Tag.SEQUENCE, 'signatureAlgorithm');
    const signature = bitString(der, c.expect(Tag.BIT_STRING, 'signature'));
    const versionEl = t.optional(0xa0);
    const version = versionEl
      ? integerValue(integerBytes(der, single(der, versionEl, Tag.INTEGER))) + 1n
      : 1n;
    out.push(`        Version: ${version} (0x${(version - 1n).toString(16)})`);
    out.push(...serialLines(integerBytes(der, t.expect(Tag.INTEGER, 'serial'))));
    const innerAlg = t.expect(Tag.SEQUENCE, 'signature');
    out.push(`        Signature Algorithm: ${algorithmName(der, innerAlg)}`);
    out.push(`        Issuer: ${nameText(der, t.expect(Tag.SEQUENCE, 'issuer'))}`);
    out.push('        Validity');
    out.push(`            Not Before: ${opensslDate(cert.notBefore)}`);
    out.push(`            Not After : ${opensslDate(cert.notAfter)}`);
    t.expect(Tag.SEQUENCE, 'validity');
    out.push(`        Subject: ${nameText(der, t.expect(Tag.SEQUENCE, 'subject'))}`);
    out.push('        Subject Public Key Info:');
    out.push(...publicKeyLines(der, t.expect(Tag.SEQUENCE, 'subjectPublicKeyInfo'), cert));
    t.optional(0x81);
    t.optional(0x82);
    const extensions = t.optional(0xa3);
    if (extensions) {
      out.push('        X509v3 extensions:');
      for (const ext of children(der, single(der, extensions, Tag.SEQUENCE)))
        out.push(...extensionLines(der, ext));
    }
    out.push(`    Signature Algorithm: ${algorithmName(der, outerAlg)}`);
    out.push('    Signature Value:');
    out.push(...hexBlock(signature.bytes, 18, '        '));
  } catch (error) {
    out.push(
      `        (the rest could not be decoded: ${error instanceof Error ? error.message : 'unknown error'})`,
    );
  }
  return out.join('\n') + '\n';
}

function children(der: Uint8Array, el: DerElement): DerElement[] {
  const r = new DerReader(der, el.contentStart, el.end);
  const list: DerElement[] = [];
  while (!r.done) list.push(r.read());
  return list;
}

/** The one element inside `el`'s content (an OCTET STRING's or an explicit tag's), checked for `tag`. */
function single(der: Uint8Array, el: DerElement, tag: number): DerElement {
  const r = new DerReader(der, el.contentStart, el.end);
  return r.expect(tag, 'value');
}

function integerValue(bytes: Uint8Array): bigint {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return bytes.length > 0 && bytes[0] >= 0x80 ? n - (1n << BigInt(bytes.length * 8)) : n;
}

function colonHex(bytes: Uint8Array, upper = false): string {
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(':');
  return upper ? hex.toUpperCase() : hex;
}

/** openssl's hex dumps: `perLine` bytes per line, a colon after each byte but the last. */
function hexBlock(bytes: Uint8Array, perLine: number, indent: string): string[] {
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += perLine) {
    const chunk = colonHex(bytes.subarray(i, i + perLine));
    lines.push(indent + chunk + (i + perLine < bytes.length ? ':' : ''));
  }
  return lines;
}

function serialLines(bytes: Uint8Array): string[] {
  const value = integerValue(bytes);
  // openssl prints serials that fit a long in decimal and hex on one line.
  if (value >= 0n && value < 1n << 63n && bytes.length <= 8)
    return [`        Serial Number: ${value} (0x${value.toString(16)})`];
  if (value < 0n) return ['        Serial Number: (Negative)', `            ${colonHex(magnitude(-value))}`];
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  return ['        Serial Number:', `            ${colonHex(bytes.subarray(start))}`];
}

function magnitude(n: bigint): Uint8Array {
  let hex = n.toString(16);
  if (hex.length % 2) hex = '0' + hex;
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}

function algorithmName(der: Uint8Array, el: DerElement): string {
  const oid = decodeOid(der, children(der, el)[0]);
  return SIGNATURE_ALGORITHMS[oid]?.name ?? oid;
}

function opensslDate(date: Date): string {
  const day = String(date.getUTCDate()).padStart(2, ' ');
  const time = date.toISOString().slice(11, 19);
  return `${MONTHS[date.getUTCMonth()]} ${day} ${time} ${date.getUTCFullYear()} GMT`;
}

function stringValue(der: Uint8Array, el: DerElement): string {
  const bytes = content(der, el);
  if (el.tag === Tag.BMP_STRING) return Buffer.from(bytes).swap16().toString('utf16le');
  return Buffer.from(bytes).toString(el.tag === Tag.UTF8_STRING ? 'utf8' : 'latin1');
}

/** "CN = kube-apiserver, O = system:masters", in certificate order. */
function nameText(der: Uint8Array, el: DerElement): string {
  const parts: string[] = [];
  for (const rdn of children(der, el)) {
    for (const atv of children(der, rdn)) {
      const [oidEl, valueEl] = children(der, atv);
      const oid = decodeOid(der, oidEl);
      parts.push(`${NAME_ATTRIBUTES[oid] ?? oid} = ${stringValue(der, valueEl)}`);
    }
  }
  return parts.join(', ');
}

function publicKeyLines(der: Uint8Array, spki: DerElement, cert: Certificate): string[] {
  const [algEl, keyEl] = children(der, spki);
  const [oidEl, paramsEl] = children(der, algEl);
  const oid = decodeOid(der, oidEl);
  const key = bitString(der, keyEl).bytes;
  const lines = [`            Public Key Algorithm: ${KEY_ALGORITHM_NAMES[oid] ?? oid}`];
  const indent = '                ';
  if (cert.publicKey.algorithm === 'RSA') {
    const r = new DerReader(key);
    const rsa = r.enter(r.expect(Tag.SEQUENCE, 'RSAPublicKey'));
    const modulus = content(key, rsa.expect(Tag.INTEGER, 'modulus'));
    const exponent = integerValue(content(key, rsa.expect(Tag.INTEGER, 'exponent')));
    lines.push(`${indent}Public-Key: (${cert.publicKey.bits ?? '?'} bit)`, `${indent}Modulus:`);
    lines.push(...hexBlock(modulus, 15, indent + '    '));
    lines.push(`${indent}Exponent: ${exponent} (0x${exponent.toString(16)})`);
  } else if (cert.publicKey.algorithm === 'EC') {
    const curveOid = paramsEl?.tag === Tag.OID ? decodeOid(der, paramsEl) : undefined;
    const bits = cert.publicKey.bits ?? (curveOid ? EC_CURVES[curveOid]?.bits : undefined);
    lines.push(`${indent}Public-Key: (${bits ?? '?'} bit)`, `${indent}pub:`);
    lines.push(...hexBlock(key, 15, indent + '    '));
    const curve = curveOid ? OPENSSL_CURVES[curveOid] : undefined;
    lines.push(`${indent}ASN1 OID: ${curve?.asn1 ?? curveOid ?? 'explicit parameters'}`);
    if (curve?.nist) lines.push(`${indent}NIST CURVE: ${curve.nist}`);
  } else if (cert.publicKey.algorithm === 'Ed25519' || cert.publicKey.algorithm === 'Ed448') {
    lines.push(`${indent}${cert.publicKey.algorithm.toUpperCase()} Public-Key:`, `${indent}pub:`);
    lines.push(...hexBlock(key, 15, indent + '    '));
  } else {
    lines.push(...hexBlock(key, 15, indent));
  }
  return lines;
}

function extensionLines(der: Uint8Array, ext: DerElement): string[] {
  const parts = children(der, ext);
  const oid = decodeOid(der, parts[0]);
  const critical = parts[1].tag === Tag.BOOLEAN && readBoolean(der, parts[1]);
  const valueEl = parts[parts.length - 1];
  const kind = EXTENSION_KINDS[oid];
  const head = `            ${kind?.name ?? oid}:${critical ? ' critical' : ''}`;
  const indent = '                ';
  try {
    if (kind) return [head, ...kind.body(der, valueEl).map((line) => indent + line)];
  } catch {
    // A malformed value prints as its bytes, as openssl does.
  }
  return [head, ...hexBlock(content(der, valueEl), 16, indent)];
}

function oidName(oid: string, names: Readonly<Record<string, string>>): string {
  return names[oid] ?? oid;
}

function generalName(der: Uint8Array, el: DerElement): string {
  const text = () => Buffer.from(content(der, el)).toString('latin1');
  switch (el.tag) {
    case 0xa0:
      return 'othername:<unsupported>';
    case 0x81:
      return `email:${text()}`;
    case 0x82:
      return `DNS:${text()}`;
    case 0xa4:
      return `DirName:${nameText(der, single(der, el, Tag.SEQUENCE)).replace(/ = /g, '=')}`;
    case 0x86:
      return `URI:${text()}`;
    case 0x87:
      return `IP Address:${ipText(content(der, el))}`;
    case 0x88:
      return `Registered ID:${decodeOid(der, { ...el, tag: Tag.OID })}`;
    default:
      return `<unsupported ${el.tag.toString(16)}>`;
  }
}

function generalNames(der: Uint8Array, el: DerElement): string[] {
  return children(der, el).map((name) => generalName(der, name));
}

/** openssl writes IPv6 addresses uncompressed, in upper-case hex; name constraints add the mask. */
function ipText(bytes: Uint8Array): string {
  if (bytes.length === 4) return bytes.join('.');
  if (bytes.length === 8) return `${bytes.subarray(0, 4).join('.')}/${bytes.subarray(4).join('.')}`;
  const groups = (b: Uint8Array) =>
    Array.from({ length: b.length / 2 }, (_, i) =>
      ((b[2 * i] << 8) | b[2 * i + 1]).toString(16).toUpperCase(),
    ).join(':');
  if (bytes.length === 16) return groups(bytes);
  if (bytes.length === 32) return `${groups(bytes.subarray(0, 16))}/${groups(bytes.subarray(16))}`;
  return colonHex(bytes);
}

function authorityKeyId(der: Uint8Array, v: DerElement): string[] {
  const lines: string[] = [];
  for (const el of children(der, single(der, v, Tag.SEQUENCE))) {
    if (el.tag === 0x80) lines.push(colonHex(content(der, el), true));
    else if (el.tag === 0xa1) lines.push(...generalNames(der, el));
    else if (el.tag === 0x82) lines.push(`serial:${colonHex(content(der, el), true)}`);
  }
  return lines;
}

function keyUsage(der: Uint8Array, v: DerElement): string[] {
  const { bytes, unused } = bitString(der, single(der, v, Tag.BIT_STRING));
  const names: string[] = [];
  const total = bytes.length * 8 - unused;
  for (let bit = 0; bit < Math.min(total, KEY_USAGE_NAMES.length); bit++)
    if (bytes[bit >> 3] & (0x80 >> (bit & 7))) names.push(KEY_USAGE_NAMES[bit]);
  return [names.join(', ')];
}

function basicConstraints(der: Uint8Array, v: DerElement): string[] {
  let ca = false;
  let pathLen: bigint | undefined;
  for (const el of children(der, single(der, v, Tag.SEQUENCE))) {
    if (el.tag === Tag.BOOLEAN) ca = readBoolean(der, el);
    if (el.tag === Tag.INTEGER) pathLen = integerValue(content(der, el));
  }
  return [`CA:${ca ? 'TRUE' : 'FALSE'}${pathLen !== undefined ? `, pathlen:${pathLen}` : ''}`];
}

function policies(der: Uint8Array, v: DerElement): string[] {
  const lines: string[] = [];
  for (const info of children(der, single(der, v, Tag.SEQUENCE))) {
    const [oidEl, qualifiers] = children(der, info);
    const oid = decodeOid(der, oidEl);
    lines.push(`Policy: ${oid === '2.5.29.32.0' ? 'X509v3 Any Policy' : oid}`);
    for (const q of qualifiers ? children(der, qualifiers) : []) {
      const [qOid, qValue] = children(der, q);
      const name = POLICY_QUALIFIERS[decodeOid(der, qOid)] ?? decodeOid(der, qOid);
      lines.push(qValue?.tag === Tag.IA5_STRING ? `  ${name}: ${stringValue(der, qValue)}` : `  ${name}`);
    }
  }
  return lines;
}

function authorityInfoAccess(der: Uint8Array, v: DerElement): string[] {
  return children(der, single(der, v, Tag.SEQUENCE)).map((ad) => {
    const [method, location] = children(der, ad);
    return `${oidName(decodeOid(der, method), ACCESS_METHODS)} - ${generalName(der, location)}`;
  });
}

function crlDistributionPoints(der: Uint8Array, v: DerElement): string[] {
  const lines: string[] = [];
  for (const dp of children(der, single(der, v, Tag.SEQUENCE))) {
    for (const field of children(der, dp)) {
      if (field.tag !== 0xa0) continue;
      for (const name of children(der, field)) {
        if (name.tag === 0xa0) lines.push('Full Name:', ...generalNames(der, name).map((n) => `  ${n}`));
        else lines.push('Relative Name:');
      }
    }
  }
  return lines;
}

function nameConstraints(der: Uint8Array, v: DerElement): string[] {
  const lines: string[] = [];
  for (const subtrees of children(der, single(der, v, Tag.SEQUENCE))) {
    lines.push(subtrees.tag === 0xa0 ? 'Permitted:' : 'Excluded:');
    for (const subtree of children(der, subtrees))
      lines.push(`  ${generalName(der, children(der, subtree)[0])}`);
  }
  return lines;
}
