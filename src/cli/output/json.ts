// `--format json`: the field names are a contract (scripts and the extension's tests read them).
import { certificateJson } from '../../core/audit/report';
import type { AuditResult } from './report';

export function formatJson(result: AuditResult): string {
  const findings = result.findings.map((r) => ({
    code: r.finding.code,
    severity: r.finding.severity,
    message: r.message,
    file: r.file,
    range: r.range,
    cluster: r.finding.cluster ?? null,
    user: r.finding.user ?? null,
    context: r.finding.context ?? null,
    ...(r.finding.certificate ? { certificate: r.finding.certificate } : {}),
    ...(r.related.length ? { related: r.related } : {}),
  }));
  const certificates = result.certificates.map((c) => ({
    file: result.sources.display(c.file),
    range: result.sources.range(c.file, c.span),
    ...(c.origin !== undefined ? { origin: result.sources.display(c.origin) } : {}),
    field: c.field ?? null,
    cluster: c.cluster ?? null,
    user: c.user ?? null,
    index: c.index,
    ...certificateJson(c.certificate),
    chains: c.chains,
  }));
  return JSON.stringify({ findings, certificates }, null, 2) + '\n';
}
