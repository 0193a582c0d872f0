// The one-line summary a CodeLens shows above a certificate field: "CN=… · expires in 9 months ·
// ✓ signed by cluster CA", or "✗ expired 3 days ago". vscode-free (the l10n object is passed in),
// so plain-Node tests check the exact text; the verdict comes from the same ChainReport as hovers.
import type { CertificateReport } from '../../core/audit/report';
import type { Finding } from '../../core/findings/finding';
import { formatRelativeTime } from '../../core/time/relative';
import { headlineOf, type AnchorSource } from '../../core/verdict/chainVerdict';
import type { Certificate } from '../../core/x509/model';
import type { HoverText } from '../hover/markdown';

const COMMON_NAME_OID = '2.5.4.3';

/** "CN=name" when the subject has a common name, else the whole subject. */
export function shortSubject(cert: Certificate): string {
  const cn = cert.subject.rdns.flat().filter((a) => a.oid === COMMON_NAME_OID);
  return cn.length > 0 ? `CN=${cn[cn.length - 1].value}` : cert.subject.display || '—';
}

function anchorName(source: AnchorSource | undefined, anchor: string, { l10n }: HoverText): string {
  return source === 'cluster-ca'
    ? l10n.t('cluster CA')
    : source === 'extra-anchor'
      ? l10n.t('the CA of the PKI directory')
      : anchor;
}

function firstCn(subject: string): string {
  const cn = /(?:^|,\s*)CN=([^,]+)/.exec(subject);
  return cn ? `CN=${cn[1]}` : subject;
}

/**
 * The summary of a field's certificates: the first (the leaf, or the first CA of a bundle) with its
 * dates and verdict, then how many more the field holds. Problems of the value itself (bad base64 …)
 * when it decodes to nothing.
 */
export function lensTitle(
  certificates: readonly CertificateReport[],
  findings: readonly Finding[],
  now: Date,
  text: HoverText,
): string {
  const { l10n, language } = text;
  const first = certificates[0];
  if (!first) {
    const codes = [...new Set(findings.map((f) => f.code))];
    return `✗ ${codes.length ? codes.join(', ') : l10n.t('no certificate')}`;
  }
  const cert = first.certificate;
  const parts = [shortSubject(cert)];
  const expired = now.getTime() > cert.notAfter.getTime();
  const early = now.getTime() < cert.notBefore.getTime();
  if (expired) parts.push(`✗ ${l10n.t('expired {0}', formatRelativeTime(cert.notAfter, now, language))}`);
  else if (early)
    parts.push(`✗ ${l10n.t('not valid until {0}', formatRelativeTime(cert.notBefore, now, language))}`);
  else {
    const expiring = findings.some(
      (f) => f.code === 'cert-expiring' && f.certificate?.sha256 === cert.sha256Fingerprint,
    );
    const phrase = l10n.t('expires {0}', formatRelativeTime(cert.notAfter, now, language));
    parts.push(expiring ? `⚠ ${phrase}` : phrase);
  }
  const chain = first.chains[0];
  if (chain) {
    const verdict = headlineOf(chain);
    if (verdict.status !== 'not-signed' && verdict.anchor !== undefined) {
      const by = l10n.t('signed by {0}', anchorName(verdict.anchorSource, firstCn(verdict.anchor), text));
      // A date problem of the certificate itself is already said: its CA did sign it.
      const ownDate = verdict.codes.every((c) => c === 'cert-expired' || c === 'cert-not-yet-valid');
      parts.push(
        verdict.status === 'verified'
          ? `✓ ${by}`
          : ownDate && (expired || early)
            ? by
            : `✗ ${by}, ${l10n.t('not valid now: {0}', verdict.codes.join(', '))}`,
      );
    } else {
      const tried = verdict.tried.map(firstCn).join(', ');
      parts.push(`✗ ${tried ? l10n.t('not signed by {0}', tried) : l10n.t('not signed by its CA')}`);
    }
  } else if (cert.basicConstraints?.ca) {
    parts.push(cert.isSelfIssued ? l10n.t('root CA') : l10n.t('CA'));
  } else if (cert.isSelfIssued) {
    parts.push(l10n.t('self-signed'));
  }
  const others = findings.filter((f) => f.code === 'tls-key-mismatch' || !f.certificate);
  for (const code of new Set(others.map((f) => f.code))) parts.push(`✗ ${code}`);
  if (certificates.length > 1) parts.push(l10n.t('+{0} more', certificates.length - 1));
  return parts.join(' · ');
}
