// The connection lifecycle the CSR and Cluster Certificates sessions share, free of `vscode` so
// plain Node tests drive it: one connection at a time to the chosen context (a newer connect or a
// switch of context makes older ones moot), the problem that stops the view, change listeners and
// waits on them. A session says what to load before connecting, what to watch on a connection and
// what to forget with it; what it reads and how it refreshes stay its own.
import type { ClusterClient } from '../../node/cluster/client';
import { ClusterError } from '../../node/cluster/errors';

export interface SessionLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string, err: unknown): void;
}

export interface WatchSessionDeps {
  /** Opens a client for the context (undefined: the kubeconfig's current-context); throws ClusterError. */
  readonly connect: (context: string | undefined) => Promise<ClusterClient>;
  readonly log: SessionLog;
  /** Reconnect backoff of the watch (tests shorten it). */
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
}

/** A connection: its client and the watcher that keeps what it reads live. */
export interface WatchedConnection {
  readonly client: ClusterClient;
  readonly watcher: { start(): void; stop(): void };
}

/**
 * `E`: what `load` brings (code kept out of the activation bundle until the first connection);
 * `C`: a connection as the session keeps it.
 */
export abstract class WatchSession<E, C extends WatchedConnection, D extends WatchSessionDeps> {
  protected connection: C | undefined;
  /** Why nothing can be shown; see `problem`. */
  protected lastProblem: ClusterError | undefined;
  protected disposed = false;
  private connecting: Promise<void> | undefined;
  /** Context chosen with Switch Context; undefined: the kubeconfig's current-context. */
  private chosenContext: string | undefined;
  private contextName = '';
  /** Bumped by every connect and disconnect: answers for an older one are dropped. */
  private generation = 0;
  private readonly listeners = new Set<() => void>();

  /** `viewName` starts the session's log lines ("CSR view"). */
  constructor(
    protected readonly deps: D,
    private readonly viewName: string,
  ) {}

  /** The context shown: the one connected, or the one being switched to. */
  get context(): string {
    return this.contextName;
  }

  get connected(): boolean {
    return this.connection !== undefined;
  }

  /** Why nothing can be shown (no kubeconfig, unreachable, forbidden, untrusted …); undefined when it can. */
  get problem(): ClusterError | undefined {
    return this.lastProblem;
  }

  /** Called after every change of what was read, the context or the problem. */
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

  dispose(): void {
    this.disposed = true;
    this.disconnect();
    this.changed();
    this.listeners.clear();
  }

  /** Loads what a connection needs; called before each connect. */
  protected abstract load(): Promise<E>;

  /** The connection to keep for a new client, its watcher not started yet (connect starts it). */
  protected abstract watch(client: ClusterClient, loaded: E): C;

  /** Drops what was read through the connection that ends. */
  protected abstract forget(): void;

  protected changed(): void {
    for (const listener of [...this.listeners]) listener();
  }

  protected setProblem(err: unknown): void {
    this.lastProblem = asClusterError(err);
    this.deps.log.warn(`${this.viewName}: ${this.lastProblem.message}`);
    this.changed();
  }

  /** The watcher's reconnect backoff options, when the deps shorten it. */
  protected backoffOptions(): { initialBackoffMs?: number; maxBackoffMs?: number } {
    const backoff = this.deps.backoff;
    return backoff ? { initialBackoffMs: backoff.initialMs, maxBackoffMs: backoff.maxMs } : {};
  }

  private disconnect(): void {
    this.connection?.watcher.stop();
    this.connection = undefined;
    this.forget();
    this.generation++;
  }

  private async connect(): Promise<void> {
    const generation = ++this.generation;
    const loaded = await this.load();
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
    const connection = this.watch(client, loaded);
    this.connection = connection;
    this.changed();
    connection.watcher.start();
  }
}

/**
 * The error as a ClusterError. One thrown in a lazily loaded bundle is another copy of the class:
 * recognised by its name and kind, not by instanceof.
 */
export function asClusterError(err: unknown): ClusterError {
  if (err instanceof ClusterError) return err;
  const e = err as Partial<ClusterError> | undefined;
  if (e?.name === 'ClusterError' && typeof e.kind === 'string' && typeof e.message === 'string')
    return new ClusterError(e.kind, e.message, e.details ?? {});
  return new ClusterError('other', String(err));
}
