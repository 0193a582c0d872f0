// The object stores: what etcd is to the real API server. Changes of every resource are
// serialized through one queue, so a read-check-write is atomic.
import { promises as fs } from 'node:fs';
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { atomicWriteFile } from '../../src/node/fs/atomicWrite';
import { STALE_OBJECT, alreadyExists, conflict, notFound, type ResourceRef } from './errors';
import type { Csr, ObjectMeta } from './types';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** Anything the store keeps: an API object with metadata. */
export interface StoredObject {
  metadata: ObjectMeta;
}

export interface StoreEvent<T extends StoredObject = Csr> {
  readonly type: WatchEventType;
  readonly object: T;
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

/**
 * What etcd is to the API server: one revision counter and one queue of changes shared by every
 * resource, so resourceVersions are unique and increasing across resources, as on a real cluster.
 */
export class Database {
  revision = 0;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly stateDir: string,
    readonly fsync: boolean,
  ) {}

  /** `fsync: false` trades power-loss safety for bulk speed (benchmarks); writes stay atomic. */
  static async open(stateDir: string, options: { fsync?: boolean } = {}): Promise<Database> {
    const db = new Database(stateDir, options.fsync ?? true);
    await fs.mkdir(stateDir, { recursive: true, mode: 0o700 });
    db.revision = await readRevision(stateDir);
    return db;
  }

  get metaFile(): string {
    return path.join(this.stateDir, 'meta.json');
  }

  serialized<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Waits for queued changes; used on shutdown. */
  async flush(): Promise<void> {
    await this.queue.catch(() => undefined);
  }
}

/**
 * The objects of one resource, keyed `namespace/name` (or `name` when cluster-scoped). Every change
 * gets the next resourceVersion, is written to disk (one file per object, atomically) before it is
 * visible, and is published to watchers in resourceVersion order.
 */
export class ObjectStore<T extends StoredObject> {
  private readonly objects = new Map<string, T>();
  private sortedKeys: string[] | undefined;
  private readonly history: StoreEvent<T>[] = [];
  /** The history holds every change after this revision. */
  private completeFrom = 0;
  private readonly listeners = new Set<(event: StoreEvent<T>) => void>();

  protected constructor(
    private readonly db: Database,
    readonly ref: ResourceRef,
    private readonly dir: string,
  ) {}

  /** Loads the resource's objects from `<stateDir>/<resource>/`. */
  static async load<T extends StoredObject>(db: Database, ref: ResourceRef): Promise<ObjectStore<T>> {
    const store = new ObjectStore<T>(db, ref, path.join(db.stateDir, ref.resource));
    await store.loadFiles();
    return store;
  }

