// The "Certificate Signing Requests" view: a thin shell over a CsrSession (connection, watch,
// reviews). It connects when first shown, renders the session into the tree, badges and status
// bar, serves CSRs as read-only YAML, and registers the commands (csrCommands.ts).
import * as vscode from 'vscode';
import { conditionSummary, csrState } from '../../../core/csr/model';
import { registerCommandTable } from '../../commands';
import {
  connectWhenShown,
  ContextStatusBar,
  problemItem,
  trustedConnect,
  type EngineLoader,
  type ProblemItem,
} from '../sessionView';
import type { Ctx } from '../../ctx';
import { COMMANDS } from './csrCommands';
import { CsrDecorations } from './csrDecorations';
import { csrContextValue } from './csrRows';
import { CsrSession } from './csrSession';
import { CSR_URI_SCHEME, CSR_VIEW_ID, CsrTreeProvider, csrUri, type CsrTreeNode } from './csrTree';

/** A reveal can race the tree refreshes that follow a decision; each retry waits for the view to catch up. */
const REVEAL_ATTEMPTS = 5;
const REVEAL_RETRY_BOUND_MS = 2_000;

/** What the view shows, in data: returned by the refresh command (scripts and tests use it). */
export interface CsrViewSnapshot {
  readonly context: string;
  readonly problem?: ProblemItem;
  readonly items: readonly {
    readonly name: string;
    readonly contextValue: string;
    readonly condition: string;
    readonly risks: readonly string[];
  }[];
}

/** The problem row; the shared words, but for what only the CSR list needs. */
const problemRow = (error: Parameters<typeof problemItem>[0]) =>
  problemItem(error, {
    forbidden: vscode.l10n.t('Not allowed to list certificate signing requests'),
    'not-found': vscode.l10n.t('Certificate signing requests API not found'),
  });

/** The engine chunk's cluster client and kubeconfig reader, loaded on first use. */
const loadEngine: EngineLoader = async () => {
  const { connectCluster, readKubeconfigs } = await import('./csrEngine');
  return { connectCluster, readKubeconfigs };
};

export class CsrView implements vscode.Disposable {
  readonly engine = loadEngine;
  readonly session: CsrSession;
  readonly tree: CsrTreeProvider;
  readonly treeView: vscode.TreeView<CsrTreeNode>;
  private readonly statusBar: ContextStatusBar;
  private readonly decorations: CsrDecorations;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(readonly ctx: Ctx) {
    this.session = new CsrSession({
      connect: trustedConnect(ctx, this.engine),
      policy: () => {
        const max = ctx.config.csrMaxExpirationSeconds;
        return max !== undefined ? { maxExpirationSeconds: max } : {};
      },
      now: ctx.clock,
      log: ctx.log,
    });
    this.tree = new CsrTreeProvider(ctx.clock);
    this.treeView = vscode.window.createTreeView(CSR_VIEW_ID, {
      treeDataProvider: this.tree,
      canSelectMany: true,
      showCollapseAll: true,
    });
    this.statusBar = new ContextStatusBar(this.treeView, this.session, {
      id: 'kubecerts.csrContext',
      priority: 10,
      name: vscode.l10n.t('Kube Certs: cluster context'),
      command: 'kubecerts.csr.switchContext',
      icon: '$(server-environment)',
      tooltip: vscode.l10n.t('Kubernetes context of the CSR view: click to switch'),
    });
    this.decorations = new CsrDecorations(this.session);
    this.disposables.push(
      this.session.onDidChange(() => this.render()),
      this.treeView.onDidExpandElement((e) => this.tree.trackExpansion(e.element, true)),
      this.treeView.onDidCollapseElement((e) => this.tree.trackExpansion(e.element, false)),
      this.tree,
      this.treeView,
      this.statusBar,
      this.decorations,
      vscode.window.registerFileDecorationProvider(this.decorations),
      vscode.workspace.registerTextDocumentContentProvider(CSR_URI_SCHEME, {
        provideTextDocumentContent: (uri) => this.yaml(uri),
      }),
      ctx.config.onDidChange((change) => {
        if (change.affects('kubeconfig')) void this.session.reconnect(this.treeView.visible);
        else if (change.affects('csr.maxExpirationSeconds')) this.session.rereview();
      }),
      ...connectWhenShown(this.session, this.treeView, this.statusBar),
    );
  }

