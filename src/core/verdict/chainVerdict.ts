// The verdict on one certificate against one set of trust anchors (a kubeconfig pairing, the CAs of
// the inputs): computed once here, rendered by one small function per surface (hover, PKI tooltip,
// CLI table, JSON `certificates[].chains[]`, SARIF). Who signed a certificate and whether its chain
// holds *now* are two facts: an expired certificate its CA did sign is "signed by the CA, not valid
// now", never "not signed". "Not signed" is said only when no signature leads to a trust anchor.
import { FINDING_CATALOG, type FindingCode, type Severity } from '../findings/catalog';
import { certificateRef, type CertificateRef, type FindingParams } from '../findings/finding';
import type { ChainProblem, ChainVerdict } from '../x509/chain';
import type { Certificate } from '../x509/model';

const DAY_MS = 86_400_000;

/** Where the trust anchor of a verdict came from. */
export type AnchorSource = 'cluster-ca' | 'extra-anchor' | 'input';

/**
 * - `verified`: a path to a trust anchor whose every check passes now (what Go's Verify accepts);
 * - `signed`: signatures lead to a trust anchor, but the chain fails a check now (a date, a constraint);
 * - `not-signed`: no signature leads to any of the anchors tried.
 */
export type ChainStatus = 'verified' | 'signed' | 'not-signed';

export interface ChainProblemReport {
  /** The finding code the problem is reported with (see `chainProblemCode`). */
  readonly code: FindingCode;
  readonly severity: Severity;
  /** The certificate the problem is about (the leaf or a CA of the path). */
  readonly certificate: CertificateRef;
  /** The CA involved, if any. */
  readonly ca?: CertificateRef;
  /** The params of the finding's message template. */
  readonly params: FindingParams;
}

/** One certificate × one set of anchors. JSON `certificates[].chains[]`: existing names are a contract. */
export interface ChainReport {
  /** The context pairing the user with the cluster whose CA was used (kubeconfig client certs). */
  readonly context?: string;
  readonly cluster?: string;
  /** Valid now: `status === 'verified'`. */
  readonly verified: boolean;
  readonly status: ChainStatus;
  /** The trust anchor its signatures lead to, whether or not the chain is valid now. */
  readonly anchor?: CertificateRef;
  readonly anchorSource?: AnchorSource;
  /**
   * The certificate whose key verifies its signature (the anchor or an intermediate), when another
   * than its own; set even when no chain leads on from it to an anchor.
   */
  readonly signedBy?: CertificateRef;
  /** CAs tried. */
  readonly tried: readonly CertificateRef[];
  readonly problems: readonly ChainProblemReport[];
}

/**
 * Every chain problem code is a finding code: the catalog is the one table of codes. A CA with the
 * issuer's name but another key is a regenerated CA (`bad-signature`); a client certificate whose
 * own EKU lacks clientAuth is the older, more precise `client-auth-missing`.
 */
export function chainProblemCode(problem: ChainProblem): FindingCode {
  if (
    problem.code === 'incompatible-key-usage' &&
    problem.ca === problem.certificate &&
    problem.params?.usage === 'clientAuth'
  )
    return 'client-auth-missing';
  const sameName =
    problem.code === 'not-signed-by-ca' &&
    problem.ca !== undefined &&
    problem.ca.subject.derHex === problem.certificate.issuer.derHex;
  return sameName ? 'bad-signature' : problem.code;
}

function isoDate(date: Date): string {
  return date.toISOString().replace(/\.000Z$/, 'Z');
}

/**
 * The params of a problem's message: the verifier's (`params`, which name the certificate and CA
 * the catalog's template speaks of), over names that fit every template; dates as the certificate
 * rules write them, so a date reads the same whichever check found it.
 */
function problemParams(
  problem: ChainProblem,
  code: FindingCode,
  tried: readonly Certificate[],
  now: Date,
): FindingParams {
  const cert = problem.certificate;
  const base = {
    subject: cert.subject.display,
    issuer: cert.issuer.display,
    ca:
      problem.ca?.subject.display ?? (tried.map((a) => a.subject.display).join('; ') || cert.issuer.display),
  };
  const dates: FindingParams =
    code === 'cert-expired'
      ? {
          notAfter: isoDate(cert.notAfter),
          days: Math.floor((now.getTime() - cert.notAfter.getTime()) / DAY_MS),
        }
      : code === 'cert-not-yet-valid'
        ? { notBefore: isoDate(cert.notBefore) }
        : {};
  return { ...base, ...(problem.params ?? {}), ...dates };
}

/** Builds the verdict of one certificate against the anchors `tried`. */
export function chainReport(
  verdict: ChainVerdict,
  tried: readonly Certificate[],
  sourceOf: (anchor: Certificate) => AnchorSource,
  now: Date,
  scope: { context?: string; cluster?: string } = {},
): ChainReport {
  const triedPrints = new Set(tried.map((c) => c.sha256Fingerprint));
  const leaf = verdict.path[0];
  const issuer = verdict.signedBy !== leaf ? verdict.signedBy : undefined;
  const anchor = verdict.anchor ?? (issuer && triedPrints.has(issuer.sha256Fingerprint) ? issuer : undefined);
  const status: ChainStatus = verdict.verified ? 'verified' : anchor ? 'signed' : 'not-signed';
  return {
    ...scope,
    verified: verdict.verified,
    status,
    ...(anchor ? { anchor: certificateRef(anchor), anchorSource: sourceOf(anchor) } : {}),
    ...(issuer ? { signedBy: certificateRef(issuer) } : {}),
    tried: tried.map(certificateRef),
    problems: problemReports(verdict.problems, tried, now),
  };
}

/** A verifier's problems with their finding codes and message params. */
export function problemReports(
  problems: readonly ChainProblem[],
  tried: readonly Certificate[],
  now: Date,
): ChainProblemReport[] {
  return problems.map((p) => {
    const code = chainProblemCode(p);
    return {
      code,
      severity: FINDING_CATALOG[code].severity,
      certificate: certificateRef(p.certificate),
      ...(p.ca ? { ca: certificateRef(p.ca) } : {}),
      params: problemParams(p, code, tried, now),
    };
  });
}

/** The distinct problem codes of a verdict, in order: what every surface lists. */
export function verdictCodes(report: Pick<ChainReport, 'problems'>): FindingCode[] {
  return [...new Set(report.problems.map((p) => p.code))];
}

/** What a one-line rendering of a verdict says (hover, PKI tooltip, CLI table): names, not certificates. */
export interface VerdictHeadline {
  readonly status: ChainStatus;
  readonly context?: string;
  readonly cluster?: string;
  /** The anchor's name when signatures lead to one. */
  readonly anchor?: string;
  readonly anchorSource?: AnchorSource;
  /** Who did sign it when that is no anchor: an intermediate no chain leads on from. */
  readonly issuedBy?: string;
  readonly tried: readonly string[];
  readonly codes: readonly FindingCode[];
}

export function headlineOf(report: ChainReport): VerdictHeadline {
  return {
    status: report.status,
    ...(report.context !== undefined ? { context: report.context } : {}),
    ...(report.cluster !== undefined ? { cluster: report.cluster } : {}),
    ...(report.anchor ? { anchor: report.anchor.subject, anchorSource: report.anchorSource } : {}),
    ...(!report.anchor && report.signedBy ? { issuedBy: report.signedBy.subject } : {}),
    tried: report.tried.map((c) => c.subject),
    codes: verdictCodes(report),
  };
}
