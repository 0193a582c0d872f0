// The PKI view: roots from kubecerts.pkiDirectories plus workspace folders that look like a PKI,
// one scanner and one file watcher per root. Watcher events are collected for a short while and
// only the changed paths are re-read (the scanner re-decodes only files whose size/mtime moved);
// the tree then redraws only the items whose state changed.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FindingCode } from '../../../core/findings/catalog';
import type { PkiInventory } from '../../../core/pki/inventory';
import type { PkiItemState } from '../../../core/pki/item';
import type { PkiScanner } from '../../../core/pki/scanner';
import type { ProbeObservation } from '../../../core/probe/verdict';
import type { FsPkiTreeSource } from '../../../node/pki/fsSource';
import { registerCommandTable } from '../../commands';
import type { Ctx } from '../../ctx';
import { COMMANDS } from './pkiCommands';
import { describeItem, errorCount } from './pkiRows';
import { PkiTreeProvider, type PkiTreeNode, type RootNode } from './pkiTree';
import { SerialQueue } from './serialQueue';

export const PKI_VIEW_ID = 'kubecerts.pkiView';
const DEBOUNCE_MS = 300;
/** Residual times in descriptions move with the clock: redraw from cache (no file read) this often. */
const CLOCK_REFRESH_MS = 60 * 60 * 1000;

interface RootState {
  readonly node: RootNode;
  readonly scanner: PkiScanner;
  readonly source: FsPkiTreeSource;
  readonly watcher: vscode.FileSystemWatcher;
  pending: Set<string>;
  timer?: ReturnType<typeof setTimeout>;
  /** Scans of this root, one after the other so results land in order. */
  readonly scans: SerialQueue;
  /** What its components served when last checked, by endpoint: compared with the files after every scan. */
  observations?: ReadonlyMap<string, ProbeObservation>;
}

/** The outcome of "Check Served Certificates" for one folder, as data (returned by the command). */
export interface ServedSummary {
  readonly folder: string;
  /** Components serving an older certificate than their file: restart these. */
  readonly restart: readonly string[];
  readonly endpoints: readonly {
    readonly component: string;
    readonly server: string;
    readonly item?: string;
    readonly stale: boolean;
    readonly serialHex?: string;
    readonly error?: string;
    readonly findings: readonly string[];
  }[];
}

/** What the view shows, as data: returned by kubecerts.pki.refresh for scripts and tests. */
export interface PkiViewSnapshot {
  readonly roots: readonly {
    readonly folder: string;
    readonly layout?: string;
    readonly error?: string;
    readonly items: readonly {
      readonly id: string;
      readonly name: string;
      readonly kind: string;
      readonly state: PkiItemState;
      readonly findings: readonly string[];
      /** The row as drawn: its description and tooltip text (tests read the 300 px verdict from here). */
      readonly description: string;
      readonly stale?: boolean;
    }[];
    readonly findings: readonly string[];
  }[];
}

export class PkiView implements vscode.Disposable {
  readonly tree: PkiTreeProvider;
  readonly treeView: vscode.TreeView<PkiTreeNode>;
  private readonly roots = new Map<string, RootState>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly redraw: ReturnType<typeof setInterval>;
  private readonly loading: SerialQueue;

