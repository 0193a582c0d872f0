// `--format prometheus`: the audit as Prometheus text exposition (see src/core/metrics).
import { auditMetricFamilies } from '../../core/metrics/auditMetrics';
import { formatExposition } from '../../core/metrics/exposition';
import type { AuditResult } from './report';

export function formatPrometheus(result: AuditResult, now: Date): string {
  return formatExposition(
    auditMetricFamilies({
      certificates: result.certificates,
      findings: result.findings.map((r) => r.finding),
      now,
    }),
  );
}
