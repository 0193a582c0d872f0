// Parses one kubeconfig file into the model. Never throws: bad YAML and wrong types become
// findings whose span lies inside the document.
import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  parseDocument,
  visit,
  type Alias,
  type Document,
  type Node,
} from 'yaml';
import { FINDING_CATALOG, RELATED_MESSAGES, type FindingCode } from '../findings/catalog';
import type { Finding, FindingParams, Span } from '../findings/finding';
import {
  CLUSTER_FIELDS,
  CONTEXT_FIELDS,
  USER_FIELDS,
  type ClusterEntry,
  type ContextEntry,
  type EntryKind,
  type Field,
  type FieldKind,
  type KubeconfigDocument,
  type UserEntry,
} from './model';
import { resolveReference } from './paths';
import { scanYaml, type ScanMap, type ScanNode, type ScanPair } from './scan';

/** Which top-level list holds which entry kind, and the fields each understands. */
const LISTS = {
  clusters: { kind: 'cluster', inner: 'cluster', fields: CLUSTER_FIELDS },
  users: { kind: 'user', inner: 'user', fields: USER_FIELDS },
  contexts: { kind: 'context', inner: 'context', fields: CONTEXT_FIELDS },
} as const satisfies Record<string, { kind: EntryKind; inner: string; fields: Record<string, FieldKind> }>;

type ListKey = keyof typeof LISTS;

const EXPECTED: Record<FieldKind, string> = {
  string: 'a string',
  path: 'a string (a file path)',
  boolean: 'true or false',
  exec: 'a map (exec credential plugin)',
  'auth-provider': 'a map (auth provider)',
};

/**
 * The little the reader needs of a YAML tree: `yaml`'s nodes and the scanner's answer the same
 * questions with the same ranges, so both paths build the same document.
 */
interface TreeNode {
  readonly range?: readonly number[] | null;
  readonly value?: unknown;
  readonly items?: readonly unknown[];
}

interface TreePair {
  readonly key: unknown;
  readonly value: unknown;
}

interface Tree {
  isMap(node: TreeNode): boolean;
  isSeq(node: TreeNode): boolean;
  isScalar(node: TreeNode): boolean;
  /** The node an alias stands for; the node itself otherwise. */
  deref(node: unknown): TreeNode | null;
}

const SCANNED: Tree = {
  isMap: (node) => (node as ScanNode).kind === 'map',
  isSeq: (node) => (node as ScanNode).kind === 'seq',
  isScalar: (node) => (node as ScanNode).kind === 'scalar',
  deref: (node) => (node as TreeNode | null | undefined) ?? null,
};

/** `yaml`'s document, aliases resolved lazily. */
class YamlTree implements Tree {
  constructor(private readonly doc: Document.Parsed) {}

  isMap = (node: TreeNode): boolean => isMap(node);
  isSeq = (node: TreeNode): boolean => isSeq(node);
  isScalar = (node: TreeNode): boolean => isScalar(node);

  deref(node: unknown): TreeNode | null {
    if (isAlias(node)) return this.aliasTargets().get(node) ?? null;
    return (node as Node | null | undefined) ?? null;
  }

  private targets: Map<Alias, Node> | undefined;

  /**
   * Every alias's node, found in one pass: Alias.resolve walks the whole document per call, so a
   * file of many aliases took quadratic time (5,000 aliases: seconds; 100,000: the editor hangs).
   * Same rule as yaml's: the last node before the alias that carries its anchor.
   */
  private aliasTargets(): Map<Alias, Node> {
    if (this.targets) return this.targets;
    const targets = new Map<Alias, Node>();
    const anchors = new Map<string, Node>();
    try {
      visit(this.doc, {
        Node: (_key, node) => {
          if (isAlias(node)) {
            const target = anchors.get(node.source);
            if (target) targets.set(node, target);
          } else if (node.anchor) anchors.set(node.anchor, node);
        },
      });
    } catch {
      // Nesting too deep for the walk: aliases stay unresolved, like missing values.
    }
    this.targets = targets;
    return targets;
  }
}

class Builder {
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

