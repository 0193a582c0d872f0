// Keeps a live copy of the cluster's CSRs, the way client-go's reflector does: list, then watch from
// the list's resourceVersion; on a dropped stream watch again from the last version seen, with
// exponential backoff while it keeps failing (reported from the second failure in a row); on 410
// Gone (version too old) list again.
import type { Csr } from '../../core/csr/model';
import type { ClusterClient, WatchEvent } from './client';
import { ClusterError } from './errors';

export type CsrSource = Pick<ClusterClient, 'listCsrs' | 'watchCsrs'>;

export interface CsrWatcherOptions {
  /** Called after every change with all current CSRs by name. */
  readonly onChange: (csrs: ReadonlyMap<string, Csr>) => void;
  /** An error while (re)connecting; undefined once connected again. */
  readonly onError: (error: ClusterError | undefined) => void;
  readonly initialBackoffMs?: number;
  readonly maxBackoffMs?: number;
}

export class CsrWatcher {
  private readonly csrs = new Map<string, Csr>();
  private resourceVersion = '';
  private failures = 0;
  private needsList = true;
  private stopped = false;
  private stopStream: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastError: ClusterError | undefined;

  constructor(
    private readonly source: CsrSource,
    private readonly options: CsrWatcherOptions,
  ) {}

  get items(): ReadonlyMap<string, Csr> {
    return this.csrs;
  }

  get error(): ClusterError | undefined {
    return this.lastError;
  }

  /** True once a list has completed and no relist is pending. */
  get synced(): boolean {
    return !this.needsList;
  }

  start(): void {
    this.schedule(0);
  }

  /** Drops the current stream and lists again now (a manual refresh). */
  refresh(): void {
    this.needsList = true;
    this.failures = 0;
    this.stopStream?.();
    this.stopStream = undefined;
    this.schedule(0);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.stopStream?.();
    this.stopStream = undefined;
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.connect(), delay);
  }

  private backoff(): number {
    if (this.failures === 0) return 0;
    const initial = this.options.initialBackoffMs ?? 500;
    return Math.min(this.options.maxBackoffMs ?? 30_000, initial * 2 ** (this.failures - 1));
  }

  private async connect(): Promise<void> {
    try {
      if (this.needsList) {
        const list = await this.source.listCsrs();
        if (this.stopped) return;
        this.csrs.clear();
        for (const csr of list.items) this.csrs.set(csr.metadata.name, csr);
        this.resourceVersion = list.resourceVersion;
        this.needsList = false;
        this.setError(undefined);
        this.options.onChange(this.csrs);
      }
      let closed = false;
      const stop = await this.source.watchCsrs(
        this.resourceVersion,
        (event) => this.apply(event),
        (err) => {
          closed = true;
          this.stopStream = undefined;
          if (err?.kind === 'gone') this.needsList = true;
          else if (err) {
            this.failures++;
            // One dropped stream is retried silently; a stream that keeps failing (the server is
            // down, the credentials were revoked) is reported, or the list would go stale unseen.
            if (this.failures > 1) this.setError(err);
          }
          this.schedule(this.backoff());
        },
      );
      if (this.stopped) return stop();
      if (!closed) {
        this.stopStream = stop;
        this.failures = 0;
        this.setError(undefined);
      }
    } catch (err) {
      if (this.stopped) return;
      this.failures++;
      if (err instanceof ClusterError && err.kind === 'gone') this.needsList = true;
      this.setError(err instanceof ClusterError ? err : new ClusterError('other', String(err)));
      this.schedule(this.backoff());
    }
  }

  private apply(event: WatchEvent): void {
    const object = event.object as Partial<Csr> & { code?: number; metadata?: { resourceVersion?: string } };
    if (event.type === 'ERROR') {
      // A Status: 410 means our version was compacted away; anything else, reconnect.
      if (object.code === 410) this.needsList = true;
      this.stopStream?.();
      this.stopStream = undefined;
      this.schedule(this.needsList ? 0 : this.backoff());
      return;
    }
    const version = object.metadata?.resourceVersion;
    if (version) this.resourceVersion = version;
    if (event.type === 'BOOKMARK' || !object.metadata?.name) return;
    const csr = object as Csr;
    if (event.type === 'DELETED') this.csrs.delete(csr.metadata.name);
    else this.csrs.set(csr.metadata.name, csr);
    this.options.onChange(this.csrs);
  }

  private setError(error: ClusterError | undefined): void {
    // The same failure on every retry is reported once.
    if (error?.kind === this.lastError?.kind && error?.message === this.lastError?.message) return;
    this.lastError = error;
    this.options.onError(error);
  }
}
