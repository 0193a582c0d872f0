// The Cluster Certificates view's state machine, free of `vscode` so plain Node tests drive it
// against the demo API server: one connection at a time (a newer connect or a switch of context
// makes older ones moot), a ClusterWatcher keeping the context's certificate-holding objects live
// (list, then watch; it reconnects with backoff), and core's inventory judging them, again when
// the time or the settings move. The view renders what this holds and listens to onDidChange.
import type {
  buildClusterInventory,
  ClusterInventory,
  InventoryOptions,
} from '../../../core/cluster/inventory';
import type { ClusterSnapshot } from '../../../core/cluster/snapshot';
import type { ClusterClient } from '../../../node/cluster/client';
import type { ClusterWatcher } from '../../../node/cluster/clusterWatch';
import { ClusterError } from '../../../node/cluster/errors';
import type { KubeconfigLocation } from '../../../node/cluster/kubeconfig';

export interface ClusterSessionDeps {
  /** Opens a client for the context (undefined: the kubeconfig's current-context); throws ClusterError. */
  readonly connect: (context: string | undefined) => Promise<ClusterClient>;
  /** The kubeconfig the client came from: the context's namespace and cluster CA are read from it. */
  readonly location: () => KubeconfigLocation;
  /** List TLS Secrets (the user's setting); false: the group says they were not read. */
  readonly readSecrets: () => boolean;
  /** Warning threshold and enabled findings (the time comes from `now`). */
  readonly judgeOptions: () => Omit<InventoryOptions, 'now'>;
  readonly now: () => Date;
  readonly log: {
    info(message: string): void;
    warn(message: string): void;
    error(message: string, err: unknown): void;
  };
  /** Reconnect backoff of the watch (tests shorten it). */
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
}

interface Connection {
  readonly client: ClusterClient;
  readonly watcher: ClusterWatcher;
}

export class ClusterSession {
  private connection: Connection | undefined;
  private connecting: Promise<void> | undefined;
  /** Context chosen with Switch Context; undefined: the kubeconfig's current-context. */
  private chosenContext: string | undefined;
  private contextName = '';
  private lastProblem: ClusterError | undefined;
  private judged: ClusterInventory | undefined;
  /** Bumped by every answer of the watcher (a snapshot or an error): refresh() waits for the next. */
  private answers = 0;
  /** Bumped by every connect and disconnect: answers for an older one are dropped. */
  private generation = 0;
  /** core's buildClusterInventory, from the engine's bundle once loaded. */
  private build: typeof buildClusterInventory | undefined;
  private readonly listeners = new Set<() => void>();
  private disposed = false;

  constructor(private readonly deps: ClusterSessionDeps) {}

  /** The context shown: the one connected, or the one being switched to. */
  get context(): string {
    return this.contextName;
  }

  get connected(): boolean {
    return this.connection !== undefined;
  }

  /** Why nothing can be shown (no kubeconfig, unreachable, untrusted …); undefined when it can. */
  get problem(): ClusterError | undefined {
    return this.lastProblem;
  }

  /** The judged inventory of the objects as last seen; undefined before the first list. */
  get inventory(): ClusterInventory | undefined {
    return this.judged;
  }

  /** The client of the current connection (the YAML document reads the object it shows with it). */
  get client(): ClusterClient | undefined {
    return this.connection?.client;
  }

  /** True once listed, or when a problem stops the list. */
  get settled(): boolean {
    return this.lastProblem !== undefined || this.judged !== undefined;
  }

