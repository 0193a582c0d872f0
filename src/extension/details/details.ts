// "Kube Certs: Show Certificate Details": a read-only virtual document with the full decoding of
// the certificates at the cursor (or in the selected PEM or base64 text) and our verdicts. Invoked
// from the palette, a CodeLens or a hover link (`{uri, offset}`).
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CommandTable } from '../commands';
import { registerCommandTable } from '../commands';
import type { Ctx } from '../ctx';
import { translate } from '../l10n';
import { showDetailsArgs } from './commandArgs';
import { fieldAt, type FieldCertificates, type DocumentCertificateService } from './documentCertificates';

export const DETAILS_SCHEME = 'kubecerts-details';

/** Documents shown so far, by URI: regenerated on request, never written anywhere. */
class DetailsDocuments implements vscode.TextDocumentContentProvider {
  private readonly contents = new Map<string, string>();
  private next = 1;

  add(title: string, content: string): vscode.Uri {
    const safe = title.replace(/[\\/:*?"<>|#%]/g, '_').slice(0, 80);
    const uri = vscode.Uri.from({ scheme: DETAILS_SCHEME, path: `/${safe}.txt`, query: String(this.next++) });
    this.contents.set(uri.toString(), content);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '';
  }

  forget(uri: vscode.Uri): void {
    this.contents.delete(uri.toString());
  }
}

export function registerDetails(ctx: Ctx, certificates: DocumentCertificateService): void {
  const documents = new DetailsDocuments();
  ctx.own(vscode.workspace.registerTextDocumentContentProvider(DETAILS_SCHEME, documents));
  ctx.own(
    vscode.workspace.onDidCloseTextDocument((doc) => {
      if (doc.uri.scheme === DETAILS_SCHEME) documents.forget(doc.uri);
    }),
  );
  registerCommandTable(ctx, COMMANDS, { ctx, certificates, documents });
}

interface DetailsOwner {
  readonly ctx: Ctx;
  readonly certificates: DocumentCertificateService;
  readonly documents: DetailsDocuments;
}

const COMMANDS: CommandTable<DetailsOwner> = {
  // SHOW_DETAILS_COMMAND: the CodeLens and hover links name it from commandArgs.ts.
  'kubecerts.showCertificateDetails':
    ({ ctx, certificates, documents }) =>
    async (arg: unknown) => {
      const found = await locate(ctx, certificates, arg);
      if (!found) {
        void vscode.window.showInformationMessage(
          vscode.l10n.t(
            'No certificate at the cursor. Place it on a certificate field or PEM block, or select PEM or base64 text.',
          ),
        );
        return undefined;
      }
      const text = { l10n: vscode.l10n, language: vscode.env.language, translate };
      const { detailsText } = await import('./engine');
      const content = detailsText(found.field, found.source, ctx.clock(), text);
      const first = found.field.certificates[0]?.certificate;
      const uri = documents.add(first ? first.subject.display || 'certificate' : 'certificate', content);
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside });
      return uri.toString();
    },
};

interface Located {
  readonly field: FieldCertificates;
  /** Where it came from, for the document's header. */
  readonly source: string;
}

async function locate(
  ctx: Ctx,
  certificates: DocumentCertificateService,
  arg: unknown,
): Promise<Located | undefined> {
  const args = showDetailsArgs(arg);
  if (args) {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(args.uri));
    return atOffset(certificates, doc, args.offset);
  }
  const editor = vscode.window.activeTextEditor;
  if (!editor) return undefined;
  const doc = editor.document;
  if (!editor.selection.isEmpty) {
    const selected = await fromSelection(ctx, doc, editor.selection);
    if (selected) return selected;
  }
  return atOffset(certificates, doc, doc.offsetAt(editor.selection.active));
}

async function atOffset(
  certificates: DocumentCertificateService,
  doc: vscode.TextDocument,
  offset: number,
): Promise<Located | undefined> {
  const found = await certificates.of(doc);
  const field = found && fieldAt(found.fields, offset, (o) => doc.positionAt(o).line);
  if (!field || (field.certificates.length === 0 && field.findings.length === 0)) return undefined;
  const line = doc.positionAt(field.span.start).line + 1;
  return { field, source: `${sourceName(doc)}:${line}` };
}

/** Selected PEM, or base64 of PEM or DER: decoded and checked as a PEM text of its own. */
async function fromSelection(
  ctx: Ctx,
  doc: vscode.TextDocument,
  selection: vscode.Selection,
): Promise<Located | undefined> {
  const selected = doc.getText(selection);
  const { decodeBase64Data, decodePemText, toPem, analyzeCertificateText } = await import('./engine');
  const decoded = selected.includes('-----BEGIN ')
    ? decodePemText(selected)
    : decodeBase64Data(selected.replace(/\s+/g, ''));
  if (decoded.certificates.length === 0) return undefined;
  const pem = decoded.certificates.map((d) => toPem('CERTIFICATE', d.cert.der)).join('');
  const disabled = ctx.config.disabledFindings;
  const analysis = analyzeCertificateText(
    { file: 'selection.pem', text: pem },
    { now: ctx.clock(), warnDays: ctx.config.expiryWarningDays, enabled: (code) => !disabled.has(code) },
  );
  const certificates = analysis.certificates.map((c, index) => ({ ...c, index }));
  const line = selection.start.line + 1;
  return {
    field: { span: { start: 0, end: pem.length }, certificates, findings: analysis.findings },
    source: `${sourceName(doc)}:${line} (${vscode.l10n.t('selection')})`,
  };
}

function sourceName(doc: vscode.TextDocument): string {
  return doc.uri.scheme === 'file' ? path.basename(doc.uri.fsPath) : doc.uri.toString(true);
}
