// Rules about one certificate, shared by the kubeconfig and the file audit. Each rule is a row:
// the code it raises and a test returning the finding's params (undefined = no finding).
import { FINDING_CATALOG, type FindingCode } from '../findings/catalog';
import {
  certificateRef,
  type Finding,
  type FindingParams,
  type RelatedLocation,
  type Span,
} from '../findings/finding';
import type { ChainProblem } from '../x509/chain';
import type { Certificate } from '../x509/model';

const DAY_MS = 86_400_000;

export const DEFAULT_WARN_DAYS = 30;

export type CertificateRole = 'ca' | 'client' | 'file';

export interface CertificatePlace {
  readonly file: string;
  readonly span: Span;
  readonly cluster?: string;
  readonly user?: string;
  readonly context?: string;
  readonly role: CertificateRole;
}

export interface CheckContext {
  readonly now: Date;
  readonly warnDays: number;
  readonly enabled: (code: FindingCode) => boolean;
}

function isoDate(date: Date): string {
  return date.toISOString().replace(/\.000Z$/, 'Z');
}

interface Rule {
  readonly code: FindingCode;
  readonly roles: readonly CertificateRole[];
  readonly test: (cert: Certificate, ctx: CheckContext) => FindingParams | undefined;
}

const WEAK_HASHES = new Set(['SHA-1', 'MD5', 'MD2', 'MD4']);
const ANY_EKU = new Set(['anyExtendedKeyUsage', 'any', '2.5.29.37.0']);
const ALL_ROLES: readonly CertificateRole[] = ['ca', 'client', 'file'];

const RULES: readonly Rule[] = [
  {
    code: 'cert-expired',
    roles: ALL_ROLES,
    test: (cert, { now }) =>
      cert.notAfter.getTime() < now.getTime()
        ? {
            subject: cert.subject.display,
            notAfter: isoDate(cert.notAfter),
            days: Math.floor((now.getTime() - cert.notAfter.getTime()) / DAY_MS),
          }
        : undefined,
  },
  {
    code: 'cert-expiring',
    roles: ALL_ROLES,
    test: (cert, { now, warnDays }) => {
      const left = cert.notAfter.getTime() - now.getTime();
      return left >= 0 && left <= warnDays * DAY_MS
        ? {
            subject: cert.subject.display,
            notAfter: isoDate(cert.notAfter),
            days: Math.floor(left / DAY_MS),
            threshold: warnDays,
          }
        : undefined;
    },
  },
  {
    code: 'cert-not-yet-valid',
    roles: ALL_ROLES,
    test: (cert, { now }) =>
      cert.notBefore.getTime() > now.getTime()
        ? { subject: cert.subject.display, notBefore: isoDate(cert.notBefore) }
        : undefined,
  },
  {
    code: 'weak-key',
    roles: ALL_ROLES,
    test: (cert) =>
      cert.publicKey.algorithm === 'RSA' && cert.publicKey.bits !== undefined && cert.publicKey.bits < 2048
        ? { subject: cert.subject.display, algorithm: 'RSA', bits: cert.publicKey.bits }
        : undefined,
  },
  {
    code: 'weak-signature',
    roles: ALL_ROLES,
    // A self-signed root's own signature is never checked by TLS, so only flag issued certs.
    test: (cert) =>
      cert.signatureAlgorithm.hash && WEAK_HASHES.has(cert.signatureAlgorithm.hash) && !cert.isSelfIssued
        ? { subject: cert.subject.display, algorithm: cert.signatureAlgorithm.name }
        : undefined,
  },
  {
    code: 'client-auth-missing',
    roles: ['client'],
    test: (cert) =>
      cert.extKeyUsage !== undefined &&
      !cert.extKeyUsage.includes('clientAuth') &&
      !cert.extKeyUsage.some((usage) => ANY_EKU.has(usage))
        ? { subject: cert.subject.display }
        : undefined,
  },
  {
    code: 'system-masters',
    roles: ['client', 'file'],
    test: (cert) =>
      cert.basicConstraints?.ca !== true && cert.identity.groups.includes('system:masters')
        ? { subject: cert.subject.display }
        : undefined,
  },
];

export function makeFinding(
  code: FindingCode,
  place: Omit<CertificatePlace, 'role'>,
  params: FindingParams,
  extra: Partial<Finding> = {},
): Finding {
  return {
    code,
    severity: FINDING_CATALOG[code].severity,
    params,
    file: place.file,
    span: place.span,
    ...(place.cluster !== undefined ? { cluster: place.cluster } : {}),
    ...(place.user !== undefined ? { user: place.user } : {}),
    ...(place.context !== undefined ? { context: place.context } : {}),
    ...extra,
  };
}

export function certificateFindings(
  cert: Certificate,
  place: CertificatePlace,
  ctx: CheckContext,
): Finding[] {
  const findings: Finding[] = [];
  for (const rule of RULES) {
    if (!rule.roles.includes(place.role) || !ctx.enabled(rule.code)) continue;
    const params = rule.test(cert, ctx);
    if (!params) continue;
    findings.push(
      makeFinding(rule.code, place, place.user !== undefined ? { ...params, user: place.user } : params, {
        certificate: certificateRef(cert),
      }),
    );
  }
  return findings;
}

/**
 * Chain problems as findings on the leaf's place. Validity problems of certificates that are
 * audited on their own (`audited` holds their SHA-256) are skipped: they already have a finding.
 */
export function chainFindings(
  leaf: Certificate,
  problems: readonly ChainProblem[],
  anchors: readonly Certificate[],
  place: Omit<CertificatePlace, 'role'>,
  ctx: CheckContext,
  audited: Pick<ReadonlySet<string>, 'has'>,
  related: readonly RelatedLocation[] = [],
): Finding[] {
  const findings: Finding[] = [];
  const anchorNames = anchors.map((a) => a.subject.display).join('; ');
  for (const problem of problems) {
    // Same issuer name, other key (AKI or signature mismatch): a CA regenerated under the same
    // name. "bad-signature" says so; "not issued by X, its issuer is X" would read as nonsense.
    const sameName =
      problem.code === 'not-signed-by-ca' &&
      problem.ca !== undefined &&
      problem.ca.subject.derHex === problem.certificate.issuer.derHex;
    const code: FindingCode = sameName ? 'bad-signature' : problem.code;
    if (!ctx.enabled(code)) continue;
    if (
      (code === 'cert-expired' || code === 'cert-not-yet-valid') &&
      audited.has(problem.certificate.sha256Fingerprint)
    )
      continue;
    const subject = problem.certificate.subject.display;
    const ca = problem.ca?.subject.display ?? (anchorNames || problem.certificate.issuer.display);
    const params: FindingParams =
      code === 'cert-expired'
        ? {
            subject,
            notAfter: isoDate(problem.certificate.notAfter),
            days: Math.floor((ctx.now.getTime() - problem.certificate.notAfter.getTime()) / DAY_MS),
          }
        : code === 'cert-not-yet-valid'
          ? { subject, notBefore: isoDate(problem.certificate.notBefore) }
          : { subject, issuer: problem.certificate.issuer.display, ca };
    findings.push(
      makeFinding(code, place, params, {
        certificate: certificateRef(leaf),
        ...(related.length ? { related } : {}),
      }),
    );
  }
  return findings;
}
