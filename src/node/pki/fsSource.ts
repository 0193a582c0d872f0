// The PKI tree source over a real folder. A kubeadm config dir (/etc/kubernetes) maps onto logical
// paths as is; a bare cert dir (a folder holding ca.crt or ca.pem) is mounted as `pki/`; the CLI's
// --cert-dir can mount a cert dir that does not live under the config dir.
import { promises as fs, type Stats } from 'node:fs';
import * as path from 'node:path';
import { SKIPPED_DIRECTORIES, looksLikePki } from '../../core/pki/layout';
import type { PkiFileStat, PkiTreeSource } from '../../core/pki/source';

export interface FsPkiSourceOptions {
  /** The kubeadm config dir (holds admin.conf, manifests/, usually pki/). */
  readonly configDir?: string;
  /** The cert dir, when it is not `<configDir>/pki` or when no config dir is scanned. */
  readonly certDir?: string;
  readonly maxFiles?: number;
  readonly maxDepth?: number;
  /** Larger files are listed (for permission checks) but not read. */
  readonly maxFileSize?: number;
  /** Only these top-level entries of the config dir are listed (a kubelet folder: never its pods/ volumes). */
  readonly only?: readonly string[];
}

interface Mount {
  /** '' or 'pki'. */
  readonly logical: string;
  readonly dir: string;
}

const DEFAULT_MAX_FILES = 5000;
const DEFAULT_MAX_DEPTH = 8;
const DEFAULT_MAX_FILE_SIZE = 1024 * 1024;

export class FsPkiTreeSource implements PkiTreeSource {
  readonly root: string;
  readonly hasConfigDir: boolean;
  private readonly mounts: readonly Mount[];
  private readonly maxFiles: number;
  private readonly maxDepth: number;
  private readonly maxFileSize: number;
  private readonly only?: ReadonlySet<string>;

  constructor(options: FsPkiSourceOptions) {
    const mounts: Mount[] = [];
    if (options.configDir) mounts.push({ logical: '', dir: path.resolve(options.configDir) });
    if (options.certDir) mounts.push({ logical: 'pki', dir: path.resolve(options.certDir) });
    if (!mounts.length) throw new Error('FsPkiTreeSource needs a config dir or a cert dir');
    this.mounts = mounts;
    this.root = mounts[0].dir;
    this.hasConfigDir = options.configDir !== undefined;
    this.maxFiles = options.maxFiles ?? DEFAULT_MAX_FILES;
    this.maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
    this.maxFileSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
    if (options.only) this.only = new Set(options.only);
  }

