// The tree of the "Cluster Certificates" view: the groups (TLS Secrets by namespace, Webhooks by
// kind, APIServices, CRD conversion, Cluster CA), one row per object, the certificates of its
// bundles below it, and a row for each list the user may not read. Pure presentation over the
// inventory the view hands in (clusterRows.ts says what each row shows); it owns its change event.
import * as vscode from 'vscode';
import type { ClusterInventory } from '../../../core/cluster/inventory';
import type { InventoryRow } from '../../../core/cluster/inventoryRow';
import type { AccessProblem } from '../../../core/cluster/snapshot';
import type { GroupId } from '../../../core/cluster/resources';
import { translate } from '../../l10n';
import { appendCertificate, newHoverMarkdown } from '../../hover/render';
import type { ProblemItem } from '../sessionView';
import {
  accessRow,
  certificateReport,
  certificateRow,
  isKubeRootCa,
  KUBE_ROOT_CA,
  objectRow,
  objectTooltip,
  SEVERITY_ICONS,
  TOP_GROUP_ICONS,
  TOP_GROUP_OF,
  TOP_GROUPS,
  topGroupLabel,
  webhookKindLabel,
  type RowIcon,
  type TopGroup,
} from './clusterRows';

export const CLUSTER_VIEW_ID = 'kubecerts.clusterView';
export const CLUSTER_URI_SCHEME = 'kubecerts-cluster';

type WebhookGroup = 'validating-webhooks' | 'mutating-webhooks';

export type ClusterTreeNode =
  | { readonly kind: 'group'; readonly group: TopGroup }
  | { readonly kind: 'namespace'; readonly namespace: string }
  | { readonly kind: 'webhooks'; readonly group: WebhookGroup }
  /** kube-root-ca.crt, with one row per namespace below it. */
  | { readonly kind: 'rootCa' }
  | { readonly kind: 'object'; readonly uri: string }
  | { readonly kind: 'certificate'; readonly uri: string; readonly index: number }
  | { readonly kind: 'access'; readonly id: string; readonly problem: AccessProblem }
  | { readonly kind: 'note'; readonly id: string; readonly label: string; readonly tooltip: string }
  | { readonly kind: 'problem'; readonly problem: ProblemItem };

/**
 * The YAML document and the row's badge of an object: `kubecerts-cluster://<context>/<namespace or
 * ->/<Kind>/<name>.yaml`.
 */
export function objectDocumentUri(context: string, row: Pick<InventoryRow, 'ref'>): vscode.Uri {
  return vscode.Uri.from({
    scheme: CLUSTER_URI_SCHEME,
    authority: encodeURIComponent(context),
    path: `/${[row.ref.namespace ?? '-', row.ref.kind, `${row.ref.name}.yaml`].map(encodeURIComponent).join('/')}`,
  });
}

