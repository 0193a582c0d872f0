// Builds a complete kubeadm-like /etc/kubernetes tree in memory (like `kubeadm init phase certs` +
// `kubeconfig` + `control-plane`), from the catalog. The demo cluster and the test fixtures write it
// to disk; each caller chooses the dates, so tests can make any certificate expired or not yet valid.
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { buildKubeconfig } from '../kubeconfig/build';
import { generateKey, issueCertificate, privateKeyToPem, type KeySpec, type SignerSpec } from '../x509/issue';
import {
  CA_KEY_USAGE,
  DEFAULT_CA_VALIDITY_MS,
  DEFAULT_LEAF_VALIDITY_MS,
  KUBEADM_CAS,
  KUBEADM_CERTS,
  KUBEADM_KUBECONFIGS,
  LEAF_KEY_USAGE,
  SERVICE_ACCOUNT_KEY,
  certPath,
  keyPath,
  kubeconfigCommonName,
  kubeconfigUserName,
  type CaName,
  type SanRule,
} from './catalog';

export interface NodeFacts {
  readonly nodeName: string;
  readonly advertiseAddress: string;
  /** First IP of the service CIDR: the `kubernetes` Service. */
  readonly serviceIp: string;
  readonly dnsDomain: string;
  readonly clusterName: string;
  /** Server URL written into the kubeconfigs. */
  readonly server: string;
  /** Where the tree lives on the node; manifests reference files by this absolute prefix. */
  readonly configDir: string;
}

export const DEFAULT_NODE_FACTS: NodeFacts = {
  nodeName: 'cp-1',
  advertiseAddress: '10.0.0.10',
  serviceIp: '10.96.0.1',
  dnsDomain: 'cluster.local',
  clusterName: 'kubernetes',
  server: 'https://10.0.0.10:6443',
  configDir: '/etc/kubernetes',
};

export interface Validity {
  readonly notBefore: Date;
  readonly notAfter: Date;
}

export interface GenerateOptions {
  readonly now: Date;
  readonly node?: Partial<NodeFacts>;
  /** kubeadm uses RSA-2048; tests pass EC P-256 to stay fast. */
  readonly key?: KeySpec;
  /** Override dates per catalog name (`ca`, `apiserver`, `admin.conf`, …). */
  readonly validity?: Readonly<Record<string, Validity>>;
}

export interface GeneratedFile {
  readonly contents: string;
  readonly mode: number;
}

/** Relative path (e.g. `pki/apiserver.crt`, `admin.conf`) → file. */
export type GeneratedTree = Map<string, GeneratedFile>;

const CERT_MODE = 0o644;
const SECRET_MODE = 0o600;