  /** Null, or a scalar whose value is null (`key:`, `~`): the same as absent for kubectl. */
  isEmpty(node: TreeNode | null): boolean {
    return node === null || (this.isScalar(node) && node.value === null);
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
    this.findings.push({
      code,
      severity: FINDING_CATALOG[code].severity,
      params,
      file: this.file,
      span,
      ...scope,
    });
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

function emptyDocument(file: string, text: string, findings: Finding[]): KubeconfigDocument {
  return { file, text, clusters: [], users: [], contexts: [], findings };
}

/** Scans the subset kubectl writes directly; anything else (or anything odd) goes through `yaml`. */
export function parseKubeconfig(text: string, file: string): KubeconfigDocument {
  const scanned = scanYaml(text);
  if (scanned) return buildDocument(new Builder(file, text, SCANNED), scanned);
  return parseWithYaml(text, file);
}

/** The `yaml` path alone: the reference the scanner is checked against. */
export function parseWithYaml(text: string, file: string): KubeconfigDocument {
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, { prettyErrors: false, keepSourceTokens: false, uniqueKeys: true });
  } catch {
    // The parser itself gave up (e.g. nesting deeper than the stack): one finding on the first line.
    const end = text.indexOf('\n');
    return emptyDocument(file, text, [
      {
        code: 'invalid-yaml',
        severity: FINDING_CATALOG['invalid-yaml'].severity,
        params: { reason: 'RESOURCE_EXHAUSTION' },
        file,
        span: { start: 0, end: end === -1 ? text.length : end },
      },
    ]);
  }
  const b = new Builder(file, text, new YamlTree(doc));
  for (const error of doc.errors) {
    b.report('invalid-yaml', b.clamp({ start: error.pos[0], end: error.pos[1] }), { reason: error.code });
  }
  return buildDocument(b, doc.contents);
}

function buildDocument(b: Builder, contents: unknown): KubeconfigDocument {
  const { file, text } = b;
  const root = b.deref(contents);
  const whole = b.clamp({ start: 0, end: text.length });
  if (b.isEmpty(root)) return emptyDocument(file, text, b.findings);
  if (!b.isMap(root)) {
    b.invalid('The kubeconfig', 'a map', b.spanOf(root, whole));
    return emptyDocument(file, text, b.findings);
  }

  const lists: { clusters: ClusterEntry[]; users: UserEntry[]; contexts: ContextEntry[] } = {
    clusters: [],
    users: [],
    contexts: [],
  };
  let kind: Field<string> | undefined;
  let currentContext: Field<string> | undefined;
  for (const pair of root.items) {
    const key = b.keyText(pair);
    if (key === undefined) continue;
    const value = b.deref(pair.value);
    const keySpan = b.spanOf(pair.key as TreeNode, whole);
    if (key === 'kind' || key === 'current-context') {
      const field = readField(b, key, 'string', keySpan, value);
      if (key === 'kind') kind = field as Field<string> | undefined;
      else currentContext = field as Field<string> | undefined;
    } else if (Object.prototype.hasOwnProperty.call(LISTS, key)) {
      readList(b, key as ListKey, keySpan, value, lists);
    }
  }
  reportDuplicates(b, lists.clusters);
  reportDuplicates(b, lists.users);
  reportDuplicates(b, lists.contexts);
  return { file, text, kind, currentContext, ...lists, findings: b.findings };
}

function readList(
  b: Builder,
  listKey: ListKey,
  keySpan: Span,
  value: TreeNode | null,
  out: { clusters: ClusterEntry[]; users: UserEntry[]; contexts: ContextEntry[] },
): void {
  if (b.isEmpty(value)) return;
  if (!b.isSeq(value)) {
    b.invalid(listKey, 'a list', b.spanOf(value, keySpan));
    return;
  }
  for (const rawItem of value.items) {
    const entry = readItem(b, listKey, keySpan, rawItem);
    if (entry) (out[listKey] as unknown[]).push(entry);
  }
}

/** The name of a list item as `readItem` reads it, without building the entry. */
function itemName(b: Builder, item: TreeNode & { items: readonly TreePair[] }): string {
  let name = '';
  for (const pair of item.items) {
    if (b.keyText(pair) !== 'name') continue;
    const v = b.deref(pair.value);
    if (b.isScalar(v) && v.value !== null && typeof v.value !== 'object') name = String(v.value);
  }
  return name;
}

