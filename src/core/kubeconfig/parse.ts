// Parses one kubeconfig file into the model. Never throws: bad YAML and wrong types become
// findings whose span lies inside the document.
import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  parseAllDocuments,
  visit,
  type Alias,
  type Document,
  type Node,
  type Scalar,
} from 'yaml';
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
  type KubeconfigDocument,
  type UserEntry,
} from './model';
import { resolveReference } from './paths';
import {
  CLUSTER_SCHEMA,
  CONFIG_SCHEMA,
  CONTEXT_SCHEMA,
  KNOWN_VERSION_KIND,
  USER_SCHEMA,
  type JsonType,
} from './schema';
import { scanYaml, type ScanMap, type ScanNode, type ScanPair } from './scan';
import { resolveScalarYaml11, Yaml11TagError, type Yaml11Value } from './yaml11';

/** Which top-level list holds which entry kind, and the fields each understands. */
const LISTS = {
  clusters: { kind: 'cluster', inner: 'cluster', fields: CLUSTER_FIELDS, schema: CLUSTER_SCHEMA },
  users: { kind: 'user', inner: 'user', fields: USER_FIELDS, schema: USER_SCHEMA },
  contexts: { kind: 'context', inner: 'context', fields: CONTEXT_FIELDS, schema: CONTEXT_SCHEMA },
} as const satisfies Record<
  string,
  { kind: EntryKind; inner: string; fields: Record<string, FieldKind>; schema: JsonType }
>;

type ListKey = keyof typeof LISTS;

/** How an invalid-field finding names each JSON type. */
const EXPECTED = {
  string: 'a string',
  boolean: 'true or false',
  bytes: 'a string (base64 data)',
  map: 'a map',
  list: 'a list',
} as const;

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
  /** A scalar's value as JSON after sigs.k8s.io/yaml (YAML 1.1 booleans and numbers). */
  scalarValue(node: TreeNode): Yaml11Value;
  /** The node an alias stands for; the node itself otherwise. */
  deref(node: unknown): TreeNode | null;
  /** A map's pairs as go-yaml v2 reads them: `<<` merges applied, a repeated key's last value kept. */
  pairs(node: TreeNode & { items: readonly TreePair[] }): readonly TreePair[];
}

/** The scanner resolves scalars with the same rules, and leaves merge keys and repeated keys to `yaml`. */
const SCANNED: Tree = {
  isMap: (node) => (node as ScanNode).kind === 'map',
  isSeq: (node) => (node as ScanNode).kind === 'seq',
  isScalar: (node) => (node as ScanNode).kind === 'scalar',
  scalarValue: (node) => node.value as Yaml11Value,
  deref: (node) => (node as TreeNode | null | undefined) ?? null,
  pairs: (node) => node.items,
};

/** How deep `<<` merges may nest; deeper is cut off (kubeconfigs need one or two levels). */
const MAX_MERGE_DEPTH = 64;

/** A plain, untagged `<<` key: go-yaml's merge key (a quoted "<<" is an ordinary key). */
function isMergeKey(key: unknown): boolean {
  return isScalar(key) && key.source === '<<' && key.type === 'PLAIN' && !key.tag;
}

/** `yaml`'s document (failsafe schema: every scalar is its text), aliases and merges resolved lazily. */
class YamlTree implements Tree {
  constructor(private readonly doc: Document.Parsed) {}

  isMap = (node: TreeNode): boolean => isMap(node);
  isSeq = (node: TreeNode): boolean => isSeq(node);
  isScalar = (node: TreeNode): boolean => isScalar(node);

  scalarValue(node: TreeNode): Yaml11Value {
    const scalar = node as Scalar;
    const text = String(scalar.source ?? scalar.value ?? '');
    try {
      return resolveScalarYaml11(text, scalar.type === 'PLAIN', scalar.tag);
    } catch (error) {
      // Reported once by `kubectlProblems`; read as absent meanwhile.
      if (error instanceof Yaml11TagError) return null;
      throw error;
    }
  }

  deref(node: unknown): TreeNode | null {
    if (isAlias(node)) return this.aliasTargets().get(node) ?? null;
    return (node as Node | null | undefined) ?? null;
  }

  private readonly merged = new WeakMap<object, readonly TreePair[]>();
  private readonly merging = new Set<object>();

