// Replaces a user's embedded client certificate and key in kubeconfig text. Only the two values
// change: comments, key order, indentation and quoting of everything else stay byte for byte, so a
// hand-maintained kubeconfig survives a renewal (and its diff shows exactly the renewed lines).
import { isMap, isScalar, isSeq, parseDocument, type Scalar } from 'yaml';
import type { Span } from '../findings/finding';

export type CredentialDataKey = 'client-certificate-data' | 'client-key-data';

export type CredentialDataValues = Partial<Record<CredentialDataKey, string>>;

export interface KubeconfigEditResult {
  readonly text: string;
  /** Where the new values sit in the new text, in document order. */
  readonly changed: readonly Span[];
}

export class KubeconfigEditError extends Error {
  override readonly name = 'KubeconfigEditError';
}

/** How each YAML scalar style is written back; block scalars become plain (base64 needs no quoting). */
const WRITE_IN_STYLE: Record<Scalar.Type, (value: string, original: string) => string> = {
  PLAIN: (value) => value,
  QUOTE_DOUBLE: (value) => `"${value}"`,
  QUOTE_SINGLE: (value) => `'${value}'`,
  // A block scalar's range runs to the end of its last line: keep that line break.
  BLOCK_LITERAL: (value, original) => (original.endsWith('\n') ? `${value}\n` : value),
  BLOCK_FOLDED: (value, original) => (original.endsWith('\n') ? `${value}\n` : value),
};

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Sets `client-certificate-data` / `client-key-data` of the user named `userName`. Each given key
 * must already exist in that user (a renewal never adds fields); values must be single-line base64.
 */
export function replaceUserCredentialData(
  text: string,
  userName: string,
  values: CredentialDataValues,
): KubeconfigEditResult {
  for (const [key, value] of Object.entries(values)) {
    if (!BASE64.test(value)) throw new KubeconfigEditError(`the new ${key} is not single-line base64`);
  }
  const doc = parseDocument(text);
  if (doc.errors.length) {
    throw new KubeconfigEditError(`the kubeconfig is not valid YAML: ${doc.errors[0]?.message ?? ''}`);
  }
  const users = isMap(doc.contents) ? doc.contents.get('users', true) : undefined;
  if (!isSeq(users)) throw new KubeconfigEditError('the kubeconfig has no users list');
  const matches = users.items.filter(
    (item) => isMap(item) && scalarValue(item.get('name', true)) === userName,
  );
  if (matches.length === 0) throw new KubeconfigEditError(`user "${userName}" is not in this kubeconfig`);
  if (matches.length > 1) {
    throw new KubeconfigEditError(
      `user "${userName}" is defined ${matches.length} times in this kubeconfig; remove the duplicates first`,
    );
  }
  const entry = matches[0];
  const user = isMap(entry) ? entry.get('user', true) : undefined;
  if (!isMap(user)) throw new KubeconfigEditError(`user "${userName}" has no user map`);

  const edits: { start: number; end: number; replacement: string }[] = [];
  for (const [key, value] of Object.entries(values) as [CredentialDataKey, string][]) {
    const node = user.get(key, true);
    if (!isScalar(node) || !node.range || !node.type) {
      throw new KubeconfigEditError(`user "${userName}" has no ${key} value to replace`);
    }
    const [start, end] = node.range;
    edits.push({ start, end, replacement: WRITE_IN_STYLE[node.type](value, text.slice(start, end)) });
  }
  edits.sort((a, b) => a.start - b.start);

  let out = '';
  let cursor = 0;
  const changed: Span[] = [];
  for (const edit of edits) {
    out += text.slice(cursor, edit.start);
    changed.push({ start: out.length, end: out.length + edit.replacement.length });
    out += edit.replacement;
    cursor = edit.end;
  }
  out += text.slice(cursor);
  return { text: out, changed };
}

function scalarValue(node: unknown): unknown {
  return isScalar(node) ? node.value : undefined;
}
