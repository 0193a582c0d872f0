// The audit of certificate files (PEM bundles, CRT/DER files, directories of them). CAs among
// the inputs are trust anchors for the others, so a bundle of a CA and its leaves checks itself.
import { enabledExcept, makeFinding, withoutDisabled, type Finding, type Span } from '../findings/finding';
import { decodeFileBytes } from '../kubeconfig/material';
import { verifyChain } from '../x509/chain';
import { fileText } from '../x509/decode';
import type { Certificate } from '../x509/model';
import { chainReport, type AnchorSource } from '../verdict/chainVerdict';
import { certificateFindings, DEFAULT_WARN_DAYS, verdictFindings, type CheckContext } from './checks';
import type { CertificateReport } from './report';

export interface CertificateFileInput {
  readonly file: string;
  readonly bytes: Uint8Array;
}

export interface CertificateAuditOptions {
  readonly now: Date;
  readonly warnDays?: number;
  readonly disabled?: Iterable<string>;
  /** CAs from elsewhere (e.g. a kubeadm PKI directory) that also anchor these certificates. */
  readonly extraAnchors?: readonly Certificate[];
}

export interface CertificateAudit {
  readonly findings: Finding[];
  readonly certificates: CertificateReport[];
}

const CERTIFICATE_BLOCK = /-----BEGIN (?:X509 |TRUSTED )?CERTIFICATE-----/g;

/** Offsets of each certificate PEM block, in order; a DER or base64 file is one span over the whole text. */
export function certificateBlockSpans(text: string): Span[] {
  const spans: Span[] = [];
  CERTIFICATE_BLOCK.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = CERTIFICATE_BLOCK.exec(text))) {
    const endMarker = text.indexOf('-----END', match.index + match[0].length);
    const endLine = endMarker === -1 ? -1 : text.indexOf('-----', endMarker + 8);
    const end = endLine === -1 ? text.length : endLine + 5;
    spans.push({ start: match.index, end });
    CERTIFICATE_BLOCK.lastIndex = end;
  }
  return spans;
}

function firstLine(text: string): Span {
  const newline = text.indexOf('\n');
  return { start: 0, end: newline === -1 ? text.length : newline };
}

interface Placed {
  readonly cert: Certificate;
  readonly file: string;
  readonly span: Span;
  readonly index: number;
}

/** A certificate and a CA whose key may have signed it (same name): one signature check. */
export interface SignaturePair {
  readonly certificate: Certificate;
  readonly ca: Certificate;
}

/** The certificate files decoded, before any signature is checked. */
export interface PreparedCertificateAudit {
  /**
   * The signature checks the audit will ask (at most a few per certificate): a thread pool may
   * answer them beforehand (`rememberSignature`); the audit checks whatever was not answered.
   */
  readonly signaturePairs: readonly SignaturePair[];
  /** Checks chains and builds the findings and reports: what `auditCertificateFiles` returns. */
  finish(): CertificateAudit;
}

/** Candidates beyond this many per certificate (a bundle of one subject repeated) are checked on demand. */
const PAIRS_PER_CERTIFICATE = 4;

export function auditCertificateFiles(
  inputs: readonly CertificateFileInput[],
  options: CertificateAuditOptions,
): CertificateAudit {
  return prepareCertificateAudit(inputs, options).finish();
}

export function prepareCertificateAudit(
  inputs: readonly CertificateFileInput[],
  options: CertificateAuditOptions,
): PreparedCertificateAudit {
  const ctx: CheckContext = { now: options.now, warnDays: options.warnDays ?? DEFAULT_WARN_DAYS };
  const findings: Finding[] = [];
  const placed: Placed[] = [];
  const byFile = new Map<string, Placed[]>();
  for (const input of inputs) {
    const text = fileText(input.bytes);
    const decoded = decodeFileBytes(input.bytes);
    const spans = certificateBlockSpans(text);
    const whole = spans.length === 0 ? { start: 0, end: text.length } : firstLine(text);
    const inFile: Placed[] = decoded.certificates.map((d) => ({
      cert: d.cert,
      file: input.file,
      span: spans[d.index] ?? whole,
      index: d.index,
    }));
    placed.push(...inFile);
    byFile.set(input.file, inFile);
    const nothing = decoded.certificates.length === 0 && decoded.privateKeys.length === 0;
    for (const problem of decoded.problems) {
      const code =
        problem.kind === 'invalid-base64'
          ? 'invalid-base64'
          : problem.kind === 'redacted-data'
            ? 'redacted-data'
            : 'invalid-pem';
      const span =
        problem.start !== undefined && problem.end !== undefined
          ? clampSpan({ start: problem.start, end: problem.end }, text.length)
          : firstLine(text);
      findings.push(
        makeFinding(
          code,
          { file: input.file, span },
          code === 'redacted-data'
            ? { field: input.file, placeholder: 'REDACTED' }
            : code === 'invalid-base64'
              ? { field: input.file, reason: problem.message }
              : { field: input.file },
        ),
      );
    }
    if (nothing && decoded.problems.length === 0) {
      findings.push(
        makeFinding('invalid-pem', { file: input.file, span: firstLine(text) }, { field: input.file }),
      );
    }
  }

  const trust = new TrustSets(placed, byFile, options.extraAnchors ?? []);
  const signaturePairs: SignaturePair[] = [];
  for (const p of placed) {
    if (p.cert.isSelfIssued) continue;
    const cas = trust.claimedBy(p.cert);
    for (let i = 0; i < cas.length && i < PAIRS_PER_CERTIFICATE; i++)
      if (cas[i] !== p.cert) signaturePairs.push({ certificate: p.cert, ca: cas[i] });
  }
  return {
    signaturePairs,
    finish: () => {
      const audit = checkPlaced(placed, trust, findings, ctx, options.now);
      return { ...audit, findings: withoutDisabled(audit.findings, enabledExcept(options.disabled ?? [])) };
    },
  };
}

