// The audit of certificate files (PEM bundles, CRT/DER files, directories of them). CAs among
// the inputs are trust anchors for the others, so a bundle of a CA and its leaves checks itself.
import type { Finding, Span } from '../findings/finding';
import { decodeFileBytes } from '../kubeconfig/material';
import { verifyChain } from '../x509/chain';
import type { Certificate } from '../x509/model';
import {
  certificateFindings,
  chainFindings,
  DEFAULT_WARN_DAYS,
  makeFinding,
  type CheckContext,
} from './checks';
import { chainReport, type CertificateReport } from './report';

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

export function auditCertificateFiles(
  inputs: readonly CertificateFileInput[],
  options: CertificateAuditOptions,
): CertificateAudit {
  const disabled = new Set(options.disabled ?? []);
  const ctx: CheckContext = {
    now: options.now,
    warnDays: options.warnDays ?? DEFAULT_WARN_DAYS,
    enabled: (code) => !disabled.has(code),
  };
  const findings: Finding[] = [];
  const placed: Placed[] = [];
  const byFile = new Map<string, Placed[]>();
  for (const input of inputs) {
    const text = new TextDecoder('utf-8', { fatal: false }).decode(input.bytes);
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
      if (!ctx.enabled(code)) continue;
      const span =
        problem.start !== undefined && problem.end !== undefined
          ? clampSpan({ start: problem.start, end: problem.end }, text.length)
          : firstLine(text);
      findings.push(
        makeFinding(
          code,
          { file: input.file, span },
          code === 'redacted-data' ? { field: input.file, placeholder: 'REDACTED' } : { field: input.file },
        ),
      );
    }
    if (nothing && decoded.problems.length === 0 && ctx.enabled('invalid-pem')) {
      findings.push(
        makeFinding('invalid-pem', { file: input.file, span: firstLine(text) }, { field: input.file }),
      );
    }
  }

  const audited = new Set(placed.map((p) => p.cert.sha256Fingerprint));
  const cas = placed.filter((p) => p.cert.basicConstraints?.ca === true).map((p) => p.cert);
  const roots = cas.filter((c) => c.isSelfIssued);
  const intermediates = cas.filter((c) => !c.isSelfIssued);
  const extra = options.extraAnchors ?? [];
  const fromInputs = new Set(cas);
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
    if (p.cert.isSelfIssued) {
      certificates.push(report);
      continue;
    }
    // Judge a certificate only against CAs it claims (same issuer name) or that share its file:
    // a lone leaf whose CA is not among the inputs says nothing about its signature.
    const sameFile = (byFile.get(p.file) ?? [])
      .filter((q) => q.cert.basicConstraints?.ca === true)
      .map((q) => q.cert);
    const claimed = [...cas, ...extra].filter((c) => c.subject.derHex === p.cert.issuer.derHex);
    const candidates = unique(
      [...sameFile, ...claimed].filter((c) => c.sha256Fingerprint !== p.cert.sha256Fingerprint),
    );
    if (candidates.length === 0) {
      certificates.push(report);
      continue;
    }
    const anchors = unique(
      [...candidates, ...roots, ...extra].filter((c) => c.sha256Fingerprint !== p.cert.sha256Fingerprint),
    );
    const verdict = verifyChain(
      p.cert,
      { anchors, intermediates: intermediates.filter((c) => c !== p.cert) },
      options.now,
    );
    if (!verdict.verified)
      findings.push(...chainFindings(p.cert, verdict.problems, candidates, place, ctx, audited));
    certificates.push({
      ...report,
      chains: [chainReport(verdict, candidates, (a) => (fromInputs.has(a) ? 'input' : 'extra-anchor'))],
    });
  }
  return { findings, certificates };
}

function clampSpan(span: Span, length: number): Span {
  const start = Math.min(Math.max(0, span.start), length);
  return { start, end: Math.min(Math.max(start, span.end), length) };
}

function unique(certs: readonly Certificate[]): Certificate[] {
  const seen = new Set<string>();
  return certs.filter((c) => !seen.has(c.sha256Fingerprint) && (seen.add(c.sha256Fingerprint), true));
}
