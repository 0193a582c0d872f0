// Renewing a kubeconfig user's client certificate through the CSR API: plan from the kubeconfig,
// generate a key, submit a kubernetes.io/kube-apiserver-client CSR, approve it when allowed (else
// wait for someone who may), check what the signer returned against the cluster CA, write it back.
import { Buffer } from 'node:buffer';
import { createPublicKey } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { csrState, issuedCertificatePem, type Csr } from '../../core/csr/model';
import { mergeKubeconfigs } from '../../core/kubeconfig/merge';
import type { ClusterEntry } from '../../core/kubeconfig/model';
import { parseKubeconfig } from '../../core/kubeconfig/parse';
import {
  DEFAULT_EXPIRATION_SECONDS,
  KUBE_APISERVER_CLIENT_SIGNER,
  checkIssuedCertificate,
  csrManifest,
  planUserRenewal,
  type IssuedProblem,
  type UserRenewalPlan,
} from '../../core/renew/csr';
import type { Refusal } from '../../core/renew/messages';
import { previewRows, summarizeCertificate, type PreviewRow } from '../../core/renew/preview';
import { decodeBase64Data, decodeFileContent, type DecodeResult } from '../../core/x509/decode';
import { buildCertificateRequest, generateKey, privateKeyToPem, type KeySpec } from '../../core/x509/issue';
import type { Certificate } from '../../core/x509/model';
import { toPem } from '../../core/x509/pem';
import { systemClock, type Clock } from '../clock';
import { connectCluster, type ClusterClient } from '../cluster/client';
import { ClusterError } from '../cluster/errors';
import { kubeconfigFiles, type KubeconfigLocation } from '../cluster/kubeconfig';
import { credentialSlots, readSlot, writeUserCredentials, type UserCredentials } from './credentials';
import type { WriteHooks, WrittenFiles } from './files';

export interface UserRenewOptions extends KubeconfigLocation, WriteHooks {
  /** The context whose user is renewed; current-context by default. */
  readonly context?: string;
  /** Send the request with another context's credentials (needed once the user's own has expired). */
  readonly submitContext?: string;
  readonly expirationSeconds?: number;
  /** A key type other than the old one. */
  readonly key?: KeySpec;
  /** Approve the request in the same flow (when the submitting identity may). */
  readonly approve?: boolean;
  readonly dryRun?: boolean;
  readonly clock?: Clock;
  /** Cancels the wait for approval; the request stays on the cluster (garbage-collected later). */
  readonly signal?: AbortSignal;
  readonly pollIntervalMs?: number;
  /** Asked after planning, before anything is sent; false cancels. */
  readonly confirm?: (plan: UserRenewalPlan, target: UserTarget) => Promise<boolean>;
  readonly onProgress?: (event: UserRenewEvent) => void;
  /** Folders whose kubeconfigs may not run credential plugins (untrusted workspace). */
  readonly untrustedRoots?: readonly string[];
}

export interface UserTarget {
  readonly context: string;
  readonly user: string;
  readonly cluster: string;
  readonly files: readonly string[];
  readonly credentials: UserCredentials;
}

export type UserRenewEvent =
  | { readonly kind: 'submitted'; readonly csrName: string }
  | { readonly kind: 'approved'; readonly csrName: string }
  /** Nobody approved in this flow: who must, and why we did not. */
  | {
      readonly kind: 'approval-needed';
      readonly csrName: string;
      readonly signerName: string;
      readonly because: 'not-requested' | 'forbidden';
    }
  | { readonly kind: 'issued'; readonly csrName: string };

export type UserRenewal =
  | { readonly outcome: 'refused'; readonly refusal: Refusal }
  | { readonly outcome: 'planned'; readonly plan: UserRenewalPlan; readonly target: UserTarget }
  | {
      readonly outcome: 'cancelled';
      readonly plan: UserRenewalPlan;
      readonly target: UserTarget;
      readonly csrName?: string;
    }
  | {
      readonly outcome: 'renewed';
      readonly plan: UserRenewalPlan;
      readonly target: UserTarget;
      readonly csrName: string;
      readonly renewed: Certificate;
      /** Old versus what the signer actually issued. */
      readonly preview: readonly PreviewRow[];
      readonly written: WrittenFiles;
    };

