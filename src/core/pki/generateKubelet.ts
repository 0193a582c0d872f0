// Builds a /var/lib/kubelet folder in memory as a kubelet leaves it: pki/kubelet-client-DATE.pem
// files (certificate then key, one per rotation) with kubelet-client-current.pem linking to the
// latest, the serving pair (a self-signed kubelet.crt — certificate then its throwaway CA — and
// kubelet.key, or kubelet-server-DATE.pem from the cluster CA with serverTLSBootstrap), and
// config.yaml. The demo's kubelet stand-in and the test fixtures write it; callers choose the dates.
import { issueCertificate, type KeySpec, type SignerSpec } from '../x509/issue';
import type { GeneratedFile, GeneratedTree, Validity } from './generate';

export interface KubeletFolderOptions {
  readonly now: Date;
  readonly nodeName: string;
  /** The cluster CA (signs the client certificates, and the serving one with serverTLSBootstrap). */
  readonly clusterCa: SignerSpec;
  readonly key?: KeySpec;
  /** Validity of each client certificate, oldest first; the last is current. Default: one, a year from now. */
  readonly clients?: readonly Validity[];
  readonly serving?: Validity;
  /** SANs of the serving certificate; default the node name. */
  readonly servingSans?: { readonly dns?: readonly string[]; readonly ip?: readonly string[] };
  /** config.yaml fields (undefined: not written); `config: false` writes no config.yaml. */
  readonly config?:
    | false
    | {
        readonly rotateCertificates?: boolean;
        readonly serverTLSBootstrap?: boolean;
        readonly address?: string;
        readonly port?: number;
      };
}

export interface KubeletFolder {
  readonly files: GeneratedTree;
  /** Symbolic links: path → the file name (same folder) it points to. */
  readonly links: ReadonlyMap<string, string>;
}

const YEAR_MS = 365 * 24 * 3600 * 1000;
const BACKDATE_MS = 5 * 60 * 1000;

/** Go's "2006-01-02-15-04-05", as the kubelet's certificate store names rotated files (UTC here). */
export function rotationStamp(date: Date): string {
  return date.toISOString().slice(0, 19).replace(/[T:]/g, '-');
}

export async function generateKubeletFolder(options: KubeletFolderOptions): Promise<KubeletFolder> {
  const key = options.key ?? { algorithm: 'EC', curve: 'P-256' };
  const files: GeneratedTree = new Map();
  const links = new Map<string, string>();
  const defaultValidity = {
    notBefore: new Date(options.now.getTime() - BACKDATE_MS),
    notAfter: new Date(options.now.getTime() + YEAR_MS),
  };
  const secret = (contents: string): GeneratedFile => ({ contents, mode: 0o600 });
  const config = options.config === false ? undefined : (options.config ?? { rotateCertificates: true });

  let current = '';
  for (const validity of options.clients ?? [defaultValidity]) {
    const issued = await issueCertificate({
      subject: { commonName: `system:node:${options.nodeName}`, organizations: ['system:nodes'] },
      ...validity,
      basicConstraints: { ca: false },
      keyUsage: ['digitalSignature', 'keyEncipherment'],
      extKeyUsage: ['clientAuth'],
      issuer: options.clusterCa,
      key,
    });
    current = `kubelet-client-${rotationStamp(validity.notBefore)}.pem`;
    files.set(`pki/${current}`, secret(issued.certPem + issued.keyPem));
  }
  links.set('pki/kubelet-client-current.pem', current);

  const serving = options.serving ?? defaultValidity;
  const sans = {
    dns: [...(options.servingSans?.dns ?? [options.nodeName])],
    ip: [...(options.servingSans?.ip ?? [])],
  };
  if (config?.serverTLSBootstrap) {
    const issued = await issueCertificate({
      subject: { commonName: `system:node:${options.nodeName}`, organizations: ['system:nodes'] },
      ...serving,
      sans,
      basicConstraints: { ca: false },
      keyUsage: ['digitalSignature', 'keyEncipherment'],
      extKeyUsage: ['serverAuth'],
      issuer: options.clusterCa,
      key,
    });
    const name = `kubelet-server-${rotationStamp(serving.notBefore)}.pem`;
    files.set(`pki/${name}`, secret(issued.certPem + issued.keyPem));
    links.set('pki/kubelet-server-current.pem', name);
  } else {
    // certutil.GenerateSelfSignedCertKey: a CA <host>-ca@<unix time> signing <host>@<unix time>.
    const stamp = Math.floor(serving.notBefore.getTime() / 1000);
    const ca = await issueCertificate({
      subject: { commonName: `${options.nodeName}-ca@${stamp}` },
      ...serving,
      basicConstraints: { ca: true },
      keyUsage: ['digitalSignature', 'keyEncipherment', 'keyCertSign'],
      key,
    });
    const issued = await issueCertificate({
      subject: { commonName: `${options.nodeName}@${stamp}` },
      ...serving,
      sans,
      basicConstraints: { ca: false },
      keyUsage: ['digitalSignature', 'keyEncipherment'],
      extKeyUsage: ['serverAuth'],
      issuer: ca,
      key,
    });
    files.set('pki/kubelet.crt', { contents: issued.certPem + ca.certPem, mode: 0o644 });
    files.set('pki/kubelet.key', secret(issued.keyPem));
  }

  if (config) files.set('config.yaml', { contents: kubeletConfigText(config), mode: 0o644 });
  return { files, links };
}

export type KubeletConfigFields = Exclude<KubeletFolderOptions['config'], false | undefined>;

/** /var/lib/kubelet/config.yaml as kubeadm writes it, trimmed to what matters here. */
export function kubeletConfigText(config: KubeletConfigFields): string {
  return [
    'apiVersion: kubelet.config.k8s.io/v1beta1',
    'kind: KubeletConfiguration',
    'authentication:',
    '  x509:',
    '    clientCAFile: /etc/kubernetes/pki/ca.crt',
    'cgroupDriver: systemd',
    ...(config.address !== undefined ? [`address: ${config.address}`] : []),
    ...(config.port !== undefined ? [`port: ${config.port}`] : []),
    ...(config.rotateCertificates !== undefined ? [`rotateCertificates: ${config.rotateCertificates}`] : []),
    ...(config.serverTLSBootstrap !== undefined ? [`serverTLSBootstrap: ${config.serverTLSBootstrap}`] : []),
    '',
  ].join('\n');
}
