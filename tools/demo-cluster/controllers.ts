// The certificate controllers of kube-controller-manager: the signer (issues approved requests
// for the built-in signers or fails them), the approver (TLS bootstrapping node client requests,
// decided by a SubjectAccessReview against the same authorization data), and the cleaner.
import { authorize } from './authz';
import { parseRequest } from './certificateRequest';
import { signRequest, signerRule, signerValidationError, pemToBase64, type ClusterCa } from './signers';
import { rfc3339, type CsrStore, type StoreEvent } from './store';
import type { Csr, CsrCondition } from './types';

export interface ControllerOptions {
  readonly store: CsrStore;
  readonly ca: ClusterCa;
  readonly now: () => Date;
  readonly signingDurationMs: number;
  /** Garbage collection of old CSRs; absent = keep everything. */
  readonly gc?: { readonly intervalMs: number } & GcPolicy;
  readonly onError?: (err: unknown) => void;
}

/** Ages after which the cleaner deletes a CSR (upstream csrcleaner defaults). */
export interface GcPolicy {
  readonly approvedAfterMs: number;
  readonly deniedAfterMs: number;
  readonly failedAfterMs: number;
  readonly pendingAfterMs: number;
}

export const UPSTREAM_GC_POLICY: GcPolicy = {
  approvedAfterMs: 3600_000,
  deniedAfterMs: 3600_000,
  failedAfterMs: 3600_000,
  pendingAfterMs: 24 * 3600_000,
};

/** The approver's recognizers: which SubjectAccessReview authorizes auto-approval. */
const NODE_CLIENT_RECOGNIZERS = [
  {
    subresource: 'selfnodeclient',
    self: true,
    message: 'Auto approving self kubelet client certificate after SubjectAccessReview.',
  },
  {
    subresource: 'nodeclient',
    self: false,
    message: 'Auto approving kubelet client certificate after SubjectAccessReview.',
  },
] as const;

const KUBELET_CLIENT_SIGNER = 'kubernetes.io/kube-apiserver-client-kubelet';

