// The whole-workspace audit, as the extension runs it: after activation (never on the first paint)
// it lists the workspace (files.exclude honoured, .gitignored folders skipped), reads the candidates
// in the background with progress in the status bar, scans the PKI folders, and then follows a file
// watcher: only created, changed or deleted files are read again. The work itself is engine.ts, a
// lazily loaded bundle; this file only talks to VS Code.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { SerialQueue } from '../views/pki/serialQueue';
import type { FileAuditOptions } from './fileAudit';
import type * as EngineModule from './engine';
import type { FileProblems, WorkspaceEngine } from './engine';
import { excludeGlob, MAX_LISTED_FILES } from './scanPolicy';

/** Let the window finish starting before the first scan reads the disk. */
const START_DELAY_MS = 1500;
const DEBOUNCE_MS = 300;
/** Day counts move with the clock: audit again from the kept contents (no file read) this often. */
const CLOCK_REFRESH_MS = 60 * 60 * 1000;

type Engine = typeof EngineModule;

export class WorkspaceAudit implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  /** Fires after each scan or update with the new problems. */
  readonly onDidChange = this.emitter.event;
  private readonly queue: SerialQueue;
  private readonly disposables: vscode.Disposable[] = [];
  private engine?: Promise<{ module: Engine; engine: WorkspaceEngine }>;
  private current = new Map<string, FileProblems>();
  private pending = new Set<string>();
  private rescanPending = false;
  private timer?: ReturnType<typeof setTimeout>;
  private readonly startTimer: ReturnType<typeof setTimeout>;
  private readonly clock: ReturnType<typeof setInterval>;
  /** Watchers of PKI folders outside the workspace, by folder. */
  private readonly outsideWatchers = new Map<string, vscode.Disposable>();
  private started = false;

  constructor(private readonly ctx: Ctx) {
    this.queue = new SerialQueue((err) => ctx.log.error('workspace audit failed', err));
    const watcher = vscode.workspace.createFileSystemWatcher('**/*');
    for (const event of [watcher.onDidCreate, watcher.onDidChange, watcher.onDidDelete])
      this.disposables.push(event((uri) => this.changed(uri)));
    this.disposables.push(
      watcher,
      this.emitter,
      ctx.config.onDidChange((change) => {
        if (change.affects('pkiDirectories')) this.rescan();
        else if (change.affects('expiryWarningDays') || change.affects('disabledFindings')) this.reaudit();
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('files.exclude')) this.rescan();
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.rescan()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.rescan()),
    );
    this.startTimer = setTimeout(() => this.rescan(), START_DELAY_MS);
    this.clock = setInterval(() => this.reaudit(), CLOCK_REFRESH_MS);
  }

  /** Problems by absolute path, as of the last scan or update. */
  get problems(): ReadonlyMap<string, FileProblems> {
    return this.current;
  }

  /** Resolves once the first scan and every queued update have run. */
  async settled(): Promise<void> {
    if (!this.started) this.rescan();
    await this.queue.idle();
  }

  /** The PKI folders audited (for the notification's choice of certificates). */
  async pkiRoots(): Promise<string[]> {
    return this.engine ? (await this.engine).engine.pkiRoots : [];
  }

  rescan(): void {
    this.started = true;
    clearTimeout(this.startTimer);
    if (this.rescanPending) return;
    this.rescanPending = true;
    void this.queue.push(async () => {
      this.rescanPending = false;
      await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Window,
          title: vscode.l10n.t('Kube Certs: auditing the workspace'),
        },
        (progress) => this.scan(progress),
      );
    });
  }

  private reaudit(): void {
    void this.queue.push(async () => {
      const { engine } = await this.load();
      await engine.reaudit(this.options());
      this.publish(engine);
    });
  }

  private load(): Promise<{ module: Engine; engine: WorkspaceEngine }> {
    this.engine ??= import('./engine').then((module) => ({ module, engine: new module.WorkspaceEngine() }));
    return this.engine;
  }

  private options(): FileAuditOptions {
    return {
      now: this.ctx.clock(),
      warnDays: this.ctx.config.expiryWarningDays,
      disabled: this.ctx.config.disabledFindings,
    };
  }

  private async scan(progress: vscode.Progress<{ message?: string }>): Promise<void> {
    const started = performance.now();
    const { module, engine } = await this.load();
    const options = this.options();
    const roots = await this.pkiFolders(module);
    await engine.setPkiRoots(roots, options);
    this.watchOutside(roots);
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
    const exclude = excludeGlob(vscode.workspace.getConfiguration('files').get('exclude'));
    const listed: string[] = [];
    const gitignores: string[] = [];
    for (const folder of folders) {
      const ignoreFiles = await vscode.workspace.findFiles(
        new vscode.RelativePattern(folder, '**/.gitignore'),
        exclude,
      );
      gitignores.push(...ignoreFiles.map((u) => u.fsPath));
      const files = await vscode.workspace.findFiles(
        new vscode.RelativePattern(folder, '**/*'),
        exclude,
        MAX_LISTED_FILES,
      );
      if (files.length >= MAX_LISTED_FILES)
        this.ctx.log.warn(
          `workspace audit: ${folder.uri.fsPath} lists more than ${MAX_LISTED_FILES} files; the rest is not audited`,
        );
      listed.push(...files.map((u) => u.fsPath));
    }
    engine.setGitignore(await module.GitignoreRules.load(gitignores, module.readTextFile));
    let reported = 0;
    await engine.sync(listed, options, (done, total) => {
      const percent = Math.floor((done / total) * 100);
      if (percent >= reported + 10) {
        reported = percent;
        progress.report({ message: `${done}/${total}` });
      }
    });
    const counts = engine.counts;
    this.ctx.log.info(
      `workspace audit: ${counts.tracked} candidate files, ${counts.matched} kubeconfigs or certificate files, ${counts.reads} reads so far, ${counts.tooLarge} too large, ${roots.length} PKI folders, ${Math.round(performance.now() - started)} ms`,
    );
    this.publish(engine);
  }

  /** Settings folders (that exist) first, then workspace folders that look like a PKI (as the PKI view shows them). */
  private async pkiFolders(module: Engine): Promise<string[]> {
    // Untrusted workspace: its own setting values may point anywhere; only user settings count.
    const configured = vscode.workspace.isTrusted
      ? this.ctx.config.pkiDirectories
      : this.ctx.config.userPkiDirectories;
    const out: string[] = [];
    for (const dir of configured.map((d) => path.resolve(d)))
      if (!out.includes(dir) && (await module.isDirectory(dir))) out.push(dir);
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const dir = folder.uri.fsPath;
      if (folder.uri.scheme === 'file' && !out.includes(dir) && (await module.folderLooksLikePki(dir)))
        out.push(dir);
    }
    return out;
  }

  /** The workspace watcher does not see folders outside the workspace (/etc/kubernetes): one watcher each. */
  private watchOutside(roots: readonly string[]): void {
    const outside = roots.filter((dir) => !vscode.workspace.getWorkspaceFolder(vscode.Uri.file(dir)));
    for (const [dir, watcher] of this.outsideWatchers) {
      if (outside.includes(dir)) continue;
      watcher.dispose();
      this.outsideWatchers.delete(dir);
    }
    for (const dir of outside) {
      if (this.outsideWatchers.has(dir)) continue;
      const watcher = vscode.workspace.createFileSystemWatcher(
        new vscode.RelativePattern(vscode.Uri.file(dir), '**/*'),
      );
      for (const event of [watcher.onDidCreate, watcher.onDidChange, watcher.onDidDelete])
        event((uri) => this.changed(uri));
      this.outsideWatchers.set(dir, watcher);
    }
  }

  private changed(uri: vscode.Uri): void {
    if (uri.scheme !== 'file' || !this.started) return;
    // New ignore rules change which files count: list again (unchanged files are still not read).
    if (path.basename(uri.fsPath) === '.gitignore') return this.rescan();
    this.pending.add(uri.fsPath);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      const files = [...this.pending];
      this.pending = new Set();
      void this.queue.push(async () => {
        const { engine } = await this.load();
        const before = engine.counts.reads;
        await engine.changed(files, this.options());
        this.ctx.log.info(
          `workspace audit: ${files.length} changed paths, ${engine.counts.reads - before} files read`,
        );
        this.publish(engine);
      });
    }, DEBOUNCE_MS);
  }

  private publish(engine: WorkspaceEngine): void {
    this.current = engine.problems();
    this.emitter.fire();
  }

  dispose(): void {
    clearTimeout(this.startTimer);
    clearTimeout(this.timer);
    clearInterval(this.clock);
    for (const watcher of this.outsideWatchers.values()) watcher.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
