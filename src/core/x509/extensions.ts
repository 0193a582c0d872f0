// Certificate extensions (RFC 5280 §4.2) as Go's processExtensions reads them: one parser per
// extension in a table, each refusing what Go refuses; critical extensions Go leaves unhandled are
// listed. Certificates and PKCS#10 requests (extensionRequest) share it. Malformed input throws DerError.
import {
  DerError,
  DerReader,
  Tag,
  bitString,
  content,
  decodeOid,
  hex,
  integerBytes,
  readBoolean,
  smallInteger,
  type DerElement,
} from './der';
import { GoParseRejection, parseNameConstraints, reverseLabels } from './nameConstraints';
import { ascii } from './names';
import type { BasicConstraints, NameConstraints, SubjectAltNames } from './model';
import { EXTENSIONS, EXT_KEY_USAGES, KEY_USAGE_BITS } from './oids';

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
