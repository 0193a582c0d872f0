// The PKI tree: one root per folder, under it the CAs with the certificates their key signed, the
// certificates no CA of the folder signed, the service-account key pair, the kubeconfigs, the
// wiring/permission findings, and the backups apart. Nodes are kept by id across rescans so a
// rescan fires onDidChangeTreeData only for the nodes whose item changed.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { renderFindingMessage, type Finding } from '../../../core/findings/finding';
import { isFolderCheck } from '../../../core/findings/catalog';
import type { PkiInventory } from '../../../core/pki/inventory';
import type { PkiItem } from '../../../core/pki/item';
import { pkiItemHeadline } from '../../../core/verdict/pkiVerdict';
import { verdictLines } from '../../hover/markdown';
import { describeItem, itemContextValue, itemIcon, tooltipRows } from './pkiRows';

export type SectionKind = 'unknown-issuer' | 'key-pairs' | 'kubeconfigs' | 'checks' | 'backups';

export interface RootNode {
  readonly kind: 'root';
  readonly folder: string;
  inventory?: PkiInventory;
  error?: string;
}
export interface SectionNode {
  readonly kind: 'section';
  readonly root: RootNode;
  readonly section: SectionKind;
}
export interface ItemNode {
  readonly kind: 'item';
  readonly root: RootNode;
  item: PkiItem;
  /** CA items of a group have the group's leaves as children. */
  children: readonly PkiItem[];
}
export interface FindingNode {
  readonly kind: 'finding';
  readonly root: RootNode;
  readonly finding: Finding;
  readonly id: string;
}
export type PkiTreeNode = RootNode | SectionNode | ItemNode | FindingNode;

const SECTION_TITLES: Readonly<Record<SectionKind, () => string>> = {
  'unknown-issuer': () => vscode.l10n.t('Issuer not in this folder'),
  'key-pairs': () => vscode.l10n.t('Service account key pair'),
  kubeconfigs: () => vscode.l10n.t('Kubeconfigs'),
  checks: () => vscode.l10n.t('Wiring and permissions'),
  backups: () => vscode.l10n.t('Backups'),
};

const SECTION_ICONS: Readonly<Record<SectionKind, string>> = {
  'unknown-issuer': 'question',
  'key-pairs': 'key',
  kubeconfigs: 'file-code',
  checks: 'checklist',
  backups: 'archive',
};

function translate(template: string, params: Readonly<Record<string, string | number>>): string {
  return vscode.l10n.t(template, params as Record<string, string | number>);
}

function itemTooltip(item: PkiItem): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**${escape(item.name)}**`);
  if (item.longName) md.appendMarkdown(` — ${escape(item.longName)}`);
  md.appendMarkdown('\n\n');
  // The signature verdict in the hover's words (one renderer for both).
  const verdict = pkiItemHeadline(item);
  const text = { l10n: vscode.l10n, language: vscode.env.language, translate };
  if (verdict)
    md.appendMarkdown(
      verdictLines(verdict, text)
        .map((line) => `${line}\n\n`)
        .join(''),
    );
  const rows = tooltipRows(item, vscode.l10n);
  md.appendMarkdown(rows.map(([k, v]) => `${escape(k)}: \`${v.replace(/`/g, "'")}\``).join('  \n'));
  if (item.findings.length) {
    md.appendMarkdown('\n\n---\n\n');
    md.appendMarkdown(
      item.findings.map((f) => `- ${escape(renderFindingMessage(f, translate))} \`${f.code}\``).join('\n'),
    );
  }
  return md;
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!<>|]/g, '\\$&');
}

