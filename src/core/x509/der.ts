// A small, strict ASN.1 DER reader for the audit's fast path. It never copies: elements are offsets
// into the caller's buffer, and every length is checked against the enclosing element before use.
import { Buffer } from 'node:buffer';

export class DerError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} (at byte ${offset})`);
    this.name = 'DerError';
  }
}

/** Universal and context tags the X.509 parser needs, as whole identifier octets. */
export const Tag = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  NUMERIC_STRING: 0x12,
  PRINTABLE_STRING: 0x13,
  TELETEX_STRING: 0x14,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  VISIBLE_STRING: 0x1a,
  UNIVERSAL_STRING: 0x1c,
  BMP_STRING: 0x1e,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/** Nesting deeper than this is refused: no X.509 structure comes close, hostile input might. */
export const MAX_DEPTH = 32;

/** One TLV: `start` is the tag byte, `[contentStart, end)` the content. */
export interface DerElement {
  readonly tag: number;
  readonly start: number;
  readonly contentStart: number;
  readonly end: number;
}

/** Reads the TLVs that follow each other inside `[pos, end)` of `buf`. */
export class DerReader {
  private pos: number;

  constructor(
    readonly buf: Uint8Array,
    start = 0,
    readonly end = buf.length,
    readonly depth = 0,
  ) {
    if (start < 0 || end > buf.length || start > end) throw new DerError('range outside the buffer', start);
    if (depth > MAX_DEPTH) throw new DerError('nesting too deep', start);
    this.pos = start;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  /** Offset of the next element (or of the end). */
  get offset(): number {
    return this.pos;
  }

  /** Tag of the next element, or -1 at the end. */
  peekTag(): number {
    return this.pos < this.end ? this.buf[this.pos] : -1;
  }

  read(): DerElement {
    const buf = this.buf;
    const start = this.pos;
    const end = this.end;
    if (start >= end) throw new DerError('unexpected end of data', start);
    const tag = buf[start];
    if ((tag & 0x1f) === 0x1f) throw new DerError('multi-byte tags are not supported', start);
    if (start + 1 >= end) throw new DerError('missing length', start);
    let p = start + 1;
    const first = buf[p++];
    let length: number;
    if (first < 0x80) {
      length = first;
    } else if (first === 0x80) {
      throw new DerError('indefinite length is not DER', start);
    } else {
      const count = first & 0x7f;
      if (count > 4) throw new DerError('length too large', start);
      if (p + count > end) throw new DerError('truncated length', start);
      if (buf[p] === 0) throw new DerError('non-minimal length encoding', start);
      length = 0;
      for (let i = 0; i < count; i++) length = length * 256 + buf[p++];
      if (length < 0x80) throw new DerError('non-minimal length encoding', start);
    }
    if (length > end - p) throw new DerError('length runs past the end of the data', start);
    this.pos = p + length;
    return { tag, start, contentStart: p, end: p + length };
  }

  /** Reads the next element and checks its tag. */
  expect(tag: number, what: string): DerElement {
    const at = this.pos;
    if (this.peekTag() !== tag) {
      throw new DerError(
        `expected ${what} (tag 0x${hexByte(tag)}), found ${describeTag(this.peekTag())}`,
        at,
      );
    }
    return this.read();
  }

  /** Reads the next element only when it has this tag. */
  optional(tag: number): DerElement | undefined {
    return this.peekTag() === tag ? this.read() : undefined;
  }

  /** A reader over the content of a constructed element, one level deeper. */
  enter(el: DerElement): DerReader {
    if ((el.tag & 0x20) === 0) throw new DerError('expected a constructed element', el.start);
    return new DerReader(this.buf, el.contentStart, el.end, this.depth + 1);
  }

  /** Asserts that nothing follows. */
  finish(what: string): void {
    if (this.pos !== this.end) throw new DerError(`unexpected data after ${what}`, this.pos);
  }
}

function hexByte(n: number): string {
  return n.toString(16).padStart(2, '0');
}

function describeTag(tag: number): string {
  return tag < 0 ? 'end of data' : `tag 0x${hexByte(tag)}`;
}

/** Reads the single element that must fill `buf` entirely. */
export function readSingle(buf: Uint8Array, what: string): DerElement {
  const reader = new DerReader(buf);
  const el = reader.read();
  reader.finish(what);
  return el;
}

/** Length in bytes of the first TLV of `buf` (header included), or -1 when it is not well-formed. */
export function firstElementLength(buf: Uint8Array): number {
  try {
    return new DerReader(buf).read().end;
  } catch {
    return -1;
  }
}

export function decodeOid(buf: Uint8Array, el: DerElement): string {
  const { contentStart: s, end: e } = el;
  if (s === e) throw new DerError('empty OID', el.start);
  if ((buf[e - 1] & 0x80) !== 0) throw new DerError('truncated OID', el.start);
  let out = '';
  let value = 0;
  let first = true;
  for (let i = s; i < e; i++) {
    const b = buf[i];
    if (value === 0 && b === 0x80) throw new DerError('non-minimal OID arc', el.start);
    value = value * 128 + (b & 0x7f);
    if (value > Number.MAX_SAFE_INTEGER / 128) throw new DerError('OID arc too large', el.start);
    if ((b & 0x80) !== 0) continue;
    if (first) {
      const top = value < 40 ? 0 : value < 80 ? 1 : 2;
      out = `${top}.${value - top * 40}`;
      first = false;
    } else {
      out += `.${value}`;
    }
    value = 0;
  }
  return out;
}

/** The INTEGER's two's-complement content bytes (checked minimal). */
export function integerBytes(buf: Uint8Array, el: DerElement): Uint8Array {
  const { contentStart: s, end: e } = el;
  if (s === e) throw new DerError('empty INTEGER', el.start);
  if (e - s > 1 && ((buf[s] === 0 && buf[s + 1] < 0x80) || (buf[s] === 0xff && buf[s + 1] >= 0x80))) {
    throw new DerError('non-minimal INTEGER', el.start);
  }
  return buf.subarray(s, e);
}

/** A small non-negative INTEGER as a number (versions, pathLen). */
export function smallInteger(buf: Uint8Array, el: DerElement): number {
  const bytes = integerBytes(buf, el);
  if (bytes[0] >= 0x80) throw new DerError('negative INTEGER', el.start);
  if (bytes.length > 6) throw new DerError('INTEGER too large', el.start);
  let n = 0;
  for (const b of bytes) n = n * 256 + b;
  return n;
}

export function readBoolean(buf: Uint8Array, el: DerElement): boolean {
  if (el.end - el.contentStart !== 1) throw new DerError('BOOLEAN must be one byte', el.start);
  const b = buf[el.contentStart];
  if (b !== 0 && b !== 0xff) throw new DerError('BOOLEAN must be 00 or ff', el.start);
  return b === 0xff;
}

/** Content of a BIT STRING without its unused-bits byte; `unused` is that count. */
export function bitString(buf: Uint8Array, el: DerElement): { bytes: Uint8Array; unused: number } {
  if (el.end === el.contentStart) throw new DerError('empty BIT STRING', el.start);
  const unused = buf[el.contentStart];
  if (unused > 7 || (unused > 0 && el.end - el.contentStart === 1))
    throw new DerError('bad BIT STRING padding', el.start);
  // DER (and Go's cryptobyte): the unused bits of the last byte are zero.
  if (unused > 0 && (buf[el.end - 1] & ((1 << unused) - 1)) !== 0)
    throw new DerError('BIT STRING padding bits are not zero', el.start);
  return { bytes: buf.subarray(el.contentStart + 1, el.end), unused };
}

export function content(buf: Uint8Array, el: DerElement): Uint8Array {
  return buf.subarray(el.contentStart, el.end);
}

export function whole(buf: Uint8Array, el: DerElement): Uint8Array {
  return buf.subarray(el.start, el.end);
}

/** Lower-case hex of the bytes. */
export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}
