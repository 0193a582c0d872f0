// Markdown for certificate hovers, free of `vscode` so plain-Node tests render exactly what the
// hover shows (render.ts wraps it in a MarkdownString). Shows public facts only: a private key is
// described by its type, size and whether it matches the certificate, never by its content.
import type { KeyReport } from '../../core/audit/kubeconfig';
import type { CertificateReport } from '../../core/audit/report';
import { renderFindingMessage, type Finding, type Translate } from '../../core/findings/finding';
import { formatRelativeTime } from '../../core/time/relative';
import { headlineOf, type AnchorSource, type VerdictHeadline } from '../../core/verdict/chainVerdict';
import type { Certificate } from '../../core/x509/model';

/** `vscode.l10n` with the display language in the extension; an English stand-in in tests. */
export interface HoverText {
  readonly l10n: {
    t(message: string, ...args: Array<string | number>): string;
  };
  readonly language: string;
  readonly translate: Translate;
}

/** A private-use character `esc` leaves alone, standing for a name rendered as code. */
const NAME_SLOT = '\uE000';

const SEVERITY_ICON: Record<Finding['severity'], string> = {
  error: '$(error)',
  warning: '$(warning)',
  info: '$(info)',
};

/** Escapes text for a Markdown table cell or paragraph (also used by the served-certificate hover). */
export function esc(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, '\\$&').replace(/\r?\n/g, ' ');
}

export function code(text: string): string {
  // Backtick spans cannot hold a backtick; names and hex never contain one, but stay safe.
  return text.includes('`') ? esc(text) : '`' + text.replace(/\|/g, '\\|') + '`';
}

function utc(date: Date): string {
  return date
    .toISOString()
    .replace('T', ' ')
    .replace(/:\d\d\.\d{3}Z$/, ' UTC');
}

function validity(cert: Certificate, now: Date, { l10n, language }: HoverText): string {
  const range = `${utc(cert.notBefore)} → ${utc(cert.notAfter)}`;
  if (now < cert.notBefore) {
    return `${range} — **${esc(l10n.t('not valid until {0}', formatRelativeTime(cert.notBefore, now, language)))}**`;
  }
  if (now > cert.notAfter) {
    return `${range} — **${esc(l10n.t('expired {0}', formatRelativeTime(cert.notAfter, now, language)))}**`;
  }
  return `${range} — ${esc(l10n.t('expires {0}', formatRelativeTime(cert.notAfter, now, language)))}`;
}

function sans(cert: Certificate, { l10n }: HoverText): string {
  const parts = [
    ...cert.sans.dns.map((v) => `DNS:${v}`),
    ...cert.sans.ip.map((v) => `IP:${v}`),
    ...cert.sans.email.map((v) => `email:${v}`),
    ...cert.sans.uri.map((v) => `URI:${v}`),
  ];
  return parts.length ? parts.map(code).join(', ') : esc(l10n.t('none'));
}

function keyDescription(cert: Certificate): string {
  const key = cert.publicKey;
  const size = key.curve ?? (key.bits ? `${key.bits} bit` : '');
  return [key.algorithm, size].filter(Boolean).join(' ');
}

function anchorSource(source: AnchorSource | undefined, { l10n }: HoverText): string {
  return source === 'extra-anchor'
    ? l10n.t('CA of the PKI directory')
    : source === 'input'
      ? l10n.t('CA given as input')
      : l10n.t("cluster's CA");
}

/**
 * The rendering of one verdict as Markdown paragraphs (hover and PKI tooltip): who signed the
 * certificate, then, when the chain does not hold now, why (its finding codes). "Not signed" only
 * when no signature leads to an anchor.
 */
export function verdictLines(verdict: VerdictHeadline, text: HoverText): string[] {
  const { l10n } = text;
  const where = verdict.context
    ? l10n.t('context {0}', verdict.context)
    : verdict.cluster
      ? l10n.t('cluster {0}', verdict.cluster)
      : '';
  const suffix = where ? ` (${esc(where)})` : '';
  const codes = verdict.codes.map(code).join(', ');
  if (verdict.status !== 'not-signed' && verdict.anchor !== undefined) {
    // The CA's name goes where the translation puts it, as code: placed after escaping.
    const phrase = l10n.t('Signed by {0} {1}', anchorSource(verdict.anchorSource, text), NAME_SLOT);
    const signed = `$(pass) ${esc(phrase).replace(NAME_SLOT, code(verdict.anchor))}${suffix}`;
    return verdict.status === 'verified'
      ? [signed]
      : [signed, `$(error) **${esc(l10n.t('Not valid now'))}**${codes ? `: ${codes}` : ''}`];
  }
  const tried = verdict.tried.map(code).join(', ');
  const issued =
    verdict.issuedBy !== undefined ? `${esc(l10n.t('issued by'))} ${code(verdict.issuedBy)}, ` : '';
  return [
    `$(error) **${esc(l10n.t('Not signed by the CA it is paired with'))}**${suffix}` +
      (tried || issued ? ` — ${issued}${tried ? `${esc(l10n.t('tried'))} ${tried}` : ''}` : '') +
      (codes ? ` (${codes})` : ''),
  ];
}

