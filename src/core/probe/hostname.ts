// Does a served certificate cover the name the client verifies? Exactly Go's
// crypto/x509 Certificate.VerifyHostname (Go 1.23, verify.go), which kubectl and every client-go
// program use: IP hosts match IP SANs only; names match DNS SANs case-insensitively, a wildcard only
// as the whole left-most label and only when both sides are valid host names; the Common Name is
// ignored. The error texts are Go's (HostnameError.Error) so they read like kubectl's.
import type { Certificate } from '../x509/model';

export type HostnameCheck =
  { readonly ok: true; readonly matched: string } | { readonly ok: false; readonly error: string };

/** net.ParseIP: dotted IPv4 (no leading zeros) or IPv6 (no zone) → 16 bytes; undefined for names. */
export function parseGoIp(text: string): Uint8Array | undefined {
  const v4 = parseIpv4(text);
  if (v4) return v4Mapped(v4);
  return text.includes(':') ? parseIpv6(text) : undefined;
}

function v4Mapped(v4: Uint8Array): Uint8Array {
  const out = new Uint8Array(16);
  out[10] = 0xff;
  out[11] = 0xff;
  out.set(v4, 12);
  return out;
}

function parseIpv4(text: string): Uint8Array | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const part = parts[i];
    // Go 1.17+ refuses leading zeros (they were octal to some parsers).
    if (!/^\d{1,3}$/.test(part) || (part.length > 1 && part[0] === '0')) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    out[i] = n;
  }
  return out;
}

function parseIpv6(text: string): Uint8Array | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string, last: boolean): number[] | undefined => {
    if (s === '') return [];
    const out: number[] = [];
    const items = s.split(':');
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      if (last && i === items.length - 1 && item.includes('.')) {
        const v4 = parseIpv4(item);
        if (!v4) return undefined;
        out.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(item)) {
        out.push(parseInt(item, 16));
      } else return undefined;
    }
    return out;
  };
  const head = groups(halves[0], halves.length === 1);
  const tail = halves.length === 2 ? groups(halves[1], true) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const all = [...head, ...new Array<number>(halves.length === 1 ? 0 : missing).fill(0), ...tail];
  const out = new Uint8Array(16);
  all.forEach((g, i) => {
    out[2 * i] = g >> 8;
    out[2 * i + 1] = g & 0xff;
  });
  return out;
}

function sameIp(a: Uint8Array, b: Uint8Array): boolean {
  return a.every((byte, i) => byte === b[i]);
}

/** strings.ToLower restricted to ASCII, as toLowerCaseASCII (RFC 6125 6.4.1). */
function lowerAscii(text: string): string {
  return text.replace(/[A-Z]+/g, (s) => s.toLowerCase());
}

/** validHostname: labels of [A-Za-z0-9_-] (no leading '-'); a pattern may start with a '*' label. */
function validHostname(host: string, isPattern: boolean): boolean {
  if (!isPattern && host.endsWith('.')) host = host.slice(0, -1);
  if (host === '' || host === '*') return false;
  return host.split('.').every((part, i) => {
    if (part === '') return false;
    if (isPattern && i === 0 && part === '*') return true;
    return /^[A-Za-z0-9_][A-Za-z0-9_-]*$/.test(part);
  });
}

function matchExactly(a: string, b: string): boolean {
  if (a === '' || a === '.' || b === '' || b === '.') return false;
  return lowerAscii(a) === lowerAscii(b);
}

function matchHostnames(pattern: string, host: string): boolean {
  pattern = lowerAscii(pattern);
  host = lowerAscii(host.endsWith('.') ? host.slice(0, -1) : host);
  if (pattern === '' || host === '') return false;
  const patternParts = pattern.split('.');
  const hostParts = host.split('.');
  if (patternParts.length !== hostParts.length) return false;
  return patternParts.every((part, i) => (i === 0 && part === '*') || part === hostParts[i]);
}

type NamesOf = Pick<Certificate, 'sans' | 'subject'>;

function hasSanExtension(cert: NamesOf): boolean {
  const { dns, ip, email, uri } = cert.sans;
  return dns.length + ip.length + email.length + uri.length > 0;
}

function commonName(cert: NamesOf): string {
  for (const rdn of cert.subject.rdns) for (const attr of rdn) if (attr.type === 'CN') return attr.value;
  return '';
}

/** HostnameError.Error(). */
function hostnameError(cert: NamesOf, host: string): string {
  if (!hasSanExtension(cert) && matchHostnames(commonName(cert), host)) {
    return 'x509: certificate relies on legacy Common Name field, use SANs instead';
  }
  let valid: string;
  if (parseGoIp(host)) {
    if (cert.sans.ip.length === 0) {
      return `x509: cannot validate certificate for ${host} because it doesn't contain any IP SANs`;
    }
    valid = cert.sans.ip.join(', ');
  } else valid = cert.sans.dns.join(', ');
  if (valid === '') return `x509: certificate is not valid for any names, but wanted to match ${host}`;
  return `x509: certificate is valid for ${valid}, not ${host}`;
}

/** Certificate.VerifyHostname(host). */
export function verifyHostname(cert: NamesOf, host: string): HostnameCheck {
  // IP addresses may be written in [ ].
  const candidateIp =
    host.length >= 3 && host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  const ip = parseGoIp(candidateIp);
  if (ip) {
    for (const san of cert.sans.ip) {
      const bytes = parseGoIp(san);
      if (bytes && sameIp(bytes, ip)) return { ok: true, matched: san };
    }
    return { ok: false, error: hostnameError(cert, candidateIp) };
  }
  const candidate = lowerAscii(host);
  const validCandidate = validHostname(candidate, false);
  for (const pattern of cert.sans.dns) {
    // Go always allows perfect matches; wildcards and trailing dots only between valid host names.
    const matched =
      validCandidate && validHostname(pattern, true)
        ? matchHostnames(pattern, candidate)
        : matchExactly(pattern, candidate);
    if (matched) return { ok: true, matched: pattern };
  }
  return { ok: false, error: hostnameError(cert, host) };
}
