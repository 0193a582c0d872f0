// Name constraints as Go 1.23's crypto/x509 reads and enforces them (RFC 5280 §4.2.1.10 with Go's
// choices): DNS, IP, email and URI subtrees; a leading period on a DNS constraint means "strict
// subdomains"; an empty constraint matches everything (as NSS); other name forms (directory names)
// leave the extension unhandled, which fails the chain when it is critical.
import { DerError, type DerReader, Tag, content, type DerElement } from './der';
import type { Certificate, NameConstraints, NameSubtrees } from './model';

/** Go's domainToReverseLabels: labels last-first, or undefined when the name is not acceptable. */
export function reverseLabels(domain: string): string[] | undefined {
  if (domain === '') return [];
  const labels = domain.split('.').reverse();
  for (const label of labels) {
    if (label === '') return undefined;
    for (let i = 0; i < label.length; i++) {
      const c = label.charCodeAt(i);
      if (c < 33 || c > 126) return undefined;
    }
  }
  return labels;
}

const ATEXT = /[0-9A-Za-z!#$%&'*+\-/=?^_`{|}~.]/;

/** Go's parseRFC2821Mailbox: local part and domain, or undefined. */
export function parseMailbox(input: string): { local: string; domain: string } | undefined {
  if (input === '') return undefined;
  let local = '';
  let i = 0;
  if (input[0] === '"') {
    i = 1;
    for (;;) {
      if (i >= input.length) return undefined;
      const c = input.charCodeAt(i++);
      if (c === 0x22) break;
      if (c === 0x5c) {
        if (i >= input.length) return undefined;
        const q = input.charCodeAt(i);
        if (q === 11 || q === 12 || (q >= 1 && q <= 9) || (q >= 14 && q <= 127)) {
          local += input[i++];
        } else return undefined;
      } else if (
        c === 11 ||
        c === 12 ||
        c === 32 ||
        c === 33 ||
        c === 127 ||
        (c >= 1 && c <= 8) ||
        (c >= 14 && c <= 31) ||
        (c >= 35 && c <= 91) ||
        (c >= 93 && c <= 126)
      ) {
        local += input[i - 1];
      } else return undefined;
    }
  } else {
    while (i < input.length) {
      let c = input[i];
      if (c === '\\') {
        i++;
        if (i >= input.length) return undefined;
        c = input[i];
        local += c;
        i++;
        continue;
      }
      if (!ATEXT.test(c)) break;
      local += c;
      i++;
    }
    if (local === '' || local.startsWith('.') || local.endsWith('.') || local.includes('..'))
      return undefined;
  }
  if (input[i] !== '@') return undefined;
  const domain = input.slice(i + 1);
  if (!reverseLabels(domain)) return undefined;
  return { local, domain };
}

// ---- parsing (Go's parseNameConstraintsExtension) ----

const NO_SUBTREES: NameSubtrees = Object.freeze({ dns: [], ip: [], email: [], uri: [] });

/** A reason Go refuses the whole certificate for. */
export class GoParseRejection extends Error {}

function isIa5(buf: Uint8Array, el: DerElement): string {
  let out = '';
  for (let i = el.contentStart; i < el.end; i++) {
    if (buf[i] > 0x7f)
      throw new GoParseRejection('x509: invalid constraint value: IA5String contains invalid character');
    out += String.fromCharCode(buf[i]);
  }
  return out;
}

function validMask(mask: Uint8Array): boolean {
  let seenZero = false;
  for (const b of mask) {
    if (seenZero) {
      if (b !== 0) return false;
      continue;
    }
    if ([0x00, 0x80, 0xc0, 0xe0, 0xf0, 0xf8, 0xfc, 0xfe].includes(b)) seenZero = true;
    else if (b !== 0xff) return false;
  }
  return true;
}

function looksLikeIp(s: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(s)
    ? s.split('.').every((p) => Number(p) <= 255)
    : s.includes(':') && /^[0-9A-Fa-f:.]+$/.test(s);
}

function readSubtrees(der: Uint8Array, r: DerReader): { trees: NameSubtrees; unhandled: boolean } {
  const dns: string[] = [];
  const ip: { ip: Uint8Array; mask: Uint8Array }[] = [];
  const email: string[] = [];
  const uri: string[] = [];
  let unhandled = false;
  while (!r.done) {
    const sr = r.enter(r.expect(Tag.SEQUENCE, 'GeneralSubtree'));
    const base = sr.read();
    switch (base.tag) {
      case 0x82: {
        const domain = isIa5(der, base);
        if (!reverseLabels(domain.startsWith('.') ? domain.slice(1) : domain))
          throw new GoParseRejection(`x509: failed to parse dnsName constraint ${JSON.stringify(domain)}`);
        dns.push(domain);
        break;
      }
      case 0x87: {
        const bytes = content(der, base);
        if (bytes.length !== 8 && bytes.length !== 32)
          throw new GoParseRejection(`x509: IP constraint contained value of length ${bytes.length}`);
        const half = bytes.length / 2;
        const mask = bytes.subarray(half);
        if (!validMask(mask)) throw new GoParseRejection('x509: IP constraint contained invalid mask');
        ip.push({ ip: bytes.subarray(0, half), mask });
        break;
      }
      case 0x81: {
        const constraint = isIa5(der, base);
        const ok = constraint.includes('@')
          ? parseMailbox(constraint) !== undefined
          : reverseLabels(constraint.startsWith('.') ? constraint.slice(1) : constraint) !== undefined;
        if (!ok)
          throw new GoParseRejection(
            `x509: failed to parse rfc822Name constraint ${JSON.stringify(constraint)}`,
          );
        email.push(constraint);
        break;
      }
      case 0x86: {
        const domain = isIa5(der, base);
        if (looksLikeIp(domain))
          throw new GoParseRejection(
            `x509: failed to parse URI constraint ${JSON.stringify(domain)}: cannot be IP address`,
          );
        if (!reverseLabels(domain.startsWith('.') ? domain.slice(1) : domain))
          throw new GoParseRejection(`x509: failed to parse URI constraint ${JSON.stringify(domain)}`);
        uri.push(domain);
        break;
      }
      default:
        unhandled = true;
    }
  }
  return { trees: { dns, ip, email, uri }, unhandled };
}

/**
 * Reads a nameConstraints extension value. Throws GoParseRejection where Go refuses the
 * certificate; `unhandled` is true when it holds name forms Go does not enforce.
 */
export function parseNameConstraints(
  der: Uint8Array,
  value: DerReader,
  critical: boolean,
): { constraints: NameConstraints; unhandled: boolean } {
  try {
    const top = value.enter(value.expect(Tag.SEQUENCE, 'NameConstraints'));
    value.finish('NameConstraints');
    const permittedEl = top.optional(0xa0);
    const excludedEl = top.optional(0xa1);
    top.finish('NameConstraints');
    const empty = (el?: DerElement) => !el || el.end === el.contentStart;
    if (empty(permittedEl) && empty(excludedEl))
      throw new GoParseRejection('x509: empty name constraints extension');
    const permitted = permittedEl
      ? readSubtrees(der, top.enter(permittedEl))
      : { trees: NO_SUBTREES, unhandled: false };
    const excluded = excludedEl
      ? readSubtrees(der, top.enter(excludedEl))
      : { trees: NO_SUBTREES, unhandled: false };
    return {
      constraints: { critical, permitted: permitted.trees, excluded: excluded.trees },
      unhandled: permitted.unhandled || excluded.unhandled,
    };
  } catch (err) {
    if (err instanceof DerError) throw new GoParseRejection('x509: invalid NameConstraints extension');
    throw err;
  }
}

// ---- matching (Go's isValid) ----

function matchDomain(domain: string, constraint: string): boolean | string {
  if (constraint === '') return true;
  const labels = reverseLabels(domain);
  if (!labels) return `cannot parse domain ${JSON.stringify(domain)}`;
  let strict = false;
  if (constraint.startsWith('.')) {
    strict = true;
    constraint = constraint.slice(1);
  }
  const wanted = reverseLabels(constraint);
  if (!wanted) return `cannot parse domain ${JSON.stringify(constraint)}`;
  if (labels.length < wanted.length || (strict && labels.length === wanted.length)) return false;
  return wanted.every((label, i) => label.toLowerCase() === labels[i].toLowerCase());
}

function matchEmail(mailbox: { local: string; domain: string }, constraint: string): boolean | string {
  if (constraint.includes('@')) {
    const c = parseMailbox(constraint);
    if (!c) return `cannot parse constraint ${JSON.stringify(constraint)}`;
    return mailbox.local === c.local && mailbox.domain.toLowerCase() === c.domain.toLowerCase();
  }
  return matchDomain(mailbox.domain, constraint);
}

/** The host of a URI as Go's url.Parse gives it (with the port, if any). */
function uriHost(uri: string): string {
  const m = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#]*)/.exec(uri);
  if (!m) return '';
  const at = m[1].lastIndexOf('@');
  return at >= 0 ? m[1].slice(at + 1) : m[1];
}

function matchUri(uri: string, constraint: string): boolean | string {
  let host = uriHost(uri);
  if (host === '')
    return `URI with empty host (${JSON.stringify(uri)}) cannot be matched against constraints`;
  if (host.includes(':') && !host.endsWith(']')) host = host.slice(0, host.lastIndexOf(':'));
  if (looksLikeIp(host) || (host.startsWith('[') && host.endsWith(']')))
    return `URI with IP (${JSON.stringify(uri)}) cannot be matched against constraints`;
  return matchDomain(host, constraint);
}

function ipBytes(text: string): Uint8Array {
  if (!text.includes(':')) return Uint8Array.from(text.split('.').map(Number));
  const [head, tail = ''] = text.includes('::') ? text.split('::') : [text, undefined];
  const groups = (s: string | undefined) => (s ? s.split(':') : []);
  const hi = groups(head);
  const lo = text.includes('::') ? groups(tail) : [];
  let parts = [...hi, ...Array(8 - hi.length - lo.length).fill('0'), ...lo];
  // Dotted tail of an IPv4-mapped address.
  if (parts[parts.length - 1]?.includes('.')) {
    const v4 = parts[parts.length - 1].split('.').map(Number);
    parts = [...parts.slice(0, -1), ((v4[0] << 8) | v4[1]).toString(16), ((v4[2] << 8) | v4[3]).toString(16)];
  }
  const out = new Uint8Array(16);
  parts.slice(-8).forEach((g, i) => {
    const n = parseInt(g, 16);
    out[2 * i] = n >> 8;
    out[2 * i + 1] = n & 0xff;
  });
  return out;
}

function matchIp(ip: Uint8Array, constraint: { ip: Uint8Array; mask: Uint8Array }): boolean {
  if (ip.length !== constraint.ip.length) return false;
  for (let i = 0; i < ip.length; i++) {
    if ((ip[i] & constraint.mask[i]) !== (constraint.ip[i] & constraint.mask[i])) return false;
  }
  return true;
}

/** Go's checkNameConstraints for one name: a reason when excluded or not permitted. */
function check<T, C>(
  name: T,
  permitted: readonly C[],
  excluded: readonly C[],
  match: (name: T, c: C) => boolean | string,
  show: (c: C) => string,
): string | undefined {
  for (const c of excluded) {
    const m = match(name, c);
    if (typeof m === 'string') return m;
    if (m) return `excluded by constraint ${show(c)}`;
  }
  if (permitted.length === 0) return undefined;
  for (const c of permitted) {
    const m = match(name, c);
    if (typeof m === 'string') return m;
    if (m) return undefined;
  }
  return 'not permitted by any constraint';
}

const showIp = (c: { ip: Uint8Array; mask: Uint8Array }) => `${c.ip.join('.')}/${c.mask.join('.')}`;

/** The first name of `cert` that `constraints` do not allow, as Go checks it, or undefined. */
export function nameConstraintViolation(
  constraints: NameConstraints,
  cert: Certificate,
): { name: string; why: string } | undefined {
  // Go only looks at certificates with a SAN extension; the subject CN is not a name here.
  if (cert.sanExtensionHex === undefined) return undefined;
  const { permitted: p, excluded: x } = constraints;
  for (const email of cert.sans.email) {
    const mailbox = parseMailbox(email);
    const why = mailbox
      ? check(mailbox, p.email, x.email, matchEmail, (c) => c)
      : `cannot parse rfc822Name ${JSON.stringify(email)}`;
    if (why) return { name: email, why };
  }
  for (const dns of cert.sans.dns) {
    const why = reverseLabels(dns)
      ? check(dns, p.dns, x.dns, matchDomain, (c) => c)
      : `cannot parse dnsName ${JSON.stringify(dns)}`;
    if (why) return { name: dns, why };
  }
  for (const uri of cert.sans.uri) {
    const why = check(uri, p.uri, x.uri, matchUri, (c) => c);
    if (why) return { name: uri, why };
  }
  for (const ip of cert.sans.ip) {
    const why = check(ipBytes(ip), p.ip, x.ip, matchIp, showIp);
    if (why) return { name: ip, why };
  }
  return undefined;
}
