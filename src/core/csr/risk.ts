// The review shown before a CSR is approved: a table of risk codes (severity, English template that
// doubles as l10n key, doc) and one check per code. Pure: the node and the clock come in as input.
import type { FindingParams, Severity, Translate } from '../findings/finding';
import { csrState, type Csr, type KubeNode } from './model';
import { CsrDecodeError, decodeCsrRequest, type CertificateRequest } from './pkcs10';
import {
  BOOTSTRAPPERS_GROUP,
  BOOTSTRAP_USER_PREFIX,
  MIN_KEY_BITS,
  NODES_GROUP,
  NODE_USER_PREFIX,
  PENDING_GC_SECONDS,
  PRIVILEGED_GROUPS,
  SIGNER_RULES,
  WEAK_HASHES,
  type SignerRule,
} from './signers';

interface RiskDefinition {
  readonly severity: Severity;
  readonly message: string;
  readonly doc: string;
}

export const CSR_RISK_CATALOG = {
  'request-invalid': {
    severity: 'error',
    message: 'The request is not a valid PEM certificate request: {reason}.',
    doc: 'spec.request must hold one PKCS#10 CERTIFICATE REQUEST; nothing can be reviewed or signed otherwise.',
  },
  'signature-invalid': {
    severity: 'error',
    message:
      'The self-signature of the request does not verify: the requester has not proven that it holds the private key.',
    doc: 'A PKCS#10 request is signed with the key it certifies (proof of possession). A bad signature means the request was altered or built for someone else’s key.',
  },
  'signature-unverified': {
    severity: 'warning',
    message:
      'The request is signed with {algorithm}, which kubecerts cannot verify; proof of key possession is unchecked.',
    doc: 'The signature algorithm (for example RSA-PSS) is not checked here; verify the request with openssl req -verify.',
  },
  'requester-not-subject': {
    severity: 'error',
    message: '{requester} asks for the identity {identity}, which is not its own.',
    doc: 'A node may only request certificates for its own name (system:node:<name>); anyone else asking for a node identity is impersonating it. Bootstrap tokens may request node client certificates.',
  },
  'requester-differs': {
    severity: 'warning',
    message:
      'Requested by {requester} for the identity {identity}: check that {requester} may obtain certificates for it.',
    doc: 'The subject names another user than the requester (spec.username). Legitimate when an administrator requests on a user’s behalf; otherwise a privilege grab.',
  },
  'usage-missing': {
    severity: 'error',
    message: 'Signer {signer} requires the usage {usage}; the request has {usages}.',
    doc: 'Each built-in signer requires a usage (client auth for client signers, server auth for kubelet-serving); the signer marks the request Failed otherwise.',
  },
  'usage-not-allowed': {
    severity: 'error',
    message: 'Signer {signer} does not allow the usages {usages}.',
    doc: 'Usages outside the signer’s list make the signer refuse the request (Failed, SignerValidationFailure).',
  },
  'organization-not-allowed': {
    severity: 'error',
    message: 'Signer {signer} requires O={expected}; the request has O={actual}.',
    doc: 'Node signers require the organization to be exactly system:nodes.',
  },
  'common-name-not-allowed': {
    severity: 'error',
    message: 'Signer {signer} requires a common name starting with {prefix}; the request has CN={actual}.',
    doc: 'Node signers require CN=system:node:<nodeName>.',
  },
  'san-missing': {
    severity: 'error',
    message: 'Signer {signer} requires at least one DNS or IP subject alternative name.',
    doc: 'A kubelet serving certificate names the node’s addresses; without a DNS or IP SAN it is useless and refused.',
  },
  'san-not-allowed': {
    severity: 'error',
    message: 'Signer {signer} does not allow {kind} subject alternative names: {values}.',
    doc: 'kubelet-serving refuses email and URI SANs; kube-apiserver-client-kubelet refuses every SAN.',
  },
  'san-not-node-address': {
    severity: 'error',
    message:
      'Subject alternative names {values} are not addresses of node {node} (its addresses: {addresses}).',
    doc: 'A kubelet-serving certificate must only name the node’s own addresses (status.addresses); other names let the node impersonate other servers.',
  },
  'node-addresses-unchecked': {
    severity: 'info',
    message:
      'The subject alternative names could not be compared with the addresses of node {node}: {reason}.',
    doc: 'Reading the Node object needs get on nodes; without it, compare the SANs with the node’s addresses by hand.',
  },
  'privileged-group': {
    severity: 'error',
    message: 'The request asks for the privileged group {group}.',
    doc: 'system:masters bypasses RBAC and cannot be revoked; kubeadm:cluster-admins is bound to cluster-admin. Never approve them through a CSR you did not create.',
  },
  'nodes-group-from-non-node': {
    severity: 'error',
    message: 'The request asks for the group system:nodes, but {requester} is not a node.',
    doc: 'Only a node (or a bootstrap token joining one) should obtain a certificate in system:nodes.',
  },
  'legacy-unknown-signer': {
    severity: 'warning',
    message:
      'Signer kubernetes.io/legacy-unknown is never signed by kube-controller-manager; approval alone issues nothing.',
    doc: 'legacy-unknown exists for compatibility only. Ask the requester which signer it needs.',
  },
  'weak-key': {
    severity: 'error',
    message: 'The request has a weak {algorithm} key of {bits} bits (at least {minimum} expected).',
    doc: 'RSA keys under 2048 bits and EC keys under 256 bits are considered breakable.',
  },
  'weak-signature': {
    severity: 'warning',
    message: 'The request is signed with the weak algorithm {algorithm}.',
    doc: 'SHA-1 and MD5 signatures can be forged.',
  },
  'duration-above-policy': {
    severity: 'warning',
    message: 'The requested duration {requested} exceeds the policy maximum of {maximum}.',
    doc: 'spec.expirationSeconds is above kubecerts.csr.maxExpirationSeconds.',
  },
  'pending-near-gc': {
    severity: 'info',
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

export interface CsrPolicy {
  /** Longest acceptable spec.expirationSeconds; undefined: no limit. */
  readonly maxExpirationSeconds?: number;
}

export interface CsrRiskOptions {
  /** The Node named by a node identity, when it could be read. */
  readonly node?: KubeNode;
  /** Why the Node could not be read (forbidden, not found); shown when node is absent. */
  readonly nodeUnavailable?: string;
  readonly now: Date;
  readonly policy: CsrPolicy;
}

export interface CsrReview {
  /** Undefined when spec.request does not decode (then a request-invalid finding says why). */
  readonly request?: CertificateRequest;
  readonly findings: readonly CsrRiskFinding[];
}

interface CheckInput {
  readonly csr: Csr;
  readonly req: CertificateRequest;
  readonly rule?: SignerRule;
  readonly options: CsrRiskOptions;
}

type Check = (input: CheckInput) => FindingParams[];

const RISK_CHECKS: Readonly<Record<Exclude<CsrRiskCode, 'request-invalid'>, Check>> = {
  'signature-invalid': ({ req }) => (req.signatureValid === false ? [{}] : []),
  'signature-unverified': ({ req }) =>
    req.signatureValid === undefined ? [{ algorithm: req.signatureAlgorithm.name }] : [],
  'requester-not-subject': (input) => (requesterVerdict(input) === 'foreign' ? [identityParams(input)] : []),
  'requester-differs': (input) => (requesterVerdict(input) === 'differs' ? [identityParams(input)] : []),
  'usage-missing': ({ csr, rule }) =>
    (rule?.requiredUsages ?? [])
      .filter((u) => !usagesOf(csr).includes(u))
      .map((usage) => ({ signer: csr.spec.signerName, usage, usages: listOrNone(usagesOf(csr)) })),
  'usage-not-allowed': ({ csr, rule }) => {
    const allowed = rule?.allowedUsages;
    const extra = allowed ? usagesOf(csr).filter((u) => !allowed.includes(u)) : [];
    return extra.length ? [{ signer: csr.spec.signerName, usages: extra.join(', ') }] : [];
  },
  'organization-not-allowed': ({ csr, req, rule }) =>
    rule?.organizations && !sameList(req.organizations, rule.organizations)
      ? [
          {
            signer: csr.spec.signerName,
            expected: rule.organizations.join(','),
            actual: listOrNone(req.organizations),
          },
        ]
      : [],
  'common-name-not-allowed': ({ csr, req, rule }) =>
    rule?.commonNamePrefix && !(req.commonName ?? '').startsWith(rule.commonNamePrefix)
      ? [{ signer: csr.spec.signerName, prefix: rule.commonNamePrefix, actual: req.commonName ?? '' }]
      : [],
  'san-missing': ({ csr, req, rule }) =>
    rule?.sans === 'dns-or-ip' && req.sans.dns.length + req.sans.ip.length === 0
      ? [{ signer: csr.spec.signerName }]
      : [],
  'san-not-allowed': ({ csr, req, rule }) => {
    const refused: readonly (keyof CertificateRequest['sans'])[] =
      rule?.sans === 'none'
        ? ['dns', 'ip', 'email', 'uri']
        : rule?.sans === 'dns-or-ip'
          ? ['email', 'uri']
          : [];
    return refused
      .filter((kind) => req.sans[kind].length > 0)
      .map((kind) => ({
        signer: csr.spec.signerName,
        kind: SAN_KIND_LABELS[kind],
        values: req.sans[kind].join(', '),
      }));
  },
  'san-not-node-address': ({ req, rule, options }) => {
    const nodeName = nodeNameOf(req.commonName);
    if (rule?.sans !== 'dns-or-ip' || !nodeName || !options.node || options.node.metadata.name !== nodeName)
      return [];
    const addresses = (options.node.status?.addresses ?? []).map((a) => a.address);
    const foreign = [...req.sans.dns, ...req.sans.ip].filter((name) => !addresses.includes(name));
    return foreign.length
      ? [{ node: nodeName, values: foreign.join(', '), addresses: listOrNone(addresses) }]
      : [];
  },
  'node-addresses-unchecked': ({ req, rule, options }) => {
    const nodeName = nodeNameOf(req.commonName);
    if (rule?.sans !== 'dns-or-ip' || !nodeName || options.node?.metadata.name === nodeName) return [];
    return [{ node: nodeName, reason: options.nodeUnavailable ?? 'not read' }];
  },
  'privileged-group': ({ req }) =>
    req.organizations.filter((o) => PRIVILEGED_GROUPS.includes(o)).map((group) => ({ group })),
  'nodes-group-from-non-node': ({ csr, req, rule }) => {
    if (!req.organizations.includes(NODES_GROUP) || isNodeRequester(csr)) return [];
    if (rule?.bootstrapRequesterAllowed && isBootstrapRequester(csr)) return [];
    return [{ requester: requesterOf(csr) }];
  },
  'legacy-unknown-signer': ({ rule }) => (rule?.neverSigned ? [{}] : []),
  'weak-key': ({ req }) => {
    const minimum = MIN_KEY_BITS[req.publicKey.algorithm];
    const bits = req.publicKey.bits;
    return minimum !== undefined && bits !== undefined && bits < minimum
      ? [{ algorithm: req.publicKey.algorithm, bits, minimum }]
      : [];
  },
  'weak-signature': ({ req }) =>
    req.signatureAlgorithm.hash && WEAK_HASHES.includes(req.signatureAlgorithm.hash)
      ? [{ algorithm: req.signatureAlgorithm.name }]
      : [],
  'duration-above-policy': ({ csr, options }) => {
    const requested = csr.spec.expirationSeconds;
    const maximum = options.policy.maxExpirationSeconds;
    return requested !== undefined && maximum !== undefined && requested > maximum
      ? [{ requested: formatSeconds(requested), maximum: formatSeconds(maximum) }]
      : [];
  },
  'pending-near-gc': ({ csr, options }) => {
    const created = Date.parse(csr.metadata.creationTimestamp ?? '');
    const age = (options.now.getTime() - created) / 1000;
    return csrState(csr) === 'pending' && age >= PENDING_GC_SECONDS * 0.75
      ? [{ age: formatSeconds(Math.floor(age)) }]
      : [];
  },
};

const SAN_KIND_LABELS: Readonly<Record<keyof CertificateRequest['sans'], string>> = {
  dns: 'DNS',
  ip: 'IP',
  email: 'email',
  uri: 'URI',
};

/** Decodes the request once and runs every check. */
export function reviewCsr(csr: Csr, options: CsrRiskOptions): CsrReview {
  let req: CertificateRequest;
  try {
    req = decodeCsrRequest(csr.spec.request ?? '');
  } catch (err) {
    if (!(err instanceof CsrDecodeError)) throw err;
    return { findings: [finding('request-invalid', { reason: err.message })] };
  }
  const input: CheckInput = { csr, req, rule: SIGNER_RULES[csr.spec.signerName], options };
  const findings: CsrRiskFinding[] = [];
  for (const [code, check] of Object.entries(RISK_CHECKS) as [CsrRiskCode, Check][]) {
    for (const params of check(input)) findings.push(finding(code, params));
  }
  return { request: req, findings };
}

export function csrRiskFindings(csr: Csr, options: CsrRiskOptions): CsrRiskFinding[] {
  return [...reviewCsr(csr, options).findings];
}

export function renderRiskMessage(
  risk: Pick<CsrRiskFinding, 'code' | 'params'>,
  translate: Translate,
): string {
  return translate(CSR_RISK_CATALOG[risk.code].message, risk.params);
}

/** The highest severity among the findings, or undefined when there are none. */
export function worstSeverity(findings: readonly CsrRiskFinding[]): Severity | undefined {
  const order: readonly Severity[] = ['error', 'warning', 'info'];
  return order.find((s) => findings.some((f) => f.severity === s));
}

/** The node a CSR's subject names, when its CN is a node identity. */
export function nodeNameOf(commonName: string | undefined): string | undefined {
  return commonName?.startsWith(NODE_USER_PREFIX)
    ? commonName.slice(NODE_USER_PREFIX.length) || undefined
    : undefined;
}

function finding(code: CsrRiskCode, params: FindingParams): CsrRiskFinding {
  return { code, severity: CSR_RISK_CATALOG[code].severity, params };
}

function usagesOf(csr: Csr): readonly string[] {
  return csr.spec.usages ?? [];
}

function requesterOf(csr: Csr): string {
  return csr.spec.username ?? '<unknown>';
}

function isNodeRequester(csr: Csr): boolean {
  return requesterOf(csr).startsWith(NODE_USER_PREFIX) && (csr.spec.groups ?? []).includes(NODES_GROUP);
}

function isBootstrapRequester(csr: Csr): boolean {
  return (
    requesterOf(csr).startsWith(BOOTSTRAP_USER_PREFIX) ||
    (csr.spec.groups ?? []).includes(BOOTSTRAPPERS_GROUP)
  );
}

/**
 * 'foreign': a node identity asked for by someone else, or a node asking for another identity;
 * 'differs': a non-node identity asked for by another user; 'own': the requester's own name.
 */
function requesterVerdict({ csr, req, rule }: CheckInput): 'own' | 'differs' | 'foreign' {
  const requester = requesterOf(csr);
  const identity = req.commonName ?? '';
  if (requester === identity) return 'own';
  const asksForNode = identity.startsWith(NODE_USER_PREFIX);
  if (asksForNode && rule?.bootstrapRequesterAllowed && isBootstrapRequester(csr)) return 'own';
  if (asksForNode || requester.startsWith(NODE_USER_PREFIX)) return 'foreign';
  return 'differs';
}

function identityParams({ csr, req }: CheckInput): FindingParams {
  return { requester: requesterOf(csr), identity: req.commonName ?? '' };
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function listOrNone(values: readonly string[]): string {
  return values.length ? values.join(', ') : '(none)';
}

/** 86400 → "24h", 86401 → "24h1s": hours, minutes and seconds, zero parts left out. */
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
