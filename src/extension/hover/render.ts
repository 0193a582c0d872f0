// Markdown for certificate hovers. Shows public facts only: a private key is described by its type,
// size and whether it matches the certificate, never by its content.
import * as vscode from 'vscode';
import type { KeyReport } from '../../core/audit/kubeconfig';
import type { CertificateReport, ChainReport } from '../../core/audit/report';
import { renderFindingMessage, type Finding } from '../../core/findings/finding';
import { formatRelativeTime } from '../../core/time/relative';
import type { Certificate } from '../../core/x509/model';
import { translate } from '../l10n';

const ALLOWED_COMMANDS = ['kubecerts.copySpkiPin', 'kubecerts.renewCert'];

const SEVERITY_ICON: Record<Finding['severity'], string> = {
  error: '$(error)',
  warning: '$(warning)',
  info: '$(info)',
};

export function newHoverMarkdown(): vscode.MarkdownString {
  const md = new vscode.MarkdownString('', true);
  md.isTrusted = { enabledCommands: ALLOWED_COMMANDS };
  md.supportHtml = false;
  return md;
}

/** Escapes text for a Markdown table cell or paragraph. */
function esc(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, '\\$&').replace(/\r?\n/g, ' ');
}

function code(text: string): string {
  // Backtick spans cannot hold a backtick; names and hex never contain one, but stay safe.
  return text.includes('`') ? esc(text) : '`' + text.replace(/\|/g, '\\|') + '`';
}

function utc(date: Date): string {
  return date
    .toISOString()
    .replace('T', ' ')
    .replace(/:\d\d\.\d{3}Z$/, ' UTC');
}

function validity(cert: Certificate, now: Date): string {
  const locale = vscode.env.language;
  const range = `${utc(cert.notBefore)} → ${utc(cert.notAfter)}`;
  if (now < cert.notBefore) {
    return `${range} — **${esc(vscode.l10n.t('not valid until {0}', formatRelativeTime(cert.notBefore, now, locale)))}**`;
  }
  if (now > cert.notAfter) {
    return `${range} — **${esc(vscode.l10n.t('expired {0}', formatRelativeTime(cert.notAfter, now, locale)))}**`;
  }
  return `${range} — ${esc(vscode.l10n.t('expires {0}', formatRelativeTime(cert.notAfter, now, locale)))}`;
}

function sans(cert: Certificate): string {
  const parts = [
    ...cert.sans.dns.map((v) => `DNS:${v}`),
    ...cert.sans.ip.map((v) => `IP:${v}`),
    ...cert.sans.email.map((v) => `email:${v}`),
    ...cert.sans.uri.map((v) => `URI:${v}`),
  ];
  return parts.length ? parts.map(code).join(', ') : esc(vscode.l10n.t('none'));
}

function keyDescription(cert: Certificate): string {
  const key = cert.publicKey;
  const size = key.curve ?? (key.bits ? `${key.bits} bit` : '');
  return [key.algorithm, size].filter(Boolean).join(' ');
}

function chainLine(chain: ChainReport): string {
  const where = chain.context
    ? vscode.l10n.t('context {0}', chain.context)
    : chain.cluster
      ? vscode.l10n.t('cluster {0}', chain.cluster)
      : '';
  const suffix = where ? ` (${esc(where)})` : '';
  if (chain.verified && chain.anchor) {
    const source =
      chain.anchorSource === 'extra-anchor'
        ? vscode.l10n.t('CA of the PKI directory')
        : chain.anchorSource === 'input'
          ? vscode.l10n.t('CA given as input')
          : vscode.l10n.t("cluster's CA");
    return `$(pass) ${esc(vscode.l10n.t('Signed by {0}', source))} ${code(chain.anchor.subject)}${suffix}`;
  }
  const tried = chain.tried.map((c) => code(c.subject)).join(', ');
  const problems = [...new Set(chain.problems.map((p) => p.code))].map(code).join(', ');
  return (
    `$(error) **${esc(vscode.l10n.t('Not signed by the CA it is paired with'))}**${suffix}` +
    (tried ? ` — ${esc(vscode.l10n.t('tried'))} ${tried}` : '') +
    (problems ? ` (${problems})` : '')
  );
}

