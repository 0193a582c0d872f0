// Problems-panel entries for kubeconfigs: one DiagnosticCollection, refreshed on open, on change
// (debounced) and on settings changes, cleared on close. A newer edit cancels an older pass.
import * as vscode from 'vscode';
import { renderFindingMessage, renderRelatedMessage, type Finding } from '../../core/findings/finding';
import type { Ctx } from '../ctx';
import { translate } from '../l10n';
import type { KubeconfigDocuments } from '../kubeconfig/documents';

const DEBOUNCE_MS = 300;

const SEVERITY: Record<Finding['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

export const DIAGNOSTIC_SOURCE = 'kubecerts';

export function registerDiagnostics(ctx: Ctx, documents: KubeconfigDocuments): void {
  const collection = ctx.own(vscode.languages.createDiagnosticCollection(DIAGNOSTIC_SOURCE));
  const timers = new Map<string, NodeJS.Timeout>();

  const refresh = async (doc: vscode.TextDocument): Promise<void> => {
    const key = doc.uri.toString();
    if (doc.uri.scheme !== 'file' && doc.uri.scheme !== 'untitled') return;
    if (!documents.isKubeconfig(doc)) {
      collection.delete(doc.uri);
      return;
    }
    const version = doc.version;
    try {
      const analysis = await documents.load();
      const audit = await analysis.all(doc, documents.options());
      // The document changed while we worked: the pass for the newer version will publish.
      if (doc.isClosed || doc.version !== version) return;
      const mine = audit.findings.filter((f) => f.file === analysis.snapshot(doc).document.file);
      collection.set(
        doc.uri,
        mine.map((f) => toDiagnostic(doc, f)),
      );
    } catch (error) {
      ctx.log.error(`diagnostics failed for ${key}`, error);
    }
  };

  const schedule = (doc: vscode.TextDocument, delay: number): void => {
    const key = doc.uri.toString();
    clearTimeout(timers.get(key));
    timers.set(
      key,
      setTimeout(() => {
        timers.delete(key);
        void refresh(doc);
      }, delay),
    );
  };

  ctx.own(vscode.workspace.onDidOpenTextDocument((doc) => schedule(doc, 0)));
  ctx.own(vscode.workspace.onDidChangeTextDocument((e) => schedule(e.document, DEBOUNCE_MS)));
  ctx.own(vscode.workspace.onDidSaveTextDocument((doc) => schedule(doc, 0)));
  ctx.own(
    vscode.workspace.onDidCloseTextDocument((doc) => {
      clearTimeout(timers.get(doc.uri.toString()));
      timers.delete(doc.uri.toString());
      collection.delete(doc.uri);
    }),
  );
  ctx.own(
    ctx.config.onDidChange((change) => {
      if (change.affects('expiryWarningDays') || change.affects('disabledFindings')) {
        for (const doc of vscode.workspace.textDocuments) schedule(doc, 0);
      }
    }),
  );
  ctx.own({ dispose: () => timers.forEach((t) => clearTimeout(t)) });
  for (const doc of vscode.workspace.textDocuments) schedule(doc, 0);
}

/** The one conversion of a core finding into a Diagnostic (the served-certificate checks use it too). */
export function toDiagnostic(doc: vscode.TextDocument, finding: Finding): vscode.Diagnostic {
  const range = new vscode.Range(doc.positionAt(finding.span.start), doc.positionAt(finding.span.end));
  const diagnostic = new vscode.Diagnostic(
    range,
    renderFindingMessage(finding, translate),
    SEVERITY[finding.severity],
  );
  diagnostic.source = DIAGNOSTIC_SOURCE;
  diagnostic.code = finding.code;
  if (finding.related?.length) {
    diagnostic.relatedInformation = finding.related.map(
      (r) =>
        new vscode.DiagnosticRelatedInformation(
          new vscode.Location(
            vscode.Uri.file(r.file),
            r.span && r.file === doc.uri.fsPath
              ? new vscode.Range(doc.positionAt(r.span.start), doc.positionAt(r.span.end))
              : new vscode.Position(0, 0),
          ),
          renderRelatedMessage(r, translate),
        ),
    );
  }
  return diagnostic;
}