function checkPlaced(
  placed: readonly Placed[],
  trust: TrustSets,
  findings: Finding[],
  ctx: CheckContext,
  now: Date,
): CertificateAudit {
  const audited = new Set(placed.map((p) => p.cert.sha256Fingerprint));
  const certificates: CertificateReport[] = [];
  for (const p of placed) {
    const place = { file: p.file, span: p.span };
    findings.push(...certificateFindings(p.cert, { ...place, role: 'file' }, ctx));
    const report: CertificateReport = {
      file: p.file,
      span: p.span,
      index: p.index,
      certificate: p.cert,
      chains: [],
    };
    const set = p.cert.isSelfIssued ? undefined : trust.of(p);
    if (!set) {
      certificates.push(report);
      continue;
    }
    const chain = chainReport(verifyChain(p.cert, set, now), set.candidates, trust.sourceOf, now);
    findings.push(...verdictFindings(p.cert, chain, place, audited));
    certificates.push({ ...report, chains: [chain] });
  }
  return { findings, certificates };
}

interface Trust {
  /** The CAs the certificate is judged against (tried, when none verifies it). */
  readonly candidates: readonly Certificate[];
  readonly anchors: readonly Certificate[];
  readonly intermediates: readonly Certificate[];
}

/**
 * Which CAs judge each certificate: those it claims (same issuer name) or that share its file, with
 * the inputs' roots and the extra anchors as anchors. Leaves of one file and issuer share one set,
 * built once: a bundle of ten thousand leaves must not rescan the bundle per leaf, and verifyChain
 * indexes each anchor list once.
 */
class TrustSets {
  private readonly cas: Certificate[];
  private readonly roots: Certificate[];
  private readonly intermediates: Certificate[];
  private readonly caSet: ReadonlySet<Certificate>;
  private readonly casByFile = new Map<string, Certificate[]>();
  private readonly claimedByIssuer = new Map<string, Certificate[]>();
  /** File → issuer name → set: two lookups on strings already hashed, no key built per leaf. */
  private readonly shared = new Map<string, Map<string, Trust | undefined>>();

  constructor(
    placed: readonly Placed[],
    byFile: ReadonlyMap<string, readonly Placed[]>,
    private readonly extra: readonly Certificate[],
  ) {
    this.cas = placed.filter((p) => p.cert.basicConstraints?.ca === true).map((p) => p.cert);
    this.roots = this.cas.filter((c) => c.isSelfIssued);
    this.intermediates = this.cas.filter((c) => !c.isSelfIssued);
    this.caSet = new Set(this.cas);
    for (const [file, list] of byFile)
      this.casByFile.set(
        file,
        list.filter((q) => q.cert.basicConstraints?.ca === true).map((q) => q.cert),
      );
    for (const ca of [...this.cas, ...extra]) {
      const list = this.claimedByIssuer.get(ca.subject.derHex);
      if (list) list.push(ca);
      else this.claimedByIssuer.set(ca.subject.derHex, [ca]);
    }
  }

  /** The CAs (inputs and extra anchors) named as this certificate's issuer. */
  claimedBy(cert: Certificate): readonly Certificate[] {
    return this.claimedByIssuer.get(cert.issuer.derHex) ?? [];
  }

  readonly sourceOf = (anchor: Certificate): AnchorSource =>
    this.caSet.has(anchor) ? 'input' : 'extra-anchor';

  /** Undefined when no CA among the inputs could have issued it: a lone leaf says nothing about its signature. */
  of(p: Placed): Trust | undefined {
    // A CA among the inputs must not anchor itself, so it gets a set of its own.
    if (this.caSet.has(p.cert)) return this.build(p);
    let byIssuer = this.shared.get(p.file);
    if (!byIssuer) this.shared.set(p.file, (byIssuer = new Map()));
    const issuer = p.cert.issuer.derHex;
    if (!byIssuer.has(issuer)) byIssuer.set(issuer, this.build(p));
    return byIssuer.get(issuer);
  }

  private build(p: Placed): Trust | undefined {
    const notSelf = (c: Certificate) => c.sha256Fingerprint !== p.cert.sha256Fingerprint;
    const sameFile = this.casByFile.get(p.file) ?? [];
    const claimed = this.claimedByIssuer.get(p.cert.issuer.derHex) ?? [];
    const candidates = unique([...sameFile, ...claimed].filter(notSelf));
    if (candidates.length === 0) return undefined;
    return {
      candidates,
      anchors: unique([...candidates, ...this.roots, ...this.extra].filter(notSelf)),
      intermediates: this.intermediates.filter((c) => c !== p.cert),
    };
  }
}

function clampSpan(span: Span, length: number): Span {
  const start = Math.min(Math.max(0, span.start), length);
  return { start, end: Math.min(Math.max(start, span.end), length) };
}

function unique(certs: readonly Certificate[]): Certificate[] {
  const seen = new Set<string>();
  return certs.filter((c) => !seen.has(c.sha256Fingerprint) && (seen.add(c.sha256Fingerprint), true));
}
