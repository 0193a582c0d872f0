// The tree of the "Certificate Signing Requests" view: state groups, one item per CSR, and the
// decoded request, risks, conditions and issued certificate below it. Pure presentation over a
// snapshot the view controller hands in; it owns its change event.
import * as vscode from 'vscode';
import { conditionSummary, csrAge, csrState, isIssued, type CsrState } from '../../../core/csr/model';
import { renderRiskMessage, worstSeverity, type CsrRiskFinding } from '../../../core/csr/riskCatalog';
import { humanDuration } from '../../../core/time/humanDuration';
import type { ProblemItem } from '../sessionView';
import { csrRow, SEVERITY_ICONS, STATE_ICONS } from './csrRows';
import type { CsrEntry } from './csrSession';

export const CSR_VIEW_ID = 'kubecerts.csrView';
export const CSR_URI_SCHEME = 'kubecerts-csr';

export type CsrTreeNode =
  | { readonly kind: 'group'; readonly state: CsrState }
  | { readonly kind: 'csr'; readonly name: string }
  | { readonly kind: 'section'; readonly name: string; readonly section: Section }
  | { readonly kind: 'detail'; readonly item: vscode.TreeItem }
  | { readonly kind: 'problem'; readonly problem: ProblemItem };

type Section = 'risks' | 'conditions' | 'certificate';

const GROUP_ORDER: readonly CsrState[] = ['pending', 'approved', 'denied', 'failed'];

const GROUP_LABELS: Readonly<Record<CsrState, () => string>> = {
  pending: () => vscode.l10n.t('Pending'),
  approved: () => vscode.l10n.t('Approved/Issued'),
  denied: () => vscode.l10n.t('Denied'),
  failed: () => vscode.l10n.t('Failed'),
};

export function csrUri(context: string, name: string): vscode.Uri {
  return vscode.Uri.from({
    scheme: CSR_URI_SCHEME,
    authority: encodeURIComponent(context),
    path: `/${name}.yaml`,
  });
}

function icon(id: string, colour?: string): vscode.ThemeIcon {
  return new vscode.ThemeIcon(id, colour ? new vscode.ThemeColor(colour) : undefined);
}

function detail(label: string, description?: string, iconId?: string, tooltip?: string): CsrTreeNode {
  const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
  item.description = description;
  item.tooltip = tooltip ?? (description ? `${label} ${description}` : label);
  if (iconId) item.iconPath = icon(iconId);
  item.contextValue = 'csr-detail';
  return { kind: 'detail', item };
}

function riskMessage(f: CsrRiskFinding): string {
  return renderRiskMessage(f, (template, params) =>
    vscode.l10n.t(template, params as Record<string, string | number>),
  );
}