  /** Called after every list or watch event, judgement, change of context or problem. */
  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /**
   * Resolves true as soon as `predicate` holds (checked now and after each change), false after
   * `timeoutMs` or when the session is disposed.
   */
  until(predicate: () => boolean, timeoutMs = 20_000): Promise<boolean> {
    if (predicate()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (result: boolean) => {
        clearTimeout(timer);
        subscription.dispose();
        resolve(result);
      };
      const timer = setTimeout(() => done(false), timeoutMs);
      const subscription = this.onDidChange(() => {
        if (this.disposed) done(false);
        else if (predicate()) done(true);
      });
    });
  }

  ensureConnected(): Promise<void> {
    if (this.connection || this.disposed) return Promise.resolve();
    this.connecting ??= this.connect().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  /** Drops the connection and what was read; connects again when `now` (the view is shown). */
  async reconnect(now: boolean): Promise<void> {
    await this.connecting;
    this.disconnect();
    this.changed();
    if (now) await this.ensureConnected();
  }

  /** Shows another context from now on (undefined: the kubeconfig's current-context). */
  async switchContext(context: string | undefined): Promise<void> {
    this.chosenContext = context;
    this.contextName = context ?? '';
    this.changed();
    await this.reconnect(true);
  }

  /** Lists again (or connects) and resolves once the new list is judged or a problem shows. */
  async refresh(timeoutMs = 20_000): Promise<void> {
    const connection = this.connection;
    if (!connection) {
      this.lastProblem = undefined;
      await this.ensureConnected();
      await this.until(() => this.settled, timeoutMs);
      return;
    }
    const before = this.answers;
    connection.watcher.refresh();
    await this.until(() => this.answers > before, timeoutMs);
  }

  /** Judges the objects again (the time, the warning threshold or the disabled findings moved). */
  rejudge(): void {
    const snapshot = this.connection?.watcher.snapshot;
    if (!snapshot || this.lastProblem) return;
    this.judged = this.judge(snapshot);
    this.changed();
  }

  dispose(): void {
    this.disposed = true;
    this.disconnect();
    this.changed();
    this.listeners.clear();
  }

  private judge(snapshot: ClusterSnapshot): ClusterInventory {
    return this.build!(snapshot, {
      ...this.deps.judgeOptions(),
      now: this.deps.now(),
    });
  }

  private changed(): void {
    for (const listener of [...this.listeners]) listener();
  }

  private disconnect(): void {
    this.connection?.watcher.stop();
    this.connection = undefined;
    this.judged = undefined;
    this.generation++;
  }

  private async connect(): Promise<void> {
    const generation = ++this.generation;
    // The watcher and the judging code (certificate checks, chain building) load with the first
    // connection.
    const { ClusterWatcher, buildClusterInventory } = await import('./clusterEngine');
    this.build = buildClusterInventory;
    let client: ClusterClient;
    try {
      client = await this.deps.connect(this.chosenContext);
    } catch (err) {
      if (generation === this.generation) this.setProblem(err);
      return;
    }
    if (generation !== this.generation || this.disposed) return;
    this.contextName = client.info.context;
    this.lastProblem = undefined;
    const readSecrets = this.deps.readSecrets();
    const watcher: ClusterWatcher = new ClusterWatcher(client, {
      location: this.deps.location(),
      context: client.info.context,
      readSecrets,
      onChange: (snapshot) => {
        if (connection !== this.connection) return;
        this.answers++;
        this.lastProblem = undefined;
        this.judged = this.judge(snapshot);
        this.changed();
      },
      onError: (error) => {
        if (connection !== this.connection) return;
        this.answers++;
        // While the cluster cannot be reached the problem replaces the tree; the watcher lists
        // again with backoff and onChange brings the tree back.
        if (error) this.setProblem(error);
        else this.rejudgeAfterError();
      },
      ...(this.deps.backoff
        ? { initialBackoffMs: this.deps.backoff.initialMs, maxBackoffMs: this.deps.backoff.maxMs }
        : {}),
    });
    const connection: Connection = { client, watcher };
    this.connection = connection;
    this.deps.log.info(
      `Cluster view: watching context ${client.info.context} (${client.info.server})${readSecrets ? '' : ', TLS Secrets not read (setting)'}`,
    );
    this.changed();
    watcher.start();
  }

  private rejudgeAfterError(): void {
    this.lastProblem = undefined;
    this.rejudge();
    this.changed();
  }

  private setProblem(err: unknown): void {
    this.lastProblem = asClusterError(err);
    this.deps.log.warn(`Cluster view: ${this.lastProblem.message}`);
    this.changed();
  }
}

/**
 * The error as a ClusterError. One thrown in the engine's bundle is another copy of the class:
 * recognised by its name and kind, not by instanceof.
 */
export function asClusterError(err: unknown): ClusterError {
  if (err instanceof ClusterError) return err;
  const e = err as Partial<ClusterError> | undefined;
  if (e?.name === 'ClusterError' && typeof e.kind === 'string' && typeof e.message === 'string')
    return new ClusterError(e.kind, e.message, e.details ?? {});
  return new ClusterError('other', String(err));
}
