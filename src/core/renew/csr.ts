// Renewal of a kubeconfig user's client certificate through the certificates.k8s.io/v1 API:
// plan the request (same CN and O, a new key of the old algorithm and size), build
// the CSR object, read its conditions, and check what the signer returned before anything is written.
import { Buffer } from 'node:buffer';
import type { FindingParams } from '../findings/finding';
import type { KeyFormat, KeySpec } from '../x509/issue';
import { verifyChain } from '../x509/chain';
import type { Certificate } from '../x509/model';
import { backupTimestamp } from './backup';
import type { Refusal, RenewalWarning } from './messages';
import { keySpecOf, type Decision } from './plan';
import { describeKeySpec, previewRows, summarizeCertificate, type PreviewRow } from './preview';

export const KUBE_APISERVER_CLIENT_SIGNER = 'kubernetes.io/kube-apiserver-client';
export const MIN_EXPIRATION_SECONDS = 600;
export const DEFAULT_EXPIRATION_SECONDS = 8760 * 3600;
/** Admission rejects this group for the kube-apiserver-client signer. */
const SYSTEM_MASTERS = 'system:masters';

/** kubelet's choice: key encipherment only makes sense for RSA keys. */
const USAGES_BY_ALGORITHM: Record<KeySpec['algorithm'], readonly string[]> = {
  RSA: ['digital signature', 'key encipherment', 'client auth'],
  EC: ['digital signature', 'client auth'],
  Ed25519: ['digital signature', 'client auth'],
};

export interface UserRenewalInput {
  /** The kubeconfig user name, for messages and the CSR name. */
  readonly userName: string;
  readonly current: Certificate;
  readonly expirationSeconds: number;
  /** Another key type than the old one, when the user picked one. */
  readonly key?: KeySpec;
  readonly keyFormat?: KeyFormat;
  /** The cluster CA, shown as the expected issuer. */
  readonly clusterCa?: Certificate;
  /** False when the request is sent with another context's credentials. */
  readonly submitsWithOwnCredential: boolean;
}

export interface UserRenewalPlan {
  readonly userName: string;
  readonly subject: { readonly commonName: string; readonly organizations: readonly string[] };
  readonly key: KeySpec;
  readonly keyFormat?: KeyFormat;
  readonly usages: readonly string[];
  readonly expirationSeconds: number;
  readonly csrName: string;
  readonly warnings: readonly RenewalWarning[];
  readonly preview: readonly PreviewRow[];
}

export function planUserRenewal(input: UserRenewalInput, now: Date): Decision<UserRenewalPlan> {
  const { current, userName } = input;
  const refuse = (code: Refusal['code'], params: FindingParams): Decision<UserRenewalPlan> => ({
    ok: false,
    refusal: { code, params },
  });
  if (current.basicConstraints?.ca) return refuse('ca-certificate', { name: userName });
  if (current.extKeyUsage && !current.extKeyUsage.includes('clientAuth')) {
    return refuse('not-client-certificate', { name: userName });
  }
  if (current.identity.groups.includes(SYSTEM_MASTERS)) return refuse('system-masters', { name: userName });
  if (!Number.isInteger(input.expirationSeconds) || input.expirationSeconds < MIN_EXPIRATION_SECONDS) {
    return refuse('expiration-too-short', { seconds: input.expirationSeconds });
  }
  const key = input.key ?? keySpecOf(current);
  if (!key) return refuse('unsupported-key', { name: userName, algorithm: current.publicKey.algorithm });

  const warnings: RenewalWarning[] = [];
  if (input.submitsWithOwnCredential && current.notAfter.getTime() <= now.getTime()) {
    warnings.push({ code: 'credential-expired', params: { name: userName } });
  }
  const subject = { commonName: current.identity.user, organizations: current.identity.groups };
  const usages = USAGES_BY_ALGORITHM[key.algorithm];
  const old = summarizeCertificate(current);
  const preview = previewRows(old, {
    subject: subjectDisplay(subject.commonName, subject.organizations),
    sans: [],
    keyUsage: usages.filter((u) => u !== 'client auth').map(camelCase),
    extKeyUsage: ['clientAuth'],
    notBefore: now,
    notAfter: new Date(now.getTime() + input.expirationSeconds * 1000),
    issuer: input.clusterCa?.subject.display ?? old.issuer,
    key: describeKeySpec(key),
  });
  return {
    ok: true,
    plan: {
      userName,
      subject,
      key,
      keyFormat: input.keyFormat,
      usages,
      expirationSeconds: input.expirationSeconds,
      csrName: csrName(current.identity.user, now),
      warnings,
      preview,
    },
  };
}

