// The kubeadm PKI as data, after kubeadm's certlist.go: the tree, `check-expiration`, renewal and the
// fixtures are all derived from these lists. Paths are relative to the kubeadm config dir
// (/etc/kubernetes); certificates live under `pki/`.
import type { KeyUsageName } from '../x509/issue';

export type CaName = 'ca' | 'front-proxy-ca' | 'etcd-ca';

/** Which SANs a certificate carries; resolved against the node's facts when issuing. */
export type SanRule = 'apiserver' | 'etcd-node';

export interface CaEntry {
  readonly kind: 'ca';
  readonly name: CaName;
  readonly longName: string;
  /** File base name under pki/: `<baseName>.crt` / `<baseName>.key`. */
  readonly baseName: string;
  readonly commonName: string;
}

export interface CertEntry {
  readonly kind: 'cert';
  /** kubeadm's name, as accepted by `kubeadm certs renew <name>`. */
  readonly name: string;
  readonly longName: string;
  readonly baseName: string;
  readonly caName: CaName;
  /** undefined: the node name (etcd server/peer use it as CN). */
  readonly commonName?: string;
  readonly organizations: readonly string[];
  readonly extKeyUsage: readonly ('serverAuth' | 'clientAuth')[];
  readonly sanRule?: SanRule;
}

export interface KubeconfigEntry {
  readonly kind: 'kubeconfig';
  /** File name in the config dir, also kubeadm's renew name. */
  readonly name: string;
  readonly longName: string;
  readonly caName: 'ca';
  /** undefined: `system:node:<nodeName>`. */
  readonly commonName?: string;
  readonly organizations: readonly string[];
  readonly userName?: string;
  /** kubelet.conf: rotated by the kubelet, never renewed by kubeadm. */
  readonly rotatedByKubelet: boolean;
  /** Absent on some healthy nodes (super-admin.conf exists only where `kubeadm init` ran, >= 1.29): no finding when missing. */
  readonly optional?: boolean;
}

export const CA_KEY_USAGE: readonly KeyUsageName[] = ['digitalSignature', 'keyEncipherment', 'keyCertSign'];
export const LEAF_KEY_USAGE: readonly KeyUsageName[] = ['digitalSignature', 'keyEncipherment'];

export const KUBEADM_CAS: readonly CaEntry[] = [
  {
    kind: 'ca',
    name: 'ca',
    longName: 'self-signed Kubernetes CA to provision identities for other Kubernetes components',
    baseName: 'ca',
    commonName: 'kubernetes',
  },
  {
    kind: 'ca',
    name: 'front-proxy-ca',
    longName: 'self-signed CA to provision identities for front proxy',
    baseName: 'front-proxy-ca',
    commonName: 'front-proxy-ca',
  },
  {
    kind: 'ca',
    name: 'etcd-ca',
    longName: 'self-signed CA to provision identities for etcd',
    baseName: 'etcd/ca',
    commonName: 'etcd-ca',
  },
];

export const KUBEADM_CERTS: readonly CertEntry[] = [
  {
    kind: 'cert',
    name: 'apiserver',
    longName: 'certificate for serving the Kubernetes API',
    baseName: 'apiserver',
    caName: 'ca',
    commonName: 'kube-apiserver',
    organizations: [],
    extKeyUsage: ['serverAuth'],
    sanRule: 'apiserver',
  },
  {
    kind: 'cert',
    name: 'apiserver-kubelet-client',
    longName: 'certificate for the API server to connect to kubelet',
    baseName: 'apiserver-kubelet-client',
    caName: 'ca',
    commonName: 'kube-apiserver-kubelet-client',
    organizations: ['kubeadm:cluster-admins'],
    extKeyUsage: ['clientAuth'],
  },
  {
    kind: 'cert',
    name: 'front-proxy-client',
    longName: 'certificate for the front proxy client',
    baseName: 'front-proxy-client',
    caName: 'front-proxy-ca',
    commonName: 'front-proxy-client',
    organizations: [],
    extKeyUsage: ['clientAuth'],
  },
  {
    kind: 'cert',
    name: 'etcd-server',
    longName: 'certificate for serving etcd',
    baseName: 'etcd/server',
    caName: 'etcd-ca',
    organizations: [],
    extKeyUsage: ['serverAuth', 'clientAuth'],
    sanRule: 'etcd-node',
  },
  {
    kind: 'cert',
    name: 'etcd-peer',
    longName: 'certificate for etcd nodes to communicate with each other',
    baseName: 'etcd/peer',
    caName: 'etcd-ca',
    organizations: [],
    extKeyUsage: ['serverAuth', 'clientAuth'],
    sanRule: 'etcd-node',
  },
  {
    kind: 'cert',
    name: 'etcd-healthcheck-client',
    longName: 'certificate for liveness probes to healthcheck etcd',
    baseName: 'etcd/healthcheck-client',
    caName: 'etcd-ca',
    commonName: 'kube-etcd-healthcheck-client',
    organizations: [],
    extKeyUsage: ['clientAuth'],
  },
  {
    kind: 'cert',
    name: 'apiserver-etcd-client',
    longName: 'certificate the apiserver uses to access etcd',
    baseName: 'apiserver-etcd-client',
    caName: 'etcd-ca',
    commonName: 'kube-apiserver-etcd-client',
    organizations: [],
    extKeyUsage: ['clientAuth'],
  },
];

