// What the PKI inventory needs from a file system, as an interface so core stays pure: the Node
// adapter (src/node/pki/fsSource.ts) implements it over a real folder, tests over a Map.

export interface PkiFileStat {
  /** Logical path: relative to the config dir, POSIX separators, certificates under `pki/`. */
  readonly path: string;
  /** Where the file really is, for findings, "open file" and "reveal". */
  readonly absolutePath: string;
  readonly type: 'file' | 'directory';
  readonly size: number;
  readonly mtimeMs: number;
  /** Permission bits only (e.g. 0o600). */
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  /** Where a symbolic link leads (absolute), for kubelet-client-current.pem → kubelet-client-DATE.pem. */
  readonly linkTarget?: string;
}

export interface PkiTreeSource {
  /** Display name of the scanned location (the config dir, or the cert dir when scanned alone). */
  readonly root: string;
  /** False when only a cert dir is scanned: no kubeconfig or manifest can be expected then. */
  readonly hasConfigDir: boolean;
  /** Every file and folder under the root (bounded by the adapter: depth, count, skipped folders). */
  list(): Promise<readonly PkiFileStat[]>;
  /** One logical path; undefined when it no longer exists. */
  stat(path: string): Promise<PkiFileStat | undefined>;
  read(path: string): Promise<Uint8Array>;
  /** Where a logical path is (or would be) on disk; '' is the root. */
  absolutePath(path: string): string;
  /** A file outside the root named by a kubeconfig (kubelet.conf → /var/lib/kubelet/pki/…); undefined when unreadable. */
  readExternal?(absolutePath: string): Promise<Uint8Array | undefined>;
}

/** Cache key of a file's decoded content: a change of size or mtime means "decode again". */
export function statStamp(stat: Pick<PkiFileStat, 'size' | 'mtimeMs'>): string {
  return `${stat.size}:${stat.mtimeMs}`;
}
