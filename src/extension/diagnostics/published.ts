// What the Problems panel shows from kubecerts, as findings by file: the status bar summary and its
// quick pick read it, so they always agree with the panel.
import * as vscode from 'vscode';
import type { Finding } from '../../core/findings/finding';

export class PublishedProblems implements vscode.Disposable {
  private readonly byUri = new Map<
    string,
    { readonly uri: vscode.Uri; readonly findings: readonly Finding[] }
  >();
  private readonly emitter = new vscode.EventEmitter<void>();
  private scheduled?: ReturnType<typeof setTimeout>;
  /** Fires once after a burst of changes (a workspace scan publishes many files at once). */
  readonly onDidChange = this.emitter.event;

  set(uri: vscode.Uri, findings: readonly Finding[]): void {
    this.byUri.set(uri.toString(), { uri, findings });
    this.changed();
  }

  delete(uri: vscode.Uri): void {
    if (this.byUri.delete(uri.toString())) this.changed();
  }

  uris(): vscode.Uri[] {
    return [...this.byUri.values()].map((e) => e.uri);
  }

  entries(): { readonly uri: vscode.Uri; readonly findings: readonly Finding[] }[] {
    return [...this.byUri.values()];
  }

  private changed(): void {
    if (this.scheduled) return;
    this.scheduled = setTimeout(() => {
      this.scheduled = undefined;
      this.emitter.fire();
    }, 0);
  }

  dispose(): void {
    clearTimeout(this.scheduled);
    this.emitter.dispose();
  }
}
