// The fields X.509 certificates and PKCS#10 requests share (RFC 5280 / RFC 2986), read with the
// lean DER reader: names, public keys, signature algorithms and extensions. Malformed input throws
// DerError; each caller turns it into its own error type. This is the audit's hot path: offsets and
// views, no ASN.1 schema objects.
import { Buffer } from 'node:buffer';
import {
  DerError,
  DerReader,
  Tag,
  bitString,
  content,
  decodeOid,
  integerBytes,
  readBoolean,
  smallInteger,
  whole,
  type DerElement,
} from './der';
import { GoParseRejection, parseNameConstraints, reverseLabels } from './nameConstraints';
import type {
  BasicConstraints,
  NameConstraints,
  DistinguishedName,
  KeyAlgorithm,
  NameAttribute,
  PublicKeyInfo,
  SignatureAlgorithm,
  SubjectAltNames,
} from './model';
import {
  EC_CURVES,
  EXTENSIONS,
  EXT_KEY_USAGES,
  HASH_ALGORITHMS,
  KEY_ALGORITHMS,
  KEY_USAGE_BITS,
  NAME_ATTRIBUTES,
  RSASSA_PSS_OID,
  SIGNATURE_ALGORITHMS,
} from './oids';

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

// ---- names ----

const utf8 = new TextDecoder('utf-8', { fatal: true });

function latin1(buf: Uint8Array, s: number, e: number): string {
  let out = '';
  for (let i = s; i < e; i++) out += String.fromCharCode(buf[i]);
  return out;
}

function ascii(buf: Uint8Array, el: DerElement, what: string): string {
  for (let i = el.contentStart; i < el.end; i++) {
    if (buf[i] > 0x7f) throw new DerError(`${what} holds non-ASCII bytes`, el.start);
  }
  return latin1(buf, el.contentStart, el.end);
}

function utf16be(buf: Uint8Array, el: DerElement): string {
  if ((el.end - el.contentStart) % 2) throw new DerError('BMPString of odd length', el.start);
  let out = '';
  for (let i = el.contentStart; i < el.end; i += 2) out += String.fromCharCode((buf[i] << 8) | buf[i + 1]);
  return out;
}

function utf32be(buf: Uint8Array, el: DerElement): string {
  if ((el.end - el.contentStart) % 4)
    throw new DerError('UniversalString length not a multiple of 4', el.start);
  let out = '';
  for (let i = el.contentStart; i < el.end; i += 4) {
    const cp = ((buf[i] << 24) | (buf[i + 1] << 16) | (buf[i + 2] << 8) | buf[i + 3]) >>> 0;
    if (cp > 0x10ffff) throw new DerError('UniversalString code point out of range', el.start);
    out += String.fromCodePoint(cp);
  }
  return out;
}

/** Directory string → text, or undefined for a type that is not a string (shown as #hex). */
function directoryString(buf: Uint8Array, el: DerElement): string | undefined {
  switch (el.tag) {
    case Tag.UTF8_STRING:
      try {
        return utf8.decode(content(buf, el));
      } catch {
        throw new DerError('UTF8String is not valid UTF-8', el.start);
      }
    case Tag.PRINTABLE_STRING:
    case Tag.IA5_STRING:
    case Tag.NUMERIC_STRING:
    case Tag.VISIBLE_STRING:
      return ascii(buf, el, 'string');
    case Tag.TELETEX_STRING:
      return latin1(buf, el.contentStart, el.end);
    case Tag.BMP_STRING:
      return utf16be(buf, el);
    case Tag.UNIVERSAL_STRING:
      return utf32be(buf, el);
    default:
      return undefined;
  }
}

/** Go's isPrintable: PrintableString plus '*' and '&', which real CAs use. */
const GO_PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?*&]*$/;

/** Why Go's parseName refuses this attribute value, or undefined (its parseASN1String). */
function goStringProblem(buf: Uint8Array, el: DerElement): string | undefined {
  switch (el.tag) {
    case Tag.TELETEX_STRING:
    case Tag.UTF8_STRING:
    case Tag.BMP_STRING:
    case Tag.IA5_STRING:
      return undefined;
    case Tag.PRINTABLE_STRING:
      return GO_PRINTABLE.test(latin1(buf, el.contentStart, el.end)) ? undefined : 'invalid PrintableString';
    case Tag.NUMERIC_STRING:
      return /^[0-9 ]*$/.test(latin1(buf, el.contentStart, el.end)) ? undefined : 'invalid NumericString';
    default:
      return `unsupported string type: ${el.tag}`;
  }
}

