// `--format json`: the field names are a contract (scripts and the extension's tests read them).
// The report is made entry by entry (`jsonChunks`): ten thousand certificates are 30 MB of JSON,
// which must not be held as one string beside the object tree it came from. The bytes are those of
// `JSON.stringify({ findings, certificates }, null, 2)` (a test compares them).
import { certificateJson } from '../../core/audit/report';
import type { AuditResult, RenderedFinding } from './report';
import type { CertificateReport } from '../../core/audit/report';

/** The whole report as one string (for `--output`, which replaces a file atomically, and for tests). */
export function formatJson(result: AuditResult): string {
  return [...jsonChunks(result)].join('');
}

/** Chunks are about this size: few write calls, no large string. */
const CHUNK_CHARS = 1 << 16;

/** The report in chunks, in order, made as they are asked for; their concatenation is `formatJson(result)`. */
export function* jsonChunks(result: AuditResult): Generator<string, void, undefined> {
  const display = displayCache(result);
  let buffered = '{\n  "findings": ';
  for (const text of arrayParts(result.findings, findingJson)) {
    buffered += text;
    if (buffered.length >= CHUNK_CHARS) {
      yield buffered;
      buffered = '';
    }
  }
  buffered += ',\n  "certificates": ';
  for (const text of arrayParts(result.certificates, (c) => certificateEntry(result, display, c))) {
    buffered += text;
    if (buffered.length >= CHUNK_CHARS) {
      yield buffered;
      buffered = '';
    }
  }
  yield buffered + '\n}\n';
}

/** An array at depth 1 of the top-level object, as JSON.stringify(…, null, 2) lays it out. */
function* arrayParts<T>(items: readonly T[], entry: (item: T) => unknown): Generator<string> {
  if (items.length === 0) {
    yield '[]';
    return;
  }
  yield '[\n';
  for (let i = 0; i < items.length; i++) {
    // JSON strings never hold a raw newline: every "\n" is a line break of the layout.
    yield '    ' + JSON.stringify(entry(items[i]), null, 2).replace(/\n/g, '\n    ');
    yield i === items.length - 1 ? '\n  ]' : ',\n';
  }
}

/** Display paths, computed once per file (every certificate of a bundle names the same file). */
function displayCache(result: AuditResult): (file: string) => string {
  const shown = new Map<string, string>();
  return (file) => {
    let text = shown.get(file);
    if (text === undefined) shown.set(file, (text = result.sources.display(file)));
    return text;
  };
}

/** One finding as every JSON report writes it; a finding about a Kubernetes object adds its kind, namespace, name and field. */
export function findingJson(r: RenderedFinding): Record<string, unknown> {
  const o = r.finding.object;
  return {
    code: r.finding.code,
    severity: r.finding.severity,
    message: r.message,
    file: r.file,
    range: r.range,
    cluster: r.finding.cluster ?? null,
    user: r.finding.user ?? null,
    context: r.finding.context ?? null,
    ...(o ? { kind: o.kind, namespace: o.namespace ?? null, name: o.name, field: o.field ?? null } : {}),
    ...(r.finding.certificate ? { certificate: r.finding.certificate } : {}),
    ...(r.related.length ? { related: r.related } : {}),
  };
}

function certificateEntry(
  result: AuditResult,
  display: (file: string) => string,
  c: CertificateReport,
): Record<string, unknown> {
  return {
    file: display(c.file),
    range: result.sources.range(c.file, c.span),
    ...(c.origin !== undefined ? { origin: display(c.origin) } : {}),
    field: c.field ?? null,
    cluster: c.cluster ?? null,
    user: c.user ?? null,
    index: c.index,
    ...certificateJson(c.certificate),
    chains: c.chains,
  };
}
