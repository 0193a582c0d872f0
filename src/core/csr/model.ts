// The slice of certificates.k8s.io/v1 CertificateSigningRequest (and core/v1 Node) that kubecerts
// reads, as plain JSON: timestamps are RFC 3339 strings, `request` and `certificate` base64.
// The cluster adapter normalises whatever its client returns into this shape.
import { Buffer } from 'node:buffer';
import { kubectlAge } from '../time/humanDuration';

export interface CsrCondition {
  readonly type: string;
  readonly status: string;
  readonly reason?: string;
  readonly message?: string;
  readonly lastUpdateTime?: string;
  readonly lastTransitionTime?: string;
}

export interface Csr {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata: {
    readonly name: string;
    readonly uid?: string;
    readonly resourceVersion?: string;
    readonly creationTimestamp?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
  };
  readonly spec: {
    /** base64 of a PEM CERTIFICATE REQUEST. */
    readonly request: string;
    readonly signerName: string;
    readonly usages?: readonly string[];
    readonly expirationSeconds?: number;
    /** Set by the API server from the requester; cannot be forged. */
    readonly username?: string;
    readonly uid?: string;
    readonly groups?: readonly string[];
    readonly extra?: Readonly<Record<string, readonly string[]>>;
  };
  readonly status?: {
    readonly conditions?: readonly CsrCondition[];
    /** base64 of the issued PEM certificate(s). */
    readonly certificate?: string;
  };
}

export interface NodeAddress {
  readonly type: string;
  readonly address: string;
}

export interface KubeNode {
  readonly metadata: { readonly name: string };
  readonly status?: { readonly addresses?: readonly NodeAddress[] };
}

/** The four groups of the CSR view. */
export type CsrState = 'pending' | 'approved' | 'denied' | 'failed';

function hasCondition(csr: Csr, type: string): boolean {
  return (csr.status?.conditions ?? []).some((c) => c.type === type && c.status !== 'False');
}

/** Failed wins over Approved (approved, then the signer refused it); Approved and Denied are exclusive. */
export function csrState(csr: Csr): CsrState {
  if (hasCondition(csr, 'Failed')) return 'failed';
  if (hasCondition(csr, 'Denied')) return 'denied';
  if (hasCondition(csr, 'Approved')) return 'approved';
  return 'pending';
}

/** The issued certificate (status.certificate) as PEM text. */
export function issuedCertificatePem(csr: Csr): string | undefined {
  return isIssued(csr) ? Buffer.from(csr.status?.certificate ?? '', 'base64').toString('utf8') : undefined;
}

export function isIssued(csr: Csr): boolean {
  return (csr.status?.certificate ?? '') !== '';
}

/** kubectl's CONDITION column: "Pending", "Approved,Issued", "Denied", "Approved,Failed". */
export function conditionSummary(csr: Csr): string {
  const parts = (csr.status?.conditions ?? []).filter((c) => c.status !== 'False').map((c) => c.type);
  if (isIssued(csr)) parts.push('Issued');
  return parts.length ? parts.join(',') : 'Pending';
}

/** kubectl's AGE column for this CSR. */
export function csrAge(csr: Csr, now: Date): string {
  return kubectlAge(csr.metadata.creationTimestamp, now);
}