export const KUBEADM_KUBECONFIGS: readonly KubeconfigEntry[] = [
  {
    kind: 'kubeconfig',
    name: 'admin.conf',
    longName: 'kubeconfig file for the admin to use and for kubeadm itself',
    caName: 'ca',
    commonName: 'kubernetes-admin',
    organizations: ['kubeadm:cluster-admins'],
    rotatedByKubelet: false,
  },
  {
    kind: 'kubeconfig',
    name: 'super-admin.conf',
    longName: 'kubeconfig file for the super-admin (break-glass, system:masters)',
    caName: 'ca',
    commonName: 'kubernetes-super-admin',
    organizations: ['system:masters'],
    rotatedByKubelet: false,
    optional: true,
  },
  {
    kind: 'kubeconfig',
    name: 'controller-manager.conf',
    longName: 'kubeconfig file for the controller manager to use',
    caName: 'ca',
    commonName: 'system:kube-controller-manager',
    organizations: [],
    rotatedByKubelet: false,
  },
  {
    kind: 'kubeconfig',
    name: 'scheduler.conf',
    longName: 'kubeconfig file for the scheduler manager to use',
    caName: 'ca',
    commonName: 'system:kube-scheduler',
    organizations: [],
    rotatedByKubelet: false,
  },
  {
    kind: 'kubeconfig',
    name: 'kubelet.conf',
    longName: 'kubeconfig file for the kubelet to use (its client certificate is rotated by the kubelet)',
    caName: 'ca',
    organizations: ['system:nodes'],
    rotatedByKubelet: true,
  },
];

/** The service-account token signing key pair (no certificate). */
export const SERVICE_ACCOUNT_KEY = { privateKey: 'pki/sa.key', publicKey: 'pki/sa.pub' } as const;

/** Which static pods read a catalog entry: named in the "restart these" reminder after renewal. */
export const RESTART_AFTER_RENEWAL: Readonly<Record<string, readonly string[]>> = {
  apiserver: ['kube-apiserver'],
  'apiserver-kubelet-client': ['kube-apiserver'],
  'apiserver-etcd-client': ['kube-apiserver'],
  'front-proxy-client': ['kube-apiserver'],
  'etcd-server': ['etcd'],
  'etcd-peer': ['etcd'],
  'etcd-healthcheck-client': ['etcd'],
  'admin.conf': [],
  'super-admin.conf': [],
  'controller-manager.conf': ['kube-controller-manager'],
  'scheduler.conf': ['kube-scheduler'],
};

export const DEFAULT_LEAF_VALIDITY_MS = 365 * 24 * 3600 * 1000;
export const DEFAULT_CA_VALIDITY_MS = 10 * 365 * 24 * 3600 * 1000;

export function caEntry(name: CaName): CaEntry {
  const entry = KUBEADM_CAS.find((ca) => ca.name === name);
  if (!entry) throw new Error(`unknown CA ${name}`);
  return entry;
}

export function certPath(baseName: string): string {
  return `pki/${baseName}.crt`;
}

export function keyPath(baseName: string): string {
  return `pki/${baseName}.key`;
}

/** `system:node:<name>` for kubelet.conf, the catalog's CN otherwise. */
export function kubeconfigCommonName(entry: KubeconfigEntry, nodeName: string): string {
  return entry.commonName ?? `system:node:${nodeName}`;
}

/** kubeadm's user name in each kubeconfig. */
export function kubeconfigUserName(entry: KubeconfigEntry, nodeName: string): string {
  return entry.userName ?? kubeconfigCommonName(entry, nodeName);
}
