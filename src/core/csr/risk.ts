// The review shown before a CSR is approved: a table of risk codes (severity, English template that
// doubles as l10n key, doc) and one check per code. Pure: the node and the clock come in as input.
import type { FindingParams } from '../findings/finding';
import { CSR_RISK_CATALOG, formatSeconds, type CsrRiskCode, type CsrRiskFinding } from './riskCatalog';
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
