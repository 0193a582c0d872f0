// The one table of finding codes. Codes are stable (used in settings, SARIF rule ids and JSON
// output); messages are English templates with {named} parameters and double as l10n keys, so
// every template must also be a key of l10n/bundle.l10n.zh-cn.json. Messages never carry secrets:
// parameters name things (user, file, subject), never their token, password or key.

export type Severity = 'error' | 'warning' | 'info';

export interface FindingDefinition {
  readonly severity: Severity;
  readonly message: string;
  readonly doc: string;
  /**
   * A check of a PKI folder as a whole (static pod wiring, CIS file checks): the PKI view lists it
   * as a row of the folder rather than on a certificate's row.
   */
  readonly folderCheck?: true;
}

export const FINDING_CATALOG = {
  'cert-expired': {
    severity: 'error',
    message: 'Certificate {subject} expired on {notAfter} ({days} days ago).',
    doc: 'The certificate is past its notAfter date; clients and servers reject it.',
  },
  'cert-expiring': {
    severity: 'warning',
    message:
      'Certificate {subject} expires on {notAfter}, in {days} days (warning threshold {threshold} days).',
    doc: 'The certificate expires within the warning threshold (default 30 days); renew it.',
  },
  'cert-not-yet-valid': {
    severity: 'error',
    message: 'Certificate {subject} is not valid before {notBefore}.',
    doc: 'The certificate notBefore date lies in the future (clock skew or a pre-dated certificate).',
  },
  'not-signed-by-ca': {
    severity: 'error',
    message: 'Certificate {subject} was not issued by {ca}: its issuer is {issuer}.',
    doc: 'The certificate issuer does not match the CA it is checked against.',
  },
  'bad-signature': {
    severity: 'error',
    message:
      'The signature of certificate {subject} does not verify with the key of {ca}, although the names match (was the CA regenerated?).',
    doc: 'Issuer and CA names match but the signature does not verify with the CA key: typically a CA regenerated with the same name.',
  },
  'issuer-not-ca': {
    severity: 'error',
    message:
      'Issuer {ca} of certificate {subject} is not a CA (basicConstraints CA:TRUE or keyCertSign missing).',
    doc: 'The issuing certificate is not allowed to sign certificates.',
  },
  'path-length-exceeded': {
    severity: 'error',
    message: 'Certificate {subject} exceeds the path length allowed by {ca}.',
    doc: 'A CA in the chain limits the number of intermediate CAs below it (pathLen) and the chain is longer.',
  },
  'key-mismatch': {
    severity: 'error',
    message: 'The private key of user {user} does not match its client certificate {subject}.',
    doc: 'The client key is not the key of the client certificate; TLS client authentication fails.',
  },
  'weak-key': {
    severity: 'warning',
    message: 'Certificate {subject} has a weak {algorithm} key of {bits} bits (use at least 2048).',
    doc: 'RSA keys shorter than 2048 bits are considered breakable.',
  },
  'weak-signature': {
    // An error, not a warning: Go 1.23 (kube-apiserver, kubectl) refuses such a chain outright.
    severity: 'error',
    message: 'Certificate {subject} is signed with the weak algorithm {algorithm}.',
    doc: "SHA-1 and MD5 signatures can be forged; Go 1.23 (kube-apiserver, kubectl) refuses a chain that relies on one (a root's own self-signature excepted).",
  },
  'client-auth-missing': {
    severity: 'error',
    message:
      'Client certificate {subject} of user {user} does not allow client authentication (its extended key usage lacks clientAuth).',
    doc: 'A client certificate with an extended key usage extension must list clientAuth to be accepted by the API server.',
  },
  'redacted-data': {
    severity: 'error',
    message: '{field} holds the placeholder {placeholder} printed by kubectl config view, not real data.',
    doc: 'The value was redacted by `kubectl config view` (DATA+OMITTED, REDACTED); use `--raw` to get a usable kubeconfig.',
  },
  'invalid-base64': {
    severity: 'error',
    message: '{field} is not valid base64 as kubectl decodes it: {reason}.',
    doc: 'A *-data value must be the base64 encoding of PEM data, as Go decodes it: line breaks are skipped, but spaces are not (a `>` folded block or a plain value wrapped over several lines fails with "illegal base64 data"; a `|` literal block works).',
  },
  'invalid-pem': {
    severity: 'error',
    message: '{field} does not hold a valid PEM certificate or key.',
    doc: 'The data decodes but holds no parsable PEM certificate or private key.',
  },
  'file-not-found': {
    severity: 'error',
    message: 'File {path} named by {field} does not exist.',
    doc: 'A path reference (certificate-authority, client-certificate, client-key, tokenFile) names a missing file.',
  },
  'path-is-directory': {
    severity: 'error',
    message: '{field} names {path}, which is a directory, not a file; kubectl fails with "is a directory".',
    doc: 'A path reference (certificate-authority, client-certificate, client-key, tokenFile) names a directory, e.g. /etc/kubernetes/pki instead of /etc/kubernetes/pki/ca.crt: kubectl fails with "read PATH: is a directory".',
  },
  'data-and-path': {
    severity: 'warning',
    message: 'Both {dataField} and {pathField} are set; kubectl uses {dataField} and ignores the file.',
    doc: 'When the embedded data and the path are both set, the data wins; the file is silently ignored.',
  },
  'insecure-skip-tls-verify': {
    severity: 'warning',
    message: 'Cluster {cluster} does not verify the API server certificate (insecure-skip-tls-verify: true).',
    doc: 'TLS verification of the API server is disabled: anyone on the path can impersonate it.',
  },
  'plaintext-token': {
    severity: 'warning',
    message: 'User {user} has a token in plain text.',
    doc: 'A bearer token is stored in the kubeconfig; prefer an exec credential plugin or a tokenFile with tight permissions.',
  },
  'plaintext-password': {
    severity: 'warning',
    message: 'User {user} has a password in plain text.',
    doc: 'Basic-auth passwords are stored in clear text (and basic auth is removed from current Kubernetes).',
  },
  'bootstrap-token': {
    severity: 'warning',
    message: 'User {user} authenticates with bootstrap token {tokenId}; it is meant only for joining nodes.',
    doc: 'A bootstrap token (abcdef.0123456789abcdef) grants node-joining rights and should be short-lived.',
  },
  'exec-plugin': {
    severity: 'info',
    message: 'User {user} runs the credential plugin {command}.',
    doc: 'The kubeconfig runs a program (exec credential plugin) each time it is used; check that you trust it.',
  },
  'system-masters': {
    severity: 'warning',
    message:
      'Client certificate {subject} grants the group system:masters, which bypasses all RBAC and cannot be revoked.',
    doc: 'O=system:masters in a client certificate is a break-glass credential; kubeadm >= 1.29 uses kubeadm:cluster-admins for admin.conf.',
  },
  'dangling-reference': {
    severity: 'error',
    message: 'Context {context} refers to {kind} {name}, which is not defined.',
    doc: 'A context names a cluster or user that does not exist in the (merged) kubeconfig.',
  },
  'missing-current-context': {
    severity: 'error',
    message: 'current-context {name} is not defined.',
    doc: 'current-context names a context that does not exist.',
  },
  'duplicate-name': {
    severity: 'error',
    message: '{kind} {name} is defined more than once in this file; kubectl refuses to load it.',
    doc: 'Two entries of the same list in one file share a name: client-go fails with "duplicate name in list".',
  },
  'invalid-yaml': {
    severity: 'error',
    message: 'The kubeconfig is not valid YAML ({reason}).',
    doc: 'The file cannot be parsed as YAML, or not converted to the JSON client-go decodes (an alias to no anchor, a `<<` merge of a non-map, `.inf`/`.nan`, a value its tag does not fit); kubectl refuses it. As in client-go, only the first document counts and a repeated mapping key is no error (the last value wins).',
  },
  'invalid-field': {
    severity: 'error',
    message: '{field} should be {expected}.',
    doc: 'A value has a JSON type client-go cannot decode into its Config struct, anywhere in the file (a list where a map is expected; `name: on` or `name: 123`, a boolean and a number in YAML 1.1; `insecure-skip-tls-verify: "yes"`, a string; `kind` other than Config): kubectl refuses the whole file with "json: cannot unmarshal …".',
  },
  'unsupported-key': {
    severity: 'error',
    message: 'The private key in {field} cannot be loaded by kubectl ({reason}).',
    doc: 'client-go loads PKCS#1, PKCS#8 and SEC1 keys (RSA, ECDSA on P-224/P-256/P-384/P-521, Ed25519) only; Ed448 keys and EC keys with explicit curve parameters fail with "tls: failed to parse private key".',
  },
  'invalid-certificate': {
    severity: 'error',
    message:
      "Certificate {subject} cannot be used by Kubernetes: Go's crypto/x509 refuses to parse it ({reason}).",
    doc: "The DER is readable but Go's parser rejects it (negative serial number, critical authority key id, malformed or critical authority information access, explicit EC parameters, malformed SAN or name-constraint values, empty subtrees): kube-apiserver and kubectl cannot load it.",
  },
  'unhandled-critical-extension': {
    severity: 'error',
    message:
      "Certificate {subject} has the critical extension {extension}, which Go's crypto/x509 does not handle: the chain is rejected.",
    doc: 'A certificate on the chain marks an extension critical that the verifier does not implement (including directory-name constraints); Go and openssl refuse the chain.',
  },
  'incompatible-key-usage': {
    severity: 'error',
    message:
      'Certificate {subject} cannot be used for {usage}: {ca} limits its extended key usage to {allowed}.',
    doc: 'Extended key usages nest as Go checks them: every certificate on the chain that lists EKUs must allow the usage (clientAuth for a client certificate, serverAuth for a server); otherwise "certificate specifies an incompatible key usage".',
  },
  'name-constraint-violation': {
    severity: 'error',
    message: 'Certificate {subject} names {name}, which the name constraints of {ca} do not permit.',
    doc: 'A CA with a nameConstraints extension (permitted/excluded DNS, IP, email and URI subtrees) limits the names of everything below it; Go rejects a chain that breaks them.',
  },
  'chain-too-complex': {
    severity: 'error',
    message: 'Verifying certificate {subject} needs more than {limit} signature checks; Go gives up as well.',
    doc: 'Path building is bounded like Go\'s (100 signature checks): a bundle of many certificates with the same name and key is refused by kubectl with "signature check attempts limit reached".',
  },
  'bundle-ca-expired': {
    severity: 'warning',
    message:
      'CA {subject} in this bundle expired on {notAfter} ({days} days ago); the bundle still holds a valid CA, so clients keep working. Remove it once nothing depends on it.',
    doc: 'A CA bundle (certificate-authority-data after a CA rotation) keeps an expired CA next to a valid one: client-go trusts every certificate of the bundle, so the valid CA still verifies the server. Only when every CA of the bundle is expired is it `cert-expired`.',
  },
  // Served certificates (src/core/probe): what a server presents when kubecerts connects to it.
  'server-cert-untrusted': {
    severity: 'error',
    message: 'The certificate served by {server} ({subject}) does not verify against {trust}: {reason}.',
    doc: 'The chain the server presents does not lead to the cluster\'s certificate-authority (or, when none is set, the system roots) as Go\'s crypto/x509 builds it: kubectl fails with "x509: certificate signed by unknown authority".',
  },
  'server-name-mismatch': {
    severity: 'error',
    message: 'The certificate served by {server} does not cover the name {name}: {reason}.',
    doc: "The served certificate's SANs do not cover the name the client verifies (tls-server-name, else the server's host) under Go's VerifyHostname rules: IP hosts need IP SANs, a wildcard covers exactly one left-most label, the Common Name is ignored.",
  },
  'server-cert-expired': {
    severity: 'error',
    message: 'The certificate served by {server} ({subject}) expired on {notAfter} ({days} days ago).',
    doc: 'The server presents a certificate past its notAfter date: every client fails with "certificate has expired or is not yet valid".',
  },
  'server-cert-expiring': {
    severity: 'warning',
    message:
      'The certificate served by {server} ({subject}) expires on {notAfter}, in {days} days (warning threshold {threshold} days).',
    doc: 'The certificate the server presents expires within the warning threshold, whatever the files on disk say.',
  },
  'server-unreachable': {
    severity: 'info',
    message: 'The certificate served by {server} could not be checked: {error}.',
    doc: 'kubecerts could not complete a TLS handshake with the server (refused, timed out, proxy or TLS error); nothing is known about what it serves.',
  },
  'served-cert-stale': {
    severity: 'warning',
    message:
      'The certificate of {component} was renewed on disk on {renewed} ({path}, serial {diskSerial}), but the running server still serves serial {servedSerial}, expiring on {servedNotAfter}: restart {component}.',
    doc: 'The file a component is configured to serve was replaced (e.g. by kubeadm certs renew) but the process still presents the old certificate: it reads its certificate at start, so it must be restarted.',
  },
  // The kubelet's own certificates (/var/lib/kubelet/pki), which kubeadm certs check-expiration leaves out.
  'kubelet-client-cert-expired': {
    severity: 'error',
    message:
      'The kubelet client certificate {subject} ({path}) expired on {notAfter} ({days} days ago): the kubelet can no longer reach the API server, nor rotate it. Join the node again with a bootstrap token, or issue it a new certificate.',
    doc: 'kubelet-client-current.pem (the rotated kubelet-client-DATE.pem it points to) is past its notAfter: the API server rejects the kubelet, the node turns NotReady, and rotation, which goes through the API server, cannot help any more.',
  },
  'kubelet-client-cert-expiring': {
    severity: 'warning',
    message:
      'The kubelet client certificate {subject} ({path}) expires on {notAfter}, in {days} days (warning threshold {threshold} days): the kubelet should have rotated it already; check rotateCertificates and that its CSRs are approved.',
    doc: 'The kubelet requests a new client certificate once 70 to 90 % of its lifetime has passed; one this close to expiry means rotation is off or its certificate signing requests are not approved.',
  },
  'kubelet-serving-cert-expired': {
    severity: 'error',
    message:
      'The kubelet serving certificate {subject} ({path}) expired on {notAfter} ({days} days ago): kubectl logs, exec and metrics scraping fail wherever the kubelet certificate is verified.',
    doc: 'The certificate the kubelet serves on port 10250 (kubelet.crt, self-signed, or kubelet-server-current.pem with serverTLSBootstrap) is past its notAfter. A self-signed kubelet.crt is never renewed: delete the pair and restart the kubelet, or enable serverTLSBootstrap.',
  },
  'kubelet-serving-cert-expiring': {
    severity: 'warning',
    message:
      'The kubelet serving certificate {subject} ({path}) expires on {notAfter}, in {days} days (warning threshold {threshold} days).',
    doc: 'The certificate the kubelet serves on port 10250 expires within the warning threshold. Only with serverTLSBootstrap: true does the kubelet rotate it (through kubernetes.io/kubelet-serving CSRs, which someone must approve).',
  },
  'kubelet-rotation-disabled': {
    severity: 'warning',
    message:
      '{path} sets rotateCertificates to {setting}: the kubelet will not renew its client certificate, which expires on {notAfter}. Set rotateCertificates: true.',
    doc: 'With rotateCertificates off (its default outside kubeadm) the kubelet keeps its client certificate until it expires, then the node drops out of the cluster.',
  },
  // Certificates inside the cluster (src/core/cluster): TLS Secrets, caBundles, cluster-info.
  'tls-key-mismatch': {
    severity: 'error',
    message: 'tls.key of Secret {namespace}/{name} is not the private key of its tls.crt ({subject}).',
    doc: 'The private key of a kubernetes.io/tls Secret does not match the certificate next to it: the ingress controller or server using the pair fails with "tls: private key does not match public key". Checked in memory; the key is never shown.',
  },
  'tls-ca-mismatch': {
    severity: 'error',
    message:
      'tls.crt of Secret {namespace}/{name} ({subject}) is not signed by the CA in its ca.crt ({ca}): clients trusting ca.crt reject it.',
    doc: "A kubernetes.io/tls Secret's ca.crt (the issuing CA cert-manager stores) does not lead to its tls.crt as Go's crypto/x509 verifies it: no signature of a ca.crt certificate, or of an intermediate in tls.crt, verifies the certificate.",
  },
  'ca-bundle-not-ca': {
    severity: 'warning',
    message:
      'Certificate {subject} in the caBundle of {kind} {name} is not a CA (basicConstraints CA:TRUE missing): only a server presenting exactly this certificate verifies.',
    doc: 'Go trusts every certificate of a caBundle as it is, so a leaf there only works as a pin of that one certificate; a server certificate it did not sign (renewed by cert-manager, another replica) is rejected by kube-apiserver. Put the issuing CA in the caBundle.',
  },
  'cluster-info-ca-mismatch': {
    severity: 'error',
    message:
      'The CA published in kube-public/cluster-info ({pins}) is not the CA of cluster {cluster} in your kubeconfig ({kubeconfigPins}): a wrong cluster or a rotated CA; kubeadm join pinned to one of them fails against the other.',
    doc: "kubeadm join reads kube-public/cluster-info and checks its CA against --discovery-token-ca-cert-hash (the SHA-256 of the CA's SubjectPublicKeyInfo). The SPKI pins of that CA and of the certificate-authority of the kubeconfig used to reach the cluster share none: the kubeconfig points at another cluster, or the CA was rotated and one of them is stale.",
  },
  'kube-root-ca-mismatch': {
    severity: 'warning',
    message:
      'ConfigMap {namespace}/kube-root-ca.crt holds {pins}, none of which is the CA published in kube-public/cluster-info ({clusterInfoPins}): pods of this namespace may not verify the API server.',
    doc: 'kube-controller-manager publishes its root CA (--root-ca-file) as kube-root-ca.crt in every namespace; pods verify the API server with it. When it shares no CA (by SPKI pin) with cluster-info, one of them is stale after a CA rotation or the controller manager runs with another CA.',
  },
  'cluster-access-denied': {
    severity: 'warning',
    message:
      'Cannot {verb} {resource}{scope}: the user lacks {permission}; these certificates were not checked.',
    doc: 'RBAC forbids listing a resource that holds certificates (HTTP 403). kubecerts reports what it could read (for Secrets, the namespaces the user may list) and names the missing verb and resource.',
  },
  'cluster-read-error': {
    severity: 'warning',
    message: 'Could not read {resource}{scope}: {error}.',
    doc: 'Listing a resource that holds certificates failed for another reason than RBAC (the API is not served, a server error, a timeout); its certificates were not checked.',
  },
  'cluster-unreachable': {
    severity: 'error',
    message: 'Context {context} could not be read: {error}.',
    doc: 'With --all-contexts: the API server of a context did not answer (refused, timed out, TLS or credential failure). The other contexts are still reported; the run does not stop.',
  },
  // PKI folder (src/core/pki): inventory, static pod wiring and CIS file checks.
  'pki-missing': {
    severity: 'warning',
    message: 'Expected file {path} ({name}) does not exist.',
    doc: 'A file of the kubeadm PKI layout (certificate, key or kubeconfig) is missing; the component that reads it will not start.',
  },
  'pki-ca-key-missing': {
    severity: 'info',
    message:
      'CA {name} has no private key ({path}): it is externally managed, the certificates it signs cannot be renewed locally.',
    doc: 'A CA certificate without its .key is "externally managed" (kubeadm external CA mode): kubeadm certs renew cannot re-issue what it signed.',
  },
  'pki-key-mismatch': {
    severity: 'error',
    message: 'The private key {keyPath} does not match the certificate {path} ({subject}).',
    doc: 'The .key next to a certificate is not its key: the component using the pair fails its TLS handshake.',
  },
  'pki-issuer-unknown': {
    severity: 'info',
    message: 'Certificate {subject} in {path} was not issued by any CA in this folder (issuer {issuer}).',
    doc: 'No CA certificate in the folder verifies the signature of this certificate; its issuer is kept elsewhere.',
  },
  'sa-key-mismatch': {
    severity: 'error',
    message:
      'The service-account public key {publicPath} is not the public half of {privatePath}: tokens signed with the private key will be rejected.',
    doc: 'sa.pub (kube-apiserver --service-account-key-file) must be the public key of sa.key (--service-account-signing-key-file, kube-controller-manager --service-account-private-key-file).',
  },
  'wiring-file-missing': {
    folderCheck: true,
    severity: 'error',
    message: '{flag} names {path}, which does not exist.',
    doc: 'A static pod manifest flag names a certificate, key or kubeconfig that is not there: the component will not start.',
  },
  'wiring-key-mismatch': {
    folderCheck: true,
    severity: 'error',
    message: '{keyFlag} ({keyPath}) is not the key of {certFlag} ({certPath}).',
    doc: 'The key and certificate a manifest pairs do not belong together.',
  },
  'wiring-wrong-ca': {
    folderCheck: true,
    severity: 'error',
    message: 'The certificate of {certFlag} ({subject}) is not signed by the CA of {caFlag} ({ca}).',
    doc: 'The certificate a flag names is not issued by the CA the same manifest pairs it with (e.g. --etcd-certfile by --etcd-cafile): the peer rejects it.',
  },
  'wiring-san-missing': {
    folderCheck: true,
    severity: 'error',
    message:
      'The certificate of {certFlag} ({subject}) does not cover {address}, advertised by {sourceFlag}.',
    doc: 'A serving certificate lacks a SAN for the address the manifest advertises: clients connecting to that address fail to verify it.',
  },
  'cis-file-permissions': {
    folderCheck: true,
    severity: 'warning',
    message: '{path} has mode {mode}; {benchmark} item {item} requires {expected} or more restrictive.',
    doc: 'File permissions checked against the CIS Kubernetes Benchmark (section 1.1 and 4.1); the finding names the item and the benchmark revision.',
  },
  'cis-file-ownership': {
    folderCheck: true,
    severity: 'warning',
    message: '{path} is owned by {owner}; {benchmark} item {item} requires root:root.',
    doc: 'File ownership checked against the CIS Kubernetes Benchmark; only reported when the scanned folder itself belongs to root (a copy of /etc/kubernetes owned by you is not flagged).',
  },
} as const satisfies Record<string, FindingDefinition>;

export type FindingCode = keyof typeof FINDING_CATALOG;

/** Templates of related-location messages (also l10n keys). */
export const RELATED_MESSAGES = {
  firstDefinition: 'First definition of {name}.',
  caChecked: 'CA {ca} of cluster {cluster}, used for the check.',
  clientKey: 'Client key of user {user}.',
  privateKey: 'Private key {field}.',
  dataWins: '{dataField} is used instead.',
  pkiCaChecked: 'CA {ca} ({path}), used for the check.',
  wiringCa: 'CA named by {caFlag}.',
  wiringKey: 'Key named by {keyFlag}.',
} as const;

export const FINDING_CODES = Object.keys(FINDING_CATALOG) as FindingCode[];

/** True for the checks of a PKI folder as a whole (see `folderCheck`). */
export function isFolderCheck(code: FindingCode): boolean {
  const definition: FindingDefinition = FINDING_CATALOG[code];
  return definition.folderCheck === true;
}
