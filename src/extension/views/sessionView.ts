// What the CSR and Cluster Certificates views do alike around their WatchSession: connect only in
// a trusted workspace, connect when first shown and again once trust is granted, name the problem
// that replaces the tree, show the context in the status bar while the view is visible, switch
// context through one picker, and open read-only YAML. Each view keeps its own rows and commands.
import * as vscode from 'vscode';
import type { ClusterClient, connectCluster } from '../../node/cluster/client';
import { ClusterError } from '../../node/cluster/errors';
import type { readKubeconfigs } from '../../node/cluster/kubeconfig';
import type { Ctx } from '../ctx';
import type { WatchedConnection, WatchSession, WatchSessionDeps } from './watchSession';

/** The part of a view's lazily loaded engine (its own bundle) that the shell uses. */
export type EngineLoader = () => Promise<{
  readonly connectCluster: typeof connectCluster;
  readonly readKubeconfigs: typeof readKubeconfigs;
}>;

type AnySession = WatchSession<unknown, WatchedConnection, WatchSessionDeps>;

/** The session's connect: refused in an untrusted workspace, else the engine's client. */
export function trustedConnect(
  ctx: Ctx,
  engine: EngineLoader,
): (context: string | undefined) => Promise<ClusterClient> {
  return async (context) => {
    // Untrusted workspace: no cluster connection at all (no network, no exec plugin);
    // onDidGrantWorkspaceTrust reconnects.
    if (!vscode.workspace.isTrusted)
      throw new ClusterError(
        'refused',
        vscode.l10n.t(
          'Trust this workspace to connect to a cluster: in an untrusted workspace Kube Certs contacts no cluster.',
        ),
      );
    // Loaded here, on first open: the cluster client pulls in @kubernetes/client-node.
    const { connectCluster } = await engine();
    return connectCluster({ kubeconfig: ctx.config.kubeconfig, context });
  };
}

/** The row that replaces the tree while the session has a problem. */
export interface ProblemItem {
  readonly message: string;
  readonly detail: string;
}

/** `titles`: what this view calls the kinds it words its own way (else the common words). */
export function problemItem(
  error: ClusterError,
  titles: Partial<Record<ClusterError['kind'], string>>,
): ProblemItem {
  const common: Partial<Record<ClusterError['kind'], string>> = {
    config: vscode.l10n.t('No usable kubeconfig'),
    'exec-refused': vscode.l10n.t('Credential plugin not run in an untrusted workspace'),
    unreachable: vscode.l10n.t('Cluster unreachable'),
    unauthorized: vscode.l10n.t('Credentials rejected by the cluster'),
  };
  const message = titles[error.kind] ?? common[error.kind] ?? vscode.l10n.t('Cluster error');
  return { message, detail: error.message };
}

/** The view's context in the status bar while the view is visible; a click switches context. */
export class ContextStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;

  constructor(
    private readonly treeView: vscode.TreeView<unknown>,
    private readonly session: AnySession,
    private readonly look: {
      readonly id: string;
      readonly priority: number;
      readonly name: string;
      readonly command: string;
      /** A codicon, `$(shield)`. */
      readonly icon: string;
      readonly tooltip: string;
    },
  ) {
    this.item = vscode.window.createStatusBarItem(look.id, vscode.StatusBarAlignment.Left, look.priority);
    this.item.name = look.name;
    this.item.command = look.command;
  }

  update(): void {
    if (this.treeView.visible && this.session.context) {
      this.item.text = `${this.look.icon} ${this.session.context}`;
      this.item.tooltip = this.look.tooltip;
      this.item.show();
    } else this.item.hide();
  }

  dispose(): void {
    this.item.dispose();
  }
}

/**
 * Connects when the view is shown (now, if it is) and reconnects once the workspace is trusted;
 * the status bar follows the view's visibility. Returns what to dispose with the view.
 */
export function connectWhenShown(
  session: AnySession,
  treeView: vscode.TreeView<unknown>,
  statusBar: ContextStatusBar,
): vscode.Disposable[] {
  const disposables = [
    treeView.onDidChangeVisibility((e) => {
      if (e.visible) void session.ensureConnected();
      statusBar.update();
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => void session.reconnect(treeView.visible)),
  ];
  if (treeView.visible) void session.ensureConnected();
  return disposables;
}

/**
 * The Switch Context command: the context named by the caller, else one picked among the
 * kubeconfig's contexts (the current one marked).
 */
export async function switchContext(
  view: { readonly ctx: Ctx; readonly session: AnySession; readonly engine: EngineLoader },
  name: unknown,
  placeHolder: string,
): Promise<void> {
  let chosen = typeof name === 'string' ? name : undefined;
  if (!chosen) {
    // Contexts come from core's kubeconfig model: listing them loads no Kubernetes client.
    const { readKubeconfigs } = await view.engine();
    let merged;
    try {
      merged = readKubeconfigs({ kubeconfig: view.ctx.config.kubeconfig });
    } catch (err) {
      void vscode.window.showErrorMessage(err instanceof Error ? err.message : String(err));
      return;
    }
    const picked = await vscode.window.showQuickPick(
      [...merged.contexts.values()].map((c) => ({
        label: c.name,
        description: c.name === view.session.context ? vscode.l10n.t('current') : undefined,
        detail: vscode.l10n.t('cluster {0}, user {1}', c.cluster, c.user),
      })),
      { placeHolder },
    );
    chosen = picked?.label;
  }
  if (chosen) await view.session.switchContext(chosen);
}

/** Opens a read-only document of the view as YAML, in a preview tab. */
export async function showYaml(uri: vscode.Uri): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.languages.setTextDocumentLanguage(doc, 'yaml');
  await vscode.window.showTextDocument(doc, { preview: true });
}