/** The request ended without a certificate (denied, failed), or the wait was given up. */
export class CsrNotIssuedError extends Error {
  override readonly name = 'CsrNotIssuedError';
  constructor(
    readonly csrName: string,
    readonly state: 'denied' | 'failed',
    readonly reason: string,
  ) {
    super(
      `certificatesigningrequest ${csrName} was ${state}${reason ? `: ${reason}` : ''}; nothing was written`,
    );
  }
}

/** The signer returned a certificate that must not replace the old one. */
export class IssuedCertificateRejectedError extends Error {
  override readonly name = 'IssuedCertificateRejectedError';
  constructor(
    readonly csrName: string,
    readonly problems: readonly IssuedProblem[],
    message: string,
  ) {
    super(message);
  }
}

const DEFAULT_POLL_MS = 1000;
const MAX_NAME_ATTEMPTS = 5;

/** Reads the kubeconfig(s) and plans; nothing is sent. */
export async function planUserEntry(
  options: UserRenewOptions,
): Promise<
  | { ok: false; refusal: Refusal }
  | { ok: true; plan: UserRenewalPlan; target: UserTarget; current: Certificate; anchors: Certificate[] }
> {
  const clock = options.clock ?? systemClock;
  const { files } = kubeconfigFiles(options);
  const documents = await Promise.all(
    files.map(async (file) => parseKubeconfig(await fs.readFile(file, 'utf8'), file)),
  );
  const model = mergeKubeconfigs(documents);
  const fileList = files.join(', ');
  const contextName = options.context ?? model.currentContext?.field.value;
  if (!contextName)
    return { ok: false, refusal: { code: 'no-current-context', params: { files: fileList } } };
  const context = model.contexts.get(contextName);
  if (!context)
    return {
      ok: false,
      refusal: { code: 'unknown-context', params: { context: contextName, files: fileList } },
    };
  const userName = context.fields.user?.value ?? '';
  const clusterName = context.fields.cluster?.value ?? '';
  const cluster = model.clusters.get(clusterName);
  if (!cluster?.fields.server?.value)
    return { ok: false, refusal: { code: 'no-cluster', params: { context: contextName } } };
  const user = model.users.get(userName);
  const credentials = user ? credentialSlots(user) : { user: userName };
  if (!credentials.cert || !credentials.key) {
    return { ok: false, refusal: { code: 'no-client-certificate', params: { name: userName } } };
  }
  const current = (await readSlot(credentials.cert)).certificates[0]?.cert;
  if (!current) return { ok: false, refusal: { code: 'no-client-certificate', params: { name: userName } } };
  const anchors = await clusterAnchors(cluster);
  if (!anchors.length)
    return { ok: false, refusal: { code: 'no-cluster-ca', params: { cluster: clusterName } } };
  const keyFormat = (await readSlot(credentials.key)).privateKeys[0]?.format;

  const decision = planUserRenewal(
    {
      userName,
      current,
      expirationSeconds: options.expirationSeconds ?? DEFAULT_EXPIRATION_SECONDS,
      key: options.key,
      keyFormat:
        keyFormat === 'pkcs1' || keyFormat === 'pkcs8' || keyFormat === 'sec1' ? keyFormat : undefined,
      clusterCa: anchors[0],
      submitsWithOwnCredential: !options.submitContext || options.submitContext === contextName,
    },
    clock(),
  );
  if (!decision.ok) return decision;
  const target: UserTarget = {
    context: contextName,
    user: userName,
    cluster: clusterName,
    files,
    credentials,
  };
  return { ok: true, plan: decision.plan, target, current, anchors };
}

