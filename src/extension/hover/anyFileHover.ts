// Hover on certificates outside kubeconfigs: PEM blocks in any file and the certificate fields of
// manifests (Secret tls.crt/ca.crt, caBundle …), in the same layout as kubeconfig hovers. A
// private key field shows its type and whether it matches its certificate, never its content.
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import type { DocumentCertificateService } from '../details/documentCertificates';
import { KUBECONFIG_SELECTOR, type KubeconfigDocuments } from '../kubeconfig/documents';
import { appendCertificate, appendDetailsLink, appendFindings, appendKey, newHoverMarkdown } from './render';

export function registerAnyFileHover(
  ctx: Ctx,
  kubeconfigs: KubeconfigDocuments,
  certificates: DocumentCertificateService,
): void {
  ctx.own(
    vscode.languages.registerHoverProvider(KUBECONFIG_SELECTOR, {
      provideHover: async (doc, position, token) => {
        // Kubeconfigs have their own hover (hoverProvider.ts).
        if (kubeconfigs.isKubeconfig(doc)) return undefined;
        try {
          const found = await certificates.of(doc);
          if (!found || token.isCancellationRequested) return undefined;
          const offset = doc.offsetAt(position);
          const inside = <T extends { span: { start: number; end: number } }>(list: readonly T[]) =>
            list.find((f) => f.span.start <= offset && offset <= f.span.end);
          const md = newHoverMarkdown();
          const key = inside(found.keys);
          const field = key ? undefined : inside(found.fields);
          const span = key?.span ?? field?.span;
          if (!span) return undefined;
          const now = ctx.clock();
          if (key) {
            if (key.key) appendKey(md, key.key);
            appendFindings(md, key.findings);
          } else if (field) {
            for (const report of field.certificates) {
              const mine = field.findings.filter(
                (f) => f.certificate?.sha256 === report.certificate.sha256Fingerprint,
              );
              appendCertificate(md, report, field.certificates.length, mine, now);
              if (report !== field.certificates[field.certificates.length - 1]) md.appendMarkdown('---\n\n');
            }
            appendFindings(
              md,
              field.findings.filter((f) => !f.certificate),
            );
            if (field.certificates.length > 0) appendDetailsLink(md, doc.uri, field.span.start);
          }
          if (md.value === '') return undefined;
          return new vscode.Hover(md, new vscode.Range(doc.positionAt(span.start), doc.positionAt(span.end)));
        } catch (error) {
          ctx.log.error(`hover failed for ${doc.uri.toString(true)}`, error);
          return undefined;
        }
      },
    }),
  );
}
