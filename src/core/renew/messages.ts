// What renewal tells the user when it cannot renew (refusals) or renews with a caveat (warnings).
// Templates are English l10n keys with {named} parameters, rendered by the caller's translate
// function (vscode.l10n.t, the CLI's @vscode/l10n, or englishTemplate in tests).
import type { FindingParams, Translate } from '../findings/finding';

export const REFUSALS = {
  'unknown-name': 'Unknown certificate name {name}. Known names: {names}.',
  'ca-certificate':
    '{name} is a certificate authority: CAs are never renewed by this command, because replacing a CA means re-issuing everything it signed (see "Manual rotation of CA certificates" in the kubeadm documentation).',
  'rotated-by-kubelet':
    '{name} holds the kubelet client certificate, which the kubelet rotates itself: it is not renewed here (kubeadm does not renew it either). Look for the node\'s pending requests in the Certificate Signing Requests view or with "kubectl get csr".',
  'external-ca':
    'The {ca} CA is externally managed (its key {caKey} is not present), so nothing it signs can be renewed locally. Ask whoever holds that CA to re-issue {name}.',
  'ca-missing': 'The {ca} CA certificate {caCert} was not found, so {name} cannot be renewed locally.',
  'ca-expired':
    'The {ca} CA expired on {caNotAfter}: a certificate it signs now would not be valid. The CA must be rotated first.',
  'certificate-missing': 'Nothing to renew for {name}: {file} does not exist.',
  'no-client-certificate': '{name} has no embedded or referenced client certificate to renew.',
  'unsupported-key': 'The key of {name} is {algorithm}, which kubecerts cannot generate a replacement for.',
  'invalid-duration': 'Invalid duration {value}: use Go syntax such as 8760h or 720h30m, greater than zero.',
  'expiration-too-short': 'expirationSeconds must be at least 600 (got {seconds}).',
  'system-masters':
    'The certificate of {name} carries O=system:masters, which the kubernetes.io/kube-apiserver-client signer refuses. Renew it with the cluster CA on a control-plane node instead (kubecerts renew super-admin.conf).',
  'not-client-certificate':
    'The certificate of {name} is not a client certificate (no clientAuth usage); the kubernetes.io/kube-apiserver-client signer only issues client certificates.',
  'unknown-context': 'Context {context} is not defined in {files}.',
  'no-current-context': 'No current-context is set in {files}; choose a context.',
  'no-cluster': 'Context {context} names no cluster with a server to send the request to.',
  'no-cluster-ca':
    'Cluster {cluster} has no certificate-authority: the issued certificate could not be verified, so it would not be written. Add the cluster CA to the kubeconfig first.',
  unreadable: '{file} could not be read: {reason}',
} as const;

export type RefusalCode = keyof typeof REFUSALS;

export interface Refusal {
  readonly code: RefusalCode;
  readonly params: FindingParams;
}

export const WARNINGS = {
  'capped-by-ca':
    'The {ca} CA expires on {caNotAfter}, before the requested end {requested}: the new certificate of {name} ends with the CA. Plan the CA rotation.',
  'issuer-differs':
    'The current certificate of {name} was issued by {issuer}, not by the {ca} CA found now; the new one is signed by {ca}.',
  'credential-expired':
    'The certificate of {name} has expired; the API server rejects it, so the request must be sent with another context (--submit-context).',
} as const;

export type WarningCode = keyof typeof WARNINGS;

export interface RenewalWarning {
  readonly code: WarningCode;
  readonly params: FindingParams;
}

export function renderRefusal(refusal: Refusal, translate: Translate): string {
  return translate(REFUSALS[refusal.code], refusal.params);
}

export function renderWarning(warning: RenewalWarning, translate: Translate): string {
  return translate(WARNINGS[warning.code], warning.params);
}
