// The cluster client kubecerts uses: a thin wrapper over @kubernetes/client-node 1.x (loaded on first
// connect, it is heavy) for CertificateSigningRequests and Nodes. Objects handed out are plain JSON
// (src/core/csr/model); approval follows kubectl certificate approve|deny.
import type { CertificatesV1Api, KubeConfig, V1CertificateSigningRequest } from '@kubernetes/client-node';
import { Buffer } from 'node:buffer';
import * as http from 'node:http';
import * as https from 'node:https';
import type { Csr, KubeNode } from '../../core/csr/model';
import { systemClock } from '../clock';
import type { ClientNode } from './clientNode';
import { ClusterError, toClusterError } from './errors';
import { loadKubeconfig, type LoadOptions } from './kubeconfig';

export type ConnectOptions = LoadOptions;

export type ApprovalDecision = 'Approved' | 'Denied';

export interface ApprovalOptions {
  /** Condition reason; kubectl uses KubectlApprove / KubectlDeny. */
  readonly reason?: string;
  readonly message?: string;
  /**
   * kubectl's --force: re-send the condition although it is already there, and send an approval of
   * a Denied CSR (or denial of an Approved one) to the server, which refuses it (422).
   */
  readonly force?: boolean;
  /**
   * The uid of the CSR the user reviewed. A CSR deleted and created again under the same name
   * (CSRs are garbage-collected, names reused) is another request: refused, never decided blindly.
   */
  readonly expectedUid?: string;
}

export interface ApprovalOutcome {
  readonly csr: Csr;
  /** False when the condition was already there and nothing was sent (kubectl's no-op). */
  readonly changed: boolean;
  /** Update attempts made (more than one after 409 conflicts). */
  readonly attempts: number;
}

/** kubectl retries an approval that hit an update conflict this many times. */
export const MAX_APPROVAL_ATTEMPTS = 10;

const CSR_PATH = '/apis/certificates.k8s.io/v1/certificatesigningrequests';
/** kubectl's default --chunk-size. */
const LIST_PAGE_SIZE = 500;

const DEFAULT_REASONS: Readonly<Record<ApprovalDecision, string>> = {
  Approved: 'KubecertsApprove',
  Denied: 'KubecertsDeny',
};
const DEFAULT_MESSAGES: Readonly<Record<ApprovalDecision, string>> = {
  Approved: 'This CSR was approved by kubecerts.',
  Denied: 'This CSR was denied by kubecerts.',
};
const OPPOSITE: Readonly<Record<ApprovalDecision, ApprovalDecision>> = {
  Approved: 'Denied',
  Denied: 'Approved',
};

/** What a watch stream delivers, as the API server sends it. */
export interface WatchEvent {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  readonly object: unknown;
}

export interface CsrList {
  readonly items: readonly Csr[];
  readonly resourceVersion: string;
}

let clientNode: Promise<ClientNode> | undefined;

/** Loads @kubernetes/client-node once, on first use. */
export function loadClientNode(): Promise<ClientNode> {
  clientNode ??= import('./clientNode').then((m) => m.clientNode);
  return clientNode;
}

export async function connectCluster(options: ConnectOptions = {}): Promise<ClusterClient> {
  const k8s = await loadClientNode();
  const loaded = loadKubeconfig(k8s, options);
  return new ClusterClient(k8s, loaded.kc, {
    context: loaded.context,
    contexts: loaded.contexts,
    server: loaded.cluster.server,
    userName: loaded.user.name,
    files: loaded.files,
  });
}

export class ClusterClient {
  private readonly certificates: CertificatesV1Api;

  constructor(
    private readonly k8s: ClientNode,
    private readonly kc: KubeConfig,
    readonly info: {
      readonly context: string;
      readonly contexts: readonly string[];
      readonly server: string;
      /** The kubeconfig user entry's name (not the cluster-side identity). */
      readonly userName: string;
      readonly files: readonly string[];
    },
  ) {
    this.certificates = kc.makeApiClient(k8s.CertificatesV1Api);
  }

