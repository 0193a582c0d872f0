// Certificates in any text: PEM blocks anywhere (a .pem/.crt file, a README, a Helm values file),
// and the certificate fields of YAML or JSON manifests that sites.ts finds. Every certificate gets
// the same checks and verdict as a kubeconfig's (audit/checks.ts, verdict/chainVerdict.ts); a
// Secret's tls.crt is verified against its own ca.crt, and its tls.key is only ever compared with it.
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
import { certificateRef, makeFinding, withoutDisabled, type Finding, type Span } from '../findings/finding';
import { chainReport } from '../verdict/chainVerdict';
import { verifyChain } from '../x509/chain';
import { decodeBase64Data, decodePemText, type DecodeResult } from '../x509/decode';
import { keyMatchesCertificate, type PrivateKeyHandle } from '../x509/keys';
import type { Certificate } from '../x509/model';
import { findPemBlocks } from '../x509/pem';
import {
  certificateTextKind,
  fieldLabel,
  isLiteral,
  manifestFields,
  type CertificateSite,
  type ManifestField,
} from './sites';

export interface CertificateTextInput {
  /** Absolute path (or URI string of an unsaved document): the findings' `file`. */
  readonly file: string;
  readonly text: string;
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

const CERTIFICATE_LABELS = new Set(['CERTIFICATE', 'X509 CERTIFICATE', 'TRUSTED CERTIFICATE']);

interface Placed {
  readonly cert: Certificate;
  readonly site: CertificateSite;
  readonly span: Span;
  readonly index: number;
}

/** A manifest field with its value decoded. */
interface FieldValue extends ManifestField {
  readonly decoded: DecodeResult;
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
    findings.push(...fieldDecodeFindings(value));
    placed.push(...placeFieldCertificates(value, text));
  }
  const insideField = (span: Span) =>
    fields.some((f) => f.site.span.start <= span.start && span.end <= f.site.span.end);
  for (const block of findPemBlocks(text)) {
    const span = { start: block.start, end: block.end };
    if (!CERTIFICATE_LABELS.has(block.label) || insideField(span)) continue;
    const site: CertificateSite = { file, span, keySpan: span, role: 'certificate', encoding: 'pem-block' };
    const decoded = decodePemText(text.slice(block.start, block.end));
    if (decoded.certificates.length === 0)
      findings.push(makeFinding('invalid-pem', site, { field: 'PEM block' }));
    for (const d of decoded.certificates) placed.push({ cert: d.cert, site, span, index: 0 });
  }
  placed.sort((a, b) => a.span.start - b.span.start);

  const certificates = placed.map((p) => checkPlaced(p, placed, values, ctx, findings));
  const keys = values.filter((v) => v.site.role === 'private-key').map((v) => checkKey(v, values, findings));
  return {
    findings: withoutDisabled(findings, ctx.enabled),
    certificates,
    sites: fields.map((f) => f.site),
    keys,
  };
}

function decodeField(field: ManifestField): FieldValue {
  const value = field.found.value;
  const decoded = field.site.encoding === 'base64' ? decodeBase64Data(value) : decodePemText(value);
  return { ...field, decoded };
}

/** How a field's value decodes: the same codes as a kubeconfig's `*-data`. Messages never quote the value. */
function fieldDecodeFindings(value: FieldValue): Finding[] {
  const { site, decoded } = value;
  const field = fieldLabel(site);
  const add = (code: FindingCode, params: Record<string, string>): Finding[] => [
    makeFinding(code, site, params),
  ];
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
  findings.push(...verdictFindings(p.cert, chain, place, auditedPrints(placed, ctx.now)));
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
function checkKey(value: FieldValue, values: readonly FieldValue[], findings: Finding[]): SiteKey {
  const { site, decoded } = value;
  const key: PrivateKeyHandle | undefined = decoded.privateKeys[0];
  const field = fieldLabel(site);
  if (!key) {
    const base64 = decoded.problems.find((p) => p.kind === 'invalid-base64');
    const code: FindingCode = base64 ? 'invalid-base64' : 'invalid-pem';
    findings.push(makeFinding(code, site, base64 ? { field, reason: base64.message } : { field }));
    return { site };
  }
  const paired = value.found.field.pairedWith
    ? sibling(value, value.found.field.pairedWith, values)
    : undefined;
  const leaf = paired?.decoded.certificates[0]?.cert;
  const matches = leaf ? keyMatchesCertificate(key, leaf) : undefined;
  if (matches === false && paired) {
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
