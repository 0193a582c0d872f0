// Reads a YAML tree into kubeconfig entries as client-go decodes them: the JSON type of every
// field checked against the Config struct, list items, fields, and duplicate names.
import { RELATED_MESSAGES, type FindingCode } from '../findings/catalog';
import { makeFinding, type Finding, type FindingParams, type Span } from '../findings/finding';
import {
  CLUSTER_FIELDS,
  CONTEXT_FIELDS,
  USER_FIELDS,
  type ClusterEntry,
  type ContextEntry,
  type EntryKind,
  type Field,
  type FieldKind,
  type UserEntry,
} from './model';
import { resolveReference } from './paths';
import { CLUSTER_SCHEMA, CONTEXT_SCHEMA, KNOWN_VERSION_KIND, USER_SCHEMA, type JsonType } from './schema';
import type { Tree, TreeNode, TreePair } from './tree';
import type { Yaml11Value } from './yaml11';

/** Which top-level list holds which entry kind, and the fields each understands. */
export const LISTS = {
  clusters: { kind: 'cluster', inner: 'cluster', fields: CLUSTER_FIELDS, schema: CLUSTER_SCHEMA },
  users: { kind: 'user', inner: 'user', fields: USER_FIELDS, schema: USER_SCHEMA },
  contexts: { kind: 'context', inner: 'context', fields: CONTEXT_FIELDS, schema: CONTEXT_SCHEMA },
} as const satisfies Record<
  string,
  { kind: EntryKind; inner: string; fields: Record<string, FieldKind>; schema: JsonType }
>;

export type ListKey = keyof typeof LISTS;

/** How an invalid-field finding names each JSON type. */
export const EXPECTED = {
  string: 'a string',
  boolean: 'true or false',
  bytes: 'a string (base64 data)',
  map: 'a map',
  list: 'a list',
} as const;

export class Builder {
  readonly findings: Finding[] = [];
  constructor(
    readonly file: string,
    readonly text: string,
    readonly tree: Tree,
  ) {}

  spanOf(node: TreeNode | null | undefined, fallback: Span): Span {
    const range = node?.range;
    if (!range) return fallback;
    return this.clamp({ start: range[0], end: Math.max(range[0], range[1]) });
  }

  clamp(span: Span): Span {
    const length = this.text.length;
    const start = Math.min(Math.max(0, span.start), length);
    return { start, end: Math.min(Math.max(start, span.end), length) };
  }

  deref(node: unknown): TreeNode | null {
    return this.tree.deref(node);
  }

  isMap(node: TreeNode | null): node is TreeNode & { items: readonly TreePair[] } {
    return node !== null && this.tree.isMap(node);
  }

  isSeq(node: TreeNode | null): node is TreeNode & { items: readonly unknown[] } {
    return node !== null && this.tree.isSeq(node);
  }

  isScalar(node: TreeNode | null): node is TreeNode {
    return node !== null && this.tree.isScalar(node);
  }

  /** A scalar's value as kubectl sees it (YAML 1.1, then JSON). */
  value(node: TreeNode): Yaml11Value {
    return this.tree.scalarValue(node);
  }

  /** A map's pairs with `<<` merges applied and repeated keys resolved (last wins). */
  pairs(node: TreeNode & { items: readonly TreePair[] }): readonly TreePair[] {
    return this.tree.pairs(node);
  }

  /** The string value of a scalar, undefined for any other node or JSON type. */
  stringOf(node: TreeNode | null): string | undefined {
    if (!this.isScalar(node)) return undefined;
    const value = this.value(node);
    return typeof value === 'string' ? value : undefined;
  }

  /** Null, or a scalar whose value is null (`key:`, `~`): the same as absent for kubectl. */
  isEmpty(node: TreeNode | null): boolean {
    return node === null || (this.isScalar(node) && this.value(node) === null);
  }

  keyText(pair: TreePair): string | undefined {
    const key = pair.key as TreeNode | null;
    return this.isScalar(key) && (typeof key.value === 'string' || typeof key.value === 'number')
      ? String(key.value)
      : undefined;
  }