  /** The most specific mount holding a logical path. */
  private mountOf(logical: string): { mount: Mount; rest: string } {
    const mount =
      this.mounts.find(
        (m) => m.logical !== '' && (logical === m.logical || logical.startsWith(`${m.logical}/`)),
      ) ??
      this.mounts.find((m) => m.logical === '') ??
      this.mounts[0];
    const rest = mount.logical === '' ? logical : logical.slice(mount.logical.length).replace(/^\//, '');
    return { mount, rest };
  }

  absolutePath(logical: string): string {
    const { mount, rest } = this.mountOf(logical);
    return rest === '' ? mount.dir : path.join(mount.dir, ...rest.split('/'));
  }

  /** The logical path of a file under one of the mounts (for watcher events); undefined elsewhere. */
  logicalPath(absolute: string): string | undefined {
    const resolved = path.resolve(absolute);
    // The most specific mount first: the cert dir may sit inside the config dir.
    for (const mount of [...this.mounts].sort((a, b) => b.dir.length - a.dir.length)) {
      const rest = path.relative(mount.dir, resolved);
      if (rest.startsWith('..') || path.isAbsolute(rest)) continue;
      const posix = rest.split(path.sep).join('/');
      if (this.only && mount.logical === '' && posix !== '' && !this.only.has(posix.split('/')[0]))
        return undefined;
      return [mount.logical, posix].filter((p) => p !== '').join('/');
    }
    return undefined;
  }

  async list(): Promise<readonly PkiFileStat[]> {
    const out: PkiFileStat[] = [];
    for (const mount of this.mounts) {
      const rootStat = await this.statAbsolute(mount.logical, mount.dir);
      if (!rootStat) continue;
      out.push(rootStat);
      await this.walk(mount, mount.dir, mount.logical, 0, out);
    }
    return out;
  }

  private async walk(
    mount: Mount,
    dir: string,
    logical: string,
    depth: number,
    out: PkiFileStat[],
  ): Promise<void> {
    if (depth >= this.maxDepth || out.length >= this.maxFiles) return;
    let entries: string[];
    try {
      entries = (await fs.readdir(dir)).sort();
    } catch {
      return;
    }
    for (const name of entries) {
      if (out.length >= this.maxFiles) return;
      if (SKIPPED_DIRECTORIES.has(name)) continue;
      if (this.only && logical === '' && !this.only.has(name)) continue;
      const childLogical = logical === '' ? name : `${logical}/${name}`;
      // The cert dir has its own mount: do not list <configDir>/pki twice.
      if (this.mountOf(childLogical).mount !== mount) continue;
      const stat = await this.statAbsolute(childLogical, path.join(dir, name), true);
      if (!stat) continue;
      out.push(stat);
      if (stat.type === 'directory')
        await this.walk(mount, path.join(dir, name), childLogical, depth + 1, out);
    }
  }

  async stat(logical: string): Promise<PkiFileStat | undefined> {
    return this.statAbsolute(logical, this.absolutePath(logical));
  }

  /** Files follow symlinks (kubelet-client-current.pem is one); linked folders are not descended into. */
  private async statAbsolute(
    logical: string,
    absolute: string,
    skipLinkedDirs = false,
  ): Promise<PkiFileStat | undefined> {
    let st: Stats;
    try {
      st = await fs.stat(absolute);
      if (skipLinkedDirs && st.isDirectory() && (await fs.lstat(absolute)).isSymbolicLink()) return undefined;
    } catch {
      return undefined;
    }
    if (!st.isFile() && !st.isDirectory()) return undefined;
    const linkTarget = st.isFile() ? await linkTargetOf(absolute) : undefined;
    return {
      path: logical,
      absolutePath: absolute,
      type: st.isFile() ? 'file' : 'directory',
      size: st.size,
      mtimeMs: st.mtimeMs,
      mode: st.mode & 0o7777,
      uid: st.uid,
      gid: st.gid,
      ...(linkTarget !== undefined ? { linkTarget } : {}),
    };
  }

  async read(logical: string): Promise<Uint8Array> {
    return this.readAbsolute(this.absolutePath(logical));
  }

  async readExternal(absolutePath: string): Promise<Uint8Array | undefined> {
    try {
      return await this.readAbsolute(absolutePath);
    } catch {
      return undefined;
    }
  }

  private async readAbsolute(absolute: string): Promise<Uint8Array> {
    const handle = await fs.open(absolute, 'r');
    try {
      const { size } = await handle.stat();
      if (size > this.maxFileSize) throw new Error(`${absolute} is larger than ${this.maxFileSize} bytes`);
      return new Uint8Array(await handle.readFile());
    } finally {
      await handle.close();
    }
  }
}

/** The real path of a symbolic link; undefined for a plain file. */
async function linkTargetOf(absolute: string): Promise<string | undefined> {
  try {
    if (!(await fs.lstat(absolute)).isSymbolicLink()) return undefined;
    return await fs.realpath(absolute);
  } catch {
    return undefined;
  }
}

/** What a kubelet folder (/var/lib/kubelet) shows: its config and certificates, nothing of its pods. */
export const KUBELET_FOLDER_ENTRIES = ['config.yaml', 'pki'] as const;

/**
 * Opens a folder the way a user points at it: a config dir (it has pki/, kubeconfigs or manifests)
 * or a bare cert dir (mounted as pki/).
 */
export async function openPkiFolder(
  dir: string,
  options: Omit<FsPkiSourceOptions, 'configDir' | 'certDir'> = {},
): Promise<FsPkiTreeSource> {
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  const configLike =
    names.includes('pki') || names.includes('manifests') || names.some((n) => /\.conf$/.test(n));
  const kubelet = names.includes('config.yaml') && names.includes('pki') && !names.includes('manifests');
  return new FsPkiTreeSource(
    configLike
      ? { ...options, configDir: dir, ...(kubelet ? { only: KUBELET_FOLDER_ENTRIES } : {}) }
      : { ...options, certDir: dir },
  );
}

/** Does this folder look like a PKI worth showing (for workspace folders)? */
export async function folderLooksLikePki(dir: string): Promise<boolean> {
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  return looksLikePki(names);
}
