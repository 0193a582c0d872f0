// The CSR risk codes as data (severity, English template that doubles as l10n key, doc) and how
// findings render: what the CSR view needs at activation, without the checks and the decoder.
import type { Severity } from '../findings/catalog';
import type { FindingParams, Translate } from '../findings/finding';

interface RiskDefinition {
  readonly severity: Severity;
  /** A few words for the CSR row, where the verdict must fit the side bar (l10n key too). */
  readonly label: string;
  readonly message: string;
  readonly doc: string;
}

export const CSR_RISK_CATALOG = {
  'request-invalid': {
    severity: 'error',
    label: 'invalid request',
    message: 'The request is not a valid PEM certificate request: {reason}.',
    doc: 'spec.request must hold one PKCS#10 CERTIFICATE REQUEST; nothing can be reviewed or signed otherwise.',
  },
  'signature-invalid': {
    severity: 'error',
    label: 'bad signature',
    message:
      'The self-signature of the request does not verify: the requester has not proven that it holds the private key.',
    doc: 'A PKCS#10 request is signed with the key it certifies (proof of possession). A bad signature means the request was altered or built for someone else’s key.',
  },
  'signature-unverified': {
    severity: 'warning',
    label: 'signature unchecked',
    message:
      'The request is signed with {algorithm}, which kubecerts cannot verify; proof of key possession is unchecked.',
    doc: 'The signature algorithm (for example RSA-PSS) is not checked here; verify the request with openssl req -verify.',
  },
  'requester-not-subject': {
    severity: 'error',
    label: 'not its identity',
    message: '{requester} asks for the identity {identity}, which is not its own.',
    doc: 'A node may only request certificates for its own name (system:node:<name>); anyone else asking for a node identity is impersonating it. Bootstrap tokens may request node client certificates.',
  },
  'requester-differs': {
    severity: 'warning',
    label: 'for another user',
    message:
      'Requested by {requester} for the identity {identity}: check that {requester} may obtain certificates for it.',
    doc: 'The subject names another user than the requester (spec.username). Legitimate when an administrator requests on a user’s behalf; otherwise a privilege grab.',
  },
  'usage-missing': {
    severity: 'error',
    label: 'usage missing',
    message: 'Signer {signer} requires the usage {usage}; the request has {usages}.',
    doc: 'Each built-in signer requires a usage (client auth for client signers, server auth for kubelet-serving); the signer marks the request Failed otherwise.',
  },
  'usage-not-allowed': {
    severity: 'error',
    label: 'usage refused',
    message: 'Signer {signer} does not allow the usages {usages}.',
    doc: 'Usages outside the signer’s list make the signer refuse the request (Failed, SignerValidationFailure).',
  },
  'organization-not-allowed': {
    severity: 'error',
    label: 'O refused',
    message: 'Signer {signer} requires O={expected}; the request has O={actual}.',
    doc: 'Node signers require the organization to be exactly system:nodes.',
  },
  'common-name-not-allowed': {
    severity: 'error',
    label: 'CN refused',
    message: 'Signer {signer} requires a common name starting with {prefix}; the request has CN={actual}.',
    doc: 'Node signers require CN=system:node:<nodeName>.',
  },
  'san-missing': {
    severity: 'error',
    label: 'no SAN',
    message: 'Signer {signer} requires at least one DNS or IP subject alternative name.',
    doc: 'A kubelet serving certificate names the node’s addresses; without a DNS or IP SAN it is useless and refused.',
  },
  'san-not-allowed': {
    severity: 'error',
    label: 'SAN refused',
    message: 'Signer {signer} does not allow {kind} subject alternative names: {values}.',
    doc: 'kubelet-serving refuses email and URI SANs; kube-apiserver-client-kubelet refuses every SAN.',
  },
  'san-not-node-address': {
    severity: 'error',
    label: 'foreign SANs',
    message:
      'Subject alternative names {values} are not addresses of node {node} (its addresses: {addresses}).',
    doc: 'A kubelet-serving certificate must only name the node’s own addresses (status.addresses); other names let the node impersonate other servers.',
  },
  'node-addresses-unchecked': {
    severity: 'info',
    label: 'SANs unchecked',
    message:
      'The subject alternative names could not be compared with the addresses of node {node}: {reason}.',
    doc: 'Reading the Node object needs get on nodes; without it, compare the SANs with the node’s addresses by hand.',
  },
  'privileged-group': {
    severity: 'error',
    label: 'privileged group',
    message: 'The request asks for the privileged group {group}.',
    doc: 'system:masters bypasses RBAC and cannot be revoked; kubeadm:cluster-admins is bound to cluster-admin. Never approve them through a CSR you did not create.',
  },
  'nodes-group-from-non-node': {
    severity: 'error',
    label: 'not a node',
    message: 'The request asks for the group system:nodes, but {requester} is not a node.',
    doc: 'Only a node (or a bootstrap token joining one) should obtain a certificate in system:nodes.',
  },
  'legacy-unknown-signer': {
    severity: 'warning',
    label: 'never signed',
    message:
      'Signer kubernetes.io/legacy-unknown is never signed by kube-controller-manager; approval alone issues nothing.',
    doc: 'legacy-unknown exists for compatibility only. Ask the requester which signer it needs.',
  },
  'weak-key': {
    severity: 'error',
    label: 'weak key',
    message: 'The request has a weak {algorithm} key of {bits} bits (at least {minimum} expected).',
    doc: 'RSA keys under 2048 bits and EC keys under 256 bits are considered breakable.',
  },
  'weak-signature': {
    severity: 'warning',
    label: 'weak signature',
    message: 'The request is signed with the weak algorithm {algorithm}.',
    doc: 'SHA-1 and MD5 signatures can be forged.',
  },
  'duration-above-policy': {
    severity: 'warning',
    label: 'too long',
    message: 'The requested duration {requested} exceeds the policy maximum of {maximum}.',
    doc: 'spec.expirationSeconds is above kubecerts.csr.maxExpirationSeconds.',
  },
  'pending-near-gc': {
    severity: 'info',
    label: 'near deletion',
    message: 'Pending for {age}; kube-controller-manager deletes pending requests after 24 hours.',
    doc: 'Pending CSRs are garbage-collected after 24 hours; the requester will have to submit a new one.',
  },
} as const satisfies Record<string, RiskDefinition>;