  report(
    code: FindingCode,
    span: Span,
    params: FindingParams,
    scope: { cluster?: string; user?: string; context?: string } = {},
  ): void {
    this.findings.push(makeFinding(code, { file: this.file, span, ...scope }, params));
  }

  invalid(
    field: string,
    expected: string,
    span: Span,
    scope?: { cluster?: string; user?: string; context?: string },
  ): void {
    this.report('invalid-field', span, { field, expected }, scope);
  }
}

/** `kind: Foo` or `apiVersion: v2`: "no kind … is registered" for kubectl. */
export function validateVersionKind(b: Builder, key: string, value: TreeNode | null, keySpan: Span): void {
  if (key !== 'kind' && key !== 'apiVersion') return;
  const known: readonly string[] = KNOWN_VERSION_KIND[key];
  const text = b.stringOf(value);
  if (text !== undefined && !known.includes(text))
    b.invalid(key, key === 'kind' ? '"Config"' : '"v1"', b.spanOf(value, keySpan));
}

/** Reports every value whose JSON type is not the one client-go decodes there. */
export function validate(
  b: Builder,
  node: TreeNode | null,
  type: JsonType,
  label: string,
  fallback: Span,
  scope?: { cluster?: string; user?: string; context?: string },
): void {
  if (b.isEmpty(node) || type === 'any') return;
  const span = b.spanOf(node, fallback);
  if (typeof type === 'string') {
    const value = b.isScalar(node) ? b.value(node) : undefined;
    const ok = type === 'boolean' ? typeof value === 'boolean' : typeof value === 'string';
    if (!ok) b.invalid(label, EXPECTED[type], span, scope);
    return;
  }
  if ('list' in type) {
    if (!b.isSeq(node)) return b.invalid(label, EXPECTED.list, span, scope);
    for (const item of node.items) validate(b, b.deref(item), type.list, `an item of ${label}`, span, scope);
    return;
  }
  if (!b.isMap(node)) return b.invalid(label, EXPECTED.map, span, scope);
  for (const pair of b.pairs(node)) {
    const key = b.keyText(pair);
    if (key === undefined) continue;
    const fields = 'object' in type ? type.object : undefined;
    if (fields && !Object.prototype.hasOwnProperty.call(fields, key)) continue;
    const sub = fields ? fields[key] : (type as { readonly dictionary: JsonType }).dictionary;
    validate(b, b.deref(pair.value), sub, label === '' ? key : `${label}.${key}`, span, scope);
  }
}

export function validateList(b: Builder, listKey: ListKey, keySpan: Span, value: TreeNode | null): void {
  if (b.isEmpty(value)) return;
  if (!b.isSeq(value)) return b.invalid(listKey, EXPECTED.list, b.spanOf(value, keySpan));
  const spec = LISTS[listKey];
  for (const rawItem of value.items) {
    const item = b.deref(rawItem);
    if (b.isEmpty(item)) continue;
    const itemSpan = b.spanOf(item, keySpan);
    if (!b.isMap(item)) {
      b.invalid(`An item of ${listKey}`, `a map with name and ${spec.inner}`, itemSpan);
      continue;
    }
    const name = itemName(b, item);
    const scope = { [spec.kind]: name };
    for (const pair of b.pairs(item)) {
      const key = b.keyText(pair);
      const v = b.deref(pair.value);
      if (key === 'name') validate(b, v, 'string', `name of an item of ${listKey}`, itemSpan, scope);
      else if (key === spec.inner) {
        const label = `${spec.inner} of ${spec.kind} ${name}`;
        if (!b.isEmpty(v) && !b.isMap(v)) b.invalid(label, EXPECTED.map, b.spanOf(v, itemSpan), scope);
        else validate(b, v, spec.schema, '', itemSpan, scope);
      }
    }
  }
}

export function readList(
  b: Builder,
  listKey: ListKey,
  keySpan: Span,
  value: TreeNode | null,
  out: { clusters: ClusterEntry[]; users: UserEntry[]; contexts: ContextEntry[] },
): void {
  if (!b.isSeq(value)) return;
  for (const rawItem of value.items) {
    const entry = readItem(b, listKey, keySpan, rawItem);
    if (entry) (out[listKey] as unknown[]).push(entry);
  }
}