function readItem(
  b: Builder,
  listKey: ListKey,
  keySpan: Span,
  rawItem: unknown,
): ClusterEntry | UserEntry | ContextEntry | undefined {
  const spec = LISTS[listKey];
  const item = b.deref(rawItem);
  const itemSpan = b.spanOf(item, keySpan);
  if (!b.isMap(item)) {
    b.invalid(`An item of ${listKey}`, 'a map with name and ' + spec.inner, itemSpan);
    return undefined;
  }
  let name = '';
  let nameSpan: Span = { start: itemSpan.start, end: itemSpan.start };
  let body: TreeNode | null = null;
  let bodyKeySpan: Span | undefined;
  for (const pair of item.items) {
    const key = b.keyText(pair);
    const v = b.deref(pair.value);
    if (key === 'name') {
      if (b.isScalar(v) && v.value !== null && typeof v.value !== 'object') {
        name = String(v.value);
        nameSpan = b.spanOf(v, itemSpan);
      } else {
        b.invalid(`name of an item of ${listKey}`, 'a string', b.spanOf(v, itemSpan));
      }
    } else if (key === spec.inner) {
      body = v;
      bodyKeySpan = b.spanOf(pair.key as TreeNode, itemSpan);
    }
  }
  const scope = { [spec.kind]: name };
  if (nameSpan.start === nameSpan.end && name === '') {
    b.invalid(
      `name of an item of ${listKey}`,
      'a string',
      { start: itemSpan.start, end: Math.min(itemSpan.end, itemSpan.start + 1) },
      scope,
    );
  }
  const fields: Record<string, Field> = {};
  if (!b.isEmpty(body)) {
    if (!b.isMap(body)) {
      b.invalid(
        `${spec.inner} of ${spec.kind} ${name}`,
        'a map',
        b.spanOf(body, bodyKeySpan ?? itemSpan),
        scope,
      );
    } else {
      const known = spec.fields as Record<string, FieldKind>;
      for (const pair of body.items) {
        const key = b.keyText(pair);
        if (key === undefined || !Object.prototype.hasOwnProperty.call(known, key)) continue;
        const field = readField(
          b,
          key,
          known[key],
          b.spanOf(pair.key as TreeNode, itemSpan),
          b.deref(pair.value),
          scope,
        );
        if (field) fields[key] = field;
      }
    }
  }
  return { kind: spec.kind, file: b.file, name, nameSpan, span: itemSpan, fields } as
    ClusterEntry | UserEntry | ContextEntry;
}

function readField(
  b: Builder,
  key: string,
  kind: FieldKind,
  keySpan: Span,
  value: TreeNode | null,
  scope?: { cluster?: string; user?: string; context?: string },
): Field | undefined {
  // An empty value (`token:`) is the same as an absent one for kubectl.
  if (b.isEmpty(value)) return undefined;
  const span = b.spanOf(value, keySpan);
  const wrong = (): undefined => {
    b.invalid(key, EXPECTED[kind], span, scope);
    return undefined;
  };
  switch (kind) {
    case 'string':
    case 'path': {
      if (!b.isScalar(value) || typeof value.value !== 'string') return wrong();
      const field: Field<string> = { key, value: value.value, keySpan, span };
      return kind === 'path' ? { ...field, resolvedPath: resolveReference(b.file, value.value) } : field;
    }
    case 'boolean':
      if (!b.isScalar(value) || typeof value.value !== 'boolean') return wrong();
      return { key, value: value.value, keySpan, span };
    case 'exec':
    case 'auth-provider': {
      if (!b.isMap(value)) return wrong();
      const info: Record<string, string> = {};
      const wanted = kind === 'exec' ? ['command', 'apiVersion'] : ['name'];
      for (const pair of value.items) {
        const k = b.keyText(pair);
        const v = b.deref(pair.value);
        if (k !== undefined && wanted.includes(k) && b.isScalar(v) && typeof v.value === 'string')
          info[k] = v.value;
      }
      return { key, value: info, keySpan, span };
    }
  }
}

function reportDuplicates(b: Builder, entries: readonly (ClusterEntry | UserEntry | ContextEntry)[]): void {
  const first = new Map<string, ClusterEntry | UserEntry | ContextEntry>();
  for (const entry of entries) {
    const earlier = first.get(entry.name);
    if (!earlier) {
      first.set(entry.name, entry);
      continue;
    }
    b.findings.push({
      code: 'duplicate-name',
      severity: FINDING_CATALOG['duplicate-name'].severity,
      params: { kind: entry.kind, name: entry.name },
      file: b.file,
      span: entry.nameSpan,
      [entry.kind]: entry.name,
      related: [
        {
          file: b.file,
          span: earlier.nameSpan,
          message: RELATED_MESSAGES.firstDefinition,
          params: { name: entry.name },
        },
      ],
    });
  }
}

