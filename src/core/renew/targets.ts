// Which kubeadm catalog entry a name or a file is, for `renew NAME|all` and for the editor, which
// starts from a file (a PKI tree item, a diagnostic) rather than from a kubeadm name.
import {
  KUBEADM_CAS,
  KUBEADM_CERTS,
  KUBEADM_KUBECONFIGS,
  caEntry,
  certPath,
  keyPath,
  type CaEntry,
  type CertEntry,
  type KubeconfigEntry,
} from '../pki/catalog';

export type KubeadmTarget = CaEntry | CertEntry | KubeconfigEntry;

/** What `kubeadm certs renew all` renews, in catalog order (kubelet.conf is rotated by the kubelet). */
export const RENEWABLE_NAMES: readonly string[] = [
  ...KUBEADM_CERTS.map((entry) => entry.name),
  ...KUBEADM_KUBECONFIGS.filter((entry) => !entry.rotatedByKubelet).map((entry) => entry.name),
];

const ALL_TARGETS: readonly KubeadmTarget[] = [...KUBEADM_CAS, ...KUBEADM_CERTS, ...KUBEADM_KUBECONFIGS];

export function kubeadmTarget(name: string): KubeadmTarget | undefined {
  return ALL_TARGETS.find((entry) => entry.name === name);
}

/** Files of each entry, relative to the config dir (`pki/apiserver.crt`, `admin.conf`). */
export function targetFiles(target: KubeadmTarget): { readonly cert: string; readonly key?: string } {
  return target.kind === 'kubeconfig'
    ? { cert: target.name }
    : { cert: certPath(target.baseName), key: keyPath(target.baseName) };
}

/** The CA entry that signs a target (a CA signs itself). */
export function signingCa(target: KubeadmTarget): CaEntry {
  return target.kind === 'ca' ? target : caEntry(target.caName);
}

/** `pki/apiserver.key` → apiserver; `admin.conf` → admin.conf; a path outside the catalog → undefined. */
export function kubeadmTargetForPath(relativePath: string): KubeadmTarget | undefined {
  const normalized = relativePath.replace(/\\/g, '/').replace(/^\.\//, '');
  return ALL_TARGETS.find((entry) => {
    const files = targetFiles(entry);
    return files.cert === normalized || files.key === normalized;
  });
}
