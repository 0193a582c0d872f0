// The "Cluster Certificates" view: a thin shell over a ClusterSession (connection, reads on a
// timer while shown, the judged inventory). It connects when first shown, renders the session into
// the tree, badges and status bar, serves objects as read-only YAML with every Secret value
// redacted, and registers the commands (clusterCommands.ts).
import * as vscode from 'vscode';
import type { ClusterInventory } from '../../../core/cluster/inventory';
import type { FindingCode } from '../../../core/findings/catalog';
import { registerCommandTable } from '../../commands';
import {
  connectWhenShown,
  ContextStatusBar,
  problemItem,
  trustedConnect,
  type EngineLoader,
  type ProblemItem,
} from '../sessionView';
import { asClusterError } from '../watchSession';
import { certificateMarkdown } from '../../hover/markdown';
import { translate } from '../../l10n';
import type { Ctx } from '../../ctx';
import { COMMANDS } from './clusterCommands';
import { ClusterDecorations } from './clusterDecorations';
import { certificateReport, certificateRow, errorRows, objectRow, objectTooltip } from './clusterRows';
import { ClusterSession } from './clusterSession';
import {
  CLUSTER_URI_SCHEME,
  CLUSTER_VIEW_ID,
  ClusterTreeProvider,
  objectDocumentUri,
  parseObjectDocumentUri,
  type ClusterTreeNode,
} from './clusterTree';
import { CERTIFICATE_URI_SCHEME, certificateDocument } from './clusterCertificate';

/** Residual times in descriptions move with the clock: judged again (no read) this often. */
const CLOCK_REFRESH_MS = 60 * 60 * 1000;

/** What the view shows, in data: returned by the refresh command (scripts and tests use it). */
export interface ClusterViewSnapshot {
  readonly context: string;
  readonly problem?: ProblemItem;
  readonly groups: readonly {
    readonly id: string;
    readonly skipped: boolean;
    readonly access: readonly {
      readonly resource: string;
      readonly verb: string;
      readonly forbidden: boolean;
    }[];
    readonly rows: readonly {
      readonly uri: string;
      readonly kind: string;
      readonly namespace?: string;
      readonly name: string;
      readonly description: string;
      readonly icon: string;
      /** The row's tooltip (Markdown). */
      readonly tooltip: string;
      readonly certificates: readonly {
        readonly label: string;
        readonly description: string;
        readonly spkiPin: string;
        /** The certificate row's tooltip: the hover's detailed layout (Markdown). */
        readonly tooltip: string;
      }[];
      readonly findings: readonly string[];
      readonly certManager: { readonly certificateName?: string; readonly injectCaFrom?: string };
    }[];
  }[];
}

/** The problem row; the shared words, but for an untrusted workspace: not connected. */
const problemRow = (error: Parameters<typeof problemItem>[0]) =>
  problemItem(error, { refused: vscode.l10n.t('Not connected') });

/** The engine chunk's cluster client and kubeconfig reader, loaded on first use. */
const loadEngine: EngineLoader = async () => {
  const { connectCluster, readKubeconfigs } = await import('./clusterEngine');
  return { connectCluster, readKubeconfigs };
};

export class ClusterView implements vscode.Disposable {
  readonly engine = loadEngine;
  readonly session: ClusterSession;
  readonly tree: ClusterTreeProvider;
  readonly treeView: vscode.TreeView<ClusterTreeNode>;
  private readonly statusBar: ContextStatusBar;
  private readonly decorations: ClusterDecorations;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly clock: ReturnType<typeof setInterval>;

  constructor(readonly ctx: Ctx) {
    this.session = new ClusterSession({
      connect: trustedConnect(ctx, this.engine),
      location: () => ({ kubeconfig: ctx.config.kubeconfig }),
      // Secrets are read only in a trusted workspace (nothing connects otherwise) and when allowed.
      readSecrets: () => vscode.workspace.isTrusted && ctx.config.clusterReadSecrets,
      judgeOptions: () => {
        const disabled = ctx.config.disabledFindings;
        return {
          warnDays: ctx.config.expiryWarningDays,
          enabled: (code: FindingCode) => !disabled.has(code),
        };
      },
      now: ctx.clock,
      log: ctx.log,
    });
    this.tree = new ClusterTreeProvider(ctx.clock);
    this.treeView = vscode.window.createTreeView(CLUSTER_VIEW_ID, {
      treeDataProvider: this.tree,
      showCollapseAll: true,
    });
    this.statusBar = new ContextStatusBar(this.treeView, this.session, {
      id: 'kubecerts.clusterContext',
      priority: 9,
      name: vscode.l10n.t('Kube Certs: context of the Cluster Certificates view'),
      command: 'kubecerts.cluster.switchContext',
      icon: '$(shield)',
      tooltip: vscode.l10n.t('Kubernetes context of the Cluster Certificates view: click to switch'),
    });
    this.decorations = new ClusterDecorations((target) =>
      target.context === this.session.context
        ? this.tree
            .allRows()
            .find(
              (r) =>
                r.ref.kind === target.kind &&
                r.ref.namespace === target.namespace &&
                r.ref.name === target.name,
            )
        : undefined,
    );
    this.clock = setInterval(() => this.session.rejudge(), CLOCK_REFRESH_MS);
    this.disposables.push(
      this.session.onDidChange(() => this.render()),
      this.tree,
      this.treeView,
      this.statusBar,
      this.decorations,
      vscode.window.registerFileDecorationProvider(this.decorations),
      vscode.workspace.registerTextDocumentContentProvider(CLUSTER_URI_SCHEME, {
        provideTextDocumentContent: (uri) => this.yaml(uri),
      }),
      vscode.workspace.registerTextDocumentContentProvider(CERTIFICATE_URI_SCHEME, {
        provideTextDocumentContent: (uri) => certificateDocument(uri, this.tree, ctx.clock()),
      }),
      ctx.config.onDidChange((change) => {
        // The watcher lists with the kubeconfig and the Secrets setting it was started with.
        if (change.affects('kubeconfig') || change.affects('cluster.readSecrets'))
          void this.session.reconnect(this.treeView.visible);
        else if (change.affects('expiryWarningDays') || change.affects('disabledFindings'))
          this.session.rejudge();
      }),
      ...connectWhenShown(this.session, this.treeView, this.statusBar),
    );
  }