// Names are cached and shared: Go's verdict on each is kept beside it rather than in the model.
const nameGoRejects = new WeakMap<DistinguishedName, string>();

/** Why Go's parser refuses this name, or undefined. */
export function goNameProblem(name: DistinguishedName): string | undefined {
  return nameGoRejects.get(name);
}

/** RFC 4514 §2.4 escaping. */
const NEEDS_ESCAPE = /[,+"\\<>;\0]|^[ #]| $/;

function escapeValue(value: string): string {
  if (!NEEDS_ESCAPE.test(value)) return value;
  let out = value.replace(/[,+"\\<>;]/g, '\\$&').replace(/\0/g, '\\00');
  if (out.startsWith(' ') || out.startsWith('#')) out = '\\' + out;
  if (out.length > 1 && out.endsWith(' ') && !out.endsWith('\\ ')) out = out.slice(0, -1) + '\\ ';
  return out;
}

const NAME_CACHE_LIMIT = 4096;
// Thousands of leaves name a handful of issuers: each distinct name (the same DER) is read once and
// its value shared, which saves the parse and, in a bulk audit, most of the memory names take.
const nameCache = new Map<string, DistinguishedName>();

export function parseName(der: Uint8Array, parent: DerReader, what: string): DistinguishedName {
  const nameEl = parent.expect(Tag.SEQUENCE, what);
  const derHex = hex(whole(der, nameEl));
  const known = nameCache.get(derHex);
  if (known) return known;
  const name = readName(der, parent, nameEl, derHex, what);
  if (nameCache.size >= NAME_CACHE_LIMIT) nameCache.delete(nameCache.keys().next().value as string);
  nameCache.set(derHex, name);
  return name;
}

function readName(
  der: Uint8Array,
  parent: DerReader,
  nameEl: DerElement,
  derHex: string,
  what: string,
): DistinguishedName {
  const rdns: NameAttribute[][] = [];
  const displayRdns: string[] = [];
  let goProblem: string | undefined;
  const nr = parent.enter(nameEl);
  while (!nr.done) {
    const sr = nr.enter(nr.expect(Tag.SET, `${what} RDN`));
    const rdn: NameAttribute[] = [];
    let display = '';
    while (!sr.done) {
      const ar = sr.enter(sr.expect(Tag.SEQUENCE, `${what} attribute`));
      const oid = decodeOid(der, ar.expect(Tag.OID, 'attribute type'));
      // Go reads the type and the value and ignores anything after them.
      const valueEl = ar.read();
      const text = directoryString(der, valueEl);
      goProblem ??= goStringProblem(der, valueEl);
      const type = NAME_ATTRIBUTES[oid] ?? oid;
      const value = text ?? '#' + hex(whole(der, valueEl));
      rdn.push({ oid, type, value });
      display += (display ? '+' : '') + type + '=' + (text === undefined ? value : escapeValue(text));
    }
    // An empty RDN is not DER-invalid and Go accepts it: nothing to show.
    if (rdn.length === 0) continue;
    rdns.push(rdn);
    displayRdns.push(display);
  }
  const name = { rdns, display: displayRdns.reverse().join(', '), derHex };
  if (goProblem) nameGoRejects.set(name, `x509: invalid RDNSequence: invalid attribute value: ${goProblem}`);
  return name;
}

// ---- keys and algorithms ----

export function parseSpki(der: Uint8Array, parent: DerReader, spkiEl: DerElement): PublicKeyInfo {
  const r = parent.enter(spkiEl);
  const ar = r.enter(r.expect(Tag.SEQUENCE, 'public key algorithm'));
  const oid = decodeOid(der, ar.expect(Tag.OID, 'public key algorithm OID'));
  const paramEl = ar.done ? undefined : ar.read();
  ar.finish('public key parameters');
  // Go ignores anything after the key bits.
  const keyBits = bitString(der, r.expect(Tag.BIT_STRING, 'subjectPublicKey'));
  const spkiDer = whole(der, spkiEl);
  const algorithm: KeyAlgorithm = KEY_ALGORITHMS[oid] ?? 'unknown';
  if (algorithm === 'RSA') {
    const kr = new DerReader(keyBits.bytes, 0, keyBits.bytes.length, r.depth + 1);
    const seq = kr.expect(Tag.SEQUENCE, 'RSAPublicKey');
    kr.finish('RSAPublicKey');
    const modulus = integerBytes(keyBits.bytes, kr.enter(seq).expect(Tag.INTEGER, 'RSA modulus'));
    return { algorithm, bits: unsignedBitLength(modulus), spkiDer };
  }
  if (algorithm === 'EC') {
    if (paramEl?.tag !== Tag.OID) return { algorithm, spkiDer };
    const curveOid = decodeOid(der, paramEl);
    const curve = EC_CURVES[curveOid];
    return curve
      ? { algorithm, bits: curve.bits, curve: curve.name, spkiDer }
      : { algorithm, curve: curveOid, spkiDer };
  }
  return { algorithm, spkiDer };
}

function unsignedBitLength(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length && bytes[i] === 0) i++;
  if (i === bytes.length) return 0;
  return (bytes.length - i - 1) * 8 + (32 - Math.clz32(bytes[i]));
}

export function parseSignatureAlgorithm(der: Uint8Array, r: DerReader): SignatureAlgorithm {
  const oid = decodeOid(der, r.expect(Tag.OID, 'signature algorithm OID'));
  const info = SIGNATURE_ALGORITHMS[oid];
  if (!info) return { oid, name: oid };
  if (oid === RSASSA_PSS_OID) return { oid, name: info.name, hash: readPssParams(der, r).hash };
  return info.hash ? { oid, name: info.name, hash: info.hash } : { oid, name: info.name };
}

export function readPssParams(der: Uint8Array, r: DerReader): { hash: string; saltLength: number } {
  let hash = 'SHA-1';
  let saltLength = 20;
  const paramsEl = r.optional(Tag.SEQUENCE);
  if (paramsEl) {
    const pr = r.enter(paramsEl);
    const hashEl = pr.optional(0xa0);
    if (hashEl) {
      const hr = pr.enter(hashEl);
      const hashOid = decodeOid(
        der,
        hr.enter(hr.expect(Tag.SEQUENCE, 'PSS hash')).expect(Tag.OID, 'PSS hash OID'),
      );
      hash = HASH_ALGORITHMS[hashOid] ?? hashOid;
    }
    pr.optional(0xa1);
    const saltEl = pr.optional(0xa2);
    if (saltEl) saltLength = smallInteger(der, pr.enter(saltEl).expect(Tag.INTEGER, 'PSS salt length'));
  }
  return { hash, saltLength };
}

// ---- extensions ----

/** The extensions kubecerts reads; the others are skipped. */
export interface Extensions {
  sans: SubjectAltNames;
  keyUsage?: string[];
  extKeyUsage?: string[];
  basicConstraints?: BasicConstraints;
  subjectKeyId?: string;
  authorityKeyId?: string;
  nameConstraints?: NameConstraints;
  /** Hex of the subjectAltName value, when the extension is present. */
  sanHex?: string;
  /** Critical extensions Go leaves unhandled (dotted OIDs). */
  unhandledCritical?: string[];
  /** Why Go's processExtensions refuses the certificate, if it does. */
  goRejects?: string;
}

const NONE: readonly string[] = Object.freeze([]);
export const NO_SANS: SubjectAltNames = Object.freeze({ dns: NONE, ip: NONE, email: NONE, uri: NONE });

/** Reads one extension value into `out`; returns false when Go leaves it unhandled. */
type ExtensionParser = (
  der: Uint8Array,
  value: DerReader,
  out: Extensions,
  critical: boolean,
) => boolean | void;

const AIA_OID = '1.3.6.1.5.5.7.1.1';

/**
 * Go's list: these extensions are handled (a critical one is fine), and each reader refuses what
 * Go refuses. Trailing bytes after the value's first element are ignored, as Go does.
 */
const EXTENSION_PARSERS: Readonly<Record<string, ExtensionParser>> = {
  [EXTENSIONS.subjectAltName]: parseSans,
  [EXTENSIONS.keyUsage]: (der, r, out) => {
    const { bytes, unused } = bitString(der, r.expect(Tag.BIT_STRING, 'keyUsage'));
    const names: string[] = [];
    const total = bytes.length * 8 - unused;
    for (let bit = 0; bit < Math.min(total, KEY_USAGE_BITS.length); bit++) {
      if (bytes[bit >> 3] & (0x80 >> (bit & 7))) names.push(KEY_USAGE_BITS[bit]);
    }
    out.keyUsage = names;
  },
  [EXTENSIONS.extKeyUsage]: (der, r, out) => {
    const er = r.enter(r.expect(Tag.SEQUENCE, 'extKeyUsage'));
    const names: string[] = [];
    while (!er.done) {
      const oid = decodeOid(der, er.expect(Tag.OID, 'key purpose'));
      names.push(EXT_KEY_USAGES[oid] ?? oid);
    }
    out.extKeyUsage = names;
  },
  [EXTENSIONS.basicConstraints]: (der, r, out) => {
    const br = r.enter(r.expect(Tag.SEQUENCE, 'basicConstraints'));
    const caEl = br.optional(Tag.BOOLEAN);
    const ca = caEl ? readBoolean(der, caEl) : false;
    const pathEl = br.optional(Tag.INTEGER);
    // Go: a negative pathLen is no limit at all.
    const negative = pathEl !== undefined && integerBytes(der, pathEl)[0] >= 0x80;
    out.basicConstraints = pathEl && !negative ? { ca, pathLen: smallInteger(der, pathEl) } : { ca };
  },
  [EXTENSIONS.subjectKeyIdentifier]: (der, r, out, critical) => {
    if (critical) out.goRejects ??= 'x509: subject key identifier incorrectly marked critical';
    out.subjectKeyId = hex(content(der, r.expect(Tag.OCTET_STRING, 'subjectKeyIdentifier')));
  },
  [EXTENSIONS.authorityKeyIdentifier]: (der, r, out, critical) => {
    if (critical) out.goRejects ??= 'x509: authority key identifier incorrectly marked critical';
    const ar = r.enter(r.expect(Tag.SEQUENCE, 'authorityKeyIdentifier'));
    const idEl = ar.optional(0x80);
    if (idEl) out.authorityKeyId = hex(content(der, idEl));
  },
  [EXTENSIONS.nameConstraints]: (der, r, out, critical) => {
    const { constraints, unhandled } = parseNameConstraints(der, r, critical);
    out.nameConstraints = constraints;
    return !unhandled;
  },
  [EXTENSIONS.crlDistributionPoints]: (_der, r) => {
    goStructure('x509: invalid CRL distribution points', () => {
      const list = r.enter(r.expect(Tag.SEQUENCE, 'CRLDistributionPoints'));
      while (!list.done) {
        const dp = list.enter(list.expect(Tag.SEQUENCE, 'DistributionPoint'));
        const nameEl = dp.optional(0xa0);
        if (!nameEl) continue;
        const full = dp.enter(nameEl);
        const names = full.enter(full.expect(0xa0, 'fullName'));
        while (names.peekTag() === 0x86) names.read();
      }
    });
  },
  [EXTENSIONS.certificatePolicies]: (der, r) => {
    goStructure('x509: invalid certificate policies', () => {
      const list = r.enter(r.expect(Tag.SEQUENCE, 'certificatePolicies'));
      while (!list.done) {
        const info = list.enter(list.expect(Tag.SEQUENCE, 'PolicyInformation'));
        decodeOid(der, info.expect(Tag.OID, 'policy OID'));
      }
    });
  },
  [AIA_OID]: (der, r, out, critical) => {
    if (critical) out.goRejects ??= 'x509: authority info access incorrectly marked critical';
    goStructure('x509: invalid authority info access', () => {
      const list = r.enter(r.expect(Tag.SEQUENCE, 'AuthorityInfoAccess'));
      while (!list.done) {
        const ad = list.enter(list.expect(Tag.SEQUENCE, 'AccessDescription'));
        decodeOid(der, ad.expect(Tag.OID, 'accessMethod'));
        if (ad.peekTag() === 0x86) ad.read();
      }
    });
  },
};

/** Runs a structural read whose failure makes Go refuse the certificate (kubecerts still shows it). */
function goStructure(reason: string, read: () => void): void {
  try {
    read();
  } catch (err) {
    if (err instanceof DerError) throw new GoParseRejection(reason);
    throw err;
  }
}

/**
 * Reads one `SEQUENCE OF Extension` (`listEl`, read from `parent`) into `out`: a certificate has one
 * list, a request may carry several in its extensionRequest attribute, later ones winning.
 */
export function parseExtensions(
  der: Uint8Array,
  parent: DerReader,
  listEl: DerElement,
  out: Extensions = { sans: NO_SANS },
): Extensions {
  const lr = parent.enter(listEl);
  const seen: string[] = [];
  while (!lr.done) {
    const er = lr.enter(lr.expect(Tag.SEQUENCE, 'extension'));
    const oidEl = er.expect(Tag.OID, 'extension OID');
    const oid = decodeOid(der, oidEl);
    const criticalEl = er.optional(Tag.BOOLEAN);
    const critical = criticalEl ? readBoolean(der, criticalEl) : false;
    // Go ignores anything after the value.
    const valueEl = er.expect(Tag.OCTET_STRING, 'extension value');
    if (seen.includes(oid)) throw new DerError(`extension ${oid} appears twice`, oidEl.start);
    seen.push(oid);
    const parser = EXTENSION_PARSERS[oid];
    let handled = false;
    if (parser) {
      const vr = new DerReader(der, valueEl.contentStart, valueEl.end, er.depth + 1);
      try {
        handled = parser(der, vr, out, critical) !== false;
      } catch (err) {
        if (!(err instanceof GoParseRejection)) throw err;
        out.goRejects ??= err.message;
        handled = true;
      }
    }
    if (critical && !handled) (out.unhandledCritical ??= []).push(oid);
  }
  return out;
}

function parseSans(der: Uint8Array, r: DerReader, out: Extensions): boolean {
  out.sanHex = hex(der.subarray(r.offset, r.end));
  const gr = r.enter(r.expect(Tag.SEQUENCE, 'subjectAltName'));
  const dns: string[] = [];
  const ip: string[] = [];
  const email: string[] = [];
  const uri: string[] = [];
  while (!gr.done) {
    const el = gr.read();
    switch (el.tag) {
      case 0x81:
        email.push(ascii(der, el, 'email SAN'));
        break;
      case 0x82:
        dns.push(ascii(der, el, 'DNS SAN'));
        break;
      case 0x86: {
        const value = ascii(der, el, 'URI SAN');
        const problem = goUriProblem(value);
        if (problem) out.goRejects ??= `x509: cannot parse URI ${JSON.stringify(value)}: ${problem}`;
        uri.push(value);
        break;
      }
      case 0x87:
        ip.push(formatIp(content(der, el), el));
        break;
    }
  }
  out.sans = { dns, ip, email, uri };
  // Go: a SAN extension with no name it reads is unhandled (fatal when critical).
  return dns.length + ip.length + email.length + uri.length > 0;
}

/** What Go's url.Parse and host check refuse in a URI SAN (an approximation of net/url). */
function goUriProblem(uri: string): string | undefined {
  if (/[\x00-\x1f\x7f]/.test(uri)) return 'invalid control character in URL';
  if (/%(?![0-9A-Fa-f]{2})/.test(uri)) return 'invalid URL escape';
  if (uri.startsWith(':')) return 'missing protocol scheme';
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:/.test(uri) && uri.split('/', 1)[0].includes(':'))
    return 'first path segment in URL cannot contain colon';
  const m = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#]*)/.exec(uri);
  if (!m) return undefined;
  const at = m[1].lastIndexOf('@');
  const host = at >= 0 ? m[1].slice(at + 1) : m[1];
  if (/[\\ {}|^`"<>]/.test(host)) return 'invalid character in host name';
  return host && !reverseLabels(host) ? 'invalid domain' : undefined;
}

/** Go's net.IP.String(): dotted IPv4 (also for IPv4-mapped IPv6), RFC 5952 for IPv6. */
function formatIp(bytes: Uint8Array, el: DerElement): string {
  if (bytes.length === 4) return bytes.join('.');
  if (bytes.length !== 16) throw new DerError(`IP address SAN of ${bytes.length} bytes`, el.start);
  let mapped = bytes[10] === 0xff && bytes[11] === 0xff;
  for (let i = 0; i < 10 && mapped; i++) mapped = bytes[i] === 0;
  if (mapped) return bytes.subarray(12).join('.');
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((bytes[i] << 8) | bytes[i + 1]);
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const part = (from: number, to: number) =>
    groups
      .slice(from, to)
      .map((g) => g.toString(16))
      .join(':');
  return bestStart < 0 ? part(0, 8) : `${part(0, bestStart)}::${part(bestStart + bestLen, 8)}`;
}