/** Subject display as the DER parser renders a name built from O RDNs then CN: last RDN first. */
function subjectDisplay(commonName: string, organizations: readonly string[]): string {
  return [`CN=${commonName}`, ...[...organizations].reverse().map((o) => `O=${o}`)].join(', ');
}

function camelCase(usage: string): string {
  return usage.replace(/ (\w)/g, (_, c: string) => c.toUpperCase());
}

/** A valid object name (DNS subdomain) from the user's CN: `system:node:n1` → `kubecerts-renew-system-node-n1-…`. */
export function csrName(commonName: string, now: Date): string {
  const slug = commonName
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 200);
  return `kubecerts-renew-${slug || 'user'}-${backupTimestamp(now)}`;
}

/** The CertificateSigningRequest to create: metadata and spec (the server fills in the requester). */
export function csrManifest(plan: UserRenewalPlan, requestPem: string) {
  return {
    metadata: { name: plan.csrName, labels: { 'app.kubernetes.io/managed-by': 'kubecerts' } },
    spec: {
      request: Buffer.from(requestPem, 'utf8').toString('base64'),
      signerName: KUBE_APISERVER_CLIENT_SIGNER,
      usages: [...plan.usages],
      expirationSeconds: plan.expirationSeconds,
    },
  };
}

export const ISSUED_PROBLEMS = {
  unreadable: 'The signer returned no readable certificate ({detail}).',
  'not-verified': 'The issued certificate does not verify against the cluster CA: {detail}.',
  'key-mismatch': 'The issued certificate does not carry the public key generated for this request.',
  'subject-mismatch': 'The issued certificate is for {got}, not for {expected}.',
  'not-client-auth': 'The issued certificate cannot be used for client authentication (no clientAuth usage).',
} as const;

export type IssuedProblemCode = keyof typeof ISSUED_PROBLEMS;

export interface IssuedProblem {
  readonly code: IssuedProblemCode;
  readonly params: FindingParams;
}

export interface IssuedExpectation {
  readonly spkiDer: Uint8Array;
  readonly subject: UserRenewalPlan['subject'];
}

/**
 * Everything that must hold before an issued certificate replaces the old one: it chains to the
 * cluster CA at `now`, carries our new public key and the requested identity, and allows client auth.
 */
export function checkIssuedCertificate(
  chain: readonly Certificate[],
  expected: IssuedExpectation,
  anchors: readonly Certificate[],
  now: Date,
): IssuedProblem[] {
  const [leaf, ...intermediates] = chain;
  if (!leaf) return [{ code: 'unreadable', params: { detail: 'no certificate' } }];
  const problems: IssuedProblem[] = [];
  const verdict = verifyChain(leaf, { anchors, intermediates }, now);
  if (!verdict.verified) {
    const detail = verdict.problems.map((p) => p.detail).join('; ') || 'no trusted CA signed it';
    problems.push({ code: 'not-verified', params: { detail } });
  }
  if (!bytesEqual(leaf.publicKey.spkiDer, expected.spkiDer))
    problems.push({ code: 'key-mismatch', params: {} });
  const wantGroups = [...expected.subject.organizations].sort().join(',');
  const gotGroups = [...leaf.identity.groups].sort().join(',');
  if (leaf.identity.user !== expected.subject.commonName || wantGroups !== gotGroups) {
    problems.push({
      code: 'subject-mismatch',
      params: {
        got: identityText(leaf.identity.user, leaf.identity.groups),
        expected: identityText(expected.subject.commonName, expected.subject.organizations),
      },
    });
  }
  if (leaf.extKeyUsage && !leaf.extKeyUsage.includes('clientAuth')) {
    problems.push({ code: 'not-client-auth', params: {} });
  }
  return problems;
}

function identityText(user: string, groups: readonly string[]): string {
  return groups.length ? `${user} (${groups.join(', ')})` : user;
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
