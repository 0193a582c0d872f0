// `kubecerts audit --format prometheus`: the audit's certificates and findings as metric families.
// Per-certificate series use x509-certificate-exporter's names and labels (same meaning, so its
// dashboards and alerts keep working): filepath/filename of the file, embedded_kind (cluster|user)
// and embedded_key (the entry's name) for kubeconfig material, subject_CN, issuer_CN and the
// decimal serial_number. Every series of a family carries the same label names, empty where they do
// not apply, as that exporter's v4 does. What it cannot know is ours, prefixed kubecerts_. Labels
// hold names and paths only: never a message (it could quote a value), a token or a key.
import * as path from 'node:path';
import type { CertificateReport } from '../audit/report';
import type { Finding } from '../findings/finding';
import * as certMetrics from './certificateFamilies';
import type { MetricFamily, MetricSample } from './exposition';

const CERT_LABELS = [
  'filepath',
  'filename',
  'embedded_kind',
  'embedded_key',
  'subject_CN',
  'issuer_CN',
  'serial_number',
  // Set only when two different certificates would otherwise share a label set (a duplicate
  // series breaks the textfile collector's whole scrape); a SHA-256 prefix, as the exporter does.
  'discriminator',
] as const;
const CHAIN_LABELS = [...CERT_LABELS.slice(0, -1), 'context', 'cluster', 'problem'] as const;
const FINDING_LABELS = [
  'code',
  'severity',
  'filepath',
  'context',
  'cluster',
  'user',
  'serial_number',
] as const;

export interface AuditMetricsInput {
  readonly certificates: readonly CertificateReport[];
  readonly findings: readonly Finding[];
  /** The instant the audit judged validity at (`--now` or the clock). */
  readonly now: Date;
}

function certLabels(report: CertificateReport): Record<string, string> {
  const cert = report.certificate;
  const kind =
    report.field === undefined
      ? ''
      : report.user !== undefined
        ? 'user'
        : report.cluster !== undefined
          ? 'cluster'
          : '';
  return {
    filepath: report.file,
    filename: path.basename(report.file),
    embedded_kind: kind,
    embedded_key: kind === 'user' ? (report.user ?? '') : kind === 'cluster' ? (report.cluster ?? '') : '',
    subject_CN: certMetrics.commonName(cert.subject),
    issuer_CN: certMetrics.commonName(cert.issuer),
    serial_number: certMetrics.decimalSerial(cert.serialHex),
    discriminator: '',
  };
}

interface ReportSeries extends certMetrics.CertificateSeries {
  readonly report: CertificateReport;
}

export function auditMetricFamilies(input: AuditMetricsInput): MetricFamily[] {
  const certs = certMetrics.uniqueSeries<ReportSeries>(
    input.certificates.map((report) => ({ labels: certLabels(report), cert: report.certificate, report })),
    CERT_LABELS,
  );
  const chains: MetricSample[] = certs.flatMap((c) =>
    c.report.chains.map((chain) => ({
      labels: {
        ...c.labels,
        context: chain.context ?? '',
        cluster: chain.cluster ?? '',
        problem: chain.problems[0]?.code ?? '',
      },
      value: chain.verified ? 1 : 0,
    })),
  );
  const findings: MetricSample[] = input.findings.map((f) => ({
    labels: {
      code: f.code,
      severity: f.severity,
      filepath: f.file,
      context: f.context ?? '',
      cluster: f.cluster ?? '',
      user: f.user ?? '',
      serial_number: f.certificate ? certMetrics.decimalSerial(f.certificate.serialHex) : '',
    },
    value: 1,
  }));
  const readErrors = input.findings.filter((f) => certMetrics.READ_ERROR_CODES.has(f.code)).length;
  return certMetrics.certificateMetricFamilies({
    now: input.now,
    certificates: { labels: CERT_LABELS, series: certs },
    readErrors: { labels: [], samples: [{ labels: {}, value: readErrors }] },
    chains: { labels: CHAIN_LABELS, samples: chains },
    findings: { labels: FINDING_LABELS, samples: findings },
  });
}
