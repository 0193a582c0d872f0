// A fast reader for the block-YAML subset kubectl, kubeadm and client-go write: indentation-based
// maps and `- ` lists, plain and quoted one-line scalars, `{}`/`[]`, trailing comments, CRLF, BOM.
// It builds the nodes `yaml` would build (same values, same ranges) in a fraction of the time, and
// gives up (returns undefined) on anything it cannot reproduce exactly; the caller then parses
// with `yaml`. Scalars are typed as client-go types them (YAML 1.1, yaml11.ts); merge keys,
// anchors and repeated keys are left to `yaml`. Full-line comments are among those: `yaml` attaches them to nodes in ways that move
// ranges, and generated kubeconfigs do not have them.
import { resolvePlainYaml11, type Yaml11Value } from './yaml11';

export interface ScanScalar {
  readonly kind: 'scalar';
  /** As client-go reads it (YAML 1.1 booleans and numbers, see yaml11.ts). */
  readonly value: Yaml11Value;
  /** [start, value end, node end] as in `yaml`: the node end includes a trailing comment and newline. */
  readonly range: readonly [number, number, number];
}

export interface ScanPair {
  readonly key: ScanScalar;
  readonly value: ScanNode;
}

export interface ScanMap {
  readonly kind: 'map';
  readonly items: readonly ScanPair[];
  readonly range: readonly [number, number, number];
}

export interface ScanSeq {
  readonly kind: 'seq';
  readonly items: readonly ScanNode[];
  readonly range: readonly [number, number, number];
}

export type ScanNode = ScanScalar | ScanMap | ScanSeq;

/** Thrown inside the scanner when the text leaves the subset; never escapes `scanYaml`. */
class OutsideSubset extends Error {}

const outside = (): never => {
  throw new OutsideSubset();
};

/** Characters that make `yaml` warn, fold, or read differently: tabs, controls, odd line breaks, a BOM after the start. */
const UNSUPPORTED_CHARACTER =
  /[\t\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]|\r(?!\n)/;

/** Keys as kubeconfigs write them; anything else (quoted, complex, merge keys) goes to `yaml`. */
const KEY_FIRST = 1;
const KEY_CHARACTER = 2;
/** Per ASCII code: KEY_FIRST | KEY_CHARACTER bits; a table, as this runs for every key character. */
const KEY_CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z0-9_]/.test(ch)) KEY_CLASS[c] |= KEY_FIRST;
  if (/[A-Za-z0-9_./-]/.test(ch)) KEY_CLASS[c] |= KEY_CHARACTER;
}
const keyClass = (code: number): number => (code < 128 ? KEY_CLASS[code] : 0);
/** Longest implicit key `yaml` accepts is 1024 characters. */
const MAX_KEY = 1000;

/** Characters a plain scalar may not start with (YAML c-indicator), quotes handled before. */
const INDICATOR = new Set([
  '-',
  '?',
  ':',
  ',',
  '[',
  ']',
  '{',
  '}',
  '#',
  '&',
  '*',
  '!',
  '|',
  '>',
  '%',
  '@',
  '`',
]);

/** A plain scalar's value; infinity and NaN (which kubectl refuses anywhere) are left to `yaml`'s path. */
function resolvePlain(source: string): Yaml11Value {
  const value = resolvePlainYaml11(source);
  if (typeof value === 'number' && !Number.isFinite(value)) outside();
  return value;
}

class Scanner {
  /** The current content line: where it starts, its indentation column, where content starts and ends. */
  private lineStart = 0;
  private indent = 0;
  private contentStart = 0;
  private contentEnd = 0;
  /** Start of the line after the current one (text length at the end). */
  private next = 0;
  private atEnd = false;

  constructor(
    private readonly text: string,
    start: number,
  ) {
    this.next = start;
    this.advance(true);
  }

  /** Moves to the next content line; comment lines are only accepted before the first one. */
  private advance(leading = false): void {
    const text = this.text;
    for (;;) {
      if (this.next >= text.length) {
        this.atEnd = true;
        return;
      }
      const start = this.next;
      const newline = text.indexOf('\n', start);
      const end = newline === -1 ? text.length : newline;
      this.next = newline === -1 ? text.length : newline + 1;
      const contentEnd = end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
      let c = start;
      while (c < contentEnd && text.charCodeAt(c) === 32) c++;
      if (c === contentEnd) continue;
      const first = text[c];
      if (first === '#') {
        if (leading) continue;
        outside();
      }
      if (c === start && (first === '%' || text.startsWith('---', c) || text.startsWith('...', c))) outside();
      this.lineStart = start;
      this.indent = c - start;
      this.contentStart = c;
      this.contentEnd = contentEnd;
      return;
    }
  }

  private isSeqItem(): boolean {
    const c = this.contentStart;
    return this.text[c] === '-' && (c + 1 === this.contentEnd || this.text[c + 1] === ' ');
  }

  document(): ScanMap {
    if (this.atEnd || this.indent !== 0 || this.isSeqItem()) outside();
    const root = this.map(0);
    if (!this.atEnd) outside();
    return root;
  }

  /** A block node whose first line is the current one, at column `column`. */
  private node(column: number): ScanMap | ScanSeq {
    return this.isSeqItem() ? this.seq(column) : this.map(column);
  }

  private map(column: number): ScanMap {
    const items: ScanPair[] = [];
    const keys = new Set<string>();
    while (!this.atEnd && this.indent === column) {
      if (this.isSeqItem()) outside();
      const pair = this.pair(column);
      if (keys.has(pair.key.value as string)) outside();
      keys.add(pair.key.value as string);
      items.push(pair);
    }
    if (!this.atEnd && this.indent > column) outside();
    const start = items[0].key.range[0];
    const end = items[items.length - 1].value.range[2];
    return { kind: 'map', items, range: [start, end, end] };
  }

