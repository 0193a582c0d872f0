import type { Certificate } from '../x509/model';
import { FINDING_CATALOG, type FindingCode, type Severity } from './catalog';

/** 0-based UTF-16 offsets into the file's text, end exclusive. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

export type FindingParams = Readonly<Record<string, string | number>>;

/** Names a certificate without its bytes. */
export interface CertificateRef {
  readonly subject: string;
  readonly serialHex: string;
  readonly sha256: string;
}

export interface RelatedLocation {
  readonly file: string;
  readonly span?: Span;
  /** English template (an l10n key) rendered with `params`. */
  readonly message: string;
  readonly params?: FindingParams;
}

/**
 * The Kubernetes object a finding is about (src/core/cluster); `file` is then its
 * `k8s://<context>/<namespace or ->/<kind>/<name>` reference and the span is empty.
 */
export interface ObjectLocation {
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  /** The field holding the certificate, e.g. `data.tls.crt`, `webhooks[0].clientConfig.caBundle`. */
  readonly field?: string;
}

export interface Finding {
  readonly code: FindingCode;
  readonly severity: Severity;
  readonly params: FindingParams;
  readonly file: string;
  readonly span: Span;
  readonly cluster?: string;
  readonly user?: string;
  readonly context?: string;
  readonly certificate?: CertificateRef;
  readonly related?: readonly RelatedLocation[];
  readonly object?: ObjectLocation;
}

/** Where a finding points: a file span, plus the kubeconfig entries it concerns. */
export interface FindingLocation {
  readonly file: string;
  readonly span: Span;
  readonly cluster?: string;
  readonly user?: string;
  readonly context?: string;
}

/** The one way to build a finding: severity always comes from the catalog. */
export function makeFinding(
  code: FindingCode,
  location: FindingLocation,
  params: FindingParams,
  extra: Partial<Omit<Finding, 'code' | 'severity'>> = {},
): Finding {
  return {
    code,
    severity: FINDING_CATALOG[code].severity,
    params,
    file: location.file,
    span: location.span,
    ...(location.cluster !== undefined ? { cluster: location.cluster } : {}),
    ...(location.user !== undefined ? { user: location.user } : {}),
    ...(location.context !== undefined ? { context: location.context } : {}),
    ...extra,
  };
}

/** Which codes a surface reports (the `kubecerts.disabledFindings` setting); absent: all. */
export type EnabledCodes = (code: FindingCode) => boolean;

/**
 * The one place disabled codes are dropped. Core computes every finding it can; each entry point
 * that hands a report to a surface (CLI, hover, diagnostics, the views, probes) passes it through here.
 */
export function withoutDisabled<F extends Pick<Finding, 'code'>>(
  findings: readonly F[],
  enabled: EnabledCodes | undefined,
): F[] {
  return enabled ? findings.filter((f) => enabled(f.code)) : [...findings];
}

/** `EnabledCodes` from the set of disabled codes the setting lists. */
export function enabledExcept(disabled: Iterable<string>): EnabledCodes {
  const off = new Set(disabled);
  return (code) => !off.has(code);
}

/** `vscode.l10n.t` in the extension, `@vscode/l10n`'s `t` in the CLI, `englishTemplate` in tests. */
export type Translate = (template: string, params: FindingParams) => string;

export function renderFindingMessage(
  finding: Pick<Finding, 'code' | 'params'>,
  translate: Translate,
): string {
  return translate(FINDING_CATALOG[finding.code].message, finding.params);
}

export function renderRelatedMessage(related: RelatedLocation, translate: Translate): string {
  return translate(related.message, related.params ?? {});
}

/** Fills {named} parameters without translation; unknown names stay visible as {name}. */
export function englishTemplate(template: string, params: FindingParams): string {
  return template.replace(/\{([A-Za-z0-9_]+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole,
  );
}

export function certificateRef(cert: Certificate): CertificateRef {
  return { subject: cert.subject.display, serialHex: cert.serialHex, sha256: cert.sha256Fingerprint };
}

const SEVERITY_RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

export function severityAtLeast(severity: Severity, threshold: Severity): boolean {
  return SEVERITY_RANK[severity] >= SEVERITY_RANK[threshold];
}

/** Stable order: file, then position, then code. */
export function compareFindings(a: Finding, b: Finding): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  if (a.span.start !== b.span.start) return a.span.start - b.span.start;
  return a.code < b.code ? -1 : a.code > b.code ? 1 : 0;
}