/** Index of the last element whose start is at or before `offset`, -1 when none. */
function lastStartingBefore<T>(items: readonly T[], start: (item: T) => number, offset: number): number {
  let low = 0;
  let high = items.length - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (start(items[mid]) <= offset) {
      found = mid;
      low = mid + 1;
    } else high = mid - 1;
  }
  return found;
}

/**
 * The part of a scanned kubeconfig a hover at `offset` needs, built by the same reader as
 * `parseKubeconfig` from the same scanned tree: the top-level fields, the list item under
 * `offset`, and for a user every context (the merge keeps the first of each name) and the
 * clusters those naming the user point at. Its fields, entries and their analysis equal the full
 * document's; its `findings` are empty: structural findings need the whole document.
 */
export function parseKubeconfigAround(
  text: string,
  file: string,
  root: ScanMap,
  offset: number,
): KubeconfigDocument {
  const b = new Builder(file, text, SCANNED);
  const whole = b.clamp({ start: 0, end: text.length });
  const lists: { clusters: ClusterEntry[]; users: UserEntry[]; contexts: ContextEntry[] } = {
    clusters: [],
    users: [],
    contexts: [],
  };
  let kind: Field<string> | undefined;
  let currentContext: Field<string> | undefined;
  const sections = new Map<ListKey, { keySpan: Span; value: TreeNode | null }>();
  for (const pair of root.items) {
    const key = b.keyText(pair) as string;
    const keySpan = b.spanOf(pair.key, whole);
    if (key === 'kind') kind = readField(b, key, 'string', keySpan, pair.value) as Field<string> | undefined;
    else if (key === 'current-context')
      currentContext = readField(b, key, 'string', keySpan, pair.value) as Field<string> | undefined;
    else if (Object.prototype.hasOwnProperty.call(LISTS, key))
      sections.set(key as ListKey, { keySpan, value: pair.value });
  }
  const itemsOf = (listKey: ListKey): readonly TreeNode[] => {
    const value = sections.get(listKey)?.value ?? null;
    return b.isSeq(value) ? (value.items as TreeNode[]) : [];
  };
  const entries = new Map<TreeNode, ClusterEntry | UserEntry | ContextEntry | undefined>();
  const read = (listKey: ListKey, item: TreeNode): ClusterEntry | UserEntry | ContextEntry | undefined => {
    if (!entries.has(item)) entries.set(item, readItem(b, listKey, sections.get(listKey)!.keySpan, item));
    return entries.get(item);
  };

  // A map value ends where the next line starts, so a cursor at a line start may be on the
  // previous line's field: the items under `offset` and `offset - 1` are both kept.
  const users = new Set<string>();
  for (const o of [offset - 1, offset]) {
    const at = lastStartingBefore<ScanPair>(root.items, (pair) => pair.key.range[0], o);
    const listKey = at === -1 ? undefined : (b.keyText(root.items[at]) as string);
    if (listKey === undefined || !Object.prototype.hasOwnProperty.call(LISTS, listKey)) continue;
    const items = itemsOf(listKey as ListKey);
    const index = lastStartingBefore(items, (item) => item.range![0], o);
    const entry = index === -1 ? undefined : read(listKey as ListKey, items[index]);
    if (entry?.kind === 'user') users.add(entry.name);
  }
  if (users.size > 0) {
    // Every context (the merge keeps the first of each name), then the clusters of those naming a user.
    const seen = new Set<string>();
    const clusters = new Set<string>();
    for (const item of itemsOf('contexts')) {
      const context = read('contexts', item) as ContextEntry | undefined;
      if (!context || seen.has(context.name)) continue;
      seen.add(context.name);
      const cluster = context.fields.cluster?.value;
      const user = context.fields.user?.value;
      if (user !== undefined && users.has(user) && cluster !== undefined) clusters.add(cluster);
    }
    for (const item of itemsOf('clusters'))
      if (b.isMap(item) && clusters.has(itemName(b, item))) read('clusters', item);
  }
  // In document order, as the full parse lists them.
  for (const listKey of Object.keys(LISTS) as ListKey[]) {
    for (const item of itemsOf(listKey)) {
      const entry = entries.get(item);
      if (entry) (lists[listKey] as unknown[]).push(entry);
    }
  }
  return { file, text, kind, currentContext, ...lists, findings: [] };
}
