// The CSR store: what etcd is to the real API server. Every change gets the next resourceVersion,
// is written to disk (one file per object, atomically) before it is visible, and is published to
// watchers in resourceVersion order. Changes are serialized, so a read-check-write is atomic.
import { promises as fs } from 'node:fs';
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { atomicWriteFile } from '../../src/node/fs/atomicWrite';
import { STALE_OBJECT, alreadyExists, conflict, notFound, type ResourceRef } from './errors';
import type { Csr } from './types';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  readonly type: WatchEventType;
  readonly object: Csr;
  readonly resourceVersion: number;
}

export const CSR_RESOURCE: ResourceRef = {
  resource: 'certificatesigningrequests',
  group: 'certificates.k8s.io',
  kind: 'CertificateSigningRequest',
};

/** Watch history kept in memory; older resourceVersions get 410 Gone, as after an etcd compaction. */
const HISTORY_LIMIT = 20_000;

const LOAD_BATCH = 128;

export class TooOldResourceVersionError extends Error {}

export class CsrStore {
  private readonly objects = new Map<string, Csr>();
  private sortedNames: string[] | undefined;
  private revision = 0;
  private readonly history: StoreEvent[] = [];
  private readonly listeners = new Set<(event: StoreEvent) => void>();
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly dir: string,
    private readonly metaFile: string,
    private readonly fsync: boolean,
  ) {}

  /** `fsync: false` trades power-loss safety for bulk speed (benchmarks); writes stay atomic. */
  static async open(stateDir: string, options: { fsync?: boolean } = {}): Promise<CsrStore> {
    const store = new CsrStore(
      path.join(stateDir, 'certificatesigningrequests'),
      path.join(stateDir, 'meta.json'),
      options.fsync ?? true,
    );
    await fs.mkdir(store.dir, { recursive: true, mode: 0o700 });
    store.revision = await readRevision(stateDir);
    // Leftover temp files of an interrupted write start with a dot and are ignored.
    const files = (await fs.readdir(store.dir)).filter((f) => f.endsWith('.json') && !f.startsWith('.'));
    for (let i = 0; i < files.length; i += LOAD_BATCH) {
      const batch = files.slice(i, i + LOAD_BATCH);
      const texts = await Promise.all(batch.map((f) => fs.readFile(path.join(store.dir, f), 'utf8')));
      for (const text of texts) {
        const csr = JSON.parse(text) as Csr;
        store.objects.set(csr.metadata.name, csr);
        store.revision = Math.max(store.revision, Number(csr.metadata.resourceVersion));
      }
    }
    return store;
  }

  get resourceVersion(): number {
    return this.revision;
  }

  get size(): number {
    return this.objects.size;
  }

  get(name: string): Csr | undefined {
    return this.objects.get(name);
  }

  /** All objects in name order, as etcd returns a key range. */
  list(): Csr[] {
    this.sortedNames ??= [...this.objects.keys()].sort();
    return this.sortedNames.map((name) => this.objects.get(name) as Csr);
  }

  has(name: string): boolean {
    return this.objects.has(name);
  }

  async create(csr: Csr, now: Date): Promise<Csr> {
    return this.serialized(async () => {
      if (this.objects.has(csr.metadata.name)) throw alreadyExists(CSR_RESOURCE, csr.metadata.name);
      const rv = this.revision + 1;
      const stored: Csr = {
        ...csr,
        metadata: {
          ...csr.metadata,
          uid: randomUUID(),
          resourceVersion: String(rv),
          creationTimestamp: csr.metadata.creationTimestamp || rfc3339(now),
        },
      };
      await this.persist(stored);
      this.commit('ADDED', stored, rv);
      return stored;
    });
  }

  /**
   * Replaces an object with `change(current)`. When the caller names a resourceVersion it must be
   * the current one (optimistic concurrency); `change` may throw to refuse the update.
   */
  async update(
    name: string,
    expectedVersion: string | undefined,
    change: (current: Csr) => Csr,
  ): Promise<Csr> {
    return this.serialized(async () => {
      const current = this.objects.get(name);
      if (!current) throw notFound(CSR_RESOURCE, name);
      if (expectedVersion && expectedVersion !== current.metadata.resourceVersion) {
        throw conflict(CSR_RESOURCE, name, STALE_OBJECT);
      }
      const next = change(structuredClone(current));
      if (JSON.stringify(next) === JSON.stringify(current)) return current;
      const rv = this.revision + 1;
      const stored: Csr = {
        ...next,
        metadata: { ...next.metadata, uid: current.metadata.uid, resourceVersion: String(rv) },
      };
      stored.metadata.creationTimestamp = current.metadata.creationTimestamp;
      await this.persist(stored);
      this.commit('MODIFIED', stored, rv);
      return stored;
    });
  }

  async delete(name: string, precondition?: { uid?: string; resourceVersion?: string }): Promise<Csr> {
    return this.serialized(async () => {
      const current = this.objects.get(name);
      if (!current) throw notFound(CSR_RESOURCE, name);
      if (precondition?.uid && precondition.uid !== current.metadata.uid) {
        throw conflict(
          CSR_RESOURCE,
          name,
          `Precondition failed: UID in precondition: ${precondition.uid}, UID in object meta: ${current.metadata.uid}`,
        );
      }
      if (
        precondition?.resourceVersion &&
        precondition.resourceVersion !== current.metadata.resourceVersion
      ) {
        throw conflict(
          CSR_RESOURCE,
          name,
          `Precondition failed: ResourceVersion in precondition: ${precondition.resourceVersion}, ResourceVersion in object meta: ${current.metadata.resourceVersion}`,
        );
      }
      const rv = this.revision + 1;
      // The revision must survive the object, or a restart could hand out a resourceVersion twice.
      await atomicWriteFile(this.metaFile, JSON.stringify({ resourceVersion: rv }) + '\n', {
        fsync: this.fsync,
      });
      await fs.rm(this.fileOf(name), { force: true });
      const deleted: Csr = { ...current, metadata: { ...current.metadata, resourceVersion: String(rv) } };
      this.commit('DELETED', deleted, rv);
      return deleted;
    });
  }

  /**
   * Subscribes to changes after `fromVersion`; replays the kept history first.
   * Throws TooOldResourceVersionError when that history is gone.
   */
  watch(fromVersion: number, listener: (event: StoreEvent) => void): () => void {
    if (fromVersion < this.revision) {
      const oldestKept = this.history.length ? this.history[0].resourceVersion - 1 : this.revision;
      if (fromVersion < oldestKept)
        throw new TooOldResourceVersionError(`too old resource version: ${fromVersion} (${oldestKept})`);
      for (const event of this.history) if (event.resourceVersion > fromVersion) listener(event);
    }
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Waits for queued changes; used on shutdown. */
  async flush(): Promise<void> {
    await this.queue.catch(() => undefined);
  }

  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private fileOf(name: string): string {
    return path.join(this.dir, `${name}.json`);
  }

  private async persist(csr: Csr): Promise<void> {
    await atomicWriteFile(this.fileOf(csr.metadata.name), JSON.stringify(csr) + '\n', { fsync: this.fsync });
  }

  private commit(type: WatchEventType, object: Csr, rv: number): void {
    this.revision = rv;
    if (type === 'DELETED') this.objects.delete(object.metadata.name);
    else this.objects.set(object.metadata.name, object);
    if (type !== 'MODIFIED') this.sortedNames = undefined;
    const event: StoreEvent = { type, object, resourceVersion: rv };
    this.history.push(event);
    if (this.history.length > HISTORY_LIMIT) this.history.splice(0, this.history.length - HISTORY_LIMIT);
    for (const listener of this.listeners) listener(event);
  }
}

async function readRevision(stateDir: string): Promise<number> {
  try {
    const meta = JSON.parse(await fs.readFile(path.join(stateDir, 'meta.json'), 'utf8')) as {
      resourceVersion?: number;
    };
    return Number(meta.resourceVersion) || 0;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
}

/** Kubernetes timestamps: RFC 3339, whole seconds, UTC. */
export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
