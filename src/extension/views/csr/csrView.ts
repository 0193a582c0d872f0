// The "Certificate Signing Requests" view: connects on first open (loading the cluster client
// then), keeps the tree live with a CsrWatcher, reviews each CSR, shows the context in the status
// bar, and registers the view's commands (one table, ids in contributes.commands).
import * as vscode from 'vscode';
import { conditionSummary, csrState, issuedCertificatePem, type Csr } from '../../../core/csr/model';
import type { CsrPolicy, CsrReview } from '../../../core/csr/risk';
import { renderRiskMessage } from '../../../core/csr/riskCatalog';
import type { ApprovalDecision, ClusterClient } from '../../../node/cluster/client';
import { ClusterError } from '../../../node/cluster/errors';
import type { CsrWatcher } from '../../../node/cluster/csrWatch';
import type { NodeCache } from '../../../node/cluster/review';
import { registerCommandTable, type CommandTable } from '../../commands';
import type { Ctx } from '../../ctx';
import {
  CSR_URI_SCHEME,
  CsrTreeProvider,
  csrContextValue,
  csrUri,
  type CsrEntry,
  type CsrTreeNode,
  type ProblemItem,
} from './csrTree';

export const CSR_VIEW_ID = 'kubecerts.csrView';

/** Options a caller (a test, another command) may pass instead of answering prompts. */
export interface DecisionOptions {
  readonly reason?: string;
  readonly message?: string;
  /** Approve despite error-level risks without the modal confirmation. */
  readonly confirmRisks?: boolean;
}

interface Connection {
  readonly client: ClusterClient;
  readonly watcher: CsrWatcher;
  readonly nodes: NodeCache;
}

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

export class CsrView implements vscode.Disposable {
  readonly tree: CsrTreeProvider;
  readonly treeView: vscode.TreeView<CsrTreeNode>;
  private readonly statusBar: vscode.StatusBarItem;
  private readonly badges = new vscode.EventEmitter<vscode.Uri[] | undefined>();
  private readonly disposables: vscode.Disposable[] = [];
  private connection: Connection | undefined;
  private connecting: Promise<void> | undefined;
  /** Context chosen with Switch Context; undefined: the kubeconfig's current-context. */
  private chosenContext: string | undefined;
  private contextName = '';
  private problem: ProblemItem | undefined;
  private readonly reviews = new Map<string, { version: string; review?: CsrReview }>();
  private generation = 0;
  private waiters: (() => void)[] = [];

  constructor(private readonly ctx: Ctx) {
    this.tree = new CsrTreeProvider(() => new Date());
    this.treeView = vscode.window.createTreeView(CSR_VIEW_ID, {
      treeDataProvider: this.tree,
      canSelectMany: true,
      showCollapseAll: true,
    });
    this.statusBar = vscode.window.createStatusBarItem(
      'kubecerts.csrContext',
      vscode.StatusBarAlignment.Left,
      10,
    );
    this.statusBar.name = vscode.l10n.t('Kube Certs: cluster context');
    this.statusBar.command = 'kubecerts.csr.switchContext';
    this.disposables.push(
      this.treeView.onDidExpandElement((e) => this.tree.trackExpansion(e.element, true)),
      this.treeView.onDidCollapseElement((e) => this.tree.trackExpansion(e.element, false)),
      this.tree,
      this.treeView,
      this.statusBar,
      this.badges,
      vscode.window.registerFileDecorationProvider({
        onDidChangeFileDecorations: this.badges.event,
        provideFileDecoration: (uri) => this.badge(uri),
      }),
      vscode.workspace.registerTextDocumentContentProvider(CSR_URI_SCHEME, {
        provideTextDocumentContent: (uri) => this.yaml(uri),
      }),
      this.treeView.onDidChangeVisibility((e) => {
        if (e.visible) void this.ensureConnected();
        this.updateStatusBar();
      }),
      ctx.config.onDidChange((change) => {
        if (change.affects('kubeconfig')) void this.reconnect();
        else if (change.affects('csr.maxExpirationSeconds')) this.rereview();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.reconnect()),
    );
    if (this.treeView.visible) void this.ensureConnected();
  }

  get context(): string {
    return this.contextName;
  }

  /** The CSRs the view currently shows (for commands and tests). */
  csrs(): Csr[] {
    return [...(this.connection?.watcher.items.values() ?? [])];
  }

  get problemItem(): ProblemItem | undefined {
    return this.problem;
  }

  private policy(): CsrPolicy {
    const max = this.ctx.config.csrMaxExpirationSeconds;
    return max !== undefined ? { maxExpirationSeconds: max } : {};
  }

  ensureConnected(): Promise<void> {
    if (this.connection) return Promise.resolve();
    this.connecting ??= this.connect().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  async reconnect(): Promise<void> {
    await this.connecting;
    this.disconnect();
    if (this.treeView.visible) await this.ensureConnected();
  }

  /** Lists again (or connects) and resolves with what the view shows once every CSR is reviewed. */
  async refresh(): Promise<CsrViewSnapshot> {
    const settled = this.settled();
    this.problem = undefined;
    if (this.connection) {
      this.connection.nodes.clear();
      this.reviews.clear();
      this.connection.watcher.refresh();
    } else {
      await this.ensureConnected();
    }
    await settled;
    return this.snapshot();
  }

  snapshot(): CsrViewSnapshot {
    return {
      context: this.contextName,
      ...(this.problem ? { problem: this.problem } : {}),
      items: this.csrs()
        .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))
        .map((csr) => ({
          name: csr.metadata.name,
          contextValue: csrContextValue(csr),
          condition: conditionSummary(csr),
          risks: (this.reviews.get(csr.metadata.name)?.review?.findings ?? []).map((f) => f.code),
        })),
    };
  }