export async function generateKubeadmPki(options: GenerateOptions): Promise<GeneratedTree> {
  const node: NodeFacts = { ...DEFAULT_NODE_FACTS, ...options.node };
  const key = options.key ?? { algorithm: 'RSA', bits: 2048 };
  const validityOf = (name: string, defaultMs: number): Validity =>
    options.validity?.[name] ?? {
      notBefore: new Date(options.now.getTime() - 5 * 60 * 1000),
      notAfter: new Date(options.now.getTime() + defaultMs),
    };
  const tree: GeneratedTree = new Map();
  const signers = new Map<CaName, SignerSpec>();

  for (const ca of KUBEADM_CAS) {
    const issued = await issueCertificate({
      subject: { commonName: ca.commonName },
      ...validityOf(ca.name, DEFAULT_CA_VALIDITY_MS),
      basicConstraints: { ca: true },
      keyUsage: CA_KEY_USAGE,
      key,
    });
    signers.set(ca.name, issued);
    tree.set(certPath(ca.baseName), { contents: issued.certPem, mode: CERT_MODE });
    tree.set(keyPath(ca.baseName), { contents: issued.keyPem, mode: SECRET_MODE });
  }

  for (const entry of KUBEADM_CERTS) {
    const issued = await issueCertificate({
      subject: { commonName: entry.commonName ?? node.nodeName, organizations: entry.organizations },
      ...validityOf(entry.name, DEFAULT_LEAF_VALIDITY_MS),
      sans: entry.sanRule ? sansFor(entry.sanRule, node) : undefined,
      basicConstraints: { ca: false },
      keyUsage: LEAF_KEY_USAGE,
      extKeyUsage: entry.extKeyUsage,
      issuer: signerOf(signers, entry.caName),
      key,
    });
    tree.set(certPath(entry.baseName), { contents: issued.certPem, mode: CERT_MODE });
    tree.set(keyPath(entry.baseName), { contents: issued.keyPem, mode: SECRET_MODE });
  }

  const serviceAccountKey = await generateKey(
    key.algorithm === 'RSA' ? key : { algorithm: 'RSA', bits: 2048 },
  );
  tree.set(SERVICE_ACCOUNT_KEY.privateKey, {
    contents: privateKeyToPem(serviceAccountKey),
    mode: SECRET_MODE,
  });
  tree.set(SERVICE_ACCOUNT_KEY.publicKey, {
    contents: createPublicKey(createPrivateKey(privateKeyToPem(serviceAccountKey, 'pkcs8')))
      .export({ format: 'pem', type: 'spki' })
      .toString(),
    mode: CERT_MODE,
  });

  const clusterCa = signerOf(signers, 'ca');
  for (const entry of KUBEADM_KUBECONFIGS) {
    const issued = await issueCertificate({
      subject: { commonName: kubeconfigCommonName(entry, node.nodeName), organizations: entry.organizations },
      ...validityOf(entry.name, DEFAULT_LEAF_VALIDITY_MS),
      basicConstraints: { ca: false },
      keyUsage: LEAF_KEY_USAGE,
      extKeyUsage: ['clientAuth'],
      issuer: clusterCa,
      key,
    });
    const contents = buildKubeconfig({
      clusterName: node.clusterName,
      server: node.server,
      caPem: clusterCa.certPem,
      userName: kubeconfigUserName(entry, node.nodeName),
      client: issued,
    });
    tree.set(entry.name, { contents, mode: SECRET_MODE });
  }

  for (const [path, contents] of Object.entries(staticPodManifests(node))) {
    tree.set(path, { contents, mode: SECRET_MODE });
  }
  return tree;
}

function signerOf(signers: Map<CaName, SignerSpec>, name: CaName): SignerSpec {
  const signer = signers.get(name);
  if (!signer) throw new Error(`CA ${name} was not generated`);
  return signer;
}

export function sansFor(rule: SanRule, node: NodeFacts): { dns: string[]; ip: string[] } {
  switch (rule) {
    case 'apiserver':
      return {
        dns: [
          node.nodeName,
          'kubernetes',
          'kubernetes.default',
          'kubernetes.default.svc',
          `kubernetes.default.svc.${node.dnsDomain}`,
        ],
        ip: [node.serviceIp, node.advertiseAddress],
      };
    case 'etcd-node':
      return { dns: [node.nodeName, 'localhost'], ip: [node.advertiseAddress, '127.0.0.1', '::1'] };
  }
}

