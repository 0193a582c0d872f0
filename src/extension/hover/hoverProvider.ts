// Hover on certificate and key values of a kubeconfig (embedded *-data or path references): the
// decoded certificates of that one value, its chain verdict and its findings.
import * as vscode from 'vscode';
import type { Finding } from '../../core/findings/finding';
import { formatRelativeTime } from '../../core/time/relative';
import type { Ctx } from '../ctx';
import { KUBECONFIG_SELECTOR, type KubeconfigDocuments } from '../kubeconfig/documents';
import { renewCommandLink } from '../renew/args';
import {
  appendCertificate,
  appendDetailsLink,
  appendFindings,
  appendKey,
  appendRenewLink,
  newHoverMarkdown,
} from './render';

/** Fields whose value is (or names) certificate or key material. */
const CERTIFICATE_FIELDS = new Set([
  'certificate-authority-data',
  'certificate-authority',
  'client-certificate-data',
  'client-certificate',
]);
const KEY_FIELDS = new Set(['client-key-data', 'client-key']);

/** How long after activation the first-use costs are paid (the host is idle by then). */
const WARM_UP_DELAY_MS = 100;

export function registerHover(ctx: Ctx, documents: KubeconfigDocuments): void {
  ctx.own(
    vscode.languages.registerHoverProvider(KUBECONFIG_SELECTOR, {
      provideHover: (doc, position, token) => provideHover(ctx, documents, doc, position, token),
    }),
  );
  // Paid once while the host is idle after activation rather than by the first hover: loading the
  // analysis bundle (yaml, the certificate engine) and ICU's relative-time data ("in 23 days").
  const warmUp = setTimeout(() => {
    void documents.load().catch((err: unknown) => ctx.log.error('loading the kubeconfig analysis', err));
    formatRelativeTime(new Date(0), new Date(0), vscode.env.language);
  }, WARM_UP_DELAY_MS);
  ctx.own({ dispose: () => clearTimeout(warmUp) });
}

async function provideHover(
  ctx: Ctx,
  documents: KubeconfigDocuments,
  doc: vscode.TextDocument,
  position: vscode.Position,
  token: vscode.CancellationToken,
): Promise<vscode.Hover | undefined> {
  if (!documents.isKubeconfig(doc)) return undefined;
  try {
    const analysis = await documents.load();
    const located = analysis.fieldAt(doc, doc.offsetAt(position));
    if (!located) return undefined;
    const key = located.field.key;
    const isCertificate = CERTIFICATE_FIELDS.has(key);
    if (!isCertificate && !KEY_FIELDS.has(key)) return undefined;
    const options = documents.options();
    const result = await analysis.entry(doc, located, options);
    if (!result || token.isCancellationRequested) return undefined;

    const span = located.field.span;
    const onField = (f: Finding): boolean =>
      f.file === located.entry?.file && f.span.start < span.end && f.span.end > span.start;
    const md = newHoverMarkdown();
    if (isCertificate) {
      const reports = result.certificates.filter((r) => r.field === key);
      for (const report of reports) {
        const mine = result.findings.filter(
          (f) => onField(f) && f.certificate?.sha256 === report.certificate.sha256Fingerprint,
        );
        appendCertificate(md, report, reports.length, mine, options.now);
        if (report !== reports[reports.length - 1]) md.appendMarkdown('---\n\n');
      }
      // Findings about the value itself (redacted, bad base64, missing file …) rather than one certificate.
      appendFindings(
        md,
        result.findings.filter((f) => onField(f) && !f.certificate),
      );
      if (reports.length > 0) appendDetailsLink(md, doc.uri, span.start);
      // Client certificates can be renewed (local CA or CSR API); never offered in an untrusted workspace.
      if (key.startsWith('client-certificate') && reports.length > 0 && vscode.workspace.isTrusted) {
        appendRenewLink(md, renewCommandLink(doc.uri.fsPath, span.start));
      }
    } else {
      if (result.key) appendKey(md, result.key);
      appendFindings(
        md,
        result.findings.filter((f) => onField(f) && f.code !== 'key-mismatch'),
      );
    }
    if (md.value === '') return undefined;
    const range = new vscode.Range(doc.positionAt(span.start), doc.positionAt(span.end));
    return new vscode.Hover(md, range);
  } catch (error) {
    ctx.log.error(`hover failed for ${doc.uri.toString(true)}`, error);
    return undefined;
  }
}