  private isSettled(): boolean {
    if (this.problem) return true;
    const connection = this.connection;
    if (!connection?.watcher.synced) return false;
    return [...connection.watcher.items.keys()].every((name) => this.reviews.get(name)?.review);
  }

  /** Resolves at the next moment the view is settled (after the current call stack). */
  private settled(timeoutMs = 20_000): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.waiters.push(done);
    });
  }

  private wakeWaiters(): void {
    if (!this.isSettled()) return;
    for (const wake of this.waiters.splice(0)) wake();
  }

  private disconnect(): void {
    this.connection?.watcher.stop();
    this.connection = undefined;
    this.reviews.clear();
    this.generation++;
  }

  private async connect(): Promise<void> {
    const generation = ++this.generation;
    // Untrusted workspace: no cluster connection at all (no network, no exec plugin); onDidGrantWorkspaceTrust reconnects.
    if (!vscode.workspace.isTrusted) {
      this.showProblem(
        new ClusterError(
          'refused',
          vscode.l10n.t(
            'Trust this workspace to connect to a cluster: in an untrusted workspace Kube Certs contacts no cluster.',
          ),
        ),
      );
      return;
    }
    // Loaded here, on first open: the cluster client pulls in @kubernetes/client-node.
    const [{ connectCluster }, { CsrWatcher }, { NodeCache }] = await Promise.all([
      import('../../../node/cluster/client'),
      import('../../../node/cluster/csrWatch'),
      import('../../../node/cluster/review'),
    ]);
    let client: ClusterClient;
    try {
      client = await connectCluster({
        kubeconfig: this.ctx.config.kubeconfig,
        context: this.chosenContext,
      });
    } catch (err) {
      this.showProblem(err);
      return;
    }
    if (generation !== this.generation) return;
    this.contextName = client.info.context;
    this.updateStatusBar();
    const nodes = new NodeCache(client);
    const watcher = new CsrWatcher(client, {
      onChange: (csrs) => this.onCsrs(csrs),
      onError: (error) => {
        if (error) this.showProblem(error);
        else {
          this.problem = undefined;
          this.onCsrs(watcher.items);
        }
      },
    });
    this.connection = { client, watcher, nodes };
    this.ctx.log.info(`CSR view: watching context ${client.info.context} (${client.info.server})`);
    watcher.start();
  }

  private showProblem(err: unknown): void {
    const error = err instanceof ClusterError ? err : new ClusterError('other', String(err));
    const messages: Record<ClusterError['kind'], string> = {
      config: vscode.l10n.t('No usable kubeconfig'),
      'exec-refused': vscode.l10n.t('Credential plugin not run in an untrusted workspace'),
      unreachable: vscode.l10n.t('Cluster unreachable'),
      unauthorized: vscode.l10n.t('Credentials rejected by the cluster'),
      forbidden: vscode.l10n.t('Not allowed to list certificate signing requests'),
      'not-found': vscode.l10n.t('Certificate signing requests API not found'),
      conflict: vscode.l10n.t('Cluster error'),
      invalid: vscode.l10n.t('Cluster error'),
      gone: vscode.l10n.t('Cluster error'),
      refused: vscode.l10n.t('Cluster error'),
      other: vscode.l10n.t('Cluster error'),
    };
    this.problem = { message: messages[error.kind], detail: error.message };
    this.ctx.log.warn(`CSR view: ${error.message}`);
    this.tree.update(this.contextName, new Map(), this.problem);
    this.wakeWaiters();
  }

  private onCsrs(csrs: ReadonlyMap<string, Csr>): void {
    const connection = this.connection;
    if (!connection) return;
    for (const name of this.reviews.keys()) if (!csrs.has(name)) this.reviews.delete(name);
    for (const csr of csrs.values()) {
      const version = csr.metadata.resourceVersion ?? '';
      if (this.reviews.get(csr.metadata.name)?.version === version) continue;
      this.reviews.set(csr.metadata.name, { version });
      void this.review(connection, csr, version);
    }
    this.publish();
  }

  private async review(connection: Connection, csr: Csr, version: string): Promise<void> {
    const { reviewInCluster } = await import('../../../node/cluster/review');
    try {
      const review = await reviewInCluster(csr, connection.nodes, new Date(), this.policy());
      const slot = this.reviews.get(csr.metadata.name);
      if (connection !== this.connection || slot?.version !== version) return;
      slot.review = review;
      this.publish();
    } catch (err) {
      this.ctx.log.error(`CSR view: review of ${csr.metadata.name} failed`, err);
    }
  }

  private rereview(): void {
    this.reviews.clear();
    if (this.connection) this.onCsrs(this.connection.watcher.items);
  }

  private publish(): void {
    const entries = new Map<string, CsrEntry>();
    for (const csr of this.connection?.watcher.items.values() ?? []) {
      entries.set(csr.metadata.name, { csr, review: this.reviews.get(csr.metadata.name)?.review });
    }
    if (!this.connection?.watcher.error) this.problem = undefined;
    this.tree.update(this.contextName, entries, this.problem);
    this.badges.fire(undefined);
    this.treeView.badge = undefined;
    const pendingErrors = [...entries.values()].filter(
      (e) => csrState(e.csr) === 'pending' && e.review?.findings.some((f) => f.severity === 'error'),
    );
    this.treeView.message =
      pendingErrors.length === 0
        ? undefined
        : pendingErrors.length === 1
          ? vscode.l10n.t('1 pending request has error-level risks.')
          : vscode.l10n.t('{0} pending requests have error-level risks.', pendingErrors.length);
    this.wakeWaiters();
  }

  private badge(uri: vscode.Uri): vscode.FileDecoration | undefined {
    if (uri.scheme !== CSR_URI_SCHEME || decodeURIComponent(uri.authority) !== this.contextName)
      return undefined;
    const name = uri.path.replace(/^\//, '').replace(/\.yaml$/, '');
    const findings = this.reviews.get(name)?.review?.findings ?? [];
    const errors = findings.filter((f) => f.severity === 'error').length;
    const warnings = findings.filter((f) => f.severity === 'warning').length;
    if (!errors && !warnings) return undefined;
    return new vscode.FileDecoration(
      String(Math.min(errors || warnings, 99)),
      errors ? vscode.l10n.t('{0} error-level risks', errors) : vscode.l10n.t('{0} warnings', warnings),
      new vscode.ThemeColor(errors ? 'list.errorForeground' : 'list.warningForeground'),
    );
  }

  private async yaml(uri: vscode.Uri): Promise<string> {
    const name = uri.path.replace(/^\//, '').replace(/\.yaml$/, '');
    const csr = this.connection?.watcher.items.get(name) ?? (await this.connection?.client.getCsr(name));
    if (!csr) return vscode.l10n.t('# {0} is no longer in the cluster.', name);
    const { stringify } = await import('yaml');
    return stringify(csr, { lineWidth: 0 });
  }

  private updateStatusBar(): void {
    if (this.treeView.visible && this.contextName) {
      this.statusBar.text = `$(server-environment) ${this.contextName}`;
      this.statusBar.tooltip = vscode.l10n.t('Kubernetes context of the CSR view: click to switch');
      this.statusBar.show();
    } else this.statusBar.hide();
  }

  // --- commands -------------------------------------------------------------------------------

  async switchContext(name?: unknown): Promise<void> {
    let chosen = typeof name === 'string' ? name : undefined;
    if (!chosen) {
      const [{ loadClientNode }, { readKubeconfigs }] = await Promise.all([
        import('../../../node/cluster/client'),
        import('../../../node/cluster/kubeconfig'),
      ]);
      let merged;
      try {
        merged = readKubeconfigs(await loadClientNode(), { kubeconfig: this.ctx.config.kubeconfig });
      } catch (err) {
        void vscode.window.showErrorMessage(err instanceof Error ? err.message : String(err));
        return;
      }
      const picked = await vscode.window.showQuickPick(
        [...merged.contexts.values()].map((c) => ({
          label: c.name,
          description: c.name === this.contextName ? vscode.l10n.t('current') : undefined,
          detail: vscode.l10n.t('cluster {0}, user {1}', c.cluster, c.user),
        })),
        { placeHolder: vscode.l10n.t('Context for the Certificate Signing Requests view') },
      );
      chosen = picked?.label;
    }
    if (!chosen) return;
    this.chosenContext = chosen;
    this.contextName = chosen;
    this.updateStatusBar();
    await this.reconnect();
    await this.ensureConnected();
  }

  /** Names from a tree click (item + selection), explicit names, or a pick among pending CSRs. */
  private async targets(
    args: readonly unknown[],
    decision: ApprovalDecision | undefined,
  ): Promise<string[] | undefined> {
    const [first, second] = args;
    if (typeof first === 'string') return [first];
    if (Array.isArray(first) && first.every((n) => typeof n === 'string')) return first as string[];
    const nodes = (Array.isArray(second) ? second : first ? [first] : []) as CsrTreeNode[];
    const names = nodes.filter((n) => n.kind === 'csr').map((n) => (n as { name: string }).name);
    if (names.length) return names;
    const candidates = this.csrs().filter((c) => (decision ? csrState(c) === 'pending' : true));
    if (!candidates.length) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No pending certificate signing request.'));
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(
      candidates.map((c) => ({
        label: c.metadata.name,
        description: `${c.spec.signerName} · ${c.spec.username ?? ''}`,
      })),
      { canPickMany: true, placeHolder: vscode.l10n.t('Certificate signing requests') },
    );
    return picked?.map((p) => p.label);
  }

  async decide(decision: ApprovalDecision, args: readonly unknown[]): Promise<void> {
    await this.ensureConnected();
    const connection = this.connection;
    if (!connection) {
      void vscode.window.showErrorMessage(
        this.problem?.detail ?? vscode.l10n.t('Not connected to a cluster.'),
      );
      return;
    }
    const names = await this.targets(args, decision);
    if (!names?.length) return;
    const options = (args.find((a) => a && typeof a === 'object' && !Array.isArray(a) && !('kind' in a)) ??
      {}) as DecisionOptions;
    const pending = names.filter((n) => {
      const csr = connection.watcher.items.get(n);
      return !csr || csrState(csr) === 'pending';
    });
    const skipped = names.filter((n) => !pending.includes(n));
    if (skipped.length) {
      // Approved and Denied are permanent and exclusive: the API would answer 422.
      void vscode.window.showWarningMessage(
        vscode.l10n.t('Skipped {0}: only pending requests can be approved or denied.', skipped.join(', ')),
      );
    }
    if (!pending.length) return;

    if (decision === 'Approved' && !options.confirmRisks) {
      const risky = pending.flatMap((n) => {
        const findings = this.reviews.get(n)?.review?.findings ?? [];
        return findings
          .filter((f) => f.severity === 'error')
          .map(
            (f) =>
              `${n}: ${renderRiskMessage(f, (t, p) => vscode.l10n.t(t, p as Record<string, string | number>))}`,
          );
      });
      if (risky.length) {
        const approveAnyway = vscode.l10n.t('Approve Anyway');
        const answer = await vscode.window.showWarningMessage(
          vscode.l10n.t('Approve {0} despite these risks?', pending.join(', ')),
          { modal: true, detail: risky.join('\n') },
          approveAnyway,
        );
        if (answer !== approveAnyway) return;
      }
    }

    let message = options.message;
    if (message === undefined) {
      message = await vscode.window.showInputBox({
        title:
          decision === 'Approved'
            ? vscode.l10n.t('Approve {0}', pending.join(', '))
            : vscode.l10n.t('Deny {0}', pending.join(', ')),
        prompt: vscode.l10n.t('Message recorded in the condition (optional)'),
        value:
          decision === 'Approved'
            ? vscode.l10n.t('Approved with Kube Certs after review.')
            : vscode.l10n.t('Denied with Kube Certs after review.'),
      });
      if (message === undefined) return;
    }

    const failures: string[] = [];
    await vscode.window.withProgress(
      {
        location: { viewId: CSR_VIEW_ID },
        title: decision === 'Approved' ? vscode.l10n.t('Approving…') : vscode.l10n.t('Denying…'),
      },
      async () => {
        for (const name of pending) {
          try {
            // The uid of the CSR shown: a same-name replacement must be reviewed, not decided blindly.
            const expectedUid = connection.watcher.items.get(name)?.metadata.uid;
            await connection.client.setApproval(name, decision, {
              reason: options.reason,
              message,
              expectedUid,
            });
          } catch (err) {
            const text = err instanceof ClusterError ? err.message : String(err);
            this.ctx.log.warn(`CSR ${name}: ${text}`);
            failures.push(text);
          }
        }
      },
    );
    if (failures.length) void vscode.window.showErrorMessage(failures.join('\n'));
  }

  private async issuedCsr(args: readonly unknown[]): Promise<Csr | undefined> {
    const names = await this.targets(args, undefined);
    const csr = names?.length ? this.connection?.watcher.items.get(names[0]) : undefined;
    if (names?.length && !csr?.status?.certificate) {
      void vscode.window.showWarningMessage(vscode.l10n.t('{0} has no issued certificate yet.', names[0]));
      return undefined;
    }
    return csr;
  }

  async copyCertificate(args: readonly unknown[]): Promise<void> {
    const csr = await this.issuedCsr(args);
    const pem = csr && issuedCertificatePem(csr);
    if (!csr || !pem) return;
    await vscode.env.clipboard.writeText(pem);
    void vscode.window.showInformationMessage(
      vscode.l10n.t('Copied the certificate issued for {0}.', csr.metadata.name),
    );
  }

  async saveCertificate(args: readonly unknown[]): Promise<vscode.Uri | undefined> {
    const csr = await this.issuedCsr(args);
    const pem = csr && issuedCertificatePem(csr);
    if (!csr || !pem) return undefined;
    const explicit = args.find((a): a is vscode.Uri => a instanceof vscode.Uri);
    const base = vscode.workspace.workspaceFolders?.[0]?.uri;
    const target =
      explicit ??
      (await vscode.window.showSaveDialog({
        defaultUri: base ? vscode.Uri.joinPath(base, `${csr.metadata.name}.crt`) : undefined,
        filters: { [vscode.l10n.t('Certificates')]: ['crt', 'pem'] },
      }));
    if (!target) return undefined;
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(pem));
    return target;
  }

  async openYaml(args: readonly unknown[]): Promise<void> {
    const names = await this.targets(args, undefined);
    if (!names?.length) return;
    const doc = await vscode.workspace.openTextDocument(csrUri(this.contextName, names[0]));
    await vscode.languages.setTextDocumentLanguage(doc, 'yaml');
    await vscode.window.showTextDocument(doc, { preview: true });
  }

  dispose(): void {
    this.disconnect();
    for (const d of this.disposables.splice(0).reverse()) d.dispose();
  }
}

/** The view's commands; ids match contributes.commands. */
export const COMMANDS: CommandTable<CsrView> = {
  'kubecerts.csr.refresh': (view) => () => view.refresh(),
  'kubecerts.csr.switchContext': (view) => (name) => view.switchContext(name),
  'kubecerts.csr.approve':
    (view) =>
    (...args) =>
      view.decide('Approved', args),
  'kubecerts.csr.deny':
    (view) =>
    (...args) =>
      view.decide('Denied', args),
  'kubecerts.csr.copyCertificate':
    (view) =>
    (...args) =>
      view.copyCertificate(args),
  'kubecerts.csr.saveCertificate':
    (view) =>
    (...args) =>
      view.saveCertificate(args),
  'kubecerts.csr.openYaml':
    (view) =>
    (...args) =>
      view.openYaml(args),
};

export function registerCsrView(ctx: Ctx): void {
  registerCommandTable(ctx, COMMANDS, ctx.own(new CsrView(ctx)));
}
