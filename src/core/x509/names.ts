// Distinguished names (RFC 5280 §4.1.2.4) read with the lean DER reader: directory strings decoded
// as Go does, RFC 4514 display, Go's refusals kept beside each name. Names are cached by their DER:
// thousands of leaves name a handful of issuers. Malformed input throws DerError.
import { DerError, type DerReader, Tag, content, decodeOid, hex, whole, type DerElement } from './der';
import type { DistinguishedName, NameAttribute } from './model';
import { NAME_ATTRIBUTES } from './oids';

const utf8 = new TextDecoder('utf-8', { fatal: true });

function latin1(buf: Uint8Array, s: number, e: number): string {
  let out = '';
  for (let i = s; i < e; i++) out += String.fromCharCode(buf[i]);
  return out;
}

export function ascii(buf: Uint8Array, el: DerElement, what: string): string {
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