  /**
   * Lists in pages of LIST_PAGE_SIZE, following `continue` like kubectl (--chunk-size 500): the
   * server answers each page quickly and no response holds thousands of objects at once. `signal`
   * aborts the request (a per-context timeout of `csr list --all-contexts`).
   */
  async listCsrs(options: { readonly signal?: AbortSignal } = {}): Promise<CsrList> {
    try {
      const items: Csr[] = [];
      let resourceVersion = '';
      let token = '';
      do {
        const query = `?limit=${LIST_PAGE_SIZE}` + (token ? `&continue=${encodeURIComponent(token)}` : '');
        const page = (await this.getJson(CSR_PATH + query, options.signal)) as {
          items?: Csr[];
          metadata?: { resourceVersion?: string; continue?: string };
        };
        for (const item of page.items ?? []) items.push(item);
        // Every page of one list is served from the same snapshot: its version is the list's.
        resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
        token = page.metadata?.continue ?? '';
      } while (token);
      return { items, resourceVersion };
    } catch (err) {
      throw toClusterError(err, 'list certificatesigningrequests', [
        'list and watch on certificatesigningrequests.certificates.k8s.io',
      ]);
    }
  }

  async getCsr(name: string): Promise<Csr> {
    return toPlain(await this.readModel(name));
  }

  async createCsr(csr: {
    metadata: { name?: string; generateName?: string };
    spec: Pick<Csr['spec'], 'request' | 'signerName' | 'usages' | 'expirationSeconds'>;
  }): Promise<Csr> {
    try {
      // Requester fields (username, groups, …) are set by the API server; only the request is sent.
      const { request, signerName, usages, expirationSeconds } = csr.spec;
      const body: V1CertificateSigningRequest = {
        apiVersion: 'certificates.k8s.io/v1',
        kind: 'CertificateSigningRequest',
        metadata: csr.metadata,
        spec: { request, signerName, usages: usages ? [...usages] : undefined, expirationSeconds },
      };
      return toPlain(await this.certificates.createCertificateSigningRequest({ body }));
    } catch (err) {
      throw toClusterError(err, 'create certificatesigningrequest', [
        'create on certificatesigningrequests.certificates.k8s.io',
      ]);
    }
  }

  async deleteCsr(name: string): Promise<void> {
    try {
      await this.certificates.deleteCertificateSigningRequest({ name });
    } catch (err) {
      throw toClusterError(err, `delete certificatesigningrequest ${name}`, [
        'delete on certificatesigningrequests.certificates.k8s.io',
      ]);
    }
  }

  /** A plain GET: client-node's CoreV1Api (700 KB of its bundle) would serve only this read. */
  async getNode(name: string): Promise<KubeNode> {
    try {
      return (await this.getJson(`/api/v1/nodes/${encodeURIComponent(name)}`)) as KubeNode;
    } catch (err) {
      throw toClusterError(err, `get node ${name}`, ['get on nodes']);
    }
  }

  /**
   * kubectl certificate approve|deny: read, add the condition, update the /approval subresource;
   * on 409 read again and retry, up to MAX_APPROVAL_ATTEMPTS. An Approved CSR cannot become Denied
   * nor the reverse (the API answers 422); without `force` this is refused before sending.
   */
  async setApproval(
    name: string,
    decision: ApprovalDecision,
    options: ApprovalOptions = {},
  ): Promise<ApprovalOutcome> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.readModel(name);
      if (options.expectedUid !== undefined && current.metadata?.uid !== options.expectedUid) {
        throw new ClusterError(
          'refused',
          `certificatesigningrequest ${name} is no longer the request that was reviewed (it was deleted and created again); review the new one before deciding.`,
        );
      }
      // The update carries this uid and resourceVersion: if the object changes or is replaced
      // before it lands, the server answers 409 and the loop reads and checks it again.
      const conditions = current.status?.conditions ?? [];
      const has = (type: string): boolean => conditions.some((c) => c.type === type && c.status !== 'False');
      if (has(OPPOSITE[decision]) && !options.force) {
        throw new ClusterError(
          'refused',
          `certificatesigningrequest ${name} is already ${OPPOSITE[decision]}; it can never be ${decision} (the requester must submit a new CSR).`,
        );
      }
      if (has(decision) && !options.force)
        return { csr: toPlain(current), changed: false, attempts: attempt - 1 };