  protected async loadFiles(): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
    // Leftover temp files of an interrupted write start with a dot and are ignored.
    const files = (await fs.readdir(this.dir)).filter((f) => f.endsWith('.json') && !f.startsWith('.'));
    for (let i = 0; i < files.length; i += LOAD_BATCH) {
      const batch = files.slice(i, i + LOAD_BATCH);
      const texts = await Promise.all(batch.map((f) => fs.readFile(path.join(this.dir, f), 'utf8')));
      for (const text of texts) {
        const obj = JSON.parse(text) as T;
        this.objects.set(objectKey(obj.metadata), obj);
        this.db.revision = Math.max(this.db.revision, Number(obj.metadata.resourceVersion));
      }
    }
    this.completeFrom = this.db.revision;
  }

  get resourceVersion(): number {
    return this.db.revision;
  }

  get size(): number {
    return this.objects.size;
  }

  get(key: string): T | undefined {
    return this.objects.get(key);
  }

  /** All objects in key order (namespace, then name), as etcd returns a key range. */
  list(): T[] {
    this.sortedKeys ??= [...this.objects.keys()].sort();
    return this.sortedKeys.map((key) => this.objects.get(key) as T);
  }

  has(key: string): boolean {
    return this.objects.has(key);
  }

  async create(obj: T, now: Date): Promise<T> {
    return this.db.serialized(async () => {
      const key = objectKey(obj.metadata);
      if (this.objects.has(key)) throw alreadyExists(this.ref, obj.metadata.name);
      const rv = this.db.revision + 1;
      const stored: T = {
        ...obj,
        metadata: {
          ...obj.metadata,
          uid: randomUUID(),
          resourceVersion: String(rv),
          creationTimestamp: obj.metadata.creationTimestamp || rfc3339(now),
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
  async update(key: string, expectedVersion: string | undefined, change: (current: T) => T): Promise<T> {
    return this.db.serialized(async () => {
      const current = this.objects.get(key);
      if (!current) throw notFound(this.ref, nameOf(key));
      if (expectedVersion && expectedVersion !== current.metadata.resourceVersion) {
        throw conflict(this.ref, nameOf(key), STALE_OBJECT);
      }
      const next = change(structuredClone(current));
      if (JSON.stringify(next) === JSON.stringify(current)) return current;
      const rv = this.db.revision + 1;
      const stored: T = {
        ...next,
        metadata: { ...next.metadata, uid: current.metadata.uid, resourceVersion: String(rv) },
      };
      stored.metadata.creationTimestamp = current.metadata.creationTimestamp;
      await this.persist(stored);
      this.commit('MODIFIED', stored, rv);
      return stored;
    });
  }

  async delete(key: string, precondition?: { uid?: string; resourceVersion?: string }): Promise<T> {
    return this.db.serialized(async () => {
      const current = this.objects.get(key);
      const name = nameOf(key);
      if (!current) throw notFound(this.ref, name);
      if (precondition?.uid && precondition.uid !== current.metadata.uid) {
        throw conflict(
          this.ref,
          name,
          `Precondition failed: UID in precondition: ${precondition.uid}, UID in object meta: ${current.metadata.uid}`,
        );
      }
      if (
        precondition?.resourceVersion &&
        precondition.resourceVersion !== current.metadata.resourceVersion
      ) {
        throw conflict(
          this.ref,
          name,
          `Precondition failed: ResourceVersion in precondition: ${precondition.resourceVersion}, ResourceVersion in object meta: ${current.metadata.resourceVersion}`,
        );
      }
      const rv = this.db.revision + 1;
      // The revision must survive the object, or a restart could hand out a resourceVersion twice.
      await atomicWriteFile(this.db.metaFile, JSON.stringify({ resourceVersion: rv }) + '\n', {
        fsync: this.db.fsync,
      });
      await fs.rm(this.fileOf(key), { force: true });
      const deleted: T = { ...current, metadata: { ...current.metadata, resourceVersion: String(rv) } };
      this.commit('DELETED', deleted, rv);
      return deleted;
    });
  }

  /**
   * Subscribes to changes after `fromVersion`; replays the kept history first.
   * Throws TooOldResourceVersionError when that history is gone.
   */
  watch(fromVersion: number, listener: (event: StoreEvent<T>) => void): () => void {
    if (fromVersion < this.completeFrom)
      throw new TooOldResourceVersionError(`too old resource version: ${fromVersion} (${this.completeFrom})`);
    for (const event of this.history) if (event.resourceVersion > fromVersion) listener(event);
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Waits for queued changes; used on shutdown. */
  async flush(): Promise<void> {
    await this.db.flush();
  }

  private fileOf(key: string): string {
    // Names and namespaces are DNS names: no "_", so the file name is unambiguous.
    return path.join(this.dir, `${key.replace('/', '_')}.json`);
  }

  private async persist(obj: T): Promise<void> {
    await atomicWriteFile(this.fileOf(objectKey(obj.metadata)), JSON.stringify(obj) + '\n', {
      fsync: this.db.fsync,
    });
  }

  private commit(type: WatchEventType, object: T, rv: number): void {
    this.db.revision = rv;
    const key = objectKey(object.metadata);
    if (type === 'DELETED') this.objects.delete(key);
    else this.objects.set(key, object);
    if (type !== 'MODIFIED') this.sortedKeys = undefined;
    const event: StoreEvent<T> = { type, object, resourceVersion: rv };
    this.history.push(event);
    if (this.history.length > HISTORY_LIMIT) {
      const dropped = this.history.splice(0, this.history.length - HISTORY_LIMIT);
      this.completeFrom = dropped[dropped.length - 1].resourceVersion;
    }
    for (const listener of this.listeners) listener(event);
  }
}

/** The CSR store, keyed by name (CSRs are cluster-scoped). */
export class CsrStore extends ObjectStore<Csr> {
  /** A store over its own database in `stateDir` (tests and tools that need CSRs only). */
  static async open(stateDir: string, options: { fsync?: boolean } = {}): Promise<CsrStore> {
    return CsrStore.in(await Database.open(stateDir, options));
  }

  static async in(db: Database): Promise<CsrStore> {
    const store = new CsrStore(db, CSR_RESOURCE, path.join(db.stateDir, CSR_RESOURCE.resource));
    await store.loadFiles();
    return store;
  }
}

/** The key items are stored, listed and continued by: `namespace/name`, or the name of a cluster-scoped object. */
export function objectKey(meta: { readonly name: string; readonly namespace?: string }): string {
  return meta.namespace ? `${meta.namespace}/${meta.name}` : meta.name;
}

function nameOf(key: string): string {
  return key.slice(key.indexOf('/') + 1);
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
