// Mutation arbitraries: byte-level edits of DER, text-level edits of PEM/YAML with the tokens that
// break parsers (BOM, CRLF, tabs, anchors, aliases, flow brackets, duplicate keys, non-UTF-8), and
// structure-keeping edits inside DER elements. hostileKubeconfig.ts builds hostile shapes instead.
import { Buffer } from 'node:buffer';
import * as fc from 'fast-check';

type ByteEdit =
  | { readonly kind: 'flip'; readonly at: number; readonly bit: number }
  | { readonly kind: 'set'; readonly at: number; readonly value: number }
  | { readonly kind: 'delete'; readonly at: number; readonly length: number }
  | { readonly kind: 'insert'; readonly at: number; readonly bytes: Uint8Array }
  | { readonly kind: 'truncate'; readonly at: number }
  | { readonly kind: 'duplicate'; readonly at: number; readonly length: number; readonly to: number };

/** Bytes that steer a DER reader into its edge cases: long-form lengths, indefinite, tags. */
const DER_TOKENS: readonly Uint8Array[] = [
  [0x80],
  [0x81, 0x80],
  [0x82, 0xff, 0xff],
  [0x84, 0x7f, 0xff, 0xff, 0xff],
  [0x85, 1, 0, 0, 0, 0],
  [0x30, 0x00],
  [0x30, 0x80],
  [0x1f, 0x81],
  [0x06, 0x00],
  [0x06, 0x01, 0x80],
  [0x02, 0x00],
  [0x03, 0x00],
  [0x03, 0x01, 0x08],
  [0x01, 0x01, 0x01],
  [0x17, 0x0d],
  [0xa0, 0x03, 0x02, 0x01, 0x02],
].map((b) => Uint8Array.from(b));

const pos = fc.nat({ max: 1 << 20 });

const byteEdit: fc.Arbitrary<ByteEdit> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: pos, bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('set' as const), at: pos, value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: pos, length: fc.integer({ min: 1, max: 64 }) }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: pos,
    bytes: fc.oneof(fc.constantFrom(...DER_TOKENS), fc.uint8Array({ minLength: 1, maxLength: 16 })),
  }),
  fc.record({ kind: fc.constant('truncate' as const), at: pos }),
  fc.record({
    kind: fc.constant('duplicate' as const),
    at: pos,
    length: fc.integer({ min: 1, max: 256 }),
    to: pos,
  }),
);

function applyByteEdit(input: Uint8Array, edit: ByteEdit): Uint8Array {
  const n = input.length;
  const at = n === 0 ? 0 : edit.at % (n + 1);
  switch (edit.kind) {
    case 'flip': {
      if (n === 0) return input;
      const out = Uint8Array.from(input);
      out[at % n] ^= 1 << edit.bit;
      return out;
    }
    case 'set': {
      if (n === 0) return input;
      const out = Uint8Array.from(input);
      out[at % n] = edit.value;
      return out;
    }
    case 'delete':
      return concat(input.subarray(0, at), input.subarray(Math.min(n, at + edit.length)));
    case 'insert':
      return concat(input.subarray(0, at), edit.bytes, input.subarray(at));
    case 'truncate':
      return input.subarray(0, at);
    case 'duplicate': {
      const piece = input.subarray(at, Math.min(n, at + edit.length));
      const to = n === 0 ? 0 : edit.to % (n + 1);
      return concat(input.subarray(0, to), piece, input.subarray(to));
    }
  }
}

function concat(...parts: readonly Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength))));
}

/** One of `seeds`, edited 1 to 6 times. */
export function mutatedBytes(seeds: readonly Uint8Array[]): fc.Arbitrary<Uint8Array> {
  return fc
    .tuple(fc.constantFrom(...seeds), fc.array(byteEdit, { minLength: 1, maxLength: 6 }))
    .map(([seed, edits]) => edits.reduce(applyByteEdit, seed));
}

/** Text fragments that confuse PEM framing, base64 and YAML. */
export const TEXT_TOKENS: readonly string[] = [
  '\uFEFF',
  '\r\n',
  '\r',
  '\t',
  '\n',
  '  ',
  '\u0000',
  '\u2028',
  '\uD800',
  '-----BEGIN CERTIFICATE-----',
  '-----END CERTIFICATE-----',
  '-----BEGIN PRIVATE KEY-----',
  '-----BEGIN ',
  '-----',
  'Proc-Type: 4,ENCRYPTED\n',
  '====',
  '=',
  '&a ',
  '*a',
  '*b ',
  '<<: *a\n',
  '!!binary ',
  '!!str ',
  '!<tag:yaml.org,2002:map> ',
  '? ',
  ': ',
  '- ',
  '[',
  ']',
  '{',
  '}',
  ',',
  '#',
  '|',
  '>-',
  '"',
  "'",
  '%YAML 1.2\n---\n',
  '---\n',
  '...\n',
  'null',
  '~',
  'true',
  '0x1F',
  '1e999',
  '-.inf',
  'DATA+OMITTED',
  'REDACTED',
  'name: dup\n',
  'users:\n',
  'clusters: 7\n',
  '  user: []\n',
  'client-certificate-data: ',
  'client-key-data: ',
  'certificate-authority: ',
  'token: ',
  'exec: x\n',
  'é',
  '\u{1F600}',
];

type TextEdit =
  | { readonly kind: 'insert'; readonly at: number; readonly token: string }
  | { readonly kind: 'delete'; readonly at: number; readonly length: number }
  | { readonly kind: 'truncate'; readonly at: number }
  | { readonly kind: 'duplicate'; readonly at: number; readonly length: number; readonly to: number }
  | { readonly kind: 'replace-newlines'; readonly with: string };

