// The whole-workspace audit, vscode-free: workspace files found by content (fileAudit.ts) and the
// PKI folders (the PKI view's scanner, one per folder), merged into one list of findings per file.
// A file is re-read only when its size or mtime moved; settings and the clock re-run the audits
// from the kept bytes. Part of dist/engine.js (LAZY_CHUNKS in esbuild.js), loaded by the first
// scan, after activation.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { FindingCode } from '../../core/findings/catalog';
import type { Finding } from '../../core/findings/finding';
import { isKubeconfigText } from '../../core/kubeconfig/detect';
import type { PkiInventory } from '../../core/pki/inventory';
import { PkiScanner } from '../../core/pki/scanner';
import { KUBECONFIG_AUDIT_CODES } from '../../node/pki/audit';
import { openPkiFolder, type FsPkiTreeSource } from '../../node/pki/fsSource';
import { auditFileContent, type FileAudit, type FileAuditOptions } from './fileAudit';

export { auditFileContent } from './fileAudit';
export { isDirectory } from '../../node/fs/stat';
export { folderLooksLikePki } from '../../node/pki/fsSource';
import { GitignoreRules } from './gitignore';
import { isCandidateFile, MAX_FILE_BYTES } from './scanPolicy';

export { GitignoreRules } from './gitignore';

export interface ListedFile {
  readonly file: string;
  readonly size: number;
  readonly mtimeMs: number;
}

/** The disk, as the engine reads it; tests and the bench pass the real one. */
export interface EngineFs {
  read(file: string): Promise<Uint8Array>;
  stat(file: string): Promise<ListedFile | undefined>;
}

export const nodeFs: EngineFs = {
  read: async (file) => new Uint8Array(await fs.readFile(file)),
  stat: async (file) => {
    const stat = await fs.stat(file).catch(() => undefined);
    return stat?.isFile() ? { file, size: stat.size, mtimeMs: stat.mtimeMs } : undefined;
  },
};

/** A text file's content, undefined when it cannot be read. */
export function readTextFile(file: string): Promise<string | undefined> {
  return fs.readFile(file, 'utf8').catch(() => undefined);
}

/** What Problems shows for one file. */
export interface FileProblems {
  readonly file: string;
  /** The file's own audit (kubeconfig or certificate file) of the text on disk. */
  readonly own?: FileAudit;
  /** The PKI scan's findings on this file, without what its kubeconfig audit already reports. */
  readonly pki: readonly Finding[];
  /** The text the PKI findings' spans point into ('' for files whose findings sit at the start). */
  readonly pkiText: string;
}

interface Entry {
  readonly stamp: string;
  /** Kept for files that hold something, so a settings change re-audits without reading. */
  readonly bytes?: Uint8Array;
  audit?: FileAudit;
}

interface PkiRoot {
  readonly dir: string;
  readonly source: FsPkiTreeSource;
  readonly scanner: PkiScanner;
  inventory?: PkiInventory;
  /** Kubeconfigs of the folder: they also get the kubeconfig audit. */
  kubeconfigs: ReadonlySet<string>;
}

export interface EngineCounts {
  /** Files the engine tracks (listed, accepted). */
  readonly tracked: number;
  /** Files read since the engine was created. */
  readonly reads: number;
  /** Kubeconfigs and certificate files among the tracked files. */
  readonly matched: number;
  /** Files left unread: larger than MAX_FILE_BYTES. */
  readonly tooLarge: number;
}

const stampOf = (f: ListedFile): string => `${f.size}:${f.mtimeMs}`;

