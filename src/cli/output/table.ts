// `--format table`: one line per finding, then a summary and the certificates seen. Colour only
// when writing to a terminal that does not ask for NO_COLOR.
import * as l10n from '@vscode/l10n';
import type { Severity } from '../../core/findings/catalog';
import { headlineOf, type VerdictHeadline } from '../../core/verdict/chainVerdict';
import type { AuditResult } from './report';

const COLOUR: Record<Severity, string> = { error: '\x1b[31m', warning: '\x1b[33m', info: '\x1b[36m' };
const RESET = '\x1b[0m';

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

/** The table's rendering of one verdict: who signed it, and why the chain does not hold now. */
export function verdictText(verdict: VerdictHeadline, withContext: boolean): string {
  const codes = verdict.codes.join(', ');
  const text =
    verdict.status === 'verified' && verdict.anchor !== undefined
      ? l10n.t('signed by {ca}', { ca: verdict.anchor })
      : verdict.status === 'signed' && verdict.anchor !== undefined
        ? l10n.t('signed by {ca}, not valid now ({codes})', { ca: verdict.anchor, codes })
        : verdict.issuedBy !== undefined
          ? l10n.t('NOT signed by {cas}, issued by {issuer} ({codes})', {
              cas: verdict.tried.join('; '),
              issuer: verdict.issuedBy,
              codes,
            })
          : l10n.t('NOT signed by {cas} ({codes})', { cas: verdict.tried.join('; '), codes });
  const where = verdict.context ?? verdict.cluster;
  return withContext && where !== undefined ? `${where}: ${text}` : text;
}

export function formatTable(result: AuditResult, colour: boolean, now: Date): string {
  const paint = (severity: Severity, text: string): string =>
    colour ? COLOUR[severity] + text + RESET : text;
  const lines: string[] = [];
  const rows = result.findings.map((r) => ({
    severity: r.finding.severity,
    code: r.finding.code,
    where: `${r.file}:${r.range.start.line + 1}:${r.range.start.character + 1}`,
    message: r.message,
  }));
  const codeWidth = Math.max(4, ...rows.map((r) => r.code.length));
  const whereWidth = Math.max(8, ...rows.map((r) => r.where.length));
  for (const row of rows) {
    lines.push(
      `${paint(row.severity, pad(row.severity, 7))} ${pad(row.code, codeWidth)}  ${pad(row.where, whereWidth)}  ${row.message}`,
    );
  }
  const count = (s: Severity): number => rows.filter((r) => r.severity === s).length;
  if (rows.length === 0) lines.push(l10n.t('No findings.'));
  lines.push(
    l10n.t('{errors} errors, {warnings} warnings, {infos} notes in {certificates} certificates.', {
      errors: count('error'),
      warnings: count('warning'),
      infos: count('info'),
      certificates: result.certificates.length,
    }),
  );
  if (result.certificates.length > 0) {
    lines.push('', l10n.t('Certificates:'));
    for (const c of result.certificates) {
      // Whole days towards zero, as the findings count them ("3 days ago" is -3 here).
      const days = Math.trunc((c.certificate.notAfter.getTime() - now.getTime()) / 86_400_000);
      const verdict = c.chains.length
        ? [c.chains.map((ch) => verdictText(headlineOf(ch), c.chains.length > 1)).join('; ')]
        : [];
      const where =
        result.sources.display(c.file) + ':' + (result.sources.range(c.file, c.span).start.line + 1);
      const expiry = `${c.certificate.notAfter.toISOString().slice(0, 10)} (${l10n.t('{days} days', { days })})`;
      lines.push('  ' + [c.certificate.subject.display, expiry, ...verdict, where].join('  '));
      lines.push(`    sha256 ${c.certificate.sha256Fingerprint}  ${c.certificate.spkiPin}`);
    }
  }
  return lines.join('\n') + '\n';
}
