// The CSR view's state machine, free of `vscode` so plain Node tests drive it against the demo
// API server: on the connection lifecycle it shares with the Cluster Certificates view
// (watchSession.ts), a CsrWatcher keeping the list live, one review per CSR version, and decisions
// sent with the uid the user saw. The view renders what this holds and listens to onDidChange.
import { csrState, isIssued, type Csr } from '../../../core/csr/model';
import type { CsrPolicy, CsrReview } from '../../../core/csr/risk';
import type { ApprovalDecision, ClusterClient } from '../../../node/cluster/client';
import { CsrWatcher } from '../../../node/cluster/csrWatch';
import { ClusterError } from '../../../node/cluster/errors';
import type { NodeCache, reviewInCluster } from '../../../node/cluster/review';
import { WatchSession, type WatchSessionDeps } from '../watchSession';

export interface CsrEntry {
  readonly csr: Csr;
  /** Undefined while the review (which may read a Node) is still running. */
  readonly review?: CsrReview;
}

export interface CsrSessionDeps extends WatchSessionDeps {
  readonly policy: () => CsrPolicy;
  readonly now: () => Date;
}

export interface DecisionFailure {
  readonly name: string;
  readonly error: ClusterError;
}

/** Time the host gives reviews before it paints and answers again. */
const REVIEW_SLICE_MS = 8;

type ReviewFunction = typeof reviewInCluster;

interface PendingReview {
  readonly connection: Connection;
  readonly csr: Csr;
  readonly version: string;
}

interface Connection {
  readonly client: ClusterClient;
  readonly watcher: CsrWatcher;
  readonly nodes: NodeCache;
}

/** What a connection needs from the engine chunk (./csrEngine). */
interface CsrEngine {
  readonly NodeCache: typeof NodeCache;
}

export class CsrSession extends WatchSession<CsrEngine, Connection, CsrSessionDeps> {
  /** Reviews by CSR name, each for one uid and state. */
  private readonly reviews = new Map<string, { version: string; review?: CsrReview }>();
  /** Reviews to run, oldest first (see drainReviews). */
  private readonly pending: PendingReview[] = [];
  private draining = false;

  constructor(deps: CsrSessionDeps) {
    super(deps, 'CSR view');
  }

  /** Every CSR with its review, by name. */
  entries(): ReadonlyMap<string, CsrEntry> {
    const entries = new Map<string, CsrEntry>();
    for (const csr of this.connection?.watcher.items.values() ?? [])
      entries.set(csr.metadata.name, { csr, review: this.reviews.get(csr.metadata.name)?.review });
    return entries;
  }

  entry(name: string): CsrEntry | undefined {
    const csr = this.connection?.watcher.items.get(name);
    return csr && { csr, review: this.reviews.get(name)?.review };
  }

  /** True once listed and every CSR is reviewed, or when a problem stops the list. */
  get settled(): boolean {
    if (this.lastProblem) return true;
    const watcher = this.connection?.watcher;
    if (!watcher?.synced) return false;
    return [...watcher.items.keys()].every((name) => this.reviews.get(name)?.review);
  }

  /**
   * Resolves once nothing has changed for `idleMs` (a decision is followed by a burst: the
   * condition, the review of the new state, the signed certificate), or after `maxMs`.
   */
  quiet(idleMs = 250, maxMs = 3_000): Promise<void> {
    return new Promise((resolve) => {
      let idle: NodeJS.Timeout;
      const done = () => {
        clearTimeout(idle);
        clearTimeout(max);
        subscription.dispose();
        resolve();
      };
      const max = setTimeout(done, maxMs);
      const subscription = this.onDidChange(() => {
        clearTimeout(idle);
        idle = setTimeout(done, idleMs);
      });
      idle = setTimeout(done, idleMs);
    });
  }

  /** Lists again (or connects) and resolves once the list is settled. */
  async refresh(timeoutMs = 20_000): Promise<void> {
    this.lastProblem = undefined;
    if (this.connection) {
      this.connection.nodes.clear();
      this.reviews.clear();
      this.connection.watcher.refresh();
      this.changed();
    } else {
      await this.ensureConnected();
    }
    await this.until(() => this.settled, timeoutMs);
  }

  /** Reviews every CSR again (the policy changed). */
  rereview(): void {
    this.reviews.clear();
    if (this.connection) this.onCsrs(this.connection, this.connection.watcher.items);
  }

  /** The CSR as the cluster has it now: from the watch, else read. */
  async read(name: string): Promise<Csr | undefined> {
    return this.connection?.watcher.items.get(name) ?? (await this.connection?.client.getCsr(name));
  }