  pairs(node: TreeNode & { items: readonly TreePair[] }, depth = 0): readonly TreePair[] {
    const known = this.merged.get(node);
    if (known) return known;
    const items = node.items as readonly TreePair[];
    if (!items.some((pair) => isMergeKey(pair.key)) && !this.hasRepeatedKey(items)) {
      this.merged.set(node, items);
      return items;
    }
    if (this.merging.has(node) || depth > MAX_MERGE_DEPTH) return [];
    this.merging.add(node);
    // go-yaml v2 decodes a merged map into the same map, in document order: a key after `<<`
    // overrides the merged one, a key before it is overridden; in `<<: [*a, *b]` *a wins.
    const effective = new Map<unknown, TreePair>();
    const set = (pair: TreePair): void => {
      const key = pair.key as TreeNode | null;
      const id = isScalar(key) ? String(key.source ?? key.value) : pair;
      effective.delete(id);
      effective.set(id, pair);
    };
    const mergeFrom = (value: unknown): void => {
      const target = this.deref(value);
      if (target && isMap(target))
        for (const pair of this.pairs(target as TreeNode & { items: TreePair[] }, depth + 1)) set(pair);
    };
    for (const pair of items) {
      if (!isMergeKey(pair.key)) {
        set(pair);
        continue;
      }
      const value = this.deref(pair.value);
      if (value && isSeq(value)) for (const item of [...value.items].reverse()) mergeFrom(item);
      else mergeFrom(value);
    }
    this.merging.delete(node);
    const result = [...effective.values()];
    this.merged.set(node, result);
    return result;
  }

  private hasRepeatedKey(items: readonly TreePair[]): boolean {
    const seen = new Set<string>();
    for (const pair of items) {
      if (!isScalar(pair.key)) continue;
      const id = String(pair.key.source ?? pair.key.value);
      if (seen.has(id)) return true;
      seen.add(id);
    }
    return false;
  }

