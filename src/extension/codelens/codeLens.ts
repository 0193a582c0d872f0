// A CodeLens above each certificate field of a kubeconfig, manifest or PEM text: what the
// certificate is, when it expires and who signed it, in one line (lensText.ts). Clicking it opens
// the full decoding (Kube Certs: Show Certificate Details). `kubecerts.codeLens.enabled` turns it off.
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { SHOW_DETAILS_COMMAND } from '../details/commandArgs';
import type { DocumentCertificateService } from '../details/documentCertificates';
import { translate } from '../l10n';
import { KUBECONFIG_SELECTOR } from '../kubeconfig/documents';
import { lensTitle } from './lensText';

export function registerCodeLens(ctx: Ctx, certificates: DocumentCertificateService): void {
  const changed = ctx.own(new vscode.EventEmitter<void>());
  ctx.own(
    ctx.config.onDidChange((change) => {
      if (
        change.affects('codeLens.enabled') ||
        change.affects('expiryWarningDays') ||
        change.affects('disabledFindings')
      )
        changed.fire();
    }),
  );
  ctx.own(
    vscode.languages.registerCodeLensProvider(KUBECONFIG_SELECTOR, {
      onDidChangeCodeLenses: changed.event,
      provideCodeLenses: async (doc, token) => {
        if (!ctx.config.codeLensEnabled) return [];
        const found = await certificates.of(doc);
        if (!found || token.isCancellationRequested) return [];
        const text = { l10n: vscode.l10n, language: vscode.env.language, translate };
        const now = ctx.clock();
        return found.fields.map((field) => {
          const line = doc.positionAt(field.span.start).line;
          return new vscode.CodeLens(new vscode.Range(line, 0, line, 0), {
            title: lensTitle(field.certificates, field.findings, now, text),
            tooltip: vscode.l10n.t('Show the full decoding of this certificate'),
            command: SHOW_DETAILS_COMMAND,
            arguments: [{ uri: doc.uri.toString(), offset: field.span.start }],
          });
        });
      },
    }),
  );
}