/** The object a document URI names. */
export function parseObjectDocumentUri(
  uri: vscode.Uri,
): { context: string; kind: string; namespace?: string; name: string } | undefined {
  const parts = uri.path.replace(/^\//, '').split('/').map(decodeURIComponent);
  if (uri.scheme !== CLUSTER_URI_SCHEME || parts.length !== 3) return undefined;
  const [namespace, kind, file] = parts;
  return {
    context: decodeURIComponent(uri.authority),
    kind,
    ...(namespace !== '-' ? { namespace } : {}),
    name: file.replace(/\.yaml$/, ''),
  };
}

function icon([id, colour]: RowIcon): vscode.ThemeIcon {
  return new vscode.ThemeIcon(id, colour ? new vscode.ThemeColor(colour) : undefined);
}

const RANK = { error: 3, warning: 2, info: 1 } as const;

export class ClusterTreeProvider implements vscode.TreeDataProvider<ClusterTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ClusterTreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private inventory: ClusterInventory | undefined;
  private problem: ProblemItem | undefined;
  private context = '';
  private readonly rows = new Map<string, InventoryRow>();
  /** Node objects are cached by id so reveal() and selection keep working across refreshes. */
  private readonly nodes = new Map<string, ClusterTreeNode>();

  constructor(private readonly now: () => Date) {}

  /** Replaces the content; a problem hides the tree (one explanatory item, no popups). */
  update(context: string, inventory: ClusterInventory | undefined, problem?: ProblemItem): void {
    this.context = context;
    this.inventory = problem ? undefined : inventory;
    this.problem = problem;
    this.rows.clear();
    for (const group of this.inventory?.groups ?? [])
      for (const row of group.rows) this.rows.set(row.uri, row);
    this.changed.fire(undefined);
  }

  row(uri: string): InventoryRow | undefined {
    return this.rows.get(uri);
  }

  /** Every row, in tree order. */
  allRows(): InventoryRow[] {
    return (this.inventory?.groups ?? []).flatMap((g) => g.rows);
  }

  objectNode(uri: string): ClusterTreeNode {
    return this.node(`object:${uri}`, () => ({ kind: 'object', uri }));
  }

  getChildren(node?: ClusterTreeNode): ClusterTreeNode[] {
    const inventory = this.inventory;
    if (!node) {
      if (this.problem) return [{ kind: 'problem', problem: this.problem }];
      if (!inventory) return [];
      return TOP_GROUPS.map((group) => this.node(`group:${group}`, () => ({ kind: 'group', group })));
    }
    switch (node.kind) {
      case 'group':
        return this.groupChildren(node.group);
      case 'namespace':
        return this.rowsOf('tls-secrets')
          .filter((r) => r.ref.namespace === node.namespace)
          .map((r) => this.objectNode(r.uri));
      case 'webhooks':
        return [...this.accessOf(node.group), ...this.rowsOf(node.group).map((r) => this.objectNode(r.uri))];
      case 'rootCa':
        return this.rowsOf('cluster-ca')
          .filter(isKubeRootCa)
          .map((r) => this.objectNode(r.uri));
      case 'object': {
        const row = this.rows.get(node.uri);
        return (row?.certificates ?? []).map((_, index) =>
          this.node(`certificate:${node.uri}#${index}`, () => ({
            kind: 'certificate',
            uri: node.uri,
            index,
          })),
        );
      }
      default:
        return [];
    }
  }

  getParent(node: ClusterTreeNode): ClusterTreeNode | undefined {
    switch (node.kind) {
      case 'object': {
        const row = this.rows.get(node.uri);
        if (!row) return undefined;
        if (row.group === 'tls-secrets')
          return this.node(`namespace:${row.ref.namespace ?? ''}`, () => ({
            kind: 'namespace',
            namespace: row.ref.namespace ?? '',
          }));
        if (row.group === 'validating-webhooks' || row.group === 'mutating-webhooks')
          return this.node(`webhooks:${row.group}`, () => ({
            kind: 'webhooks',
            group: row.group as WebhookGroup,
          }));
        if (isKubeRootCa(row)) return this.node('rootCa', () => ({ kind: 'rootCa' }));
        const top = TOP_GROUP_OF[row.group];
        return this.node(`group:${top}`, () => ({ kind: 'group', group: top }));
      }
      case 'certificate':
        return this.objectNode(node.uri);
      case 'namespace':
        return this.node('group:tls-secrets', () => ({ kind: 'group', group: 'tls-secrets' }));
      case 'webhooks':
        return this.node('group:webhooks', () => ({ kind: 'group', group: 'webhooks' }));
      case 'rootCa':
        return this.node('group:cluster-ca', () => ({ kind: 'group', group: 'cluster-ca' }));
      default:
        return undefined;
    }
  }

  getTreeItem(node: ClusterTreeNode): vscode.TreeItem {
    switch (node.kind) {
      case 'group':
        return this.groupItem(node.group);
      case 'namespace': {
        const rows = this.rowsOf('tls-secrets').filter((r) => r.ref.namespace === node.namespace);
        return this.containerItem(`namespace:${node.namespace}`, node.namespace, rows, 'symbol-namespace');
      }
      case 'webhooks':
        return this.containerItem(
          `webhooks:${node.group}`,
          webhookKindLabel(node.group, vscode.l10n),
          this.rowsOf(node.group),
          'plug',
          this.accessOf(node.group).length,
        );
      case 'rootCa':
        return this.containerItem(
          'rootCa',
          KUBE_ROOT_CA,
          this.rowsOf('cluster-ca').filter(isKubeRootCa),
          'symbol-file',
        );
      case 'object':
        return this.objectItem(node.uri);
      case 'certificate':
        return this.certificateItem(node.uri, node.index);
      case 'access': {
        const view = accessRow(node.problem, vscode.l10n);
        const item = new vscode.TreeItem(view.label, vscode.TreeItemCollapsibleState.None);
        item.id = node.id;
        item.description = view.description;
        item.tooltip = view.tooltip;
        item.iconPath = icon(view.icon);
        item.contextValue = view.contextValue;
        return item;
      }
      case 'note': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
        item.id = node.id;
        item.tooltip = node.tooltip;
        item.iconPath = new vscode.ThemeIcon('info');
        item.contextValue = 'clusterNote';
        return item;
      }
      case 'problem': {
        const item = new vscode.TreeItem(node.problem.message, vscode.TreeItemCollapsibleState.None);
        item.tooltip = node.problem.detail;
        item.description = node.problem.detail;
        item.iconPath = icon(SEVERITY_ICONS.warning);
        item.contextValue = 'clusterProblem';
        item.command = { command: 'kubecerts.cluster.refresh', title: vscode.l10n.t('Retry') };
        return item;
      }
    }
  }

  private node<T extends ClusterTreeNode>(id: string, make: () => T): T {
    let node = this.nodes.get(id);
    if (!node) {
      node = make();
      this.nodes.set(id, node);
    }
    return node as T;
  }

  private rowsOf(group: GroupId): InventoryRow[] {
    return [...(this.inventory?.groups.find((g) => g.id === group)?.rows ?? [])];
  }

  private accessOf(group: GroupId): ClusterTreeNode[] {
    const problems = this.inventory?.groups.find((g) => g.id === group)?.access ?? [];
    return problems.map((problem, i) => ({ kind: 'access', id: `access:${group}:${i}`, problem }));
  }

  private groupChildren(group: TopGroup): ClusterTreeNode[] {
    if (group === 'webhooks')
      return (['validating-webhooks', 'mutating-webhooks'] as const).map((g) =>
        this.node(`webhooks:${g}`, () => ({ kind: 'webhooks', group: g })),
      );
    const notes: ClusterTreeNode[] = [];
    if (group === 'tls-secrets' && this.inventory?.groups.find((g) => g.id === 'tls-secrets')?.skipped)
      notes.push({
        kind: 'note',
        id: 'note:secrets-skipped',
        label: vscode.l10n.t('Secrets not read (setting)'),
        tooltip: vscode.l10n.t(
          'kubecerts.cluster.readSecrets is off: TLS Secrets are not listed. Turn it on to check their certificates.',
        ),
      });
    const access = this.accessOf(group);
    if (group === 'tls-secrets') {
      const namespaces = [...new Set(this.rowsOf(group).map((r) => r.ref.namespace ?? ''))].sort();
      return [
        ...notes,
        ...access,
        ...namespaces.map((namespace) =>
          this.node(`namespace:${namespace}`, () => ({ kind: 'namespace', namespace })),
        ),
      ];
    }
    const rows = this.rowsOf(group);
    const nodes = [...access, ...rows.filter((r) => !isKubeRootCa(r)).map((r) => this.objectNode(r.uri))];
    if (rows.some(isKubeRootCa)) nodes.push(this.node('rootCa', () => ({ kind: 'rootCa' })));
    return nodes;
  }

  private groupItem(group: TopGroup): vscode.TreeItem {
    const ids: GroupId[] =
      group === 'webhooks' ? ['validating-webhooks', 'mutating-webhooks'] : [group as GroupId];
    const rows = ids.flatMap((id) => this.rowsOf(id));
    const blocked = ids.reduce((n, id) => n + this.accessOf(id).length, 0);
    return this.containerItem(
      `group:${group}`,
      topGroupLabel(group, vscode.l10n),
      rows,
      TOP_GROUP_ICONS[group],
      blocked,
    );
  }

  /** A group, namespace or webhook-kind row: its count, and the worst icon of what it holds. */
  private containerItem(
    id: string,
    label: string,
    rows: readonly InventoryRow[],
    iconId: string,
    blocked = 0,
  ): vscode.TreeItem {
    const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.Expanded);
    item.id = id;
    const worst = rows.reduce<InventoryRow['severity']>(
      (w, r) => (r.severity && (!w || RANK[r.severity] > RANK[w]) ? r.severity : w),
      undefined,
    );
    item.description = blocked
      ? vscode.l10n.t('{0} · {1} not readable', rows.length, blocked)
      : String(rows.length);
    item.iconPath = worst && worst !== 'info' ? icon(SEVERITY_ICONS[worst]) : new vscode.ThemeIcon(iconId);
    item.contextValue = 'clusterGroup';
    return item;
  }

  private objectItem(uri: string): vscode.TreeItem {
    const row = this.rows.get(uri);
    if (!row) return new vscode.TreeItem('', vscode.TreeItemCollapsibleState.None);
    const view = objectRow(row, this.now(), vscode.l10n);
    const item = new vscode.TreeItem(
      view.label,
      row.certificates.length
        ? vscode.TreeItemCollapsibleState.Collapsed
        : vscode.TreeItemCollapsibleState.None,
    );
    item.id = `object:${uri}`;
    // The URI carries the findings badge (clusterDecorations.ts) and names the YAML document.
    item.resourceUri = objectDocumentUri(this.context, row);
    item.description = view.description;
    item.iconPath = icon(view.icon);
    item.contextValue = view.contextValue;
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendMarkdown(objectTooltip(row, vscode.l10n, translate));
    item.tooltip = tooltip;
    item.accessibilityInformation = { label: `${view.label}, ${view.description}` };
    return item;
  }

  private certificateItem(uri: string, index: number): vscode.TreeItem {
    const row = this.rows.get(uri);
    const cert = row?.certificates[index];
    if (!row || !cert) return new vscode.TreeItem('', vscode.TreeItemCollapsibleState.None);
    const view = certificateRow(cert, row, this.now(), vscode.l10n);
    const item = new vscode.TreeItem(view.label, vscode.TreeItemCollapsibleState.None);
    item.id = `certificate:${uri}#${index}`;
    item.description = view.description;
    item.iconPath = icon(view.icon);
    item.contextValue = view.contextValue;
    // The hover's detailed layout (one renderer for both).
    const md = newHoverMarkdown();
    const { report, total, findings } = certificateReport(row, index);
    appendCertificate(md, report, total, findings, this.now());
    item.tooltip = md;
    return item;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