function inside(dir: string, file: string): boolean {
  const relative = path.relative(dir, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

export class WorkspaceEngine {
  private readonly files = new Map<string, Entry>();
  private readonly pki = new Map<string, PkiRoot>();
  private gitignore = GitignoreRules.none;
  private reads = 0;
  private tooLarge = 0;

  constructor(private readonly disk: EngineFs = nodeFs) {}

  get counts(): EngineCounts {
    let matched = 0;
    for (const entry of this.files.values()) if (entry.audit) matched++;
    return { tracked: this.files.size, reads: this.reads, matched, tooLarge: this.tooLarge };
  }

  setGitignore(rules: GitignoreRules): void {
    this.gitignore = rules;
  }

  /** Whether the workspace listing keeps `file`: a candidate name, not ignored, not owned by a PKI folder. */
  accepts(file: string): boolean {
    return isCandidateFile(file) && !this.gitignore.ignores(file) && this.pkiRootOf(file) === undefined;
  }

  /** The PKI folders: new ones are scanned, removed ones forgotten (with their kubeconfigs). */
  async setPkiRoots(dirs: readonly string[], options: FileAuditOptions): Promise<void> {
    for (const [dir, root] of this.pki) {
      if (dirs.includes(dir)) continue;
      this.pki.delete(dir);
      for (const file of root.kubeconfigs) this.files.delete(file);
    }
    for (const dir of dirs) {
      if (this.pki.has(dir)) continue;
      const source = await openPkiFolder(dir);
      const root: PkiRoot = { dir, source, scanner: new PkiScanner(source), kubeconfigs: new Set() };
      this.pki.set(dir, root);
      // Workspace files now inside this folder are the PKI scan's.
      for (const file of [...this.files.keys()]) if (inside(dir, file)) this.files.delete(file);
      await this.refreshPki(root, root.scanner.scan(pkiOptions(options)), options);
    }
  }

  /** The workspace listing (first scan, or a new listing): reads new and changed files, forgets vanished ones. */
  async sync(
    listed: readonly string[],
    options: FileAuditOptions,
    progress?: (done: number, total: number) => void,
  ): Promise<void> {
    const accepted = listed.filter((file) => this.accepts(file));
    const keep = new Set(accepted);
    for (const root of this.pki.values()) for (const file of root.kubeconfigs) keep.add(file);
    for (const file of [...this.files.keys()]) if (!keep.has(file)) this.files.delete(file);
    let done = 0;
    for (const file of accepted) {
      const stat = await this.disk.stat(file);
      if (stat) await this.read(stat, options);
      progress?.(++done, accepted.length);
    }
  }

  /** Files created, changed or deleted: only those are stat'ed, and read again when their stamp moved. */
  async changed(files: readonly string[], options: FileAuditOptions): Promise<void> {
    const byRoot = new Map<PkiRoot, string[]>();
    for (const file of files) {
      const root = this.pkiRootOf(file);
      if (root) {
        const logical = root.source.logicalPath(file);
        if (logical !== undefined) byRoot.set(root, [...(byRoot.get(root) ?? []), logical]);
        continue;
      }
      if (!this.accepts(file)) {
        this.files.delete(file);
        continue;
      }
      const stat = await this.disk.stat(file);
      if (stat) await this.read(stat, options);
      else this.files.delete(file);
    }
    for (const [root, logical] of byRoot)
      await this.refreshPki(root, root.scanner.update(logical, pkiOptions(options)), options);
  }

  /** Settings or the day changed: every audit again, from the kept bytes (nothing is read). */
  async reaudit(options: FileAuditOptions): Promise<void> {
    for (const [file, entry] of this.files)
      if (entry.bytes) entry.audit = await auditFileContent(file, entry.bytes, options);
    for (const root of this.pki.values())
      await this.refreshPki(root, root.scanner.update([], pkiOptions(options)), options);
  }

  /** Findings per file: the file's own audit, then the PKI scan's (without what the kubeconfig audit already says). */
  problems(): Map<string, FileProblems> {
    const result = new Map<string, FileProblems>();
    for (const entry of this.files.values()) {
      const own = entry.audit;
      if (own) result.set(own.file, { file: own.file, own, pki: [], pkiText: '' });
    }
    for (const root of this.pki.values()) {
      const inventory = root.inventory;
      if (!inventory) continue;
      for (const finding of inventory.findings) {
        const known = result.get(finding.file);
        if (known?.own?.kind === 'kubeconfig' && KUBECONFIG_AUDIT_CODES.has(finding.code)) continue;
        result.set(finding.file, {
          file: finding.file,
          own: known?.own,
          pki: [...(known?.pki ?? []), finding],
          pkiText: inventory.texts.get(finding.file) ?? known?.own?.text ?? '',
        });
      }
    }
    return result;
  }

  /** The PKI folders being audited. */
  get pkiRoots(): string[] {
    return [...this.pki.keys()];
  }

  private pkiRootOf(file: string): PkiRoot | undefined {
    for (const root of this.pki.values()) if (file === root.dir || inside(root.dir, file)) return root;
    return undefined;
  }

  private async read(file: ListedFile, options: FileAuditOptions): Promise<void> {
    const stamp = stampOf(file);
    if (this.files.get(file.file)?.stamp === stamp) return;
    if (file.size > MAX_FILE_BYTES) {
      this.tooLarge++;
      this.files.set(file.file, { stamp });
      return;
    }
    let bytes: Uint8Array;
    try {
      bytes = await this.disk.read(file.file);
      this.reads++;
    } catch {
      // Vanished or unreadable between listing and reading: the watcher brings it back.
      this.files.delete(file.file);
      return;
    }
    const audit = await auditFileContent(file.file, bytes, options);
    this.files.set(file.file, audit ? { stamp, bytes, audit } : { stamp });
  }

  private async refreshPki(
    root: PkiRoot,
    scan: Promise<PkiInventory>,
    options: FileAuditOptions,
  ): Promise<void> {
    root.inventory = await scan;
    const kubeconfigs = new Set<string>();
    for (const [file, text] of root.inventory.texts) if (isKubeconfigText(text, file)) kubeconfigs.add(file);
    for (const file of root.kubeconfigs) if (!kubeconfigs.has(file)) this.files.delete(file);
    root.kubeconfigs = kubeconfigs;
    for (const file of kubeconfigs) {
      const stat = await this.disk.stat(file);
      if (stat) await this.read(stat, options);
    }
  }
}

function pkiOptions(options: FileAuditOptions) {
  return {
    now: options.now,
    warnDays: options.warnDays,
    enabled: (code: FindingCode) => !options.disabled.has(code),
  };
}
