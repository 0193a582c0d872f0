// Flags of a static pod manifest (`command:` and `args:` of each container), with the offsets of
// each item so wiring findings point at the exact line. Never throws.
import { isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import type { Span } from '../findings/finding';

export interface ManifestFlag {
  /** `--etcd-cafile` */
  readonly name: string;
  readonly value: string;
  readonly container: string;
  /** The whole list item (`--flag=value`). */
  readonly span: Span;
  /** The value alone, when its offsets are known (plain or simply quoted scalars). */
  readonly valueSpan: Span;
}

export interface StaticPodManifest {
  readonly file: string;
  readonly text: string;
  /** metadata.name (kube-apiserver, etcd, …). */
  readonly component?: string;
  readonly flags: readonly ManifestFlag[];
  /** Why the manifest could not be read, when it could not. */
  readonly error?: string;
}

export function parseStaticPodManifest(text: string, file: string): StaticPodManifest {
  const doc = parseDocument(text, { keepSourceTokens: false, uniqueKeys: false });
  if (doc.errors.length) return { file, text, flags: [], error: doc.errors[0].message };
  const root = doc.contents;
  if (!isMap(root)) return { file, text, flags: [], error: 'not a YAML map' };
  const metadata = root.get('metadata');
  const name = isMap(metadata) ? metadata.get('name') : undefined;
  const spec = root.get('spec');
  const containers = isMap(spec) ? spec.get('containers') : undefined;
  const flags: ManifestFlag[] = [];
  if (isSeq(containers)) {
    for (const container of containers.items) {
      if (!isMap(container)) continue;
      const containerName = String(container.get('name') ?? '');
      for (const key of ['command', 'args']) {
        const list = container.get(key);
        if (isSeq(list)) collectFlags(list.items as Node[], text, containerName, flags);
      }
    }
  }
  return { file, text, component: typeof name === 'string' ? name : undefined, flags };
}

function collectFlags(items: readonly Node[], text: string, container: string, out: ManifestFlag[]): void {
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (!isScalar(item) || typeof item.value !== 'string' || !item.value.startsWith('--') || !item.range)
      continue;
    const raw = item.value;
    const span = { start: item.range[0], end: item.range[1] };
    const eq = raw.indexOf('=');
    if (eq > 0) {
      out.push({
        name: raw.slice(0, eq),
        value: raw.slice(eq + 1),
        container,
        span,
        valueSpan: valueSpanOf(text, span, raw, eq + 1),
      });
      continue;
    }
    // `--flag value` written as two list items.
    const next = items[i + 1];
    if (isScalar(next) && typeof next.value === 'string' && !next.value.startsWith('--') && next.range) {
      const valueSpan = { start: next.range[0], end: next.range[1] };
      out.push({
        name: raw,
        value: next.value,
        container,
        span: { start: span.start, end: valueSpan.end },
        valueSpan,
      });
      i++;
    }
  }
}

/** Offsets of the value inside the item's source, when the source spells the value literally. */
function valueSpanOf(text: string, span: Span, raw: string, valueStart: number): Span {
  const source = text.slice(span.start, span.end);
  const quote = source[0] === '"' || source[0] === "'" ? 1 : 0;
  if (source.slice(quote, quote + raw.length) !== raw) return span;
  return { start: span.start + quote + valueStart, end: span.start + quote + raw.length };
}

/** The manifest text with `--flag=value` items set to new values (items written as `- --flag=…`); others untouched. */
export function setManifestFlags(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(/^(\s*-\s+)(--[a-z0-9-]+)=(.*)$/gm, (line, prefix: string, flag: string) =>
    Object.prototype.hasOwnProperty.call(values, flag) ? `${prefix}${flag}=${values[flag]}` : line,
  );
}