  /**
   * Sets the condition on each CSR, in order. Each carries the uid of the CSR shown: a same-name
   * replacement must be reviewed, not decided blindly. Resolves with the failures.
   */
  async decide(
    names: readonly string[],
    decision: ApprovalDecision,
    condition: { readonly reason?: string; readonly message?: string },
  ): Promise<DecisionFailure[]> {
    const connection = this.connection;
    if (!connection) throw this.lastProblem ?? new ClusterError('other', 'not connected');
    const failures: DecisionFailure[] = [];
    for (const name of names) {
      try {
        await connection.client.setApproval(name, decision, {
          ...condition,
          expectedUid: connection.watcher.items.get(name)?.metadata.uid,
        });
      } catch (err) {
        const error = err instanceof ClusterError ? err : new ClusterError('other', String(err));
        this.deps.log.warn(`CSR ${name}: ${error.message}`);
        failures.push({ name, error });
      }
    }
    return failures;
  }

  /** Resolves once each decided CSR shows its decision in the watched list (or after the timeout). */
  decisionsSeen(names: readonly string[], timeoutMs = 10_000): Promise<boolean> {
    return this.until(
      () =>
        names.every((n) => {
          const csr = this.connection?.watcher.items.get(n);
          return !csr || csrState(csr) !== 'pending';
        }),
      timeoutMs,
    );
  }

  /**
   * Resolves once every named request has reached where its decision leads: an approved one
   * issued (or failed), a denied one denied. A cluster whose signer never issues is waited for up
   * to `timeoutMs` only. Each step moves the row, so revealing earlier would race a refresh.
   */
  decisionsSettled(names: readonly string[], timeoutMs = 5_000): Promise<boolean> {
    return this.until(
      () =>
        names.every((n) => {
          const csr = this.connection?.watcher.items.get(n);
          if (!csr) return true;
          const state = csrState(csr);
          return state === 'denied' || state === 'failed' || (state === 'approved' && isIssued(csr));
        }),
      timeoutMs,
    );
  }

  protected async load(): Promise<CsrEngine> {
    // The review module pulls in the PKCS#10 decoder: loaded with the first connection.
    const { NodeCache } = await import('./csrEngine');
    return { NodeCache };
  }

  protected watch(client: ClusterClient, { NodeCache }: CsrEngine): Connection {
    const nodes = new NodeCache(client);
    const watcher: CsrWatcher = new CsrWatcher(client, {
      onChange: (csrs) => this.onCsrs(connection, csrs),
      onError: (error) => {
        if (connection !== this.connection) return;
        if (error) this.setProblem(error);
        else {
          this.lastProblem = undefined;
          this.onCsrs(connection, watcher.items);
        }
      },
      ...this.backoffOptions(),
    });
    const connection: Connection = { client, watcher, nodes };
    this.deps.log.info(`CSR view: watching context ${client.info.context} (${client.info.server})`);
    return connection;
  }

  protected forget(): void {
    this.reviews.clear();
  }

  private onCsrs(connection: Connection, csrs: ReadonlyMap<string, Csr>): void {
    if (connection !== this.connection) return;
    for (const name of this.reviews.keys()) if (!csrs.has(name)) this.reviews.delete(name);
    for (const csr of csrs.values()) {
      // The spec cannot change; the review depends on it and on the state (a signed certificate
      // or a new condition time need no second review).
      const version = `${csr.metadata.uid ?? ''}/${csrState(csr)}`;
      if (this.reviews.get(csr.metadata.name)?.version === version) continue;
      this.reviews.set(csr.metadata.name, { version });
      this.pending.push({ connection, csr, version });
    }
    if (!connection.watcher.error) this.lastProblem = undefined;
    this.changed();
    if (this.pending.length && !this.draining) {
      this.draining = true;
      setImmediate(() => void this.drainReviews());
    }
  }

  /**
   * Reviews (PKCS#10 decode, self-signature, risk rules) run after the list is shown, in slices of
   * REVIEW_SLICE_MS between which the extension host paints and answers: 5,000 CSRs cost a few
   * hundred milliseconds of signatures, which must neither hold back the list nor block the host.
   */
  private async drainReviews(): Promise<void> {
    try {
      const { reviewInCluster: review } = await import('./csrEngine');
      while (this.pending.length) {
        const started = performance.now();
        let done = 0;
        while (done < this.pending.length && performance.now() - started < REVIEW_SLICE_MS)
          this.startReview(review, this.pending[done++]);
        this.pending.splice(0, done);
        // The slice's reviews settle in the microtasks queued before this one.
        await null;
        this.changed();
        if (this.pending.length) await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      this.draining = false;
    }
  }

  /** Runs one review; the part that needs no Node runs now, a Node lookup finishes later. */
  private startReview(review: ReviewFunction, job: PendingReview): void {
    const { connection, csr, version } = job;
    if (connection !== this.connection || this.reviews.get(csr.metadata.name)?.version !== version) return;
    review(csr, connection.nodes, this.deps.now(), this.deps.policy()).then(
      (result) => {
        const slot = this.reviews.get(csr.metadata.name);
        if (connection !== this.connection || slot?.version !== version) return;
        const later = slot.review === undefined && !this.draining;
        slot.review = result;
        // Reviews finished within a slice are announced with it; a late one (a Node read) alone.
        if (later) this.changed();
      },
      (err: unknown) => this.deps.log.error(`CSR view: review of ${csr.metadata.name} failed`, err),
    );
  }
}
