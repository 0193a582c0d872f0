// `--seed`: the mix of requests an approver meets on a real cluster, each made through the same
// create/approve paths a client would use, so validation, the approver and the signer all run.
import {
  buildCertificateRequest,
  generateKey,
  privateKeyToPem,
  type SanSpec,
} from '../../src/core/x509/issue';
import { applyUpdate, createCsr } from './csrApi';
import type { CertificateControllers } from './controllers';
import { rfc3339, type CsrStore } from './store';
import type { Csr, UserInfo } from './types';

type Actor = 'bootstrap' | 'admin' | { readonly node: string } | UserInfo;

interface SeedEntry {
  readonly name: string;
  readonly requester: Actor;
  readonly commonName: string;
  readonly organizations: readonly string[];
  readonly sans?: SanSpec;
  readonly signerName: string;
  readonly usages: readonly string[];
  readonly expirationSeconds?: number;
  /** Minutes before now the request was made: gives the AGE column something to show. */
  readonly minutesAgo: number;
  readonly decision?: 'approve' | 'deny';
  /** Stored as if created through certificates.k8s.io/v1beta1, which v1 validation no longer allows. */
  readonly legacy?: boolean;
}

const ADMIN: UserInfo = {
  name: 'kubernetes-admin',
  groups: ['kubeadm:cluster-admins', 'system:authenticated'],
};
const CLIENT_KUBELET = 'kubernetes.io/kube-apiserver-client-kubelet';
const KUBELET_SERVING = 'kubernetes.io/kubelet-serving';
const APISERVER_CLIENT = 'kubernetes.io/kube-apiserver-client';
const NODE_CLIENT_USAGES = ['digital signature', 'client auth'];
const SERVING_USAGES = ['digital signature', 'server auth'];

export const SEED_CSRS: readonly SeedEntry[] = [
  // TLS bootstrapping: auto-approved and issued.
  ...['node-2', 'node-3'].map((node, i): SeedEntry => ({
    name: `node-csr-${node}-bootstrap`,
    requester: 'bootstrap',
    commonName: `system:node:${node}`,
    organizations: ['system:nodes'],
    signerName: CLIENT_KUBELET,
    usages: NODE_CLIENT_USAGES,
    minutesAgo: 95 - i * 3,
  })),
  {
    name: 'csr-node-1-serving',
    requester: { node: 'node-1' },
    commonName: 'system:node:node-1',
    organizations: ['system:nodes'],
    sans: { dns: ['node-1'], ip: ['10.0.0.11'] },
    signerName: KUBELET_SERVING,
    usages: SERVING_USAGES,
    minutesAgo: 12,
  },
  {
    name: 'csr-node-2-serving-unknown-sans',
    requester: { node: 'node-2' },
    commonName: 'system:node:node-2',
    organizations: ['system:nodes'],
    sans: { dns: ['node-2', 'api.attacker.example'], ip: ['10.0.0.99'] },
    signerName: KUBELET_SERVING,
    usages: SERVING_USAGES,
    minutesAgo: 9,
  },
  {
    name: 'csr-node-3-asks-for-node-1',
    requester: { node: 'node-3' },
    commonName: 'system:node:node-1',
    organizations: ['system:nodes'],
    signerName: CLIENT_KUBELET,
    usages: NODE_CLIENT_USAGES,
    minutesAgo: 7,
  },
  {
    name: 'csr-legacy-unknown',
    requester: ADMIN,
    commonName: 'legacy-client',
    organizations: [],
    signerName: 'kubernetes.io/legacy-unknown',
    usages: ['digital signature', 'key encipherment', 'client auth'],
    minutesAgo: 300,
    legacy: true,
  },
  {
    name: 'csr-jane-developer',
    requester: { name: 'jane', groups: ['developers', 'system:authenticated'] },
    commonName: 'jane',
    organizations: ['developers'],
    signerName: APISERVER_CLIENT,
    usages: ['digital signature', 'client auth'],
    expirationSeconds: 86400,
    minutesAgo: 40,
    decision: 'approve',
  },
  {
    name: 'csr-mallory-cluster-admin',
    requester: { name: 'mallory', groups: ['contractors', 'system:authenticated'] },
    commonName: 'mallory',
    organizations: ['kubeadm:cluster-admins'],
    signerName: APISERVER_CLIENT,
    usages: ['digital signature', 'client auth'],
    minutesAgo: 30,
    decision: 'deny',
  },
  {
    name: 'csr-node-1-serving-no-sans',
    requester: { node: 'node-1' },
    commonName: 'system:node:node-1',
    organizations: ['system:nodes'],
    signerName: KUBELET_SERVING,
    usages: SERVING_USAGES,
    minutesAgo: 25,
    decision: 'approve',
  },
];