const textEdit: fc.Arbitrary<TextEdit> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('insert' as const),
      at: pos,
      token: fc.oneof(fc.constantFrom(...TEXT_TOKENS), fc.string({ maxLength: 8, unit: 'binary' })),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('delete' as const),
      at: pos,
      length: fc.integer({ min: 1, max: 80 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: pos }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('duplicate' as const),
      at: pos,
      length: fc.integer({ min: 1, max: 400 }),
      to: pos,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('replace-newlines' as const),
      with: fc.constantFrom('\r\n', '\r', '\n\n', '\n\t'),
    }),
  },
);

function applyTextEdit(input: string, edit: TextEdit): string {
  const n = input.length;
  const at = edit.kind === 'replace-newlines' ? 0 : edit.at % (n + 1);
  switch (edit.kind) {
    case 'insert':
      return input.slice(0, at) + edit.token + input.slice(at);
    case 'delete':
      return input.slice(0, at) + input.slice(at + edit.length);
    case 'truncate':
      return input.slice(0, at);
    case 'duplicate': {
      const to = edit.to % (n + 1);
      return input.slice(0, to) + input.slice(at, at + edit.length) + input.slice(to);
    }
    case 'replace-newlines':
      return input.replace(/\n/g, edit.with);
  }
}

/** One of `seeds`, edited 1 to 8 times at the text level. */
export function mutatedText(seeds: readonly string[]): fc.Arbitrary<string> {
  return fc
    .tuple(fc.constantFrom(...seeds), fc.array(textEdit, { minLength: 1, maxLength: 8 }))
    .map(([seed, edits]) => edits.reduce(applyTextEdit, seed));
}

/** Text as bytes, sometimes with invalid UTF-8 spliced in. */
export function textBytes(text: fc.Arbitrary<string>): fc.Arbitrary<Uint8Array> {
  return fc
    .tuple(
      text,
      fc.option(
        fc.tuple(pos, fc.constantFrom([0xff], [0xc3], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf8, 0x88])),
      ),
    )
    .map(([t, bad]) => {
      const bytes = Buffer.from(t, 'utf8');
      if (!bad) return new Uint8Array(bytes);
      const at = bad[0] % (bytes.length + 1);
      return new Uint8Array(Buffer.concat([bytes.subarray(0, at), Buffer.from(bad[1]), bytes.subarray(at)]));
    });
}

interface Tlv {
  readonly tag: number;
  readonly start: number;
  readonly contentStart: number;
  readonly end: number;
}

/** Every TLV of a DER encoding, depth first (constructed elements and their children). */
function walkDer(der: Uint8Array, from = 0, to = der.length, out: Tlv[] = [], depth = 0): Tlv[] {
  let p = from;
  while (p < to && depth < 16) {
    const tag = der[p];
    if (p + 1 >= to) break;
    let length = der[p + 1];
    let contentStart = p + 2;
    if (length & 0x80) {
      const count = length & 0x7f;
      if (count === 0 || count > 3) break;
      length = 0;
      for (let i = 0; i < count; i++) length = length * 256 + der[p + 2 + i];
      contentStart += count;
    }
    const end = contentStart + length;
    if (end > to) break;
    out.push({ tag, start: p, contentStart, end });
    // BIT STRING and OCTET STRING often wrap DER too (keys, extensions).
    if (tag & 0x20) walkDer(der, contentStart, end, out, depth + 1);
    else if ((tag === 0x04 || tag === 0x03) && der[tag === 0x03 ? contentStart + 1 : contentStart] === 0x30)
      walkDer(der, tag === 0x03 ? contentStart + 1 : contentStart, end, out, depth + 1);
    p = end;
  }
  return out;
}

type DerEdit =
  | { readonly kind: 'content'; readonly pick: number; readonly bytes: Uint8Array }
  | { readonly kind: 'tag'; readonly pick: number; readonly tag: number };

const TAGS = [
  0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x0c, 0x13, 0x14, 0x16, 0x17, 0x18, 0x1e, 0x1c, 0x30, 0x31, 0x80, 0x81,
  0x82, 0x86, 0x87, 0xa0, 0xa3,
];

const derEdit: fc.Arbitrary<DerEdit> = fc.oneof(
  fc.record({
    kind: fc.constant('content' as const),
    pick: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 64 }),
  }),
  fc.record({ kind: fc.constant('tag' as const), pick: fc.nat(), tag: fc.constantFrom(...TAGS) }),
);

/** Keeps every length right and changes what is inside: reaches the parser's deep branches. */
function applyDerEdit(der: Uint8Array, edit: DerEdit): Uint8Array {
  const elements = walkDer(der);
  if (elements.length === 0) return der;
  const el = elements[edit.pick % elements.length];
  const out = Uint8Array.from(der);
  if (edit.kind === 'tag') {
    out[el.start] = edit.tag;
    return out;
  }
  if (el.tag & 0x20) return out;
  for (let i = el.contentStart; i < el.end; i++)
    out[i] = edit.bytes[(i - el.contentStart) % edit.bytes.length];
  return out;
}

/** One of `seeds` with 1 to 4 structure-keeping edits. */
export function mutatedDer(seeds: readonly Uint8Array[]): fc.Arbitrary<Uint8Array> {
  return fc
    .tuple(fc.constantFrom(...seeds), fc.array(derEdit, { minLength: 1, maxLength: 4 }))
    .map(([seed, edits]) => edits.reduce(applyDerEdit, seed));
}