export class CertificateControllers {
  private readonly pending = new Set<string>();
  private running: Promise<void> | undefined;
  private unsubscribe: (() => void) | undefined;
  private gcTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly options: ControllerOptions) {}

  start(): void {
    const { store } = this.options;
    this.unsubscribe = store.watch(store.resourceVersion, (event) => this.onEvent(event));
    for (const csr of store.list()) this.enqueue(csr.metadata.name);
    if (this.options.gc) {
      this.gcTimer = setInterval(
        () => void this.collectGarbage().catch((e) => this.options.onError?.(e)),
        this.options.gc.intervalMs,
      );
      this.gcTimer.unref();
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    if (this.gcTimer) clearInterval(this.gcTimer);
    await this.running;
  }

  /** Resolves once every queued request has been handled (tests and seeding wait on it). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private onEvent(event: StoreEvent): void {
    if (event.type !== 'DELETED') this.enqueue(event.object.metadata.name);
  }

  private enqueue(name: string): void {
    if (this.stopped) return;
    this.pending.add(name);
    this.running ??= this.drain().finally(() => {
      this.running = undefined;
    });
  }

  private async drain(): Promise<void> {
    // Yield first, like an informer: the request that triggered us gets its answer before we act.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.pending.size && !this.stopped) {
      const [name] = this.pending;
      this.pending.delete(name);
      try {
        await this.reconcile(name);
      } catch (err) {
        this.options.onError?.(err);
      }
    }
  }

  private async reconcile(name: string): Promise<void> {
    const csr = this.options.store.get(name);
    if (!csr) return;
    if (!hasCondition(csr, 'Approved') && !hasCondition(csr, 'Denied') && !csr.status.certificate) {
      await this.autoApprove(csr);
      return;
    }
    if (hasCondition(csr, 'Approved') && !hasCondition(csr, 'Failed') && !csr.status.certificate)
      await this.sign(csr);
  }

  private async autoApprove(csr: Csr): Promise<void> {
    if (csr.spec.signerName !== KUBELET_CLIENT_SIGNER) return;
    const rule = signerRule(KUBELET_CLIENT_SIGNER);
    const parsed = await parseRequest(csr.spec.request).catch(() => undefined);
    if (!rule || !parsed || signerValidationError(rule, parsed, csr.spec.usages)) return;
    const requester = { name: csr.spec.username ?? '', groups: csr.spec.groups ?? [] };
    for (const recognizer of NODE_CLIENT_RECOGNIZERS) {
      if (recognizer.self && csr.spec.username !== parsed.commonName) continue;
      const decision = authorize(requester, {
        verb: 'create',
        apiGroup: 'certificates.k8s.io',
        resource: 'certificatesigningrequests',
        subresource: recognizer.subresource,
      });
      if (decision !== 'allow') continue;
      await this.addCondition(csr, {
        type: 'Approved',
        status: 'True',
        reason: 'AutoApproved',
        message: recognizer.message,
      });
      return;
    }
  }

  private async sign(csr: Csr): Promise<void> {
    const rule = signerRule(csr.spec.signerName);
    if (!rule) return; // not one of ours: legacy-unknown and custom signers wait forever
    let parsed;
    try {
      parsed = await parseRequest(csr.spec.request);
    } catch (err) {
      await this.fail(csr, `unable to parse csr "${csr.metadata.name}": ${(err as Error).message}`);
      return;
    }
    const refusal = signerValidationError(rule, parsed, csr.spec.usages);
    if (refusal) {
      await this.fail(csr, refusal);
      return;
    }
    const certPem = await signRequest(this.options.ca, parsed, {
      now: this.options.now(),
      usages: csr.spec.usages,
      expirationSeconds: csr.spec.expirationSeconds,
      signingDurationMs: this.options.signingDurationMs,
    });
    await this.options.store.update(csr.metadata.name, csr.metadata.resourceVersion, (current) => ({
      ...current,
      status: { ...current.status, certificate: pemToBase64(certPem) },
    }));
  }

  private async fail(csr: Csr, message: string): Promise<void> {
    await this.addCondition(csr, {
      type: 'Failed',
      status: 'True',
      reason: 'SignerValidationFailure',
      message,
    });
  }

  private async addCondition(csr: Csr, condition: CsrCondition): Promise<void> {
    const stamp = rfc3339(this.options.now());
    await this.options.store.update(csr.metadata.name, csr.metadata.resourceVersion, (current) => ({
      ...current,
      status: {
        ...current.status,
        conditions: [
          ...(current.status.conditions ?? []),
          { ...condition, lastUpdateTime: stamp, lastTransitionTime: stamp },
        ],
      },
    }));
  }

  /** One pass of the cleaner; exported for tests through the cluster handle. */
  async collectGarbage(policy: GcPolicy = this.options.gc ?? UPSTREAM_GC_POLICY): Promise<string[]> {
    const now = this.options.now().getTime();
    const deleted: string[] = [];
    for (const csr of this.options.store.list()) {
      if (!isExpired(csr, policy, now)) continue;
      await this.options.store.delete(csr.metadata.name).then(
        () => deleted.push(csr.metadata.name),
        () => undefined, // already gone
      );
    }
    return deleted;
  }
}

function hasCondition(csr: Csr, type: string): boolean {
  return (csr.status.conditions ?? []).some((c) => c.type === type && c.status === 'True');
}

function isExpired(csr: Csr, policy: GcPolicy, now: number): boolean {
  const since = (type: string): number | undefined => {
    const c = (csr.status.conditions ?? []).find((x) => x.type === type);
    return c ? Date.parse(c.lastUpdateTime ?? csr.metadata.creationTimestamp) : undefined;
  };
  const checks: [number | undefined, number][] = [
    [since('Failed'), policy.failedAfterMs],
    [since('Denied'), policy.deniedAfterMs],
    [since('Approved'), policy.approvedAfterMs],
  ];
  for (const [at, ttl] of checks) if (at !== undefined) return now - at > ttl;
  return now - Date.parse(csr.metadata.creationTimestamp) > policy.pendingAfterMs;
}
