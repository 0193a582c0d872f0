// The text of the details document: for each certificate of a field, our verdict (who signed it,
// whether the chain holds now, the findings, fingerprints) above its openssl-style decoding.
// vscode-free: the l10n object comes in, so plain-Node tests read exactly what the document shows.
import { renderFindingMessage, type Finding } from '../../core/findings/finding';
import { formatRelativeTime } from '../../core/time/relative';
import { headlineOf } from '../../core/verdict/chainVerdict';
import type { HoverText } from '../hover/markdown';
import type { FieldCertificates } from './documentCertificates';
import { opensslText } from './opensslText';

const MARK: Record<Finding['severity'], string> = { error: '✗', warning: '⚠', info: 'ℹ' };

function findingText(finding: Finding, text: HoverText): string {
  return `${MARK[finding.severity]} ${renderFindingMessage(finding, text.translate)} [${finding.code}]`;
}

/** The whole document for one field (or selection): a header, then each certificate. */
export function detailsText(field: FieldCertificates, source: string, now: Date, text: HoverText): string {
  const { l10n, language } = text;
  const out: string[] = [
    `# ${l10n.t('Kube Certs: certificate details')}`,
    `# ${source}${field.label ? ` — ${field.label}` : ''}`,
    '',
  ];
  for (const finding of field.findings.filter((f) => !f.certificate || f.code === 'tls-key-mismatch'))
    out.push(findingText(finding, text));
  if (out.length > 3) out.push('');
  const total = field.certificates.length;
  for (const report of field.certificates) {
    const cert = report.certificate;
    out.push(
      `## ${total > 1 ? l10n.t('Certificate {0} of {1}', report.index + 1, total) : l10n.t('Certificate')}: ${cert.subject.display || '—'}`,
      '',
      `${l10n.t('Kube Certs verdict')}:`,
    );
    const validity =
      now < cert.notBefore
        ? `✗ ${l10n.t('not valid until {0}', formatRelativeTime(cert.notBefore, now, language))}`
        : now > cert.notAfter
          ? `✗ ${l10n.t('expired {0}', formatRelativeTime(cert.notAfter, now, language))}`
          : `✓ ${l10n.t('expires {0}', formatRelativeTime(cert.notAfter, now, language))}`;
    out.push(`    ${validity}`);
    for (const chain of report.chains) {
      const verdict = headlineOf(chain);
      const where = verdict.context ? ` (${l10n.t('context {0}', verdict.context)})` : '';
      if (verdict.status !== 'not-signed' && verdict.anchor !== undefined) {
        out.push(`    ✓ ${l10n.t('Signed by {0}', verdict.anchor)}${where}`);
        // Its own dates are said above; "not valid now" adds what else breaks the chain.
        const own = verdict.codes.every((c) => c === 'cert-expired' || c === 'cert-not-yet-valid');
        if (verdict.status !== 'verified' && !(own && (now < cert.notBefore || now > cert.notAfter)))
          out.push(`    ✗ ${l10n.t('Not valid now')}: ${verdict.codes.join(', ')}`);
      } else {
        out.push(
          `    ✗ ${l10n.t('Not signed by the CA it is paired with')}${where}: ${verdict.tried.join('; ')}`,
        );
      }
    }
    for (const finding of field.findings.filter((f) => f.certificate?.sha256 === cert.sha256Fingerprint))
      out.push(`    ${findingText(finding, text)}`);
    out.push(
      `    ${l10n.t('SHA-256 fingerprint')}: ${cert.sha256Fingerprint}`,
      `    ${l10n.t('SHA-1 fingerprint')}: ${cert.sha1Fingerprint}`,
      `    ${l10n.t('SPKI pin')}: ${cert.spkiPin}`,
    );
    if (!cert.basicConstraints?.ca && cert.identity.user)
      out.push(
        `    ${l10n.t('Kubernetes identity')}: ${l10n.t('user')} ${cert.identity.user}, ${l10n.t('groups')} ${cert.identity.groups.join(', ') || l10n.t('none')}`,
      );
    if (cert.goRejects) out.push(`    ✗ ${l10n.t('Go refuses this certificate: {0}', cert.goRejects)}`);
    out.push('', opensslText(cert));
  }
  return out.join('\n');
}