  constructor(private readonly ctx: Ctx) {
    this.loading = new SerialQueue((err) => ctx.log.error('PKI view: loading the folders failed', err));
    this.tree = new PkiTreeProvider(ctx.clock);
    this.treeView = vscode.window.createTreeView(PKI_VIEW_ID, {
      treeDataProvider: this.tree,
      showCollapseAll: true,
    });
    this.disposables.push(
      this.tree,
      this.treeView,
      ctx.config.onDidChange((change) => {
        if (change.affects('pkiDirectories') || change.affects('kubeletDirectories')) this.reloadRoots();
        else if (change.affects('expiryWarningDays') || change.affects('disabledFindings')) this.rebuildAll();
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.reloadRoots()),
    );
    this.redraw = setInterval(() => this.rebuildAll(), CLOCK_REFRESH_MS);
    // Scanning reads the disk and loads the PKI engine: not at activation, once the view is shown.
    if (this.treeView.visible) this.reloadRoots();
    else {
      const shown = this.treeView.onDidChangeVisibility((event) => {
        if (!event.visible) return;
        shown.dispose();
        this.reloadRoots();
      });
      this.disposables.push(shown);
    }
  }

  /** Resolves once every root has been scanned (and every pending change applied). */
  async settled(): Promise<void> {
    await this.loading.idle();
    await Promise.all([...this.roots.values()].map((r) => r.scans.idle()));
  }

  reloadRoots(): void {
    void this.loading.push(async () => {
      const folders = await this.folders();
      for (const [folder, state] of this.roots) {
        if (folders.includes(folder)) continue;
        state.watcher.dispose();
        if (state.timer) clearTimeout(state.timer);
        this.roots.delete(folder);
      }
      const nodes = this.tree.setRoots(folders);
      const { PkiScanner } = await import('./engine');
      const { openPkiFolder } = await import('../../../node/pki/fsSource');
      for (const node of nodes) {
        if (this.roots.has(node.folder)) continue;
        const source = await openPkiFolder(node.folder);
        const watcher = vscode.workspace.createFileSystemWatcher(
          new vscode.RelativePattern(vscode.Uri.file(node.folder), '**/*'),
        );
        const state: RootState = {
          node,
          scanner: new PkiScanner(source),
          source,
          watcher,
          pending: new Set(),
          scans: new SerialQueue((err) =>
            this.ctx.log.error(`PKI view: scanning ${node.folder} failed`, err),
          ),
        };
        for (const event of [watcher.onDidCreate, watcher.onDidChange, watcher.onDidDelete]) {
          event((uri) => this.changed(state, uri.fsPath));
        }
        this.roots.set(node.folder, state);
        this.run(state, () => state.scanner.scan(this.options()));
        if (this.autoCheck()) void this.checkRoot(state);
      }
      this.updateBadge();
    });
  }

  /** Settings folders (that exist) first, then workspace folders that look like a PKI. */
  private async folders(): Promise<string[]> {
    const { folderLooksLikePki } = await import('../../../node/pki/fsSource');
    const { isDirectory } = await import('../../../node/fs/stat');
    // Untrusted workspace: its own setting values may point anywhere; only user settings count.
    const trusted = vscode.workspace.isTrusted;
    const configured = [
      ...(trusted ? this.ctx.config.pkiDirectories : this.ctx.config.userPkiDirectories),
      ...(trusted ? this.ctx.config.kubeletDirectories : this.ctx.config.userKubeletDirectories),
    ];
    const out: string[] = [];
    for (const dir of configured.map((d) => path.resolve(d)))
      if (!out.includes(dir) && (await isDirectory(dir))) out.push(dir);
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const dir = folder.uri.fsPath;
      if (folder.uri.scheme === 'file' && !out.includes(dir) && (await folderLooksLikePki(dir)))
        out.push(dir);
    }
    return out;
  }

  private options() {
    const disabled = this.ctx.config.disabledFindings;
    return {
      now: this.ctx.clock(),
      warnDays: this.ctx.config.expiryWarningDays,
      enabled: (code: FindingCode) => !disabled.has(code),
    };
  }

  private changed(state: RootState, absolute: string): void {
    const logical = state.source.logicalPath(absolute);
    if (logical === undefined) return;
    state.pending.add(logical);
    if (state.timer) clearTimeout(state.timer);
    state.timer = setTimeout(() => {
      state.timer = undefined;
      const paths = [...state.pending];
      state.pending = new Set();
      this.run(state, () => state.scanner.update(paths, this.options()));
    }, DEBOUNCE_MS);
  }

  private rebuildAll(): void {
    for (const state of this.roots.values()) this.run(state, () => state.scanner.update([], this.options()));
  }

  /** Lists every folder again (files whose size and mtime did not move are still not re-read). */
  rescanAll(): void {
    for (const state of this.roots.values()) {
      this.run(state, () => state.scanner.scan(this.options()));
      if (this.autoCheck()) void this.checkRoot(state);
    }
  }

  /** kubecerts.probe.pkiFolders: every full read of a folder also connects (trusted workspaces only). */
  private autoCheck(): boolean {
    return vscode.workspace.isTrusted && this.ctx.config.probePkiFolders;
  }