  /**
   * What go-yaml or the JSON conversion refuses although the YAML parses: an alias to no anchor,
   * a `<<` whose value is not a map or a list of maps, a value its tag does not fit, and an
   * infinity or NaN anywhere (JSON has none: "json: unsupported value").
   */
  kubectlProblems(text: string): { span: readonly number[] | undefined; reason: string }[] {
    const problems: { span: readonly number[] | undefined; reason: string }[] = [];
    // Each needs a character only it uses: most files skip the walk.
    if (!/[*!]|<<|\.(?:inf|Inf|INF|nan|NaN|NAN)/.test(text)) return problems;
    const targets = this.aliasTargets();
    try {
      visit(this.doc, {
        Alias: (_key, node) => {
          if (!targets.has(node))
            problems.push({
              span: node.range ?? undefined,
              reason: 'an alias names an anchor that is not defined before it',
            });
        },
        Pair: (_key, pair) => {
          if (!isMergeKey(pair.key)) return;
          const value = this.deref(pair.value);
          const maps = value && isSeq(value) ? value.items.map((item) => this.deref(item)) : [value];
          if (maps.some((m) => !m || !isMap(m)))
            problems.push({
              span: (pair.key as Scalar).range ?? undefined,
              reason: 'map merge requires map or sequence of maps as the value',
            });
        },
        Scalar: (key, node) => {
          if (key === 'key') return;
          const text = String(node.source ?? node.value ?? '');
          try {
            const value = resolveScalarYaml11(text, node.type === 'PLAIN', node.tag);
            if (typeof value === 'number' && !Number.isFinite(value))
              problems.push({
                span: node.range ?? undefined,
                reason: 'kubectl converts YAML to JSON, which has no infinity or NaN',
              });
          } catch (error) {
            if (!(error instanceof Yaml11TagError)) throw error;
            problems.push({ span: node.range ?? undefined, reason: error.message });
          }
        },
      });
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
    }
    return problems;
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
  let doc: Document.Parsed | undefined;
  try {
    // client-go reads the first document only (a later one, even a broken one, is ignored), and
    // a repeated key is no error for it: the last value wins. Scalars are typed by yaml11.ts.
    const docs = parseAllDocuments(text, {
      prettyErrors: false,
      keepSourceTokens: false,
      uniqueKeys: false,
      schema: 'failsafe',
    });
    doc = Array.isArray(docs) ? docs[0] : undefined;
  } catch {
    // The parser itself gave up (e.g. nesting deeper than the stack): one finding on the first line.
    const end = text.indexOf('\n');
    return emptyDocument(file, text, [
      makeFinding(
        'invalid-yaml',
        { file, span: { start: 0, end: end === -1 ? text.length : end } },
        { reason: 'RESOURCE_EXHAUSTION' },
      ),
    ]);
  }
  if (!doc) return emptyDocument(file, text, []);
  const tree = new YamlTree(doc);
  const b = new Builder(file, text, tree);
  for (const error of doc.errors) {
    b.report('invalid-yaml', b.clamp({ start: error.pos[0], end: error.pos[1] }), { reason: error.code });
  }
  if (doc.errors.length === 0) {
    for (const problem of tree.kubectlProblems(text)) {
      const [start, end] = problem.span ?? [0, 0];
      b.report('invalid-yaml', b.clamp({ start, end }), { reason: problem.reason });
    }
  }
  return buildDocument(b, doc.contents);
}

function buildDocument(b: Builder, contents: unknown): KubeconfigDocument {
  const { file, text } = b;
  const root = b.deref(contents);
  const whole = b.clamp({ start: 0, end: text.length });
  if (b.isEmpty(root)) return emptyDocument(file, text, b.findings);
  if (!b.isMap(root)) {
    b.invalid('The kubeconfig', EXPECTED.map, b.spanOf(root, whole));
    return emptyDocument(file, text, b.findings);
  }

  const lists: { clusters: ClusterEntry[]; users: UserEntry[]; contexts: ContextEntry[] } = {
    clusters: [],
    users: [],
    contexts: [],
  };
  let kind: Field<string> | undefined;
  let currentContext: Field<string> | undefined;
  for (const pair of b.pairs(root)) {
    const key = b.keyText(pair);
    if (key === undefined) continue;
    const value = b.deref(pair.value);
    const keySpan = b.spanOf(pair.key as TreeNode, whole);
    if (key === 'kind' || key === 'current-context') {
      const field = readField(b, key, 'string', keySpan, value);
      if (key === 'kind') kind = field as Field<string> | undefined;
      else currentContext = field as Field<string> | undefined;
    }
    if (Object.prototype.hasOwnProperty.call(LISTS, key)) {
      validateList(b, key as ListKey, keySpan, value);
      readList(b, key as ListKey, keySpan, value, lists);
    } else if (Object.prototype.hasOwnProperty.call(CONFIG_SCHEMA, key)) {
      validate(b, value, CONFIG_SCHEMA[key], key, keySpan);
      validateVersionKind(b, key, value, keySpan);
    }
  }
  reportDuplicates(b, lists.clusters);
  reportDuplicates(b, lists.users);
  reportDuplicates(b, lists.contexts);
  return { file, text, kind, currentContext, ...lists, findings: b.findings };
}

/** `kind: Foo` or `apiVersion: v2`: "no kind … is registered" for kubectl. */
function validateVersionKind(b: Builder, key: string, value: TreeNode | null, keySpan: Span): void {
  if (key !== 'kind' && key !== 'apiVersion') return;
  const known: readonly string[] = KNOWN_VERSION_KIND[key];
  const text = b.stringOf(value);
  if (text !== undefined && !known.includes(text))
    b.invalid(key, key === 'kind' ? '"Config"' : '"v1"', b.spanOf(value, keySpan));
}

/** Reports every value whose JSON type is not the one client-go decodes there. */
function validate(
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

function validateList(b: Builder, listKey: ListKey, keySpan: Span, value: TreeNode | null): void {
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

function readList(
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
function itemName(b: Builder, item: TreeNode & { items: readonly TreePair[] }): string {
  for (const pair of b.pairs(item))
    if (b.keyText(pair) === 'name') return b.stringOf(b.deref(pair.value)) ?? '';
  return '';
}

/** One list item as an entry; types are reported by `validateList`, wrong ones read as absent. */
function readItem(
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
function readField(
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

function reportDuplicates(b: Builder, entries: readonly (ClusterEntry | UserEntry | ContextEntry)[]): void {
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