/** The name of a list item as kubectl reads it: a string, else "" (a null or missing name). */
export function itemName(b: Builder, item: TreeNode & { items: readonly TreePair[] }): string {
  for (const pair of b.pairs(item))
    if (b.keyText(pair) === 'name') return b.stringOf(b.deref(pair.value)) ?? '';
  return '';
}

/** One list item as an entry; types are reported by `validateList`, wrong ones read as absent. */
export function readItem(
  b: Builder,
  listKey: ListKey,
  keySpan: Span,
  rawItem: unknown,
): ClusterEntry | UserEntry | ContextEntry | undefined {
  const spec = LISTS[listKey];
  const item = b.deref(rawItem);
  if (!b.isMap(item)) return undefined;
  const itemSpan = b.spanOf(item, keySpan);
  let name = '';
  let nameSpan: Span = { start: itemSpan.start, end: itemSpan.start };
  let body: TreeNode | null = null;
  for (const pair of b.pairs(item)) {
    const key = b.keyText(pair);
    const v = b.deref(pair.value);
    if (key === 'name') {
      const text = b.stringOf(v);
      name = text ?? '';
      nameSpan = text !== undefined ? b.spanOf(v, itemSpan) : { start: itemSpan.start, end: itemSpan.start };
    } else if (key === spec.inner) {
      body = v;
    }
  }
  const fields: Record<string, Field> = {};
  if (b.isMap(body)) {
    const known = spec.fields as Record<string, FieldKind>;
    for (const pair of b.pairs(body)) {
      const key = b.keyText(pair);
      if (key === undefined || !Object.prototype.hasOwnProperty.call(known, key)) continue;
      const field = readField(
        b,
        key,
        known[key],
        b.spanOf(pair.key as TreeNode, itemSpan),
        b.deref(pair.value),
      );
      if (field) fields[key] = field;
    }
  }
  return { kind: spec.kind, file: b.file, name, nameSpan, span: itemSpan, fields } as
    ClusterEntry | UserEntry | ContextEntry;
}

/** A field of the model, or undefined when it is empty or of the wrong type (`validate` reports those). */
export function readField(
  b: Builder,
  key: string,
  kind: FieldKind,
  keySpan: Span,
  value: TreeNode | null,
): Field | undefined {
  // An empty value (`token:`) is the same as an absent one for kubectl.
  if (b.isEmpty(value)) return undefined;
  const span = b.spanOf(value, keySpan);
  switch (kind) {
    case 'string':
    case 'path': {
      const text = b.stringOf(value);
      if (text === undefined) return undefined;
      const field: Field<string> = { key, value: text, keySpan, span };
      return kind === 'path' ? { ...field, resolvedPath: resolveReference(b.file, text) } : field;
    }
    case 'boolean': {
      const flag = b.isScalar(value) ? b.value(value) : undefined;
      if (typeof flag !== 'boolean') return undefined;
      return { key, value: flag, keySpan, span };
    }
    case 'exec':
    case 'auth-provider': {
      if (!b.isMap(value)) return undefined;
      const info: Record<string, string> = {};
      const wanted = kind === 'exec' ? ['command', 'apiVersion'] : ['name'];
      for (const pair of b.pairs(value)) {
        const k = b.keyText(pair);
        const text = b.stringOf(b.deref(pair.value));
        if (k !== undefined && wanted.includes(k) && text !== undefined) info[k] = text;
      }
      return { key, value: info, keySpan, span };
    }
  }
}

export function reportDuplicates(
  b: Builder,
  entries: readonly (ClusterEntry | UserEntry | ContextEntry)[],
): void {
  const first = new Map<string, ClusterEntry | UserEntry | ContextEntry>();
  for (const entry of entries) {
    const earlier = first.get(entry.name);
    if (!earlier) {
      first.set(entry.name, entry);
      continue;
    }
    b.findings.push(
      makeFinding(
        'duplicate-name',
        { file: b.file, span: entry.nameSpan, [entry.kind]: entry.name },
        { kind: entry.kind, name: entry.name },
        {
          related: [
            {
              file: b.file,
              span: earlier.nameSpan,
              message: RELATED_MESSAGES.firstDefinition,
              params: { name: entry.name },
            },
          ],
        },
      ),
    );
  }
}