export class PkiTreeProvider implements vscode.TreeDataProvider<PkiTreeNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<PkiTreeNode | undefined | void>();
  readonly onDidChangeTreeData = this.emitter.event;
  private roots: RootNode[] = [];
  /** Nodes by id, kept across rescans so refresh(node) targets the element VS Code already holds. */
  private readonly nodes = new Map<string, ItemNode | SectionNode | FindingNode>();

  constructor(private readonly now: () => Date) {}

  get rootNodes(): readonly RootNode[] {
    return this.roots;
  }

  /** Replaces the list of folders (a full refresh). */
  setRoots(folders: readonly string[]): RootNode[] {
    const kept = new Map(this.roots.map((r) => [r.folder, r]));
    this.roots = folders.map((folder) => kept.get(folder) ?? { kind: 'root', folder });
    this.emitter.fire();
    return this.roots;
  }

  /** Fires only for what changed: the item nodes whose version moved, or the root when the shape did. */
  update(root: RootNode, inventory: PkiInventory | undefined, error?: string): void {
    const before = root.inventory;
    root.inventory = inventory;
    root.error = error;
    if (!before || !inventory || shapeOf(before) !== shapeOf(inventory)) {
      this.emitter.fire(root);
      return;
    }
    for (const item of inventory.items.values()) {
      const node = this.nodes.get(nodeId(root, item.id));
      if (node?.kind !== 'item') continue;
      const previous = before.items.get(item.id);
      node.item = item;
      node.children = inventory.groups.find((g) => g.ca.id === item.id)?.children ?? [];
      if (previous?.version !== item.version) this.emitter.fire(node);
    }
  }

  refresh(node?: PkiTreeNode): void {
    this.emitter.fire(node);
  }

  getChildren(node?: PkiTreeNode): PkiTreeNode[] {
    if (!node) return this.roots;
    if (node.kind === 'root') {
      const inv = node.inventory;
      if (!inv) return [];
      // A kubelet folder's two certificates come first, directly under it.
      const out: PkiTreeNode[] = [
        ...inv.kubelet.map((item) => this.itemNode(node, item, [])),
        ...inv.groups.map((g) => this.itemNode(node, g.ca, g.children)),
      ];
      const sections: [SectionKind, number][] = [
        ['unknown-issuer', inv.unknownIssuer.length],
        ['key-pairs', inv.keyPairs.length],
        ['kubeconfigs', inv.kubeconfigs.length],
        ['checks', checkFindings(inv).length],
        ['backups', inv.backups.length],
      ];
      for (const [section, count] of sections) if (count) out.push(this.sectionNode(node, section));
      return out;
    }
    if (node.kind === 'item') return node.children.map((child) => this.itemNode(node.root, child, []));
    if (node.kind === 'section') {
      const inv = node.root.inventory;
      if (!inv) return [];
      const items: Record<Exclude<SectionKind, 'checks'>, readonly PkiItem[]> = {
        'unknown-issuer': inv.unknownIssuer,
        'key-pairs': inv.keyPairs,
        kubeconfigs: inv.kubeconfigs,
        backups: inv.backups,
      };
      if (node.section === 'checks')
        return checkFindings(inv).map((f, i) => this.findingNode(node.root, f, i));
      return items[node.section].map((item) => this.itemNode(node.root, item, []));
    }
    return [];
  }

  getParent(node: PkiTreeNode): PkiTreeNode | undefined {
    if (node.kind === 'root') return undefined;
    if (node.kind === 'finding') return this.nodes.get(`${node.root.folder}|section:checks`);
    if (node.kind === 'section') return node.root;
    const item = node.item;
    if (item.kind === 'ca' || item.kubelet) return node.root;
    if (item.kind === 'backup') return this.nodes.get(`${node.root.folder}|section:backups`);
    if (item.kind === 'kubeconfig') return this.nodes.get(`${node.root.folder}|section:kubeconfigs`);
    if (item.kind === 'key-pair') return this.nodes.get(`${node.root.folder}|section:key-pairs`);
    return item.caId
      ? this.nodes.get(nodeId(node.root, item.caId))
      : this.nodes.get(`${node.root.folder}|section:unknown-issuer`);
  }

  getTreeItem(node: PkiTreeNode): vscode.TreeItem {
    if (node.kind === 'root') {
      // Inside the workspace the relative name reads better; the tooltip keeps the full path.
      const label = vscode.workspace.asRelativePath(node.folder);
      const t = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.Expanded);
      t.id = `root|${node.folder}`;
      t.tooltip = node.folder;
      t.iconPath = new vscode.ThemeIcon('folder-library');
      t.contextValue = 'pkiRoot';
      t.resourceUri = vscode.Uri.file(node.folder);
      t.description =
        node.error ?? (node.inventory ? layoutLabel(node.inventory.layout) : vscode.l10n.t('scanning…'));
      return t;
    }
    if (node.kind === 'section') {
      const t = new vscode.TreeItem(
        SECTION_TITLES[node.section](),
        node.section === 'backups'
          ? vscode.TreeItemCollapsibleState.Collapsed
          : vscode.TreeItemCollapsibleState.Expanded,
      );
      t.id = `${node.root.folder}|section:${node.section}`;
      t.iconPath = new vscode.ThemeIcon(SECTION_ICONS[node.section]);
      t.contextValue = `pkiSection ${node.section}`;
      if (node.section === 'backups') t.description = vscode.l10n.t('not checked');
      return t;
    }
    if (node.kind === 'finding') {
      const f = node.finding;
      // The code is the verdict and fits 300 px; the file it concerns tells rows apart; the message,
      // long as it is, goes to the tooltip.
      const t = new vscode.TreeItem(f.code, vscode.TreeItemCollapsibleState.None);
      t.id = node.id;
      t.description = path.basename(f.file);
      t.tooltip = `${renderFindingMessage(f, translate)}\n${f.file}`;
      t.iconPath = new vscode.ThemeIcon(
        f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warning' : 'info',
      );
      t.contextValue = 'pkiFinding';
      t.command = { command: 'kubecerts.pki.openFile', title: vscode.l10n.t('Open File'), arguments: [node] };
      return t;
    }
    const item = node.item;
    const t = new vscode.TreeItem(
      item.name,
      node.children.length ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None,
    );
    t.id = nodeId(node.root, item.id);
    t.description = describeItem(item, this.now(), vscode.l10n);
    const icon = itemIcon(item);
    t.iconPath = new vscode.ThemeIcon(icon.id, new vscode.ThemeColor(icon.color));
    t.tooltip = itemTooltip(item);
    t.contextValue = itemContextValue(item);
    if (item.state !== 'missing') t.resourceUri = vscode.Uri.file(item.absolutePath);
    return t;
  }

  private itemNode(root: RootNode, item: PkiItem, children: readonly PkiItem[]): ItemNode {
    const id = nodeId(root, item.id);
    const existing = this.nodes.get(id);
    if (existing?.kind === 'item') {
      existing.item = item;
      existing.children = children;
      return existing;
    }
    const node: ItemNode = { kind: 'item', root, item, children };
    this.nodes.set(id, node);
    return node;
  }

  private sectionNode(root: RootNode, section: SectionKind): SectionNode {
    const id = `${root.folder}|section:${section}`;
    const existing = this.nodes.get(id);
    if (existing?.kind === 'section') return existing;
    const node: SectionNode = { kind: 'section', root, section };
    this.nodes.set(id, node);
    return node;
  }

  private findingNode(root: RootNode, finding: Finding, index: number): FindingNode {
    const id = `${root.folder}|finding:${finding.code}:${finding.file}:${finding.span.start}:${index}`;
    const node: FindingNode = { kind: 'finding', root, finding, id };
    this.nodes.set(id, node);
    return node;
  }

  dispose(): void {
    this.emitter.dispose();
  }
}

