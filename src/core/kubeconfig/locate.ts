// "Which value is under this offset?" for hover: a sorted index of every field of a document,
// built once per document object and searched by bisection.
import type { Span } from '../findings/finding';
import type { ClusterEntry, ContextEntry, Field, KubeconfigDocument, UserEntry } from './model';

export interface LocatedField {
  /** Undefined for top-level fields (current-context, kind). */
  readonly entry?: ClusterEntry | UserEntry | ContextEntry;
  readonly field: Field;
}

interface IndexedField extends LocatedField {
  readonly start: number;
  readonly end: number;
}

const indexes = new WeakMap<KubeconfigDocument, IndexedField[]>();

function buildIndex(doc: KubeconfigDocument): IndexedField[] {
  const all: IndexedField[] = [];
  const add = (field: Field | undefined, entry?: ClusterEntry | UserEntry | ContextEntry): void => {
    if (field) all.push({ field, entry, start: field.keySpan.start, end: field.span.end });
  };
  add(doc.kind);
  add(doc.currentContext);
  for (const list of [doc.clusters, doc.users, doc.contexts]) {
    for (const entry of list) {
      for (const field of Object.values(entry.fields) as Field[]) add(field, entry);
    }
  }
  return all.sort((a, b) => a.start - b.start);
}

/** The field whose key or value contains `offset` (end inclusive, so a cursor right after a value counts). */
export function fieldAt(doc: KubeconfigDocument, offset: number): LocatedField | undefined {
  let index = indexes.get(doc);
  if (!index) {
    index = buildIndex(doc);
    indexes.set(doc, index);
  }
  let low = 0;
  let high = index.length - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (index[mid].start <= offset) {
      found = mid;
      low = mid + 1;
    } else high = mid - 1;
  }
  if (found === -1) return undefined;
  const hit = index[found];
  return offset <= hit.end ? { field: hit.field, entry: hit.entry } : undefined;
}

/** The list entry whose item contains `offset`, e.g. to hover a name. */
export function entryAt(
  doc: KubeconfigDocument,
  offset: number,
): ClusterEntry | UserEntry | ContextEntry | undefined {
  for (const list of [doc.clusters, doc.users, doc.contexts]) {
    for (const entry of list) if (contains(entry.span, offset)) return entry;
  }
  return undefined;
}

function contains(span: Span, offset: number): boolean {
  return offset >= span.start && offset <= span.end;
}
