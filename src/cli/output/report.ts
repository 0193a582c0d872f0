// The data every output format prints, computed once: rendered messages and ranges.
import type { CertificateReport } from '../../core/audit/report';
import type { Finding, Translate } from '../../core/findings/finding';
import { renderFindingMessage, renderRelatedMessage } from '../../core/findings/finding';
import type { SourceTexts, TextRange } from './locations';

export interface RenderedFinding {
  readonly finding: Finding;
  readonly message: string;
  readonly file: string;
  readonly range: TextRange;
  readonly related: readonly {
    readonly file: string;
    readonly range?: TextRange;
    readonly message: string;
  }[];
}

export interface AuditResult {
  readonly findings: readonly RenderedFinding[];
  readonly certificates: readonly CertificateReport[];
  readonly sources: SourceTexts;
}

export function renderFindings(
  findings: readonly Finding[],
  sources: SourceTexts,
  t: Translate,
): RenderedFinding[] {
  return findings.map((finding) => ({
    finding,
    message: renderFindingMessage(finding, t),
    file: sources.display(finding.file),
    range: sources.range(finding.file, finding.span),
    related: (finding.related ?? []).map((r) => ({
      file: sources.display(r.file),
      ...(r.span ? { range: sources.range(r.file, r.span) } : {}),
      message: renderRelatedMessage(r, t),
    })),
  }));
}