  /** Lists again (or connects) and resolves with what the view shows once every CSR is reviewed. */
  async refresh(): Promise<CsrViewSnapshot> {
    await this.session.refresh();
    return this.snapshot();
  }

  snapshot(): CsrViewSnapshot {
    const problem = this.session.problem;
    return {
      context: this.session.context,
      ...(problem ? { problem: problemRow(problem) } : {}),
      items: [...this.session.entries().values()]
        .sort((a, b) => a.csr.metadata.name.localeCompare(b.csr.metadata.name))
        .map(({ csr, review }) => ({
          name: csr.metadata.name,
          contextValue: csrContextValue(csr),
          condition: conditionSummary(csr),
          risks: (review?.findings ?? []).map((f) => f.code),
        })),
    };
  }

  yamlUri(name: string): vscode.Uri {
    return csrUri(this.session.context, name);
  }

  /**
   * Shows the rows in their (current) groups, opening them, and selects the first. Waits for the
   * burst of changes after a decision to pass; a reveal racing a refresh of the tree is retried.
   */
  async reveal(names: readonly string[]): Promise<void> {
    for (let attempt = 1; attempt <= REVEAL_ATTEMPTS; attempt++) {
      await this.session.quiet();
      const shown = names.filter((n) => this.session.entry(n));
      for (const name of shown) this.tree.openGroup(csrState(this.session.entry(name)!.csr));
      try {
        // Last to first, so the first ends selected and the others were brought into view too.
        for (const [i, name] of [...shown].reverse().entries()) {
          const select = i === shown.length - 1;
          await this.treeView.reveal(this.tree.csrNode(name), { select, focus: false });
        }
        // A workbench that has not rendered the row yet resolves the reveal without selecting it.
        if (!shown.length) return;
        const first = this.tree.csrNode(shown[0]);
        if (await this.selected(first, REVEAL_RETRY_BOUND_MS)) {
          if (attempt > 1) this.ctx.log.info(`CSR view: ${shown[0]} selected at attempt ${attempt}`);
          return;
        }
        this.ctx.log.info(
          `CSR view: ${shown[0]} revealed but not selected (attempt ${attempt}): trying again`,
        );
      } catch (err) {
        this.ctx.log.info(`CSR view: reveal of ${shown.join(', ')} (attempt ${attempt}) failed`, err);
        // The view dropped its rows for a refresh it has not fetched yet: retry once it has.
        await this.tree.nextRootFetch(REVEAL_RETRY_BOUND_MS);
      }
    }
  }

  /** Resolves true once `node` is in the view's selection (the workbench reports it), false after `boundMs`. */
  private selected(node: CsrTreeNode, boundMs: number): Promise<boolean> {
    if (this.treeView.selection.includes(node)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (result: boolean): void => {
        clearTimeout(timer);
        subscription.dispose();
        resolve(result);
      };
      const timer = setTimeout(() => done(false), boundMs);
      const subscription = this.treeView.onDidChangeSelection((e) => {
        if (e.selection.includes(node)) done(true);
      });
    });
  }

  private render(): void {
    const problem = this.session.problem;
    const entries = this.session.entries();
    this.tree.update(this.session.context, problem ? new Map() : entries, problem && problemRow(problem));
    this.decorations.refresh();
    const pendingErrors = [...entries.values()].filter(
      (e) => csrState(e.csr) === 'pending' && e.review?.findings.some((f) => f.severity === 'error'),
    );
    this.treeView.message =
      problem || pendingErrors.length === 0
        ? undefined
        : pendingErrors.length === 1
          ? vscode.l10n.t('1 pending request has error-level risks.')
          : vscode.l10n.t('{0} pending requests have error-level risks.', pendingErrors.length);
    this.statusBar.update();
  }

  private async yaml(uri: vscode.Uri): Promise<string> {
    const name = uri.path.replace(/^\//, '').replace(/\.yaml$/, '');
    const csr = await this.session.read(name);
    if (!csr) return vscode.l10n.t('# {0} is no longer in the cluster.', name);
    const { stringify } = await import('yaml');
    return stringify(csr, { lineWidth: 0 });
  }

  dispose(): void {
    this.session.dispose();
    for (const d of this.disposables.splice(0).reverse()) d.dispose();
  }
}

export function registerCsrView(ctx: Ctx): void {
  registerCommandTable(ctx, COMMANDS, ctx.own(new CsrView(ctx)));
}
