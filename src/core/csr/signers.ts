// What each built-in signer accepts (certificates.k8s.io/v1 docs and the kube-controller-manager
// signer's validation), as data. A request that breaks these rules ends Failed instead of issued,
// or — for the subject rules — would give a node identity to whoever asked for it.

export const NODE_USER_PREFIX = 'system:node:';
export const NODES_GROUP = 'system:nodes';
export const BOOTSTRAPPERS_GROUP = 'system:bootstrappers';
export const BOOTSTRAP_USER_PREFIX = 'system:bootstrap:';

export interface SignerRule {
  readonly doc: string;
  /** Every one of these usages must be requested. */
  readonly requiredUsages?: readonly string[];
  /** Usages outside this list are refused. */
  readonly allowedUsages?: readonly string[];
  /** The subject's O must be exactly this list. */
  readonly organizations?: readonly string[];
  readonly commonNamePrefix?: string;
  /** 'dns-or-ip': at least one DNS or IP SAN, no email or URI SAN; 'none': no SAN at all. */
  readonly sans?: 'dns-or-ip' | 'none';
  /** Bootstrap-token users may request this identity on a node's behalf (TLS bootstrapping). */
  readonly bootstrapRequesterAllowed?: boolean;
  /** kube-controller-manager never signs for it. */
  readonly neverSigned?: boolean;
}

const SERVER_OR_CLIENT_KEY = ['digital signature', 'key encipherment'];

export const SIGNER_RULES: Readonly<Record<string, SignerRule>> = {
  'kubernetes.io/kube-apiserver-client': {
    doc: 'Client certificates honoured by the API server; O=system:masters is refused by admission.',
    requiredUsages: ['client auth'],
    allowedUsages: [...SERVER_OR_CLIENT_KEY, 'client auth'],
  },
  'kubernetes.io/kube-apiserver-client-kubelet': {
    doc: 'Kubelet client certificates: O exactly system:nodes, CN system:node:<name>, no SANs.',
    requiredUsages: ['client auth'],
    allowedUsages: [...SERVER_OR_CLIENT_KEY, 'client auth'],
    organizations: [NODES_GROUP],
    commonNamePrefix: NODE_USER_PREFIX,
    sans: 'none',
    bootstrapRequesterAllowed: true,
  },
  'kubernetes.io/kubelet-serving': {
    doc: 'Kubelet serving certificates: O system:nodes, CN system:node:<name>, DNS/IP SANs of that node; never auto-approved.',
    requiredUsages: ['server auth'],
    allowedUsages: [...SERVER_OR_CLIENT_KEY, 'server auth'],
    organizations: [NODES_GROUP],
    commonNamePrefix: NODE_USER_PREFIX,
    sans: 'dns-or-ip',
  },
  'kubernetes.io/legacy-unknown': {
    doc: 'Kept for compatibility; kube-controller-manager never signs it, so approval issues nothing by itself.',
    neverSigned: true,
  },
};

/** Groups that grant cluster-admin (or more) to whoever holds the certificate. */
export const PRIVILEGED_GROUPS: readonly string[] = ['system:masters', 'kubeadm:cluster-admins'];

/** Weakest acceptable key size per algorithm, in bits. */
export const MIN_KEY_BITS: Readonly<Partial<Record<string, number>>> = { RSA: 2048, EC: 256 };

export const WEAK_HASHES: readonly string[] = ['MD5', 'SHA-1'];

/** kube-controller-manager's garbage collector deletes pending requests after this long. */
export const PENDING_GC_SECONDS = 24 * 3600;
