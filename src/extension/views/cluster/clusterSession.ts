// The Cluster Certificates view's state machine, free of `vscode` so plain Node tests drive it
// against the demo API server: on the connection lifecycle it shares with the CSR view
// (watchSession.ts), a ClusterWatcher keeping the context's certificate-holding objects live
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
import type { KubeconfigLocation } from '../../../node/cluster/kubeconfig';
import { WatchSession, type WatchSessionDeps } from '../watchSession';

export interface ClusterSessionDeps extends WatchSessionDeps {
  /** The kubeconfig the client came from: the context's namespace and cluster CA are read from it. */
  readonly location: () => KubeconfigLocation;
  /** List TLS Secrets (the user's setting); false: the group says they were not read. */
  readonly readSecrets: () => boolean;
  /** Warning threshold and enabled findings (the time comes from `now`). */
  readonly judgeOptions: () => Omit<InventoryOptions, 'now'>;
  readonly now: () => Date;
}

interface Connection {
  readonly client: ClusterClient;
  readonly watcher: ClusterWatcher;
}

/** What a connection needs from the engine chunk (./clusterEngine). */
interface ClusterEngine {
  readonly ClusterWatcher: typeof ClusterWatcher;
}

export class ClusterSession extends WatchSession<ClusterEngine, Connection, ClusterSessionDeps> {
  private judged: ClusterInventory | undefined;
  /** Bumped by every answer of the watcher (a snapshot or an error): refresh() waits for the next. */
  private answers = 0;
  /** core's buildClusterInventory, from the engine's bundle once loaded. */
  private build: typeof buildClusterInventory | undefined;

  constructor(deps: ClusterSessionDeps) {
    super(deps, 'Cluster view');
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

  protected async load(): Promise<ClusterEngine> {
    // The watcher and the judging code (certificate checks, chain building) load with the first
    // connection.
    const { ClusterWatcher, buildClusterInventory } = await import('./clusterEngine');
    this.build = buildClusterInventory;
    return { ClusterWatcher };
  }

  protected watch(client: ClusterClient, { ClusterWatcher }: ClusterEngine): Connection {
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
      ...this.backoffOptions(),
    });
    const connection: Connection = { client, watcher };
    this.deps.log.info(
      `Cluster view: watching context ${client.info.context} (${client.info.server})${readSecrets ? '' : ', TLS Secrets not read (setting)'}`,
    );
    return connection;
  }

  protected forget(): void {
    this.judged = undefined;
  }

  private judge(snapshot: ClusterSnapshot): ClusterInventory {
    return this.build!(snapshot, {
      ...this.deps.judgeOptions(),
      now: this.deps.now(),
    });
  }

  private rejudgeAfterError(): void {
    this.lastProblem = undefined;
    this.rejudge();
    this.changed();
  }
}
