// Rules about one certificate, shared by the kubeconfig and the file audit. Each rule is a row:
// the code it raises and a test returning the finding's params (undefined = no finding).
import type { FindingCode } from '../findings/catalog';
import {
  certificateRef,
  makeFinding,
  type EnabledCodes,
  type Finding,
  type FindingParams,
  type RelatedLocation,
  type Span,
} from '../findings/finding';
import { problemReports, type ChainReport } from '../verdict/chainVerdict';
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
  /** Read only by the entry points, through `withoutDisabled`: the checks report every code. */
  readonly enabled?: EnabledCodes;
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

/** Neither expired nor not yet valid at `now` (notAfter itself is still valid, as Go counts it). */
function validAt(cert: Certificate, now: Date): boolean {
  return cert.notBefore.getTime() <= now.getTime() && now.getTime() <= cert.notAfter.getTime();
}

/**
 * An expired certificate of a CA bundle (certificate-authority-data after a CA rotation) next to
 * one valid now: client-go puts every certificate of the bundle in the roots pool, so the bundle
 * still works and the expired one is `bundle-ca-expired`, a warning. When all are expired, each
 * stays `cert-expired`.
 */
export function expiredInWorkingBundle(
  cert: Certificate,
  bundle: readonly Certificate[],
  now: Date,
): boolean {
  return (
    now.getTime() > cert.notAfter.getTime() && bundle.some((other) => other !== cert && validAt(other, now))
  );
}

export function certificateFindings(
  cert: Certificate,
  place: CertificatePlace,
  ctx: CheckContext,
): Finding[] {
  const findings: Finding[] = [];
  for (const rule of RULES) {
    if (!rule.roles.includes(place.role)) continue;
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

/** Chain problems that `certificateFindings` reports on the certificate itself. */
const OWN_RULE_CODES: ReadonlySet<FindingCode> = new Set([
  'cert-expired',
  'cert-not-yet-valid',
  'client-auth-missing',
  'weak-signature',
]);

/**
 * A verdict's problems as findings on the certificate's place: the same codes and params every
 * surface shows. Validity problems of certificates that are audited on their own (`audited` holds
 * their SHA-256) are skipped: they already have a finding.
 */
export function verdictFindings(
  leaf: Certificate,
  report: Pick<ChainReport, 'problems'>,
  place: Omit<CertificatePlace, 'role'>,
  audited: Pick<ReadonlySet<string>, 'has'>,
  related: readonly RelatedLocation[] = [],
): Finding[] {
  const findings: Finding[] = [];
  for (const problem of report.problems) {
    const code = problem.code;
    if (OWN_RULE_CODES.has(code) && audited.has(problem.certificate.sha256)) continue;
    findings.push(
      makeFinding(code, place, problem.params, {
        certificate: certificateRef(leaf),
        ...(related.length ? { related } : {}),
      }),
    );
  }
  return findings;
}

/** `verdictFindings` for a verifier's problems against `anchors` (the PKI inventory's check of one CA). */
export function chainFindings(
  leaf: Certificate,
  problems: readonly ChainProblem[],
  anchors: readonly Certificate[],
  place: Omit<CertificatePlace, 'role'>,
  ctx: CheckContext,
  audited: Pick<ReadonlySet<string>, 'has'>,
  related: readonly RelatedLocation[] = [],
): Finding[] {
  const report = { problems: problemReports(problems, anchors, ctx.now) };
  return verdictFindings(leaf, report, place, audited, related);
}

/** The findings of each certificate of a CA bundle: `certificateFindings`, with `bundle-ca-expired` for the expired ones of a bundle that still works. */
export function caBundleFindings(
  bundle: readonly Certificate[],
  place: Omit<CertificatePlace, 'role'>,
  ctx: CheckContext,
): Finding[] {
  const findings: Finding[] = [];
  for (const cert of bundle) {
    const caPlace = { ...place, role: 'ca' as const };
    if (!expiredInWorkingBundle(cert, bundle, ctx.now)) {
      findings.push(...certificateFindings(cert, caPlace, ctx));
      continue;
    }
    // An expired CA of a bundle that still works is bundle-ca-expired, not cert-expired.
    findings.push(...certificateFindings(cert, caPlace, ctx).filter((f) => f.code !== 'cert-expired'));
    const expired = RULES.find((rule) => rule.code === 'cert-expired')?.test(cert, ctx);
    if (expired)
      findings.push(makeFinding('bundle-ca-expired', place, expired, { certificate: certificateRef(cert) }));
  }
  return findings;
}