/** The four static pod manifests, with the flags kubeadm writes (trimmed to what wires the PKI). */
export function staticPodManifests(node: NodeFacts): Record<string, string> {
  const dir = node.configDir;
  const pki = `${dir}/pki`;
  const pod = (name: string, image: string, command: string[]): string =>
    [
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  labels:',
      `    component: ${name}`,
      '    tier: control-plane',
      `  name: ${name}`,
      '  namespace: kube-system',
      'spec:',
      '  containers:',
      '  - command:',
      ...command.map((arg) => `    - ${arg}`),
      `    image: ${image}`,
      `    name: ${name}`,
      '  hostNetwork: true',
      '  priorityClassName: system-node-critical',
      '',
    ].join('\n');
  const ip = node.advertiseAddress;
  return {
    'manifests/kube-apiserver.yaml': pod('kube-apiserver', 'registry.k8s.io/kube-apiserver:v1.32.4', [
      'kube-apiserver',
      `--advertise-address=${ip}`,
      '--allow-privileged=true',
      '--authorization-mode=Node,RBAC',
      `--client-ca-file=${pki}/ca.crt`,
      '--enable-admission-plugins=NodeRestriction',
      '--enable-bootstrap-token-auth=true',
      `--etcd-cafile=${pki}/etcd/ca.crt`,
      `--etcd-certfile=${pki}/apiserver-etcd-client.crt`,
      `--etcd-keyfile=${pki}/apiserver-etcd-client.key`,
      '--etcd-servers=https://127.0.0.1:2379',
      `--kubelet-client-certificate=${pki}/apiserver-kubelet-client.crt`,
      `--kubelet-client-key=${pki}/apiserver-kubelet-client.key`,
      '--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname',
      `--proxy-client-cert-file=${pki}/front-proxy-client.crt`,
      `--proxy-client-key-file=${pki}/front-proxy-client.key`,
      '--requestheader-allowed-names=front-proxy-client',
      `--requestheader-client-ca-file=${pki}/front-proxy-ca.crt`,
      '--requestheader-extra-headers-prefix=X-Remote-Extra-',
      '--requestheader-group-headers=X-Remote-Group',
      '--requestheader-username-headers=X-Remote-User',
      '--secure-port=6443',
      `--service-account-issuer=https://kubernetes.default.svc.${node.dnsDomain}`,
      `--service-account-key-file=${pki}/sa.pub`,
      `--service-account-signing-key-file=${pki}/sa.key`,
      '--service-cluster-ip-range=10.96.0.0/12',
      `--tls-cert-file=${pki}/apiserver.crt`,
      `--tls-private-key-file=${pki}/apiserver.key`,
    ]),
    'manifests/kube-controller-manager.yaml': pod(
      'kube-controller-manager',
      'registry.k8s.io/kube-controller-manager:v1.32.4',
      [
        'kube-controller-manager',
        `--authentication-kubeconfig=${dir}/controller-manager.conf`,
        `--authorization-kubeconfig=${dir}/controller-manager.conf`,
        '--bind-address=127.0.0.1',
        `--client-ca-file=${pki}/ca.crt`,
        `--cluster-name=${node.clusterName}`,
        `--cluster-signing-cert-file=${pki}/ca.crt`,
        `--cluster-signing-key-file=${pki}/ca.key`,
        '--controllers=*,bootstrapsigner,tokencleaner',
        `--kubeconfig=${dir}/controller-manager.conf`,
        '--leader-elect=true',
        `--requestheader-client-ca-file=${pki}/front-proxy-ca.crt`,
        `--root-ca-file=${pki}/ca.crt`,
        `--service-account-private-key-file=${pki}/sa.key`,
        '--use-service-account-credentials=true',
      ],
    ),
    'manifests/kube-scheduler.yaml': pod('kube-scheduler', 'registry.k8s.io/kube-scheduler:v1.32.4', [
      'kube-scheduler',
      `--authentication-kubeconfig=${dir}/scheduler.conf`,
      `--authorization-kubeconfig=${dir}/scheduler.conf`,
      '--bind-address=127.0.0.1',
      `--kubeconfig=${dir}/scheduler.conf`,
      '--leader-elect=true',
    ]),
    'manifests/etcd.yaml': pod('etcd', 'registry.k8s.io/etcd:3.5.16-0', [
      'etcd',
      `--advertise-client-urls=https://${ip}:2379`,
      `--cert-file=${pki}/etcd/server.crt`,
      '--client-cert-auth=true',
      '--data-dir=/var/lib/etcd',
      `--initial-advertise-peer-urls=https://${ip}:2380`,
      `--initial-cluster=${node.nodeName}=https://${ip}:2380`,
      `--key-file=${pki}/etcd/server.key`,
      `--listen-client-urls=https://127.0.0.1:2379,https://${ip}:2379`,
      '--listen-metrics-urls=http://127.0.0.1:2381',
      `--listen-peer-urls=https://${ip}:2380`,
      `--name=${node.nodeName}`,
      `--peer-cert-file=${pki}/etcd/peer.crt`,
      '--peer-client-cert-auth=true',
      `--peer-key-file=${pki}/etcd/peer.key`,
      `--peer-trusted-ca-file=${pki}/etcd/ca.crt`,
      '--snapshot-count=10000',
      `--trusted-ca-file=${pki}/etcd/ca.crt`,
    ]),
  };
}