/** Findings not attached to an item: static pod wiring, CIS file checks, components serving no file of the folder. */
export function checkFindings(inventory: PkiInventory): Finding[] {
  return [...inventory.findings.filter((f) => isFolderCheck(f.code)), ...inventory.servedChecks];
}

function nodeId(root: RootNode, itemId: string): string {
  return `${root.folder}|${itemId}`;
}

/** Which items hang where, and the wiring/CIS findings listed: when it changes, the whole folder is redrawn. */
function shapeOf(inventory: PkiInventory): string {
  return [
    inventory.groups.map((g) => `${g.ca.id}[${g.children.map((c) => c.id).join(',')}]`).join(';'),
    inventory.unknownIssuer.map((i) => i.id).join(','),
    inventory.kubeconfigs.map((i) => i.id).join(','),
    inventory.keyPairs.map((i) => i.id).join(','),
    inventory.backups.map((i) => i.id).join(','),
    inventory.kubelet.map((i) => i.id).join(','),
    checkFindings(inventory)
      .map((f) => `${f.code}:${f.file}:${f.span.start}:${JSON.stringify(f.params)}`)
      .join(','),
  ].join('|');
}

function layoutLabel(layout: PkiInventory['layout']): string {
  const labels: Record<PkiInventory['layout'], () => string> = {
    kubeadm: () => vscode.l10n.t('kubeadm control plane'),
    'kubeadm-node': () => vscode.l10n.t('kubeadm node'),
    kubelet: () => vscode.l10n.t('kubelet'),
    cfssl: () => vscode.l10n.t('cfssl'),
    generic: () => vscode.l10n.t('certificates'),
  };
  return labels[layout]();
}
