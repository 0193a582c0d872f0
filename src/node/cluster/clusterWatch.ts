// Keeps a live ClusterSnapshot of one context for the Cluster Certificates view, the way
// client-go's reflector does (and csrWatch.ts for CSRs): list every resource (paged), then watch
// each list from its resourceVersion. A stream the server closes is watched again from the last
// version seen; a failing stream or 410 Gone lists everything again, with exponential backoff
// while it keeps failing. Objects are read into ClusterObjects as they arrive (no Secret value
// but the certificate fields is kept); bursts of events are reported as one change.
import type { ClusterSnapshot } from '../../core/cluster/snapshot';
import { readClusterObject, type ClusterObject } from '../../core/cluster/objects';
import { collectionPath, qualifiedResource } from '../../core/cluster/resources';
import type { ClusterClient, WatchEvent } from './client';
import { fetchClusterSnapshot, withKind, type ListTarget, type SnapshotOptions } from './clusterObjects';
import { ClusterError } from './errors';

/** A stream that ends sooner than this without an error is treated as failing. */
const MIN_STREAM_MS = 1000;

export type WatchSource = Pick<ClusterClient, 'getJson' | 'watchPath'>;

export interface ClusterWatcherOptions extends Omit<SnapshotOptions, 'signal'> {
  /** Called after every change (coalesced over `debounceMs`) with the current snapshot. */
  readonly onChange: (snapshot: ClusterSnapshot) => void;
  /** An error while (re)connecting; undefined once connected again. */
  readonly onError: (error: ClusterError | undefined) => void;
  readonly initialBackoffMs?: number;
  readonly maxBackoffMs?: number;
  readonly debounceMs?: number;
}

function keyOf(object: ClusterObject): string {
  const { kind, group, namespace, name } = object.ref;
  return [group, kind, namespace ?? '', name].join('\0');
}

function keyOfRaw(raw: unknown, target: ListTarget): string | undefined {
  const metadata = (raw as { metadata?: { name?: unknown; namespace?: unknown } }).metadata;
  if (typeof metadata?.name !== 'string') return undefined;
  const namespace = typeof metadata.namespace === 'string' ? metadata.namespace : '';
  return [target.resource.group, target.resource.kind, namespace, metadata.name].join('\0');
}

export class ClusterWatcher {
  private readonly objects = new Map<string, ClusterObject>();
  private base: Omit<ClusterSnapshot, 'objects'> | undefined;
  private streams: (() => void)[] = [];
  private failures = 0;
  private generation = 0;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private changeTimer: NodeJS.Timeout | undefined;
  private lastError: ClusterError | undefined;

  constructor(
    private readonly source: WatchSource,
    private readonly options: ClusterWatcherOptions,
  ) {}

  /** The current snapshot; undefined until the first list has completed. */
  get snapshot(): ClusterSnapshot | undefined {
    return this.base && { ...this.base, objects: [...this.objects.values()] };
  }

  get error(): ClusterError | undefined {
    return this.lastError;
  }

  start(): void {
    this.schedule(0);
  }

  /** Drops the streams and lists everything again now (a manual refresh). */
  refresh(): void {
    this.failures = 0;
    this.schedule(0);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    clearTimeout(this.changeTimer);
    this.closeStreams();
  }

  private closeStreams(): void {
    this.generation++;
    for (const stop of this.streams) stop();
    this.streams = [];
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.closeStreams();
    this.timer = setTimeout(() => void this.relist(), delay);
  }

  private backoff(): number {
    const initial = this.options.initialBackoffMs ?? 500;
    return Math.min(this.options.maxBackoffMs ?? 30_000, initial * 2 ** Math.max(0, this.failures - 1));
  }

  private failed(error: ClusterError): void {
    if (this.stopped) return;
    this.failures++;
    this.setError(error);
    this.schedule(this.backoff());
  }

  private async relist(): Promise<void> {
    const generation = this.generation;
    try {
      const { targets, ...snapshot } = await fetchClusterSnapshot(this.source, this.options);
      if (this.stopped || generation !== this.generation) return;
      const { objects, ...base } = snapshot;
      this.objects.clear();
      for (const object of objects) this.objects.set(keyOf(object), object);
      this.base = base;
      this.failures = 0;
      this.setError(undefined);
      this.options.onChange(this.snapshot!);
      await Promise.all(targets.map((target) => this.watch(target, generation)));
    } catch (err) {
      if (generation !== this.generation) return;
      this.failed(err instanceof ClusterError ? err : new ClusterError('other', String(err)));
    }
  }

  private async watch(target: ListTarget, generation: number): Promise<void> {
    let resourceVersion = target.resourceVersion;
    const opened = Date.now();
    const query = {
      resourceVersion,
      ...(target.resource.fieldSelector ? { fieldSelector: target.resource.fieldSelector } : {}),
    };
    const stop = await this.source.watchPath(
      collectionPath(target.resource, target.namespace),
      query,
      `watch ${qualifiedResource(target.resource)}`,
      (event) => {
        if (generation !== this.generation) return;
        const version = this.apply(event, target);
        if (version === 'gone') this.schedule(0);
        else if (version) resourceVersion = version;
      },
      (err) => {
        if (generation !== this.generation || this.stopped) return;
        if (err?.kind === 'gone') this.schedule(0);
        else if (err) this.failed(err);
        // Closed by the server (its watch timeout): go on from the last version seen. A stream
        // closed as soon as opened would make that a busy loop: list again, with backoff.
        else if (Date.now() - opened < MIN_STREAM_MS)
          this.failed(
            new ClusterError('other', `the watch of ${qualifiedResource(target.resource)} closed at once`),
          );
        else void this.watch({ ...target, resourceVersion }, generation);
      },
    );
    if (generation !== this.generation || this.stopped) stop();
    else this.streams.push(stop);
  }

  /** Applies one event; returns the version it carries, or 'gone' when a relist is needed. */
  private apply(event: WatchEvent, target: ListTarget): string | 'gone' | undefined {
    const object = event.object as { code?: number; metadata?: { resourceVersion?: string } };
    if (event.type === 'ERROR') return object.code === 410 ? 'gone' : undefined;
    const version = object.metadata?.resourceVersion;
    if (event.type === 'BOOKMARK') return version;
    const key = keyOfRaw(event.object, target);
    if (!key) return version;
    const read =
      event.type === 'DELETED' ? undefined : readClusterObject(withKind(event.object, target.resource));
    if (read) this.objects.set(key, read);
    else this.objects.delete(key);
    this.changed();
    return version;
  }

  private changed(): void {
    clearTimeout(this.changeTimer);
    this.changeTimer = setTimeout(() => {
      if (!this.stopped && this.base) this.options.onChange(this.snapshot!);
    }, this.options.debounceMs ?? 100);
  }

  private setError(error: ClusterError | undefined): void {
    if (error?.kind === this.lastError?.kind && error?.message === this.lastError?.message) return;
    this.lastError = error;
    this.options.onError(error);
  }
}