export function findingLine(finding: Finding, text: HoverText): string {
  return `${SEVERITY_ICON[finding.severity]} ${esc(renderFindingMessage(finding, text.translate))} ${code(finding.code)}`;
}

export function certificateMarkdown(
  report: CertificateReport,
  total: number,
  findings: readonly Finding[],
  now: Date,
  text: HoverText,
): string {
  const { l10n } = text;
  const cert = report.certificate;
  const title = total > 1 ? l10n.t('Certificate {0} of {1}', report.index + 1, total) : l10n.t('Certificate');
  const paragraphs = [`**${esc(title)}**: ${code(cert.subject.display || '—')}`];
  for (const chain of report.chains) paragraphs.push(...verdictLines(headlineOf(chain), text));
  for (const finding of findings) paragraphs.push(findingLine(finding, text));
  const rows: [string, string][] = [
    [l10n.t('Subject'), code(cert.subject.display || '—')],
    [l10n.t('Issuer'), code(cert.issuer.display || '—')],
    [l10n.t('Validity'), validity(cert, now, text)],
    [l10n.t('SANs'), sans(cert, text)],
    [l10n.t('Key'), esc(keyDescription(cert))],
    [l10n.t('Signature'), esc(cert.signatureAlgorithm.name)],
  ];
  if (cert.keyUsage) rows.push([l10n.t('Key usage'), esc(cert.keyUsage.join(', '))]);
  if (cert.extKeyUsage) rows.push([l10n.t('Extended key usage'), esc(cert.extKeyUsage.join(', '))]);
  if (cert.basicConstraints?.ca) {
    const pathLen = cert.basicConstraints.pathLen;
    rows.push([
      l10n.t('CA'),
      esc(pathLen === undefined ? l10n.t('yes') : l10n.t('yes, path length {0}', pathLen)),
    ]);
  } else if (cert.identity.user) {
    const groups = cert.identity.groups.length
      ? cert.identity.groups.map(code).join(', ')
      : esc(l10n.t('none'));
    rows.push([
      l10n.t('Identity'),
      `${esc(l10n.t('user'))} ${code(cert.identity.user)}, ${esc(l10n.t('groups'))} ${groups}`,
    ]);
  }
  rows.push(
    [l10n.t('Serial'), code(cert.serialHex)],
    [l10n.t('SHA-256'), code(cert.sha256Fingerprint)],
    [l10n.t('SHA-1'), code(cert.sha1Fingerprint)],
    [
      l10n.t('SPKI pin'),
      `${code(cert.spkiPin)} [${esc(l10n.t('Copy SPKI pin'))}](${commandUri('kubecerts.copySpkiPin', cert.spkiPin)})`,
    ],
  );
  paragraphs.push(`| | |\n|:--|:--|\n${rows.map(([k, v]) => `| ${esc(k)} | ${v} |`).join('\n')}`);
  return paragraphs.map((p) => `${p}\n\n`).join('');
}

export function keyMarkdown(key: KeyReport, { l10n }: HoverText): string {
  const size = key.curve ?? (key.bits ? `${key.bits} bit` : '');
  const type = [key.algorithm, size].filter(Boolean).join(' ');
  const matches =
    key.matchesCertificate === undefined
      ? l10n.t('no certificate to compare with')
      : key.matchesCertificate
        ? l10n.t('yes')
        : l10n.t('no');
  const icon = key.matchesCertificate === false ? '$(error)' : key.matchesCertificate ? '$(pass)' : '$(info)';
  return (
    `**${esc(l10n.t('Private key'))}**: ${esc(type)} (${esc(key.format.toUpperCase())})\n\n` +
    `${icon} ${esc(l10n.t('Key matches certificate: {0}', matches))}\n\n`
  );
}

export function findingsMarkdown(findings: readonly Finding[], text: HoverText): string {
  return findings.map((f) => `${findingLine(f, text)}\n\n`).join('');
}

export function renewLinkMarkdown(link: string, { l10n }: HoverText): string {
  return `$(sync) [${esc(l10n.t('Renew certificate…'))}](${link})\n\n`;
}

export function detailsLinkMarkdown(uri: string, offset: number, { l10n }: HoverText): string {
  const link = commandUri('kubecerts.showCertificateDetails', { uri, offset });
  return `$(list-flat) [${esc(l10n.t('Show certificate details'))}](${link})\n\n`;
}

export function commandUri(command: string, ...args: unknown[]): string {
  return `command:${command}?${encodeURIComponent(JSON.stringify(args))}`;
}