export function appendCertificate(
  md: vscode.MarkdownString,
  report: CertificateReport,
  total: number,
  findings: readonly Finding[],
  now: Date,
): void {
  const cert = report.certificate;
  const title =
    total > 1
      ? vscode.l10n.t('Certificate {0} of {1}', report.index + 1, total)
      : vscode.l10n.t('Certificate');
  md.appendMarkdown(`**${esc(title)}**: ${code(cert.subject.display || '—')}\n\n`);
  for (const chain of report.chains) md.appendMarkdown(`${chainLine(chain)}\n\n`);
  for (const finding of findings) {
    md.appendMarkdown(
      `${SEVERITY_ICON[finding.severity]} ${esc(renderFindingMessage(finding, translate))} ${code(finding.code)}\n\n`,
    );
  }
  const rows: [string, string][] = [
    [vscode.l10n.t('Subject'), code(cert.subject.display || '—')],
    [vscode.l10n.t('Issuer'), code(cert.issuer.display || '—')],
    [vscode.l10n.t('Validity'), validity(cert, now)],
    [vscode.l10n.t('SANs'), sans(cert)],
    [vscode.l10n.t('Key'), esc(keyDescription(cert))],
    [vscode.l10n.t('Signature'), esc(cert.signatureAlgorithm.name)],
  ];
  if (cert.keyUsage) rows.push([vscode.l10n.t('Key usage'), esc(cert.keyUsage.join(', '))]);
  if (cert.extKeyUsage) rows.push([vscode.l10n.t('Extended key usage'), esc(cert.extKeyUsage.join(', '))]);
  if (cert.basicConstraints?.ca) {
    const pathLen = cert.basicConstraints.pathLen;
    rows.push([
      vscode.l10n.t('CA'),
      esc(pathLen === undefined ? vscode.l10n.t('yes') : vscode.l10n.t('yes, path length {0}', pathLen)),
    ]);
  } else if (cert.identity.user) {
    const groups = cert.identity.groups.length
      ? cert.identity.groups.map(code).join(', ')
      : esc(vscode.l10n.t('none'));
    rows.push([
      vscode.l10n.t('Identity'),
      `${esc(vscode.l10n.t('user'))} ${code(cert.identity.user)}, ${esc(vscode.l10n.t('groups'))} ${groups}`,
    ]);
  }
  rows.push(
    [vscode.l10n.t('Serial'), code(cert.serialHex)],
    [vscode.l10n.t('SHA-256'), code(cert.sha256Fingerprint)],
    [vscode.l10n.t('SHA-1'), code(cert.sha1Fingerprint)],
    [
      vscode.l10n.t('SPKI pin'),
      `${code(cert.spkiPin)} [${esc(vscode.l10n.t('Copy SPKI pin'))}](${commandUri('kubecerts.copySpkiPin', cert.spkiPin)})`,
    ],
  );
  md.appendMarkdown(`| | |\n|:--|:--|\n${rows.map(([k, v]) => `| ${esc(k)} | ${v} |`).join('\n')}\n\n`);
}

export function appendKey(md: vscode.MarkdownString, key: KeyReport): void {
  const size = key.curve ?? (key.bits ? `${key.bits} bit` : '');
  const type = [key.algorithm, size].filter(Boolean).join(' ');
  md.appendMarkdown(
    `**${esc(vscode.l10n.t('Private key'))}**: ${esc(type)} (${esc(key.format.toUpperCase())})\n\n`,
  );
  const matches =
    key.matchesCertificate === undefined
      ? vscode.l10n.t('no certificate to compare with')
      : key.matchesCertificate
        ? vscode.l10n.t('yes')
        : vscode.l10n.t('no');
  const icon = key.matchesCertificate === false ? '$(error)' : key.matchesCertificate ? '$(pass)' : '$(info)';
  md.appendMarkdown(`${icon} ${esc(vscode.l10n.t('Key matches certificate: {0}', matches))}\n\n`);
}

export function appendFindings(md: vscode.MarkdownString, findings: readonly Finding[]): void {
  for (const finding of findings) {
    md.appendMarkdown(
      `${SEVERITY_ICON[finding.severity]} ${esc(renderFindingMessage(finding, translate))} ${code(finding.code)}\n\n`,
    );
  }
}

export function appendRenewLink(md: vscode.MarkdownString, link: string): void {
  md.appendMarkdown(`$(sync) [${esc(vscode.l10n.t('Renew certificate…'))}](${link})\n\n`);
}

function commandUri(command: string, ...args: unknown[]): string {
  return `command:${command}?${encodeURIComponent(JSON.stringify(args))}`;
}
