// The certificates written in one open document, wherever they are: a kubeconfig's `*-data` and
// path values (from the kubeconfig analysis hover and diagnostics share), or PEM blocks and the
// certificate fields of manifests (core/manifest). CodeLens, the any-file hover and the details
// command read this one list, computed once per document version.
import type * as vscode from 'vscode';
import type { KeyReport } from '../../core/audit/kubeconfig';
import type { CertificateReport } from '../../core/audit/report';
import type { Finding, Span } from '../../core/findings/finding';
import type { Ctx } from '../ctx';
import type { KubeconfigDocuments } from '../kubeconfig/documents';

/** One field (or PEM block) holding certificates: what a CodeLens summarises and a hover shows. */
export interface FieldCertificates {
  /** The value (kubeconfig field, manifest value, PEM block). */
  readonly span: Span;
  /** Shown in titles: "client-certificate-data", "data.tls.crt (Secret web/web-tls)". */
  readonly label?: string;
  /** In bundle order. */
  readonly certificates: readonly CertificateReport[];
  /** Findings on the field: about one of its certificates (`certificate` set) or the value itself. */
  readonly findings: readonly Finding[];
}

/** A private key field: type and match only, never the key. */
export interface KeyField {
  readonly span: Span;
  readonly key?: KeyReport;
  readonly findings: readonly Finding[];
}

export interface DocumentCertificates {
  readonly kind: 'kubeconfig' | 'manifest' | 'pem';
  readonly fields: readonly FieldCertificates[];
  readonly keys: readonly KeyField[];
}

/** The field whose value holds `offset`, else the first on its line (a CodeLens or cursor on the key). */
export function fieldAt<T extends { span: Span }>(
  fields: readonly T[],
  offset: number,
  lineOf: (offset: number) => number,
): T | undefined {
  return (
    fields.find((f) => f.span.start <= offset && offset <= f.span.end) ??
    fields.find((f) => lineOf(f.span.start) === lineOf(offset))
  );
}

const overlaps = (a: Span, b: Span): boolean => a.start < b.end && b.start < a.end;

/** Verdicts depend on the clock too: an unchanged document is checked again after this long. */
const MAX_AGE_MS = 60_000;

export class DocumentCertificateService {
  private readonly cache = new Map<
    string,
    { version: number; at: number; result: Promise<DocumentCertificates | undefined> }
  >();

  constructor(
    private readonly ctx: Ctx,
    private readonly kubeconfigs: KubeconfigDocuments,
  ) {}

  /** Undefined for a document without certificates this extension reads. */
  of(doc: vscode.TextDocument): Promise<DocumentCertificates | undefined> {
    const key = doc.uri.toString();
    const known = this.cache.get(key);
    const at = this.ctx.clock().getTime();
    if (known && known.version === doc.version && Math.abs(at - known.at) < MAX_AGE_MS) return known.result;
    const result = this.compute(doc).catch((error: unknown) => {
      this.ctx.log.error(`reading the certificates of ${doc.uri.toString(true)} failed`, error);
      return undefined;
    });
    this.cache.set(key, { version: doc.version, at, result });
    return result;
  }

  forget(doc: vscode.TextDocument): void {
    this.cache.delete(doc.uri.toString());
  }

  /** After a settings change (warning days, disabled codes). */
  clear(): void {
    this.cache.clear();
  }

  private async compute(doc: vscode.TextDocument): Promise<DocumentCertificates | undefined> {
    if (this.kubeconfigs.isKubeconfig(doc)) return this.kubeconfig(doc);
    const text = doc.getText();
    const { analyzeCertificateText, certificateTextKind, fieldLabel } = await import('./engine');
    const kind = certificateTextKind(doc.fileName, text);
    if (!kind) return undefined;
    const options = this.kubeconfigs.options();
    const analysis = analyzeCertificateText(
      { file: fileOf(doc), text },
      { now: options.now, warnDays: options.warnDays, enabled: (code) => !options.disabled.has(code) },
    );
    const bySite = new Map<object, CertificateReport[]>();
    for (const c of analysis.certificates) {
      const list = bySite.get(c.site);
      if (list) list.push(c);
      else bySite.set(c.site, [c]);
    }
    const sites = [
      ...analysis.sites.filter((s) => s.role !== 'private-key'),
      ...new Set(analysis.certificates.map((c) => c.site)),
    ];
    const fields: FieldCertificates[] = [...new Set(sites)]
      .sort((a, b) => a.span.start - b.span.start)
      .map((site) => ({
        span: site.span,
        ...(site.field !== undefined ? { label: fieldLabel(site) } : {}),
        certificates: bySite.get(site) ?? [],
        findings: analysis.findings.filter((f) => overlaps(f.span, site.span)),
      }));
    const keys: KeyField[] = analysis.keys.map((k) => ({
      span: k.site.span,
      ...(k.key ? { key: k.key } : {}),
      findings: analysis.findings.filter((f) => overlaps(f.span, k.site.span)),
    }));
    return { kind, fields, keys };
  }

  private async kubeconfig(doc: vscode.TextDocument): Promise<DocumentCertificates> {
    const analysis = await this.kubeconfigs.load();
    const audit = await analysis.all(doc, this.kubeconfigs.options());
    const file = analysis.snapshot(doc).document.file;
    const byField = new Map<string, CertificateReport[]>();
    for (const report of audit.certificates) {
      if (report.file !== file) continue;
      const id = `${report.span.start}:${report.span.end}`;
      const list = byField.get(id);
      if (list) list.push(report);
      else byField.set(id, [report]);
    }
    const fields: FieldCertificates[] = [...byField.values()]
      .map((reports) => ({
        span: reports[0].span,
        ...(reports[0].field !== undefined ? { label: reports[0].field } : {}),
        certificates: reports,
        findings: audit.findings.filter((f) => f.file === file && overlaps(f.span, reports[0].span)),
      }))
      .sort((a, b) => a.span.start - b.span.start);
    return { kind: 'kubeconfig', fields, keys: [] };
  }
}

function fileOf(doc: vscode.TextDocument): string {
  return doc.uri.scheme === 'file' ? doc.uri.fsPath : doc.uri.toString();
}