      const now = systemClock();
      current.status = {
        ...current.status,
        conditions: [
          ...conditions,
          {
            type: decision,
            status: 'True',
            reason: options.reason || DEFAULT_REASONS[decision],
            message: options.message || DEFAULT_MESSAGES[decision],
            lastUpdateTime: now,
            lastTransitionTime: now,
          },
        ],
      };
      try {
        const updated = await this.certificates.replaceCertificateSigningRequestApproval({
          name,
          body: current,
        });
        return { csr: toPlain(updated), changed: true, attempts: attempt };
      } catch (err) {
        const error = toClusterError(
          err,
          `${decision === 'Approved' ? 'approve' : 'deny'} certificatesigningrequest ${name}`,
          [
            'update on certificatesigningrequests.certificates.k8s.io/approval',
            `approve on signers.certificates.k8s.io with resourceName ${current.spec.signerName} (or ${signerDomain(current.spec.signerName)}/*)`,
          ],
        );
        if (error.kind !== 'conflict' || attempt >= MAX_APPROVAL_ATTEMPTS) throw error;
      }
    }
  }

  /**
   * Opens a watch on CSRs from `resourceVersion`. `onEvent` gets each event; `onClose` is called
   * once when the stream ends (err undefined: closed by the server or by stop()).
   */
  async watchCsrs(
    resourceVersion: string,
    onEvent: (event: WatchEvent) => void,
    onClose: (err?: ClusterError) => void,
  ): Promise<() => void> {
    const watch = new this.k8s.Watch(this.kc);
    let stopped = false;
    const controller = await watch.watch(
      CSR_PATH,
      { resourceVersion, allowWatchBookmarks: true },
      (type, object) => onEvent({ type: type as WatchEvent['type'], object }),
      (err: unknown) => {
        if (stopped) return;
        stopped = true;
        onClose(
          err && !isAbort(err)
            ? toClusterError(err, 'watch certificatesigningrequests', [
                'watch on certificatesigningrequests.certificates.k8s.io',
              ])
            : undefined,
        );
      },
    );
    return () => {
      stopped = true;
      controller.abort();
    };
  }

  /**
   * Opens a watch on any collection path (the Cluster Certificates objects); same contract as
   * watchCsrs. `query` holds the list options (fieldSelector, resourceVersion, …).
   */
  async watchPath(
    apiPath: string,
    query: Record<string, string | boolean>,
    action: string,
    onEvent: (event: WatchEvent) => void,
    onClose: (err?: ClusterError) => void,
  ): Promise<() => void> {
    const watch = new this.k8s.Watch(this.kc);
    let stopped = false;
    const controller = await watch.watch(
      apiPath,
      { allowWatchBookmarks: true, ...query },
      (type, object) => onEvent({ type: type as WatchEvent['type'], object }),
      (err: unknown) => {
        if (stopped) return;
        stopped = true;
        onClose(err && !isAbort(err) ? toClusterError(err, action) : undefined);
      },
    );
    return () => {
      stopped = true;
      controller.abort();
    };
  }

  /**
   * GET and JSON.parse. client-node's ObjectSerializer (typed models, Dates, then toPlain back to
   * JSON) costs more than the request on thousands of CSRs; the KubeConfig still supplies the TLS
   * settings, credentials (tokens, exec plugins) and proxy agent. Errors have client-node's shape
   * (`code` = HTTP status, `body`) for toClusterError.
   */
  async getJson(apiPath: string, signal?: AbortSignal): Promise<unknown> {
    const server = this.kc.getCurrentCluster()?.server ?? this.info.server;
    const url = new URL(server.replace(/\/+$/, '') + apiPath);
    const options: https.RequestOptions = {
      method: 'GET',
      headers: { Accept: 'application/json' },
      ...(signal ? { signal } : {}),
    };
    await this.kc.applyToHTTPSOptions(options);
    const transport = url.protocol === 'http:' ? http : https;
    return new Promise((resolve, reject) => {
      const request = transport.request(url, options, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          const status = response.statusCode ?? 0;
          if (status < 200 || status >= 300) {
            reject(Object.assign(new Error(`HTTP ${status}`), { code: status, body }));
            return;
          }
          try {
            resolve(JSON.parse(body));
          } catch (error) {
            reject(error);
          }
        });
      });
      request.on('error', reject);
      request.end();
    });
  }

  private async readModel(name: string): Promise<V1CertificateSigningRequest> {
    try {
      return await this.certificates.readCertificateSigningRequest({ name });
    } catch (err) {
      throw toClusterError(err, `get certificatesigningrequest ${name}`, [
        'get on certificatesigningrequests.certificates.k8s.io',
      ]);
    }
  }
}

function signerDomain(signerName: string): string {
  return signerName.split('/')[0];
}

function isAbort(err: unknown): boolean {
  return (err as { name?: unknown }).name === 'AbortError' || (err as { type?: unknown }).type === 'aborted';
}

/** client-node model objects carry Date instances; the rest of kubecerts works on the JSON form. */
function toPlain(model: object): Csr {
  return JSON.parse(JSON.stringify(model)) as Csr;
}
