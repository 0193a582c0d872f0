// Certificates in any text: PEM blocks anywhere (a .pem/.crt file, a README, a Helm values file),
// and the fields Kubernetes objects keep certificates in (core/objects/certificateFields.ts) in
// YAML or JSON manifests, multi-document files included. Every certificate gets the same checks
// and verdict as a kubeconfig's (audit/checks.ts, verdict/chainVerdict.ts); a Secret's tls.crt is
// verified against its own ca.crt, and its tls.key is only ever compared with it.
import { parseAllDocuments, type Document } from 'yaml';
import type { KeyReport } from '../audit/kubeconfig';
import type { CertificateReport } from '../audit/report';
import {
  caBundleFindings,
  certificateFindings,
  expiredInWorkingBundle,
  verdictFindings,
  type CheckContext,
} from '../audit/checks';
import { RELATED_MESSAGES, type FindingCode } from '../findings/catalog';
import { certificateRef, makeFinding, type Finding, type Span } from '../findings/finding';
import {
  findCertificateFields,
  type FieldEncoding,
  type FieldRole,
  type FoundCertificateField,
} from '../objects/certificateFields';
import { chainReport } from '../verdict/chainVerdict';
import { verifyChain } from '../x509/chain';
import { decodeBase64Data, decodePemText, type DecodeResult } from '../x509/decode';
import { keyMatchesCertificate, type PrivateKeyHandle } from '../x509/keys';
import type { Certificate } from '../x509/model';
import { findPemBlocks } from '../x509/pem';

export interface CertificateTextInput {
  /** Absolute path (or URI string of an unsaved document): the findings' `file`. */
  readonly file: string;
  readonly text: string;
}

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

export interface SiteCertificate extends CertificateReport {
  readonly site: CertificateSite;
}

export interface SiteKey {
  readonly site: CertificateSite;
  /** Type and whether it matches its certificate; undefined when the key does not decode. */
  readonly key?: KeyReport;
}

