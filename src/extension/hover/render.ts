// The hover's MarkdownString: trusted for the two commands its links run, no HTML. The text itself
// comes from markdown.ts, which plain-Node tests render without VS Code.
import * as vscode from 'vscode';
import type { KeyReport } from '../../core/audit/kubeconfig';
import type { CertificateReport } from '../../core/audit/report';
import type { Finding } from '../../core/findings/finding';
import { translate } from '../l10n';
import {
  certificateMarkdown,
  detailsLinkMarkdown,
  findingsMarkdown,
  keyMarkdown,
  renewLinkMarkdown,
  type HoverText,
} from './markdown';

const ALLOWED_COMMANDS = ['kubecerts.copySpkiPin', 'kubecerts.renewCert', 'kubecerts.showCertificateDetails'];

function hoverText(): HoverText {
  return { l10n: vscode.l10n, language: vscode.env.language, translate };
}

export function newHoverMarkdown(): vscode.MarkdownString {
  const md = new vscode.MarkdownString('', true);
  md.isTrusted = { enabledCommands: ALLOWED_COMMANDS };
  md.supportHtml = false;
  return md;
}

export function appendCertificate(
  md: vscode.MarkdownString,
  report: CertificateReport,
  total: number,
  findings: readonly Finding[],
  now: Date,
): void {
  md.appendMarkdown(certificateMarkdown(report, total, findings, now, hoverText()));
}

export function appendKey(md: vscode.MarkdownString, key: KeyReport): void {
  md.appendMarkdown(keyMarkdown(key, hoverText()));
}

export function appendFindings(md: vscode.MarkdownString, findings: readonly Finding[]): void {
  md.appendMarkdown(findingsMarkdown(findings, hoverText()));
}

export function appendDetailsLink(md: vscode.MarkdownString, uri: vscode.Uri, offset: number): void {
  md.appendMarkdown(detailsLinkMarkdown(uri.toString(), offset, hoverText()));
}

export function appendRenewLink(md: vscode.MarkdownString, link: string): void {
  md.appendMarkdown(renewLinkMarkdown(link, hoverText()));
}