export type CsrRiskCode = keyof typeof CSR_RISK_CATALOG;
export const CSR_RISK_CODES = Object.keys(CSR_RISK_CATALOG) as CsrRiskCode[];

export interface CsrRiskFinding {
  readonly code: CsrRiskCode;
  readonly severity: Severity;
  readonly params: FindingParams;
}

export function renderRiskMessage(
  risk: Pick<CsrRiskFinding, 'code' | 'params'>,
  translate: Translate,
): string {
  return translate(CSR_RISK_CATALOG[risk.code].message, risk.params);
}

/** The short verdict of a risk (a CSR row's description), translated. */
export function riskLabel(risk: Pick<CsrRiskFinding, 'code'>, translate: Translate): string {
  return translate(CSR_RISK_CATALOG[risk.code].label, {});
}

/** The highest severity among the findings, or undefined when there are none. */
export function worstSeverity(findings: readonly CsrRiskFinding[]): Severity | undefined {
  const order: readonly Severity[] = ['error', 'warning', 'info'];
  return order.find((s) => findings.some((f) => f.severity === s));
}

/**
 * 86400 → "24h", 86401 → "24h1s": hours, minutes and seconds, zero parts left out. Exact, for the
 * policy messages: kubectl's HumanDuration (core/time/humanDuration) rounds 24h1s to "24h", which
 * would hide why a request exceeds a 24h maximum.
 */
export function formatSeconds(seconds: number): string {
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  return [
    hours ? `${hours}h` : '',
    minutes ? `${minutes}m` : '',
    rest || (!hours && !minutes) ? `${rest}s` : '',
  ].join('');
}