  /** Connects to the components of each folder (or of `folder`) and shows what they serve on the rows. */
  async checkServed(folder?: string): Promise<ServedSummary[]> {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showErrorMessage(
        vscode.l10n.t('Checking served certificates connects to servers: not in an untrusted workspace.'),
      );
      return [];
    }
    await this.settled();
    const wanted = folder === undefined ? undefined : path.resolve(folder);
    const states = [...this.roots.values()].filter((s) => wanted === undefined || s.node.folder === wanted);
    return Promise.all(states.map((state) => this.checkRoot(state)));
  }

  private async checkRoot(state: RootState): Promise<ServedSummary> {
    const engine = await import('./engine');
    let summary: ServedSummary = { folder: state.node.folder, restart: [], endpoints: [] };
    await state.scans.push(async () => {
      // The files as they are now: a renewal may just have written them.
      const inventory = await state.scanner.scan(this.options());
      const endpoints = engine.servedEndpoints(inventory);
      state.observations = await engine.observeEndpoints(endpoints, {
        env: process.env,
        clock: this.ctx.clock,
      });
      const rows = engine.servedRows(inventory, state.observations, this.options());
      this.tree.update(state.node, engine.withServed(inventory, rows));
      summary = {
        folder: state.node.folder,
        restart: engine.componentsToRestart(rows),
        endpoints: rows.map((row) => ({
          component: row.endpoint.component,
          server: row.endpoint.target.server,
          ...(row.item ? { item: row.item.id } : {}),
          stale: row.facts.stale,
          ...(row.facts.serialHex !== undefined ? { serialHex: row.facts.serialHex } : {}),
          ...(row.facts.error !== undefined ? { error: row.facts.error } : {}),
          findings: row.findings.map((f) => f.code),
        })),
      };
      this.ctx.log.info(
        `PKI view: ${state.node.folder}: checked ${rows.length} served certificates` +
          (summary.restart.length ? `; still serving an old certificate: ${summary.restart.join(', ')}` : ''),
      );
    });
    this.updateBadge();
    return summary;
  }

  private run(state: RootState, scan: () => Promise<PkiInventory>): void {
    void state.scans.push(async () => {
      try {
        const before = state.scanner.decodeCount;
        const scanned = await scan();
        // A check already made is compared with the files as they are now (renewed since, or not).
        let inventory = scanned;
        if (state.observations) {
          const engine = await import('./engine');
          inventory = engine.withServed(
            scanned,
            engine.servedRows(scanned, state.observations, this.options()),
          );
        }
        this.tree.update(state.node, inventory);
        this.ctx.log.info(
          `PKI view: ${state.node.folder}: ${inventory.items.size} items, ${state.scanner.decodeCount - before} files decoded`,
        );
      } catch (err) {
        this.ctx.log.error(`PKI view: scanning ${state.node.folder} failed`, err);
        this.tree.update(state.node, undefined, vscode.l10n.t('cannot be read (see the log)'));
      }
      this.updateBadge();
    });
  }

  /** The activity bar icon counts the errors of every folder, as the Problems panel does. */
  private updateBadge(): void {
    const errors = errorCount(this.tree.rootNodes.map((root) => root.inventory));
    this.treeView.badge = errors
      ? { value: errors, tooltip: vscode.l10n.t('{0} errors in the PKI folders', errors) }
      : undefined;
  }

  snapshot(): PkiViewSnapshot {
    return {
      roots: this.tree.rootNodes.map((root) => ({
        folder: root.folder,
        layout: root.inventory?.layout,
        error: root.error,
        items: [...(root.inventory?.items.values() ?? [])].map((item) => ({
          id: item.id,
          name: item.name,
          kind: item.kind,
          state: item.state,
          findings: item.findings.map((f) => f.code),
          description: describeItem(item, this.ctx.clock(), vscode.l10n),
          ...(item.served ? { stale: item.served.stale } : {}),
        })),
        findings: (root.inventory?.findings ?? []).map((f) => f.code),
      })),
    };
  }

  async addFolder(folder?: string): Promise<void> {
    let dir = folder;
    if (dir === undefined) {
      const picked = await vscode.window.showOpenDialog({
        canSelectFiles: false,
        canSelectFolders: true,
        canSelectMany: false,
        openLabel: vscode.l10n.t('Add PKI Folder'),
      });
      dir = picked?.[0]?.fsPath;
    }
    if (!dir) return;
    await this.ctx.config.addUserPkiDirectory(dir);
  }

  dispose(): void {
    clearInterval(this.redraw);
    for (const state of this.roots.values()) {
      state.watcher.dispose();
      if (state.timer) clearTimeout(state.timer);
    }
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

export function registerPkiView(ctx: Ctx): void {
  registerCommandTable(ctx, COMMANDS, ctx.own(new PkiView(ctx)));
}