export interface CertificateTextAnalysis {
  readonly findings: Finding[];
  /** In text order. */
  readonly certificates: SiteCertificate[];
  /** Certificate fields of manifests, whether they decode or not (key fields included). */
  readonly sites: CertificateSite[];
  /** Private keys of manifest fields: never their content, only type and match. */
  readonly keys: SiteKey[];
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

const CERTIFICATE_LABELS = new Set(['CERTIFICATE', 'X509 CERTIFICATE', 'TRUSTED CERTIFICATE']);

interface Placed {
  readonly cert: Certificate;
  readonly site: CertificateSite;
  readonly span: Span;
  readonly index: number;
}

interface FieldValue {
  readonly found: FoundCertificateField;
  readonly site: CertificateSite;
  readonly decoded: DecodeResult;
  /** Index of the object in the file: fields pair up within one object only. */
  readonly objectIndex: number;
}

/** Every certificate of the text, its findings, and the manifest fields that hold certificates and keys. */
export function analyzeCertificateText(
  input: CertificateTextInput,
  ctx: CheckContext,
): CertificateTextAnalysis {
  const { file, text } = input;
  const findings: Finding[] = [];
  const fields =
    certificateTextKind(file, text) === 'manifest' ? manifestFields(file, text).filter(isLiteral) : [];
  const values = fields.map(decodeField);

  const placed: Placed[] = [];
  for (const value of values) {
    if (value.site.role === 'private-key') continue;
    findings.push(...fieldDecodeFindings(value, ctx));
    placed.push(...placeFieldCertificates(value, text));
  }
  const insideField = (span: Span) =>
    fields.some((f) => f.site.span.start <= span.start && span.end <= f.site.span.end);
  for (const block of findPemBlocks(text)) {
    const span = { start: block.start, end: block.end };
    if (!CERTIFICATE_LABELS.has(block.label) || insideField(span)) continue;
    const site: CertificateSite = { file, span, keySpan: span, role: 'certificate', encoding: 'pem-block' };
    const decoded = decodePemText(text.slice(block.start, block.end));
    if (decoded.certificates.length === 0 && ctx.enabled('invalid-pem'))
      findings.push(makeFinding('invalid-pem', site, { field: 'PEM block' }));
    for (const d of decoded.certificates) placed.push({ cert: d.cert, site, span, index: 0 });
  }
  placed.sort((a, b) => a.span.start - b.span.start);

  const certificates = placed.map((p) => checkPlaced(p, placed, values, ctx, findings));
  const keys = values
    .filter((v) => v.site.role === 'private-key')
    .map((v) => checkKey(v, values, ctx, findings));
  return { findings, certificates, sites: fields.map((f) => f.site), keys };
}

interface ManifestField {
  readonly found: FoundCertificateField;
  readonly site: CertificateSite;
  readonly objectIndex: number;
}

function manifestFields(file: string, text: string): ManifestField[] {
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
export function objectLabel(object: ManifestObject): string {
  const name = object.namespace !== undefined ? `${object.namespace}/${object.name}` : object.name;
  return `${object.kind} ${name}`.trim();
}

/** Fields this module decodes (base64 or PEM text) whose value is the data itself, not a template. */
function isLiteral(field: ManifestField): boolean {
  const encoding: string = field.found.field.encoding;
  if (encoding !== 'base64' && encoding !== 'text') return false;
  return !NOT_LITERAL.some((pattern) => pattern.test(field.found.value.trim()));
}

function decodeField(field: ManifestField): FieldValue {
  const value = field.found.value;
  const decoded = field.site.encoding === 'base64' ? decodeBase64Data(value) : decodePemText(value);
  return { ...field, decoded };
}

/** "data.tls.crt (Secret default/web)": how messages name a field. */
function fieldLabel(site: CertificateSite): string {
  return site.object ? `${site.field} (${objectLabel(site.object)})` : (site.field ?? 'PEM block');
}

/** How a field's value decodes: the same codes as a kubeconfig's `*-data`. Messages never quote the value. */
function fieldDecodeFindings(value: FieldValue, ctx: CheckContext): Finding[] {
  const { site, decoded } = value;
  const field = fieldLabel(site);
  const add = (code: FindingCode, params: Record<string, string>): Finding[] =>
    ctx.enabled(code) ? [makeFinding(code, site, params)] : [];
  const kinds = new Set(decoded.problems.map((p) => p.kind));
  if (kinds.has('redacted-data'))
    return add('redacted-data', { field, placeholder: value.found.value.trim() });
  const base64 = decoded.problems.find((p) => p.kind === 'invalid-base64');
  if (base64) return add('invalid-base64', { field, reason: base64.message });
  if (
    decoded.certificates.length === 0 ||
    kinds.has('invalid-pem') ||
    kinds.has('invalid-der') ||
    kinds.has('empty')
  )
    return add('invalid-pem', { field });
  return [];
}

/**
 * A field's certificates with their spans: each PEM block's own span when the PEM is written in
 * the text (stringData, ConfigMap data), else the value's span (base64 hides the blocks).
 */
function placeFieldCertificates(value: FieldValue, text: string): Placed[] {
  const { site, decoded } = value;
  const blocks =
    site.encoding === 'text'
      ? findPemBlocks(text.slice(site.span.start, site.span.end)).filter((b) =>
          CERTIFICATE_LABELS.has(b.label),
        )
      : [];
  return decoded.certificates.map((d) => {
    const block = blocks.length === decoded.certificates.length ? blocks[d.index] : undefined;
    const span = block
      ? { start: site.span.start + block.start, end: site.span.start + block.end }
      : site.span;
    return { cert: d.cert, site, span, index: d.index };
  });
}

/** The certificates of one field, in bundle order. */
function certsOf(site: CertificateSite, placed: readonly Placed[]): Certificate[] {
  return placed.filter((p) => p.site === site).map((p) => p.cert);
}

/** The value of the field `path` in the same object as `value`. */
function sibling(
  value: Pick<FieldValue, 'objectIndex'>,
  path: readonly string[],
  values: readonly FieldValue[],
): FieldValue | undefined {
  const wanted = path.join('.');
  return values.find((v) => v.objectIndex === value.objectIndex && v.site.field === wanted);
}

function checkPlaced(
  p: Placed,
  placed: readonly Placed[],
  values: readonly FieldValue[],
  ctx: CheckContext,
  findings: Finding[],
): SiteCertificate {
  const { site } = p;
  const place = { file: site.file, span: p.span };
  const report: SiteCertificate = {
    file: site.file,
    span: p.span,
    ...(site.field !== undefined ? { field: site.field } : {}),
    index: p.index,
    certificate: p.cert,
    chains: [],
    site,
  };
  if (site.role === 'ca-bundle') {
    // The bundle's own findings once, on its first certificate.
    if (p.index === 0)
      findings.push(...caBundleFindings(certsOf(site, placed), { ...place, span: site.span }, ctx));
    return report;
  }
  findings.push(...certificateFindings(p.cert, { ...place, role: p.index === 0 ? 'file' : 'ca' }, ctx));
  if (p.index !== 0 || p.cert.isSelfIssued) return report;

  // A Secret's tls.crt is judged by its own ca.crt; otherwise by the CAs of the text that claim its issuer.
  const value = values.find((v) => v.site === site);
  const own = value
    ? (sibling(value, ['data', 'ca.crt'], values) ?? sibling(value, ['stringData', 'ca.crt'], values))
    : undefined;
  const cas = placed.filter((q) => q.cert !== p.cert && q.cert.basicConstraints?.ca === true);
  const anchors = own
    ? certsOf(own.site, placed)
    : unique(cas.filter((q) => q.cert.subject.derHex === p.cert.issuer.derHex).map((q) => q.cert));
  if (anchors.length === 0) return report;
  const intermediates = [
    ...certsOf(site, placed).slice(1),
    ...cas.filter((q) => !q.cert.isSelfIssued).map((q) => q.cert),
  ];
  const chain = chainReport(
    verifyChain(p.cert, { anchors, intermediates: unique(intermediates) }, ctx.now),
    anchors,
    () => 'input',
    ctx.now,
  );
  findings.push(...verdictFindings(p.cert, chain, place, ctx, auditedPrints(placed, ctx.now)));
  return { ...report, chains: [chain] };
}

/**
 * Certificates whose dates have findings of their own, so a chain finding does not repeat them:
 * all but the expired CAs of a bundle that still works (only a warning there).
 */
function auditedPrints(placed: readonly Placed[], now: Date): Set<string> {
  const out = new Set<string>();
  for (const p of placed) {
    const bundle = p.site.role === 'ca-bundle' ? certsOf(p.site, placed) : [];
    if (!expiredInWorkingBundle(p.cert, bundle, now)) out.add(p.cert.sha256Fingerprint);
  }
  return out;
}

/** A private key field: its type and whether it is the key of its paired certificate. Never its content. */
function checkKey(
  value: FieldValue,
  values: readonly FieldValue[],
  ctx: CheckContext,
  findings: Finding[],
): SiteKey {
  const { site, decoded } = value;
  const key: PrivateKeyHandle | undefined = decoded.privateKeys[0];
  const field = fieldLabel(site);
  if (!key) {
    const base64 = decoded.problems.find((p) => p.kind === 'invalid-base64');
    const code: FindingCode = base64 ? 'invalid-base64' : 'invalid-pem';
    if (ctx.enabled(code))
      findings.push(makeFinding(code, site, base64 ? { field, reason: base64.message } : { field }));
    return { site };
  }
  const paired = value.found.field.pairedWith
    ? sibling(value, value.found.field.pairedWith, values)
    : undefined;
  const leaf = paired?.decoded.certificates[0]?.cert;
  const matches = leaf ? keyMatchesCertificate(key, leaf) : undefined;
  if (matches === false && paired && ctx.enabled('tls-key-mismatch')) {
    findings.push(
      makeFinding(
        'tls-key-mismatch',
        paired.site,
        {
          // A manifest without a namespace goes to the context's: written "-" as the cluster view does.
          namespace: site.object?.namespace ?? '-',
          name: site.object?.name ?? '',
          subject: leaf!.subject.display,
        },
        {
          certificate: certificateRef(leaf!),
          related: [
            { file: site.file, span: site.span, message: RELATED_MESSAGES.privateKey, params: { field } },
          ],
        },
      ),
    );
  }
  return {
    site,
    key: {
      algorithm: key.algorithm,
      ...(key.bits !== undefined ? { bits: key.bits } : {}),
      ...(key.curve !== undefined ? { curve: key.curve } : {}),
      format: key.format,
      ...(matches !== undefined ? { matchesCertificate: matches } : {}),
    },
  };
}

function unique(certs: readonly Certificate[]): Certificate[] {
  const seen = new Set<string>();
  return certs.filter((c) => !seen.has(c.sha256Fingerprint) && (seen.add(c.sha256Fingerprint), true));
}
