// The kubelet's own folder (/var/lib/kubelet), as data: which files hold its client and serving
// certificates, and what its config.yaml says about rotating them and where it listens. kubeadm's
// check-expiration leaves these out; the kubelet rotates them itself (client: rotateCertificates,
// serving: serverTLSBootstrap, else a self-signed kubelet.crt it never renews).
import { isMap, isScalar, parseDocument, type Node } from 'yaml';
import type { Span } from '../findings/finding';

export type KubeletCertRole = 'client' | 'serving';

export interface KubeletCertEntry {
  readonly name: string;
  readonly role: KubeletCertRole;
  readonly longName: string;
  /** Candidate files, the first present wins; `key` absent: the key is in the same file. */
  readonly files: (config: KubeletConfig | undefined) => readonly {
    readonly cert: string;
    readonly key?: string;
  }[];
}

const CURRENT_CLIENT = 'pki/kubelet-client-current.pem';
const CURRENT_SERVER = 'pki/kubelet-server-current.pem';
const SELF_SIGNED = { cert: 'pki/kubelet.crt', key: 'pki/kubelet.key' } as const;

export const KUBELET_CERTS: readonly KubeletCertEntry[] = [
  {
    name: 'kubelet-client',
    role: 'client',
    longName: 'client certificate of the kubelet (rotated by the kubelet)',
    files: () => [{ cert: CURRENT_CLIENT }],
  },
  {
    name: 'kubelet-serving',
    role: 'serving',
    longName: 'certificate the kubelet serves on its port (10250)',
    // serverTLSBootstrap: kubelet-server-current.pem from the CSR API; otherwise a self-signed pair.
    files: (config) =>
      config?.serverTLSBootstrap?.value === true
        ? [{ cert: CURRENT_SERVER }, SELF_SIGNED]
        : [SELF_SIGNED, { cert: CURRENT_SERVER }],
  },
];

/** Files that only a kubelet folder holds. */
export const KUBELET_MARKERS = [CURRENT_CLIENT, CURRENT_SERVER, SELF_SIGNED.cert];

export const KUBELET_CONFIG_FILE = 'config.yaml';

/** KubeletConfiguration defaults for what is not written (v1beta1). */
export const KUBELET_DEFAULT_PORT = 10250;
export const KUBELET_DEFAULT_ADDRESS = '0.0.0.0';

export interface ConfigField<T> {
  readonly value: T;
  readonly span: Span;
}

export interface KubeletConfig {
  readonly file: string;
  readonly text: string;
  readonly rotateCertificates?: ConfigField<unknown>;
  readonly serverTLSBootstrap?: ConfigField<unknown>;
  readonly address?: ConfigField<unknown>;
  readonly port?: ConfigField<unknown>;
  /** Why the file could not be read as a KubeletConfiguration. */
  readonly error?: string;
}

const FIELDS = ['rotateCertificates', 'serverTLSBootstrap', 'address', 'port'] as const;

/** Never throws. The kubelet reads this file with sigs.k8s.io/yaml: YAML 1.1 booleans are not special there (strict JSON types). */
export function parseKubeletConfig(text: string, file: string): KubeletConfig {
  const doc = parseDocument(text, { uniqueKeys: false });
  if (doc.errors.length) return { file, text, error: doc.errors[0].message };
  const root = doc.contents;
  if (!isMap(root)) return { file, text, error: 'not a YAML map' };
  const kind: unknown = root.get('kind');
  if (kind !== 'KubeletConfiguration') return { file, text, error: 'not a KubeletConfiguration' };
  const out: { -readonly [K in (typeof FIELDS)[number]]?: ConfigField<unknown> } = {};
  for (const pair of root.items) {
    const key = pair.key as Node | null;
    const value = pair.value as Node | null;
    if (!isScalar(key) || typeof key.value !== 'string') continue;
    const name = FIELDS.find((f) => f === key.value);
    if (!name || !isScalar(value) || !value.range) continue;
    out[name] = { value: value.value, span: { start: value.range[0], end: value.range[1] } };
  }
  return { file, text, ...out };
}

/** Where the kubelet listens: `address`:`port` with the defaults. */
export function kubeletListen(config: KubeletConfig | undefined): { host: string; port: number } {
  const address = config?.address?.value;
  const port = config?.port?.value;
  return {
    host: typeof address === 'string' && address !== '' ? address : KUBELET_DEFAULT_ADDRESS,
    port: typeof port === 'number' && Number.isInteger(port) && port > 0 ? port : KUBELET_DEFAULT_PORT,
  };
}