export async function renewUser(options: UserRenewOptions): Promise<UserRenewal> {
  const clock = options.clock ?? systemClock;
  const planned = await planUserEntry(options);
  if (!planned.ok) return { outcome: 'refused', refusal: planned.refusal };
  const { plan, target, current, anchors } = planned;
  if (options.dryRun) return { outcome: 'planned', plan, target };
  if (options.confirm && !(await options.confirm(plan, target)))
    return { outcome: 'cancelled', plan, target };

  const key = await generateKey(plan.key);
  const keyPem = privateKeyToPem(key, plan.keyFormat);
  const spkiDer = new Uint8Array(createPublicKey(key).export({ format: 'der', type: 'spki' }));
  const requestPem = await buildCertificateRequest({ subject: plan.subject, keyPem });

  const client = await connectCluster({
    kubeconfig: options.kubeconfig,
    env: options.env,
    homeDir: options.homeDir,
    platform: options.platform,
    context: options.submitContext ?? target.context,
    untrustedRoots: options.untrustedRoots,
  });
  const csrName = await createUniquely(client, csrManifest(plan, requestPem));
  options.onProgress?.({ kind: 'submitted', csrName });

  if (options.approve) {
    try {
      await client.setApproval(csrName, 'Approved', {
        message: 'This CSR was approved by kubecerts renew-user.',
      });
      options.onProgress?.({ kind: 'approved', csrName });
    } catch (err) {
      if (!(err instanceof ClusterError && err.kind === 'forbidden')) throw err;
      options.onProgress?.({
        kind: 'approval-needed',
        csrName,
        signerName: KUBE_APISERVER_CLIENT_SIGNER,
        because: 'forbidden',
      });
    }
  } else {
    options.onProgress?.({
      kind: 'approval-needed',
      csrName,
      signerName: KUBE_APISERVER_CLIENT_SIGNER,
      because: 'not-requested',
    });
  }

  const issued = await waitForCertificate(client, csrName, options);
  if (!issued) return { outcome: 'cancelled', plan, target, csrName };
  options.onProgress?.({ kind: 'issued', csrName });

  const chain = decodeFileContent(Buffer.from(issued, 'utf8')).certificates.map((c) => c.cert);
  const problems = checkIssuedCertificate(chain, { spkiDer, subject: plan.subject }, anchors, clock());
  const renewed = chain[0];
  if (problems.length || !renewed) {
    throw new IssuedCertificateRejectedError(
      csrName,
      problems,
      `the certificate issued for ${csrName} was not written: ${problems.map((p) => p.code).join(', ')}`,
    );
  }
  const certPem = chain.map((c) => toPem('CERTIFICATE', c.der)).join('');
  const written = await writeUserCredentials(target.credentials, { certPem, keyPem }, clock(), options);
  return {
    outcome: 'renewed',
    plan,
    target,
    csrName,
    renewed,
    preview: previewRows(summarizeCertificate(current), summarizeCertificate(renewed)),
    written,
  };
}

/** Creates the CSR; a name already taken (two renewals in one second) gets a numbered suffix. */
async function createUniquely(
  client: ClusterClient,
  manifest: ReturnType<typeof csrManifest>,
): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    const name = attempt ? `${manifest.metadata.name}-${attempt}` : manifest.metadata.name;
    try {
      return (await client.createCsr({ ...manifest, metadata: { ...manifest.metadata, name } })).metadata
        .name;
    } catch (err) {
      if (!(err instanceof ClusterError && err.kind === 'conflict') || attempt >= MAX_NAME_ATTEMPTS)
        throw err;
    }
  }
}

/** Polls the CSR until it carries a certificate; undefined when cancelled. Denied/Failed throw. */
async function waitForCertificate(
  client: ClusterClient,
  csrName: string,
  options: UserRenewOptions,
): Promise<string | undefined> {
  const interval = options.pollIntervalMs ?? DEFAULT_POLL_MS;
  for (;;) {
    if (options.signal?.aborted) return undefined;
    const csr: Csr = await client.getCsr(csrName);
    const state = csrState(csr);
    if (state === 'denied' || state === 'failed') {
      const condition = csr.status?.conditions?.find(
        (c) => c.type === (state === 'denied' ? 'Denied' : 'Failed'),
      );
      throw new CsrNotIssuedError(
        csrName,
        state,
        [condition?.reason, condition?.message].filter(Boolean).join(': '),
      );
    }
    const pem = issuedCertificatePem(csr);
    if (pem && state === 'approved') return pem;
    if (!(await sleep(interval, options.signal))) return undefined;
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

async function clusterAnchors(cluster: ClusterEntry): Promise<Certificate[]> {
  const data = cluster.fields['certificate-authority-data']?.value;
  const file = cluster.fields['certificate-authority'];
  let decoded: DecodeResult | undefined;
  if (data) decoded = decodeBase64Data(data);
  else if (file?.value) decoded = decodeFileContent(await fs.readFile(file.resolvedPath ?? file.value));
  return decoded?.certificates.map((c) => c.cert) ?? [];
}