  /** Reads again (or connects) and resolves with what the view shows. */
  async refresh(): Promise<ClusterViewSnapshot> {
    await this.session.refresh();
    return this.snapshot();
  }

  snapshot(): ClusterViewSnapshot {
    const problem = this.session.problem;
    const inventory: ClusterInventory | undefined = problem ? undefined : this.session.inventory;
    const now = this.ctx.clock();
    const hoverText = { l10n: vscode.l10n, language: vscode.env.language, translate };
    return {
      context: this.session.context,
      ...(problem ? { problem: problemRow(problem) } : {}),
      groups: (inventory?.groups ?? []).map((g) => ({
        id: g.id,
        skipped: g.skipped === true,
        access: g.access.map((a) => ({ resource: a.resource, verb: a.verb, forbidden: a.forbidden })),
        rows: g.rows.map((r) => {
          const view = objectRow(r, now, vscode.l10n);
          return {
            uri: r.uri,
            kind: r.ref.kind,
            ...(r.ref.namespace !== undefined ? { namespace: r.ref.namespace } : {}),
            name: r.ref.name,
            description: view.description,
            icon: view.icon[0],
            tooltip: objectTooltip(r, vscode.l10n, translate),
            certificates: r.certificates.map((c, index) => {
              const cert = certificateRow(c, r, now, vscode.l10n);
              const { report, total, findings } = certificateReport(r, index);
              return {
                label: cert.label,
                description: cert.description,
                spkiPin: c.certificate.spkiPin,
                tooltip: certificateMarkdown(report, total, findings, now, hoverText),
              };
            }),
            findings: r.findings.map((f) => f.code),
            certManager: r.certManager,
          };
        }),
      })),
    };
  }

  /** The YAML document of an object row. */
  yamlUri(rowUri: string): vscode.Uri | undefined {
    const row = this.tree.row(rowUri);
    return row && objectDocumentUri(this.session.context, row);
  }

  /** Shows and selects an object's row (tests, and the commands run from a document). */
  async reveal(rowUri: string): Promise<void> {
    await this.treeView.reveal(this.tree.objectNode(rowUri), { select: true, focus: false, expand: false });
  }

  private render(): void {
    const problem = this.session.problem;
    this.tree.update(this.session.context, this.session.inventory, problem && problemRow(problem));
    this.decorations.refresh();
    const errors = problem ? 0 : errorRows(this.tree.allRows());
    this.treeView.badge = errors
      ? {
          value: errors,
          tooltip: vscode.l10n.t('{0} objects with error-level findings in the cluster', errors),
        }
      : undefined;
    this.statusBar.update();
  }

  private async yaml(uri: vscode.Uri): Promise<string> {
    const target = parseObjectDocumentUri(uri);
    const client = this.session.client;
    if (!target) return '';
    const where = target.namespace ? `${target.namespace}/${target.name}` : target.name;
    if (!client || target.context !== this.session.context)
      return vscode.l10n.t('# {0} {1}: not connected to context {2}.', target.kind, where, target.context);
    const { readRedactedObject } = await import('./clusterEngine');
    try {
      return await readRedactedObject(client, target);
    } catch (err) {
      const error = asClusterError(err);
      this.ctx.log.warn(`Cluster view: reading ${target.kind} ${where}: ${error.message}`);
      return vscode.l10n.t('# {0} {1} could not be read: {2}', target.kind, where, error.message);
    }
  }

  dispose(): void {
    clearInterval(this.clock);
    this.session.dispose();
    for (const d of this.disposables.splice(0).reverse()) d.dispose();
  }
}

export function registerClusterView(ctx: Ctx): void {
  registerCommandTable(ctx, COMMANDS, ctx.own(new ClusterView(ctx)));
}
