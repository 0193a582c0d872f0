// Where certificates are written in a text: whether it is a manifest or holds PEM blocks at all,
// the fields Kubernetes objects keep certificates in (core/objects/certificateFields.ts) with the
// spans of their keys and values in YAML or JSON (multi-document files included), and how a
// message names such a field. certificates.ts decodes and judges what is found here.
import { parseAllDocuments, type Document } from 'yaml';
import type { Span } from '../findings/finding';
import {
  findCertificateFields,
  type FieldEncoding,
  type FieldRole,
  type FoundCertificateField,
} from '../objects/certificateFields';

/** Where a certificate (or key) is written in the text. */
export interface CertificateSite {
  readonly file: string;
  /** The value: a PEM block, or a manifest field's value node (block scalar indicator included). */
  readonly span: Span;
  /** The field's key (where a CodeLens goes); the block itself for a bare PEM block. */
  readonly keySpan: Span;
  /** Path of the field in its object, e.g. "data.tls.crt"; undefined for a bare PEM block. */
  readonly field?: string;
  /** The object holding the field. */
  readonly object?: ManifestObject;
  readonly role: FieldRole;
  readonly encoding: FieldEncoding | 'pem-block';
}

export interface ManifestObject {
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
}

export type CertificateTextKind = 'manifest' | 'pem';

const PEM_BEGIN = '-----BEGIN ';
const MANIFEST_FILE = /\.(ya?ml|json)$/i;
/** `kind:` at the start of a line (YAML) or as a JSON key. */
const KIND_KEY = /^\s*(?:-\s+)?"?kind"?\s*:/m;
/** The keys certificateFields.ts names, as they appear in a manifest. */
const FIELD_KEYS = /\b(?:tls\.crt|ca\.crt|tls\.key|caBundle)\b/;

/**
 * A cheap content test (no parsing): 'manifest' for a YAML/JSON file with `kind:` and a
 * certificate key, 'pem' for any other text with a PEM block, undefined for the rest.
 */
export function certificateTextKind(fileName: string, text: string): CertificateTextKind | undefined {
  if (
    (MANIFEST_FILE.test(fileName) || text.startsWith('apiVersion:')) &&
    KIND_KEY.test(text) &&
    FIELD_KEYS.test(text)
  )
    return 'manifest';
  return text.includes(PEM_BEGIN) ? 'pem' : undefined;
}

/**
 * Values that are not the data itself but stand for it (Helm and envsubst templates, SOPS,
 * argocd-vault-plugin): reading them as base64 would only report noise.
 */
const NOT_LITERAL: readonly RegExp[] = [/\{\{/, /\$\{/, /^ENC\[/, /<path:/];

export interface ManifestField {
  readonly found: FoundCertificateField;
  readonly site: CertificateSite;
  /** Index of the object in the file: fields pair up within one object only. */
  readonly objectIndex: number;
}

export function manifestFields(file: string, text: string): ManifestField[] {
  let docs: Document.Parsed[];
  try {
    const parsed = parseAllDocuments(text, { prettyErrors: false, uniqueKeys: false, logLevel: 'error' });
    docs = Array.isArray(parsed) ? parsed : [];
  } catch {
    // Beyond the parser (nesting, size): no fields, PEM blocks are still read.
    return [];
  }
  const out: ManifestField[] = [];
  docs.forEach((doc, objectIndex) => {
    if (doc.errors.length > 0) return;
    const object: unknown = doc.toJS({ maxAliasCount: 100 });
    const name = objectOf(object);
    for (const found of findCertificateFields(object)) {
      const valueNode = doc.getIn(found.path, true) as { range?: [number, number, number] } | undefined;
      const keyNode = keyNodeOf(doc, found.path);
      if (!valueNode?.range) continue;
      const span = { start: valueNode.range[0], end: valueNode.range[1] };
      const keySpan = keyNode?.range ? { start: keyNode.range[0], end: keyNode.range[1] } : span;
      out.push({
        found,
        objectIndex,
        site: {
          file,
          span,
          keySpan,
          field: found.path.join('.'),
          object: name,
          role: found.field.role,
          encoding: found.field.encoding,
        },
      });
    }
  });
  return out;
}

/** The key node of the pair at `path` (the last segment's key in its parent map). */
function keyNodeOf(
  doc: Document.Parsed,
  path: readonly (string | number)[],
): { range?: [number, number, number] } | undefined {
  const parent = doc.getIn(path.slice(0, -1), true) as
    { items?: { key?: { value?: unknown; range?: [number, number, number] } }[] } | undefined;
  const last = path[path.length - 1];
  return parent?.items?.find((pair) => pair.key?.value === last)?.key;
}

function objectOf(object: unknown): ManifestObject {
  const o = object as { kind: string; metadata?: { name?: unknown; namespace?: unknown } };
  const name = typeof o.metadata?.name === 'string' ? o.metadata.name : '';
  const namespace = o.metadata?.namespace;
  return { kind: o.kind, name, ...(typeof namespace === 'string' ? { namespace } : {}) };
}

/** "Secret default/web-tls", as kubectl names an object. */
function objectLabel(object: ManifestObject): string {
  const name = object.namespace !== undefined ? `${object.namespace}/${object.name}` : object.name;
  return `${object.kind} ${name}`.trim();
}

/** Fields the analysis decodes (base64 or PEM text) whose value is the data itself, not a template. */
export function isLiteral(field: ManifestField): boolean {
  const encoding: string = field.found.field.encoding;
  if (encoding !== 'base64' && encoding !== 'text') return false;
  return !NOT_LITERAL.some((pattern) => pattern.test(field.found.value.trim()));
}

/** "data.tls.crt (Secret default/web)": how messages name a field. */
export function fieldLabel(site: CertificateSite): string {
  return site.object ? `${site.field} (${objectLabel(site.object)})` : (site.field ?? 'PEM block');
}
