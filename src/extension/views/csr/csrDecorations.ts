// The risk badge on a CSR row: a FileDecoration on the row's resourceUri (csrUri), counting the
// error-level risks (else the warnings) in the list's error or warning colour.
import * as vscode from 'vscode';
import { CSR_URI_SCHEME } from './csrTree';
import type { CsrSession } from './csrSession';

export class CsrDecorations implements vscode.FileDecorationProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri[] | undefined>();
  readonly onDidChangeFileDecorations = this.changed.event;

  constructor(private readonly session: CsrSession) {}

  /** Every badge may have changed (a review landed, the context changed). */
  refresh(): void {
    this.changed.fire(undefined);
  }

  provideFileDecoration(uri: vscode.Uri): vscode.FileDecoration | undefined {
    if (uri.scheme !== CSR_URI_SCHEME || decodeURIComponent(uri.authority) !== this.session.context)
      return undefined;
    const name = uri.path.replace(/^\//, '').replace(/\.yaml$/, '');
    const findings = this.session.entry(name)?.review?.findings ?? [];
    const errors = findings.filter((f) => f.severity === 'error').length;
    const warnings = findings.filter((f) => f.severity === 'warning').length;
    if (!errors && !warnings) return undefined;
    return new vscode.FileDecoration(
      String(Math.min(errors || warnings, 99)),
      errors ? vscode.l10n.t('{0} error-level risks', errors) : vscode.l10n.t('{0} warnings', warnings),
      new vscode.ThemeColor(errors ? 'list.errorForeground' : 'list.warningForeground'),
    );
  }

  dispose(): void {
    this.changed.dispose();
  }
}
