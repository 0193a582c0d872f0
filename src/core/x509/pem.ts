// PEM framing and strict base64. Buffer.from(…, 'base64') silently skips bad characters, which
// would turn a typo in a kubeconfig into a confusing DER error; this reports where the text breaks.
import { Buffer } from 'node:buffer';

export interface PemBlock {
  /** The label between BEGIN and the dashes, e.g. "CERTIFICATE". */
  readonly label: string;
  /** RFC 1421 headers (Proc-Type, DEK-Info) when present. */
  readonly headers: Readonly<Record<string, string>>;
  /** Decoded body; undefined when `error` is set. */
  readonly bytes?: Uint8Array;
  /** Offsets of the block in the text: BEGIN line start to END line end. */
  readonly start: number;
  readonly end: number;
  /** Why the block could not be decoded (no secret content). */
  readonly error?: string;
}

export type Base64Result =
  | { readonly ok: true; readonly bytes: Uint8Array }
  | { readonly ok: false; readonly message: string; readonly offset: number };

const BEGIN = /-----BEGIN ([^-\r\n]*)-----/g;

/** Every PEM block in `text`, in order; text outside blocks (comments, openssl -text output) is ignored. */
export function findPemBlocks(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  BEGIN.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = BEGIN.exec(text))) {
    const label = match[1];
    const start = match.index;
    const bodyStart = start + match[0].length;
    const endMarker = text.indexOf('-----END ', bodyStart);
    const nextBegin = text.indexOf('-----BEGIN ', bodyStart);
    if (endMarker < 0 || (nextBegin >= 0 && nextBegin < endMarker)) {
      const end = nextBegin >= 0 ? nextBegin : text.length;
      blocks.push({
        label,
        headers: {},
        start,
        end,
        error: `PEM block ${quoteLabel(label)} has no END line`,
      });
      BEGIN.lastIndex = end;
      continue;
    }
    const endLineEnd = text.indexOf('-----', endMarker + 9);
    const endLabel = endLineEnd < 0 ? undefined : text.slice(endMarker + 9, endLineEnd);
    const end = endLineEnd < 0 ? text.length : endLineEnd + 5;
    BEGIN.lastIndex = end;
    if (endLabel !== label) {
      blocks.push({
        label,
        headers: {},
        start,
        end,
        error: `PEM block ${quoteLabel(label)} ends with a different END line`,
      });
      continue;
    }
    const { headers, bodyFrom } = readHeaders(text, bodyStart, endMarker);
    const decoded = decodeBase64(text, bodyFrom, endMarker);
    if (!decoded.ok) {
      blocks.push({
        label,
        headers,
        start,
        end,
        error: `PEM block ${quoteLabel(label)}: ${decoded.message}`,
      });
    } else if (decoded.bytes.length === 0) {
      blocks.push({ label, headers, start, end, error: `PEM block ${quoteLabel(label)} is empty` });
    } else {
      blocks.push({ label, headers, bytes: decoded.bytes, start, end });
    }
  }
  return blocks;
}

/**
 * A label as messages may quote it. A BEGIN line that lost its closing dashes runs into the body,
 * so the "label" can be base64 of a private key: only a conventional label is ever shown.
 */
export function quoteLabel(label: string): string {
  return /^[A-Z0-9]+(?: [A-Z0-9]+){0,4}$/.test(label) && label.length <= 40
    ? `"${label}"`
    : '(unreadable label)';
}

function readHeaders(
  text: string,
  from: number,
  to: number,
): { headers: Record<string, string>; bodyFrom: number } {
  const headers: Record<string, string> = {};
  let p = from;
  while (p < to && (text[p] === '\r' || text[p] === '\n')) p++;
  const firstLineEnd = lineEnd(text, p, to);
  if (!text.slice(p, firstLineEnd).includes(':')) return { headers, bodyFrom: from };
  let last = '';
  while (p < to) {
    const e = lineEnd(text, p, to);
    const line = text.slice(p, e).replace(/\r$/, '');
    p = Math.min(e + 1, to);
    if (line.trim() === '') break;
    if (/^[ \t]/.test(line) && last) {
      headers[last] += line.trim();
      continue;
    }
    const colon = line.indexOf(':');
    if (colon < 0) break;
    last = line.slice(0, colon).trim();
    headers[last] = line.slice(colon + 1).trim();
  }
  return { headers, bodyFrom: p };
}

function lineEnd(text: string, from: number, to: number): number {
  const nl = text.indexOf('\n', from);
  return nl < 0 || nl > to ? to : nl;
}

function isWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0b || c === 0x0c;
}

function isBase64Char(c: number): boolean {
  return (
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x61 && c <= 0x7a) ||
    (c >= 0x30 && c <= 0x39) ||
    c === 0x2b ||
    c === 0x2f
  );
}

/** Anything but the alphabet, "=" and the whitespace decodeBase64 skips. */
const NOT_BASE64 = /[^A-Za-z0-9+/= \t\n\r\v\f]/;
const BASE64_WHITESPACE = /[ \t\n\r\v\f]+/g;

/**
 * Strict standard base64 over `text[from, to)`: whitespace (line wrapping, CRLF, YAML folding) is
 * skipped, anything else outside the alphabet is an error with its offset, padding only at the end.
 */
export function decodeBase64(text: string, from = 0, to = text.length): Base64Result {
  // Valid input, the usual case, in native passes; anything odd takes the loop below for its message.
  const body = from === 0 && to === text.length ? text : text.slice(from, to);
  if (!NOT_BASE64.test(body)) {
    const clean = body.replace(BASE64_WHITESPACE, '');
    const pad = clean.indexOf('=');
    const padded =
      pad === -1 || (pad >= clean.length - 2 && (pad === clean.length - 1 || clean[pad + 1] === '='));
    if (padded && clean.length % 4 === 0) {
      const buf = Buffer.from(clean, 'base64');
      return { ok: true, bytes: new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength) };
    }
  }
  return decodeBase64Strictly(text, from, to);
}

function decodeBase64Strictly(text: string, from: number, to: number): Base64Result {
  let clean = '';
  let chunkStart = from;
  let count = 0;
  let padding = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (isWhitespace(c)) {
      if (i > chunkStart) clean += text.slice(chunkStart, i);
      chunkStart = i + 1;
      continue;
    }
    if (c === 0x3d) {
      padding++;
      if (padding > 2) return { ok: false, message: 'too much "=" padding in base64', offset: i };
    } else if (!isBase64Char(c)) {
      return { ok: false, message: `invalid base64 character at offset ${i - from}`, offset: i };
    } else if (padding > 0) {
      return { ok: false, message: `base64 continues after "=" padding at offset ${i - from}`, offset: i };
    }
    count++;
  }
  if (to > chunkStart) clean += text.slice(chunkStart, to);
  if (count % 4 !== 0) {
    return { ok: false, message: 'base64 length is not a multiple of 4 (truncated or unpadded)', offset: to };
  }
  const buf = Buffer.from(clean, 'base64');
  return { ok: true, bytes: new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength) };
}

/** PEM text of one block, 64 columns, trailing newline. */
export function toPem(label: string, der: Uint8Array): string {
  const b64 = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('base64');
  let out = `-----BEGIN ${label}-----\n`;
  for (let i = 0; i < b64.length; i += 64) out += b64.slice(i, i + 64) + '\n';
  return out + `-----END ${label}-----\n`;
}
