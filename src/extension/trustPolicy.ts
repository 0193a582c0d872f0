// What Kube Certs may do in an untrusted workspace, as data: each command and each setting with
// the reason. In an untrusted workspace the extension only reads, decodes and diagnoses: it
// contacts no cluster (so runs no exec credential plugin), writes no file and no setting.
// vscode-free, so a unit test checks it against package.json and the command registrations.

export type CommandTrust = 'always' | 'trusted-only';

export const COMMAND_TRUST: Readonly<Record<string, { readonly trust: CommandTrust; readonly why: string }>> =
  {
    'kubecerts.showLog': { trust: 'always', why: 'opens the output channel' },
    'kubecerts.openSettings': { trust: 'always', why: 'opens the settings editor' },
    'kubecerts.copySpkiPin': { trust: 'always', why: 'copies a public-key hash to the clipboard' },
    'kubecerts.pki.refresh': { trust: 'always', why: 'reads and decodes local files' },
    'kubecerts.pki.openFile': { trust: 'always', why: 'opens a file in an editor' },
    'kubecerts.pki.reveal': { trust: 'always', why: 'reveals a file' },
    'kubecerts.pki.copySpkiPin': { trust: 'always', why: 'copies a public-key hash to the clipboard' },
    'kubecerts.pki.addFolder': {
      trust: 'trusted-only',
      why: 'writes the kubecerts.pkiDirectories user setting',
    },
    'kubecerts.csr.refresh': {
      trust: 'trusted-only',
      why: 'connects to a cluster (may run an exec credential plugin)',
    },
    'kubecerts.csr.switchContext': { trust: 'trusted-only', why: 'connects to a cluster' },
    'kubecerts.csr.approve': { trust: 'trusted-only', why: 'changes a CSR in the cluster' },
    'kubecerts.csr.deny': { trust: 'trusted-only', why: 'changes a CSR in the cluster' },
    'kubecerts.csr.copyCertificate': { trust: 'trusted-only', why: 'reads from the cluster' },
    'kubecerts.csr.saveCertificate': { trust: 'trusted-only', why: 'writes a file' },
    'kubecerts.csr.openYaml': { trust: 'trusted-only', why: 'reads from the cluster' },
    'kubecerts.cluster.refresh': {
      trust: 'trusted-only',
      why: 'connects to a cluster (may run an exec credential plugin)',
    },
    'kubecerts.cluster.switchContext': { trust: 'trusted-only', why: 'connects to a cluster' },
    'kubecerts.cluster.openYaml': { trust: 'trusted-only', why: 'reads from the cluster' },
    'kubecerts.cluster.showCertificate': {
      trust: 'trusted-only',
      why: 'shows what was read from the cluster',
    },
    'kubecerts.cluster.copyCertificate': {
      trust: 'trusted-only',
      why: 'copies what was read from the cluster',
    },
    'kubecerts.cluster.copySpkiPin': { trust: 'trusted-only', why: 'copies what was read from the cluster' },
    'kubecerts.renewCert': {
      trust: 'trusted-only',
      why: 'writes certificates, keys and kubeconfigs, or contacts a cluster',
    },
    'kubecerts.renewAll': { trust: 'trusted-only', why: 'writes certificates, keys and kubeconfigs' },
    'kubecerts.probe.checkAgain': { trust: 'trusted-only', why: 'connects to a server' },
    'kubecerts.pki.checkServed': {
      trust: 'trusted-only',
      why: 'connects to the components named by the PKI folders',
    },
    'kubecerts.showCertificateDetails': {
      trust: 'always',
      why: 'decodes a certificate of an open file into a read-only document',
    },
    'kubecerts.workspace.showCertificates': {
      trust: 'always',
      why: 'lists what the read-only audit found and opens a file',
    },
  };

/** Settings an untrusted workspace may not set (VS Code then uses the user's value): they name paths the extension reads or connects with. */
export const RESTRICTED_SETTINGS: Readonly<Record<string, string>> = {
  'kubecerts.pkiDirectories': 'folders whose files are read and shown',
  'kubecerts.kubeconfig': 'the kubeconfig used to connect (its exec plugins run programs)',
  'kubecerts.kubeletDirectories': 'folders whose files are read and shown',
  'kubecerts.cluster.readSecrets':
    'whether the cluster view reads TLS Secrets (a workspace may not turn it on)',
};

/** True when the command may run now. Unknown commands are treated as needing trust. */
export function commandAllowed(id: string, workspaceTrusted: boolean): boolean {
  return workspaceTrusted || COMMAND_TRUST[id]?.trust === 'always';
}
