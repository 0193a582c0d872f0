// Problems-panel entries: one DiagnosticCollection for kubeconfigs and certificate files. An open
// document shows the findings of its text (refreshed on open, on change (debounced), on save and on
// settings changes; a newer edit cancels an older pass); a file that is not open shows what the
// workspace audit found on disk, unless `kubecerts.diagnostics.scope` is `open`. Findings of the
// PKI scan (expired, missing, wiring, CIS) sit on the file they concern, open or not.
import * as vscode from 'vscode';
import { renderFindingMessage, renderRelatedMessage, type Finding } from '../../core/findings/finding';
import { LineIndex } from '../../core/text/lineIndex';
import type { Ctx } from '../ctx';
import { translate } from '../l10n';
import type { KubeconfigDocuments } from '../kubeconfig/documents';
import { registerWorkspaceSummary } from '../workspace/summaryView';
import { WorkspaceAudit } from '../workspace/workspaceAudit';
import { PublishedProblems } from './published';

const DEBOUNCE_MS = 300;

const SEVERITY: Record<Finding['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

export const DIAGNOSTIC_SOURCE = 'kubecerts';

/** Where offsets of a finding land: an open document, or the text of a file that is not open. */
type Positions = Pick<vscode.TextDocument, 'uri' | 'positionAt'>;

/**
 * Texts that may hold certificates besides kubeconfigs: PEM blocks, the certificate keys of
 * Kubernetes manifests. A cheap test, so that opening other files never loads the audit engine.
 */
const MAY_HOLD_CERTIFICATES = /-----BEGIN |\b(?:tls\.crt|ca\.crt|tls\.key|caBundle)\s*["']?:/;

function textPositions(uri: vscode.Uri, text: string): Positions {
  const index = new LineIndex(text);
  return {
    uri,
    positionAt: (offset) => {
      const p = index.positionAt(offset);
      return new vscode.Position(p.line, p.character);
    },
  };
}

export function registerDiagnostics(ctx: Ctx, documents: KubeconfigDocuments): void {
  const collection = ctx.own(vscode.languages.createDiagnosticCollection(DIAGNOSTIC_SOURCE));
  const workspace = ctx.own(new WorkspaceAudit(ctx));
  const published = ctx.own(new PublishedProblems());
  registerWorkspaceSummary(ctx, workspace, published);
  const timers = new Map<string, NodeJS.Timeout>();
  /** Findings of each open document's own text, by URI. */
  const ofOpen = new Map<string, { doc: vscode.TextDocument; findings: readonly Finding[] }>();

  const publish = (uri: vscode.Uri): void => {
    const key = uri.toString();
    const open = ofOpen.get(key);
    const onDisk = uri.scheme === 'file' ? workspace.problems.get(uri.fsPath) : undefined;
    const shown = open !== undefined || ctx.config.diagnosticsScope === 'workspace';
    const diagnostics: vscode.Diagnostic[] = [];
    const findings: Finding[] = [];
    const add = (positions: Positions, list: readonly Finding[]) => {
      for (const finding of list) {
        diagnostics.push(toDiagnostic(positions, finding));
        findings.push(finding);
      }
    };
    if (open) add(open.doc, open.findings);
    else if (shown && onDisk?.own) add(textPositions(uri, onDisk.own.text), onDisk.own.findings);
    if (shown && onDisk?.pki.length) add(textPositions(uri, onDisk.pkiText), onDisk.pki);
    if (diagnostics.length === 0) {
      collection.delete(uri);
      published.delete(uri);
    } else {
      collection.set(uri, diagnostics);
      published.set(uri, findings);
    }
  };

  const publishAll = (): void => {
    const uris = new Map(published.uris().map((uri) => [uri.toString(), uri]));
    for (const file of workspace.problems.keys()) {
      const uri = vscode.Uri.file(file);
      uris.set(uri.toString(), uri);
    }
    for (const uri of uris.values()) publish(uri);
  };

  const refresh = async (doc: vscode.TextDocument): Promise<void> => {
    const key = doc.uri.toString();
    if (doc.uri.scheme !== 'file' && doc.uri.scheme !== 'untitled') return;
    const version = doc.version;
    try {
      const findings = await ownFindings(doc);
      // The document changed or closed while we worked: the pass for the newer version will publish.
      if (doc.isClosed || doc.version !== version) return;
      ofOpen.set(key, { doc, findings });
      publish(doc.uri);
    } catch (error) {
      ctx.log.error(`diagnostics failed for ${key}`, error);
    }
  };

  const ownFindings = async (doc: vscode.TextDocument): Promise<readonly Finding[]> => {
    if (documents.isKubeconfig(doc)) {
      const analysis = await documents.load();
      const audit = await analysis.all(doc, documents.options());
      return audit.findings.filter((f) => f.file === analysis.snapshot(doc).document.file);
    }
    const text = doc.getText();
    if (!MAY_HOLD_CERTIFICATES.test(text)) return [];
    // The workspace audit's bundle (loaded once, shared): the same reading of a file as on disk.
    const engine = await import('../workspace/engine');
    const file = doc.uri.scheme === 'file' ? doc.uri.fsPath : doc.uri.toString();
    const audit = await engine.auditFileContent(file, new TextEncoder().encode(text), documents.options());
    return audit?.kind === 'certificates' ? audit.findings : [];
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
      const key = doc.uri.toString();
      clearTimeout(timers.get(key));
      timers.delete(key);
      ofOpen.delete(key);
      // In workspace scope the file keeps its problems: those of its text on disk.
      publish(doc.uri);
    }),
  );
  ctx.own(workspace.onDidChange(publishAll));
  ctx.own(
    ctx.config.onDidChange((change) => {
      if (change.affects('diagnostics.scope')) publishAll();
      if (change.affects('expiryWarningDays') || change.affects('disabledFindings')) {
        for (const doc of vscode.workspace.textDocuments) schedule(doc, 0);
      }
    }),
  );
  ctx.own({ dispose: () => timers.forEach((t) => clearTimeout(t)) });
  for (const doc of vscode.workspace.textDocuments) schedule(doc, 0);
}

/** The one conversion of a core finding into a Diagnostic (the served-certificate checks use it too). */
export function toDiagnostic(doc: Positions, finding: Finding): vscode.Diagnostic {
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