  private seq(column: number): ScanSeq {
    const items: ScanNode[] = [];
    const start = this.contentStart;
    while (!this.atEnd && this.indent === column && this.isSeqItem()) {
      let c = this.contentStart + 1;
      while (c < this.contentEnd && this.text.charCodeAt(c) === 32) c++;
      if (c === this.contentEnd) outside();
      // The rest of the line is read as a line of its own, indented to where its content starts.
      this.indent = c - this.lineStart;
      this.contentStart = c;
      if (this.isSeqItem() || this.text[c] === '#') outside();
      if (this.keyEnd(c) !== -1) items.push(this.map(this.indent));
      else {
        items.push(this.scalar(c));
        this.advance();
        if (!this.atEnd && this.indent > column) outside();
      }
    }
    const end = items[items.length - 1].range[2];
    return { kind: 'seq', items, range: [start, end, end] };
  }

  /** End of a `key:` at `c` (the colon's offset), or -1 when the line is no simple key. */
  private keyEnd(c: number): number {
    const text = this.text;
    if ((keyClass(text.charCodeAt(c)) & KEY_FIRST) === 0) return -1;
    let e = c + 1;
    while (e < this.contentEnd && (keyClass(text.charCodeAt(e)) & KEY_CHARACTER) !== 0) e++;
    if (text[e] !== ':' || (e + 1 < this.contentEnd && text[e + 1] !== ' ')) return -1;
    return e;
  }

  private pair(column: number): ScanPair {
    const text = this.text;
    const keyStart = this.contentStart;
    const colon = this.keyEnd(keyStart);
    if (colon === -1 || colon - keyStart > MAX_KEY) outside();
    const keyText = text.slice(keyStart, colon);
    if (typeof resolvePlain(keyText) !== 'string') outside();
    const key: ScanScalar = { kind: 'scalar', value: keyText, range: [keyStart, colon, colon] };
    let v = colon + 1;
    while (v < this.contentEnd && text.charCodeAt(v) === 32) v++;
    if (v < this.contentEnd && text[v] !== '#') {
      const value = this.scalarOrEmptyFlow(v);
      this.advance();
      if (!this.atEnd && this.indent > column) outside();
      return { key, value };
    }
    // No value on the line: a nested block, a list at the same column, or null.
    const commented = v < this.contentEnd;
    this.advance();
    if (!this.atEnd && this.indent > column) return { key, value: this.node(this.indent) };
    if (!this.atEnd && this.indent === column && this.isSeqItem()) return { key, value: this.seq(column) };
    // `yaml` stretches a null with a comment up to the next token.
    const end = !commented ? v : this.atEnd ? this.text.length : this.contentStart;
    return { key, value: { kind: 'scalar', value: null, range: [v, v, end] } };
  }

  private scalarOrEmptyFlow(v: number): ScanNode {
    const text = this.text;
    const first = text[v];
    if (first === '{' || first === '[') {
      if (text[v + 1] !== (first === '{' ? '}' : ']')) outside();
      this.expectLineEnd(v + 2);
      const range = [v, v + 2, this.next] as const;
      return first === '{' ? { kind: 'map', items: [], range } : { kind: 'seq', items: [], range };
    }
    return this.scalar(v);
  }

  /** A one-line scalar starting at `v` on the current line (the caller advances). */
  private scalar(v: number): ScanScalar {
    const text = this.text;
    const first = text[v];
    if (first === '"' || first === "'") {
      let value: string;
      let end: number;
      if (first === '"') {
        const close = text.indexOf('"', v + 1);
        if (close === -1 || close >= this.contentEnd) outside();
        value = text.slice(v + 1, close);
        if (value.includes('\\')) outside();
        end = close + 1;
      } else {
        let close = v + 1;
        for (;;) {
          close = text.indexOf("'", close);
          if (close === -1 || close >= this.contentEnd) outside();
          if (text[close + 1] !== "'") break;
          close += 2;
        }
        value = text.slice(v + 1, close).replaceAll("''", "'");
        end = close + 1;
      }
      this.expectLineEnd(end);
      return { kind: 'scalar', value, range: [v, end, this.next] };
    }
    if (INDICATOR.has(first)) {
      const second = text[v + 1];
      const plainStart =
        (first === '-' || first === '?' || first === ':') && v + 1 < this.contentEnd && second !== ' ';
      if (!plainStart) outside();
    }
    let source = text.slice(v, this.contentEnd);
    const comment = source.indexOf(' #');
    if (comment !== -1) source = source.slice(0, comment);
    source = source.trimEnd();
    if (source.includes(': ') || source.endsWith(':')) outside();
    return { kind: 'scalar', value: resolvePlain(source), range: [v, v + source.length, this.next] };
  }

  /** After a quoted scalar or `{}`: only spaces, then the end of the line or a comment. */
  private expectLineEnd(from: number): void {
    let c = from;
    while (c < this.contentEnd && this.text.charCodeAt(c) === 32) c++;
    if (c < this.contentEnd && (this.text[c] !== '#' || c === from)) outside();
  }
}

/**
 * The root map of `text` as `yaml` would build it, or undefined when the text is outside the
 * subset (or not a map), which the caller then hands to `yaml`.
 */
export function scanYaml(text: string): ScanMap | undefined {
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  if (UNSUPPORTED_CHARACTER.test(start === 0 ? text : text.slice(1))) return undefined;
  try {
    return new Scanner(text, start).document();
  } catch (error) {
    // Nesting deeper than the stack allows is left to `yaml`, which reports it.
    if (error instanceof OutsideSubset || error instanceof RangeError) return undefined;
    throw error;
  }
}