export interface SeedOptions {
  readonly store: CsrStore;
  readonly now: Date;
  readonly bootstrapTokenId: string;
  readonly controllers: CertificateControllers;
}

/** Adds the seed CSRs that are not there yet (a restarted `--seed` cluster keeps its state). */
export async function seedCsrs({ store, now, bootstrapTokenId, controllers }: SeedOptions): Promise<void> {
  for (const entry of SEED_CSRS) {
    if (store.has(entry.name)) continue;
    const keyPem = privateKeyToPem(await generateKey({ algorithm: 'EC', curve: 'P-256' }));
    const request = await buildCertificateRequest({
      subject: { commonName: entry.commonName, organizations: entry.organizations },
      sans: entry.sans,
      keyPem,
    });
    const requester = requesterOf(entry.requester, bootstrapTokenId);
    const created = new Date(now.getTime() - entry.minutesAgo * 60_000);
    const body: Partial<Csr> = {
      metadata: { name: entry.name } as Csr['metadata'],
      spec: {
        request: Buffer.from(request).toString('base64'),
        signerName: entry.signerName,
        usages: [...entry.usages],
        ...(entry.expirationSeconds ? { expirationSeconds: entry.expirationSeconds } : {}),
      },
    };
    if (entry.legacy) {
      await store.create(legacyCsr(body, requester), created);
    } else {
      await createCsr(store, requester, body, created, false);
    }
    await controllers.idle();
    if (!entry.decision) continue;
    const decidedAt = new Date(created.getTime() + 2 * 60_000);
    const condition =
      entry.decision === 'approve'
        ? {
            type: 'Approved',
            status: 'True',
            reason: 'KubectlApprove',
            message: 'This CSR was approved by kubectl certificate approve.',
          }
        : {
            type: 'Denied',
            status: 'True',
            reason: 'KubectlDeny',
            message: 'This CSR was denied by kubectl certificate deny.',
          };
    await store.update(entry.name, undefined, (current) =>
      applyUpdate(
        'approval',
        current,
        {
          status: {
            conditions: [
              ...(current.status.conditions ?? []),
              { ...condition, lastUpdateTime: rfc3339(decidedAt) },
            ],
          },
        },
        ADMIN,
        decidedAt,
      ),
    );
    await controllers.idle();
  }
}

function requesterOf(actor: Actor, tokenId: string): UserInfo {
  if (actor === 'admin') return ADMIN;
  if (actor === 'bootstrap') {
    return {
      name: `system:bootstrap:${tokenId}`,
      groups: [
        'system:bootstrappers',
        'system:bootstrappers:kubeadm:default-node-token',
        'system:authenticated',
      ],
    };
  }
  if ('node' in actor)
    return { name: `system:node:${actor.node}`, groups: ['system:nodes', 'system:authenticated'] };
  return actor;
}

function legacyCsr(body: Partial<Csr>, requester: UserInfo): Csr {
  return {
    apiVersion: 'certificates.k8s.io/v1',
    kind: 'CertificateSigningRequest',
    metadata: { name: body.metadata?.name ?? '', uid: '', resourceVersion: '', creationTimestamp: '' },
    spec: { ...(body.spec as Csr['spec']), username: requester.name, groups: [...requester.groups] },
    status: {},
  };
}
