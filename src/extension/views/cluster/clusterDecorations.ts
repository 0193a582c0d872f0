// The colour of an object row's name: a FileDecoration on the row's resourceUri
// (objectDocumentUri), in the list's error colour when it has an error-level finding, else its
// warning colour when it has a warning. No count badge: at 300 px its width is the verdict's.
import * as vscode from 'vscode';
import type { InventoryRow } from '../../../core/cluster/inventoryRow';
import { CLUSTER_URI_SCHEME, parseObjectDocumentUri } from './clusterTree';

export class ClusterDecorations implements vscode.FileDecorationProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri[] | undefined>();
  readonly onDidChangeFileDecorations = this.changed.event;

  /** `find` answers the row an object of the shown context is on (undefined: another context, or gone). */
  constructor(
    private readonly find: (
      target: NonNullable<ReturnType<typeof parseObjectDocumentUri>>,
    ) => InventoryRow | undefined,
  ) {}

  /** Every badge may have changed (a read landed, the context changed). */
  refresh(): void {
    this.changed.fire(undefined);
  }

  provideFileDecoration(uri: vscode.Uri): vscode.FileDecoration | undefined {
    if (uri.scheme !== CLUSTER_URI_SCHEME) return undefined;
    const target = parseObjectDocumentUri(uri);
    const findings = (target && this.find(target)?.findings) ?? [];
    const errors = findings.filter((f) => f.severity === 'error').length;
    const warnings = findings.filter((f) => f.severity === 'warning').length;
    if (!errors && !warnings) return undefined;
    return new vscode.FileDecoration(
      undefined,
      errors ? vscode.l10n.t('{0} errors', errors) : vscode.l10n.t('{0} warnings', warnings),
      new vscode.ThemeColor(errors ? 'list.errorForeground' : 'list.warningForeground'),
    );
  }

  dispose(): void {
    this.changed.dispose();
  }
}
