// Names in a kubeconfig point at entries: a context's `cluster:` and `user:`, and `current-context:`.
// Outline, Go to Definition and Find All References are read from the model's spans, one document at
// a time (the names a file uses are resolved in that file, as kubectl does for one file).
// vscode-free: unit tests drive it on parsed documents.
import type { Span } from '../../core/findings/finding';
import type {
  ClusterEntry,
  ContextEntry,
  EntryKind,
  Field,
  KubeconfigDocument,
  UserEntry,
} from '../../core/kubeconfig/model';

type Entry = ClusterEntry | UserEntry | ContextEntry;

/** A name and where it is written: a reference (`cluster: prod`) or an entry's own `name:`. */
export interface NameAt {
  readonly kind: EntryKind;
  readonly name: string;
  readonly span: Span;
  /** True on the entry's own `name:` value. */
  readonly declaration: boolean;
}

export interface OutlineGroup {
  /** `clusters`, `users`, `contexts`. */
  readonly key: 'clusters' | 'users' | 'contexts';
  readonly kind: EntryKind;
  readonly span: Span;
  readonly entries: readonly { readonly name: string; readonly span: Span; readonly nameSpan: Span }[];
}

/** Which fields hold a reference to an entry of which kind. */
const REFERENCE_FIELDS: readonly { readonly field: 'cluster' | 'user'; readonly kind: EntryKind }[] = [
  { field: 'cluster', kind: 'cluster' },
  { field: 'user', kind: 'user' },
];

function inside(span: Span, offset: number): boolean {
  return offset >= span.start && offset <= span.end;
}

function listOf(doc: KubeconfigDocument, kind: EntryKind): readonly Entry[] {
  return kind === 'cluster' ? doc.clusters : kind === 'user' ? doc.users : doc.contexts;
}

/** Every reference of the document, in document order. */
function references(doc: KubeconfigDocument): NameAt[] {
  const found: NameAt[] = [];
  for (const context of doc.contexts) {
    for (const { field, kind } of REFERENCE_FIELDS) {
      const value = context.fields[field] as Field<string> | undefined;
      if (typeof value?.value === 'string' && value.value !== '')
        found.push({ kind, name: value.value, span: value.span, declaration: false });
    }
  }
  const current = doc.currentContext;
  if (typeof current?.value === 'string' && current.value !== '')
    found.push({ kind: 'context', name: current.value, span: current.span, declaration: false });
  return found;
}

/** The name under `offset`: a reference value or an entry's `name:` value. */
export function nameAt(doc: KubeconfigDocument, offset: number): NameAt | undefined {
  const reference = references(doc).find((r) => inside(r.span, offset));
  if (reference) return reference;
  for (const kind of ['cluster', 'user', 'context'] as const) {
    const entry = listOf(doc, kind).find(
      (e) => e.nameSpan.end > e.nameSpan.start && inside(e.nameSpan, offset),
    );
    if (entry) return { kind, name: entry.name, span: entry.nameSpan, declaration: true };
  }
  return undefined;
}

/** Where the named entry is declared; the first entry wins, as kubectl keeps the first of duplicates. */
export function definitionAt(doc: KubeconfigDocument, offset: number): Span | undefined {
  const at = nameAt(doc, offset);
  if (!at) return undefined;
  return listOf(doc, at.kind).find((e) => e.name === at.name)?.nameSpan;
}

/** Every place that names the entry under `offset` (its declarations first when asked for). */
export function referencesAt(doc: KubeconfigDocument, offset: number, includeDeclaration: boolean): Span[] {
  const at = nameAt(doc, offset);
  if (!at) return [];
  const declarations = includeDeclaration
    ? listOf(doc, at.kind)
        .filter((e) => e.name === at.name)
        .map((e) => e.nameSpan)
    : [];
  const uses = references(doc)
    .filter((r) => r.kind === at.kind && r.name === at.name)
    .map((r) => r.span);
  return [...declarations, ...uses];
}

/** The outline: clusters, users and contexts by name, each group spanning its entries. */
export function outline(doc: KubeconfigDocument): OutlineGroup[] {
  const groups: OutlineGroup[] = [];
  for (const [key, kind] of [
    ['clusters', 'cluster'],
    ['users', 'user'],
    ['contexts', 'context'],
  ] as const) {
    const entries = listOf(doc, kind);
    if (entries.length === 0) continue;
    const span = {
      start: Math.min(...entries.map((e) => e.span.start)),
      end: Math.max(...entries.map((e) => e.span.end)),
    };
    groups.push({
      key,
      kind,
      span,
      entries: entries.map((e) => ({ name: e.name, span: e.span, nameSpan: e.nameSpan })),
    });
  }
  return groups.sort((a, b) => a.span.start - b.span.start);
}
