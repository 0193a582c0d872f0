// Parses one kubeconfig file into the model. Never throws: bad YAML and wrong types become
// findings whose span lies inside the document.
import { parseAllDocuments, type Document } from 'yaml';
import { makeFinding, type Finding, type Span } from '../findings/finding';
import type { ClusterEntry, ContextEntry, Field, KubeconfigDocument, UserEntry } from './model';
import {
  Builder,
  EXPECTED,
  LISTS,
  itemName,
  readField,
  readItem,
  readList,
  reportDuplicates,
  validate,
  validateList,
  validateVersionKind,
  type ListKey,
} from './reader';
import { CONFIG_SCHEMA } from './schema';
import { scanYaml, type ScanMap, type ScanPair } from './scan';
import { SCANNED, YamlTree, type TreeNode } from './tree';

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
