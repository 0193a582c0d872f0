// Keeps a PKI folder's inventory up to date: the first scan lists and decodes everything, later
// updates re-stat only the paths that changed and decode a file again only when its size or mtime
// moved. Rebuilding the inventory from cached contents is cheap: no decoding, and the signature
// checks are remembered by the scanner's own cache.
import { createHash } from 'node:crypto';
import { decodePem, decodePkiFile, type PemContent, type PkiContent } from './content';
import {
  buildInventory,
  toLogicalPath,
  type InventoryFile,
  type InventoryOptions,
  type PkiInventory,
} from './inventory';
import { SignatureCache } from './signatures';
import { statStamp, type PkiFileStat, type PkiTreeSource } from './source';

interface Cached {
  readonly stamp: string;
  readonly content: PkiContent;
}

const IGNORED: PkiContent = { kind: 'ignored' };

export class PkiScanner {
  private readonly stats = new Map<string, PkiFileStat>();
  private readonly contents = new Map<string, Cached>();
  private readonly external = new Map<string, { hash: string; content: PemContent }>();
  private readonly signatures = new SignatureCache();
  private scanned = false;
  /** Files decoded since creation: lets tests and the log show that an update decoded only what changed. */
  decodeCount = 0;

  constructor(readonly source: PkiTreeSource) {}

  /** Lists the whole folder again (first scan, or after a folder was created or removed). */
  async scan(options: InventoryOptions): Promise<PkiInventory> {
    const listed = await this.source.list();
    const seen = new Set<string>();
    for (const stat of listed) {
      seen.add(stat.path);
      this.stats.set(stat.path, stat);
    }
    for (const path of [...this.stats.keys()]) {
      if (!seen.has(path)) this.forget(path);
    }
    this.scanned = true;
    return this.build(options);
  }

  /** Re-reads only `paths` (logical); falls back to a full scan when a new folder appears. */
  async update(paths: readonly string[], options: InventoryOptions): Promise<PkiInventory> {
    if (!this.scanned) return this.scan(options);
    for (const path of paths) {
      const stat = await this.source.stat(path);
      if (!stat) {
        this.forget(path);
        for (const known of [...this.stats.keys()]) if (known.startsWith(`${path}/`)) this.forget(known);
        continue;
      }
      if (stat.type === 'directory' && !this.stats.has(path)) return this.scan(options);
      this.stats.set(path, stat);
    }
    return this.build(options);
  }

  private forget(path: string): void {
    this.stats.delete(path);
    this.contents.delete(path);
  }

  private async contentOf(stat: PkiFileStat): Promise<PkiContent> {
    if (stat.type !== 'file') return IGNORED;
    const stamp = statStamp(stat);
    const cached = this.contents.get(stat.path);
    if (cached?.stamp === stamp) return cached.content;
    let content: PkiContent;
    try {
      content = decodePkiFile(stat.path, stat.absolutePath, await this.source.read(stat.path));
      this.decodeCount++;
    } catch {
      // Vanished or unreadable between list and read: the next event brings it back.
      content = IGNORED;
    }
    this.contents.set(stat.path, { stamp, content });
    return content;
  }

  private async build(options: InventoryOptions): Promise<PkiInventory> {
    const files = new Map<string, InventoryFile>();
    for (const stat of this.stats.values())
      files.set(stat.path, { stat, content: await this.contentOf(stat) });
    const external = await this.externalFiles(files, options);
    return buildInventory(
      {
        root: this.source.root,
        hasConfigDir: this.source.hasConfigDir,
        files,
        external,
        absolutePath: (path) => this.source.absolutePath(path),
        signatures: this.signatures,
      },
      options,
    );
  }

  /** Client certificates kubeconfigs name outside the folder (kubelet.conf → /var/lib/kubelet/pki/…). */
  private async externalFiles(
    files: ReadonlyMap<string, InventoryFile>,
    options: InventoryOptions,
  ): Promise<Map<string, PemContent>> {
    const result = new Map<string, PemContent>();
    const readExternal = this.source.readExternal?.bind(this.source);
    if (!readExternal) return result;
    const rootAbsolute = this.source.absolutePath('');
    for (const file of files.values()) {
      const ref =
        file.content.kind === 'kubeconfig' ? file.content.client.certificatePath?.resolved : undefined;
      if (!ref || result.has(ref) || toLogicalPath(ref, rootAbsolute, options.nodeConfigDir) !== undefined)
        continue;
      const bytes = await readExternal(ref);
      if (!bytes) continue;
      const hash = createHash('sha256').update(bytes).digest('hex');
      let cached = this.external.get(ref);
      if (cached?.hash !== hash) {
        cached = { hash, content: decodePem(bytes) };
        this.decodeCount++;
        this.external.set(ref, cached);
      }
      result.set(ref, cached.content);
    }
    return result;
  }
}
