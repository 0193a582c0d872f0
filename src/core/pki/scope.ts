// Which of kubeadm's catalog entries a folder is expected to hold, beside the catalog they filter:
// a control plane has them all (less etcd's with an external etcd), a node that only joined has the
// cluster CA certificate and kubelet.conf, a cfssl or any other folder none (no MISSING rows).
import {
  KUBEADM_CAS,
  KUBEADM_CERTS,
  KUBEADM_KUBECONFIGS,
  SERVICE_ACCOUNT_KEY,
  caEntry,
  certPath,
  keyPath,
  type CaEntry,
  type CaName,
  type CertEntry,
  type KubeconfigEntry,
} from './catalog';
import { KUBELET_MARKERS } from './kubelet';

export type PkiLayout = 'kubeadm' | 'kubeadm-node' | 'kubelet' | 'cfssl' | 'generic';

export interface CatalogScope {
  readonly layout: PkiLayout;
  readonly cas: readonly CaEntry[];
  readonly certs: readonly CertEntry[];
  readonly kubeconfigs: readonly KubeconfigEntry[];
  /** A CA key's absence is worth a finding (`pki-ca-key-missing`): a node never holds them. */
  readonly caKeysExpected: boolean;
  readonly serviceAccountKey: boolean;
}

/** Files that only a control-plane node holds, and the one that marks a cfssl folder. */
const CONTROL_PLANE_MARKERS = [
  'manifests/kube-apiserver.yaml',
  certPath('apiserver'),
  'admin.conf',
  keyPath('ca'),
];
const CFSSL_MARKER = 'pki/ca.pem';

/** External etcd: kube-apiserver runs here but neither etcd's CA nor its static pod does. */
const EXTERNAL_ETCD = {
  present: ['manifests/kube-apiserver.yaml'],
  absent: [certPath('etcd/ca'), 'manifests/etcd.yaml'],
  skippedCa: 'etcd-ca' satisfies CaName,
} as const;

interface LayoutRule {
  readonly ca: (entry: CaEntry) => boolean;
  readonly cert: boolean;
  readonly kubeconfig: (entry: KubeconfigEntry) => boolean;
  readonly caKeysExpected: boolean;
  readonly serviceAccountKey: boolean;
}

const NOTHING: LayoutRule = {
  ca: () => false,
  cert: false,
  kubeconfig: () => false,
  caKeysExpected: false,
  serviceAccountKey: false,
};

const LAYOUT_RULES: Readonly<Record<PkiLayout, LayoutRule>> = {
  kubeadm: {
    ca: () => true,
    cert: true,
    kubeconfig: () => true,
    caKeysExpected: true,
    serviceAccountKey: true,
  },
  // `kubeadm join` of a worker writes ca.crt and kubelet.conf only.
  'kubeadm-node': {
    ...NOTHING,
    ca: (entry) => entry.name === 'ca',
    kubeconfig: (entry) => entry.rotatedByKubelet,
  },
  // /var/lib/kubelet: its certificates are items of their own (items/kubelet.ts).
  kubelet: NOTHING,
  cfssl: NOTHING,
  generic: NOTHING,
};

export function detectLayout(has: (path: string) => boolean): PkiLayout {
  if (CONTROL_PLANE_MARKERS.some(has)) return 'kubeadm';
  if (KUBELET_MARKERS.some(has)) return 'kubelet';
  const catalogFiles = [
    ...KUBEADM_CAS.map((e) => certPath(e.baseName)),
    ...KUBEADM_CERTS.map((e) => certPath(e.baseName)),
    ...KUBEADM_KUBECONFIGS.map((e) => e.name),
  ];
  if (catalogFiles.some(has)) return 'kubeadm-node';
  if (has(CFSSL_MARKER)) return 'cfssl';
  return 'generic';
}

/**
 * The catalog entries expected in a folder. `hasConfigDir` is false when a bare cert dir was scanned:
 * kubeconfigs are then not expected. The service-account pair is shown whenever one half is there.
 */
export function catalogScope(has: (path: string) => boolean, hasConfigDir: boolean): CatalogScope {
  const layout = detectLayout(has);
  const rule = LAYOUT_RULES[layout];
  const externalEtcd = EXTERNAL_ETCD.present.every(has) && !EXTERNAL_ETCD.absent.some(has);
  const caInScope = (name: CaName): boolean =>
    !(externalEtcd && name === EXTERNAL_ETCD.skippedCa) && rule.ca(caEntry(name));
  return {
    layout,
    cas: KUBEADM_CAS.filter((entry) => caInScope(entry.name)),
    certs: rule.cert ? KUBEADM_CERTS.filter((entry) => caInScope(entry.caName)) : [],
    kubeconfigs: hasConfigDir ? KUBEADM_KUBECONFIGS.filter(rule.kubeconfig) : [],
    caKeysExpected: rule.caKeysExpected,
    serviceAccountKey:
      rule.serviceAccountKey || has(SERVICE_ACCOUNT_KEY.privateKey) || has(SERVICE_ACCOUNT_KEY.publicKey),
  };
}