export class CsrTreeProvider implements vscode.TreeDataProvider<CsrTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<CsrTreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private entries = new Map<string, CsrEntry>();
  private problem: ProblemItem | undefined;
  private context = '';
  /** Node objects are cached so reveal() and selection keep working across refreshes. */
  private readonly groupNodes = new Map<CsrState, CsrTreeNode>(
    GROUP_ORDER.map((state) => [state, { kind: 'group', state }]),
  );
  private readonly csrNodes = new Map<string, CsrTreeNode>();
  private readonly rootFetchWaiters: (() => void)[] = [];
  /**
   * Groups the user has open. The watch refreshes the whole tree on every event; stating the
   * expansion explicitly keeps an opened group open while CSRs move into it.
   */
  private readonly openGroups = new Set<CsrState>(['pending']);

  constructor(private readonly now: () => Date) {}

  /** Keeps a group open from now on (before a row in it is revealed). */
  openGroup(state: CsrState): void {
    this.openGroups.add(state);
  }

  /** Follows the tree view's expand/collapse events for group rows. */
  trackExpansion(node: CsrTreeNode, expanded: boolean): void {
    if (node.kind !== 'group') return;
    if (expanded) this.openGroups.add(node.state);
    else this.openGroups.delete(node.state);
  }

  /** Replaces the content; a problem hides the list (one explanatory item, no popups). */
  update(context: string, entries: ReadonlyMap<string, CsrEntry>, problem?: ProblemItem): void {
    this.context = context;
    this.entries = new Map(entries);
    this.problem = problem;
    for (const name of this.csrNodes.keys()) if (!entries.has(name)) this.csrNodes.delete(name);
    this.changed.fire(undefined);
  }

  entry(name: string): CsrEntry | undefined {
    return this.entries.get(name);
  }

  csrNode(name: string): CsrTreeNode {
    let node = this.csrNodes.get(name);
    if (!node) {
      node = { kind: 'csr', name };
      this.csrNodes.set(name, node);
    }
    return node;
  }

  /**
   * Resolves when the view next asks for the root (it has taken in the last refresh), or after
   * `boundMs` when it does not ask (a hidden view): a reveal racing a refresh waits for this.
   */
  nextRootFetch(boundMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, boundMs);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.rootFetchWaiters.push(done);
    });
  }

  getChildren(node?: CsrTreeNode): CsrTreeNode[] | Promise<CsrTreeNode[]> {
    if (!node) {
      for (const done of this.rootFetchWaiters.splice(0)) done();
      if (this.problem) return [{ kind: 'problem', problem: this.problem }];
      if (!this.entries.size) return [];
      return GROUP_ORDER.map((state) => this.groupNodes.get(state)!);
    }
    switch (node.kind) {
      case 'group':
        return [...this.entries.values()]
          .filter((e) => csrState(e.csr) === node.state)
          .sort(
            (a, b) =>
              (b.csr.metadata.creationTimestamp ?? '').localeCompare(
                a.csr.metadata.creationTimestamp ?? '',
              ) || a.csr.metadata.name.localeCompare(b.csr.metadata.name),
          )
          .map((e) => this.csrNode(e.csr.metadata.name));
      case 'csr':
        return this.csrDetails(node.name);
      case 'section':
        return this.sectionDetails(node.name, node.section);
      default:
        return [];
    }
  }

  getParent(node: CsrTreeNode): CsrTreeNode | undefined {
    if (node.kind === 'csr') {
      const entry = this.entries.get(node.name);
      return entry ? this.groupNodes.get(csrState(entry.csr)) : undefined;
    }
    return undefined;
  }

  getTreeItem(node: CsrTreeNode): vscode.TreeItem {
    switch (node.kind) {
      case 'group':
        return this.groupItem(node.state);
      case 'csr':
        return this.csrItem(node.name);
      case 'section':
        return this.sectionItem(node.name, node.section);
      case 'detail':
        return node.item;
      case 'problem': {
        const item = new vscode.TreeItem(node.problem.message, vscode.TreeItemCollapsibleState.None);
        item.tooltip = node.problem.detail;
        item.description = node.problem.detail;
        item.iconPath = icon('warning', 'problemsWarningIcon.foreground');
        item.contextValue = 'csr-problem';
        item.command = { command: 'kubecerts.csr.refresh', title: vscode.l10n.t('Retry') };
        return item;
      }
    }
  }

  private groupItem(state: CsrState): vscode.TreeItem {
    const count = [...this.entries.values()].filter((e) => csrState(e.csr) === state).length;
    const item = new vscode.TreeItem(
      GROUP_LABELS[state](),
      count === 0
        ? vscode.TreeItemCollapsibleState.None
        : this.openGroups.has(state)
          ? vscode.TreeItemCollapsibleState.Expanded
          : vscode.TreeItemCollapsibleState.Collapsed,
    );
    item.id = `group:${state}`;
    item.description = String(count);
    item.contextValue = `csr-group-${state}`;
    item.iconPath = icon(STATE_ICONS[state][0], STATE_ICONS[state][1]);
    return item;
  }

  private csrItem(name: string): vscode.TreeItem {
    const entry = this.entries.get(name);
    const item = new vscode.TreeItem(name, vscode.TreeItemCollapsibleState.Collapsed);
    if (!entry) return item;
    const { csr, review } = entry;
    const row = csrRow(entry, this.now(), vscode.l10n);
    item.id = `csr:${name}`;
    // The URI carries the risk badge (csrDecorations.ts) and names the YAML document.
    item.resourceUri = csrUri(this.context, name);
    item.description = row.description;
    item.iconPath = icon(row.icon[0], row.icon[1]);
    item.contextValue = row.contextValue;
    const risks = review?.findings ?? [];
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendMarkdown(`**${escapeMd(name)}** — ${escapeMd(conditionSummary(csr))}\n\n`);
    const facts: [string, string][] = [
      [vscode.l10n.t('Signer'), csr.spec.signerName],
      [vscode.l10n.t('Requested by'), csr.spec.username ?? ''],
      [vscode.l10n.t('Age'), csrAge(csr, this.now())],
    ];
    tooltip.appendMarkdown(facts.map(([k, v]) => `${escapeMd(k)}: \`${v}\``).join('  \n') + '\n\n');
    for (const f of risks)
      tooltip.appendMarkdown(`- $(${SEVERITY_ICONS[f.severity][0]}) ${escapeMd(riskMessage(f))}\n`);
    item.tooltip = tooltip;
    item.accessibilityInformation = {
      label: `${name}, ${conditionSummary(csr)}, ${vscode.l10n.t('{0} risks', risks.length)}`,
    };
    return item;
  }

  private sectionItem(name: string, section: Section): vscode.TreeItem {
    const entry = this.entries.get(name);
    const labels: Record<Section, string> = {
      risks: vscode.l10n.t('Risks'),
      conditions: vscode.l10n.t('Conditions'),
      certificate: vscode.l10n.t('Issued certificate'),
    };
    const item = new vscode.TreeItem(labels[section], vscode.TreeItemCollapsibleState.Expanded);
    item.id = `csr:${name}:${section}`;
    item.contextValue = `csr-section-${section}`;
    if (section === 'risks') {
      const worst = worstSeverity(entry?.review?.findings ?? []);
      item.description = String(entry?.review?.findings.length ?? '…');
      item.iconPath = worst ? icon(SEVERITY_ICONS[worst][0], SEVERITY_ICONS[worst][1]) : icon('shield');
    } else if (section === 'conditions') {
      item.description = entry ? conditionSummary(entry.csr) : '';
      item.iconPath = icon('history');
    } else {
      item.iconPath = icon('verified');
    }
    return item;
  }

  private csrDetails(name: string): CsrTreeNode[] {
    const entry = this.entries.get(name);
    if (!entry) return [];
    const { csr, review } = entry;
    const req = review?.request;
    const nodes: CsrTreeNode[] = [];
    if (!review) nodes.push(detail(vscode.l10n.t('Reviewing…'), undefined, 'loading~spin'));
    nodes.push({ kind: 'section', name, section: 'risks' });
    if (req) {
      nodes.push(detail(vscode.l10n.t('Common name'), req.commonName ?? '', 'account'));
      nodes.push(detail(vscode.l10n.t('Organizations'), req.organizations.join(', ') || '-', 'organization'));
      const sans = [
        ...req.sans.dns,
        ...req.sans.ip,
        ...req.sans.email.map((e) => `email:${e}`),
        ...req.sans.uri.map((u) => `URI:${u}`),
      ];
      nodes.push(detail(vscode.l10n.t('Subject alternative names'), sans.join(', ') || '-', 'globe'));
      const key = [
        req.publicKey.algorithm,
        req.publicKey.curve,
        req.publicKey.bits !== undefined ? vscode.l10n.t('{0} bits', req.publicKey.bits) : undefined,
      ]
        .filter(Boolean)
        .join(' ');
      nodes.push(detail(vscode.l10n.t('Key'), key, 'key'));
    }
    nodes.push(detail(vscode.l10n.t('Usages'), (csr.spec.usages ?? []).join(', ') || '-', 'symbol-enum'));
    nodes.push(
      detail(
        vscode.l10n.t('Requested duration'),
        csr.spec.expirationSeconds !== undefined
          ? humanDuration(csr.spec.expirationSeconds * 1000)
          : vscode.l10n.t('signer default'),
        'watch',
      ),
    );
    nodes.push(
      detail(
        vscode.l10n.t('Requested by'),
        [csr.spec.username, ...(csr.spec.groups ?? []).map((g) => `(${g})`)].join(' '),
        'person',
      ),
    );
    nodes.push({ kind: 'section', name, section: 'conditions' });
    if (isIssued(csr)) nodes.push({ kind: 'section', name, section: 'certificate' });
    return nodes;
  }

  private sectionDetails(name: string, section: Section): CsrTreeNode[] | Promise<CsrTreeNode[]> {
    const entry = this.entries.get(name);
    if (!entry) return [];
    if (section === 'risks') {
      const findings = entry.review?.findings;
      if (!findings) return [detail(vscode.l10n.t('Reviewing…'), undefined, 'loading~spin')];
      if (!findings.length) return [detail(vscode.l10n.t('No risk found'), undefined, 'pass')];
      return findings.map((f) => {
        const node = detail(riskMessage(f), f.code) as { kind: 'detail'; item: vscode.TreeItem };
        node.item.iconPath = icon(SEVERITY_ICONS[f.severity][0], SEVERITY_ICONS[f.severity][1]);
        node.item.tooltip = `${f.severity} ${f.code}: ${riskMessage(f)}`;
        return node;
      });
    }
    if (section === 'conditions') {
      const conditions = entry.csr.status?.conditions ?? [];
      if (!conditions.length)
        return [detail(vscode.l10n.t('No condition yet: waiting for approval'), undefined, 'clock')];
      return conditions.map((c) =>
        detail(
          `${c.type}${c.status === 'True' ? '' : ` (${c.status})`}`,
          [c.reason, c.message].filter(Boolean).join(': '),
          'circle-small-filled',
        ),
      );
    }
    return this.certificateDetails(entry.csr.status?.certificate ?? '');
  }

  /** The certificate decoder (and node:crypto) loads when a certificate is first expanded. */
  private async certificateDetails(base64: string): Promise<CsrTreeNode[]> {
    const { decodeBase64Data } = await import('./csrEngine');
    const decoded = decodeBase64Data(base64);
    return decoded.certificates.flatMap(({ cert }) => [
      detail(vscode.l10n.t('Subject'), cert.subject.display, 'account'),
      detail(vscode.l10n.t('Issuer'), cert.issuer.display, 'workspace-trusted'),
      detail(
        vscode.l10n.t('Valid'),
        `${cert.notBefore.toISOString()} → ${cert.notAfter.toISOString()}`,
        'calendar',
      ),
      detail(vscode.l10n.t('Serial'), cert.serialHex, 'symbol-number'),
    ]);
  }

  dispose(): void {
    this.changed.dispose();
  }
}

function escapeMd(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
