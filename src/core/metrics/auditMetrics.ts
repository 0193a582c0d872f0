// `kubecerts audit --format prometheus`: the audit's certificates and findings as metric families.
// Per-certificate series use x509-certificate-exporter's names and labels (same meaning, so its
// dashboards and alerts keep working): filepath/filename of the file, embedded_kind (cluster|user)
// and embedded_key (the entry's name) for kubeconfig material, subject_CN, issuer_CN and the
// decimal serial_number. Every series of a family carries the same label names, empty where they do
// not apply, as that exporter's v4 does. What it cannot know is ours, prefixed kubecerts_. Labels
// hold names and paths only: never a message (it could quote a value), a token or a key.
import * as path from 'node:path';
import type { CertificateReport } from '../audit/report';
import type { FindingCode } from '../findings/catalog';
import type { Finding } from '../findings/finding';
import { COMMON_NAME_OID } from '../x509/oids';
import type { Certificate, DistinguishedName } from '../x509/model';
import type { MetricFamily, MetricSample } from './exposition';

/** Findings that mean a certificate source could not be read: x509-certificate-exporter's read errors. */
export const READ_ERROR_CODES: ReadonlySet<FindingCode> = new Set<FindingCode>([
  'file-not-found',
  'path-is-directory',
  'invalid-base64',
  'invalid-pem',
  'invalid-certificate',
  'invalid-yaml',
  'redacted-data',
]);

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

/** Go's pkix.Name.CommonName: the last CN attribute of the name. */
export function commonName(name: DistinguishedName): string {
  let cn = '';
  for (const rdn of name.rdns) for (const attr of rdn) if (attr.oid === COMMON_NAME_OID) cn = attr.value;
  return cn;
}

/** The exporter prints serial numbers in decimal (Go's big.Int String). */
export function decimalSerial(serialHex: string): string {
  return serialHex ? BigInt('0x' + serialHex).toString(10) : '';
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
    subject_CN: commonName(cert.subject),
    issuer_CN: commonName(cert.issuer),
    serial_number: decimalSerial(cert.serialHex),
    discriminator: '',
  };
}

function key(labels: Readonly<Record<string, string>>, names: readonly string[]): string {
  return JSON.stringify(names.map((n) => labels[n] ?? ''));
}

/**
 * One label set per certificate: the same certificate seen twice (a file and a kubeconfig naming
 * it, a merged kubeconfig) is one series; two different ones that collide get a discriminator.
 */
function certificateSeries(
  reports: readonly CertificateReport[],
): { labels: Record<string, string>; cert: Certificate; report: CertificateReport }[] {
  const seen = new Map<string, string>();
  const colliding = new Set<string>();
  for (const report of reports) {
    const k = key(certLabels(report), CERT_LABELS);
    const fingerprint = seen.get(k);
    if (fingerprint === undefined) seen.set(k, report.certificate.sha256Fingerprint);
    else if (fingerprint !== report.certificate.sha256Fingerprint) colliding.add(k);
  }
  const out = new Map<
    string,
    { labels: Record<string, string>; cert: Certificate; report: CertificateReport }
  >();
  for (const report of reports) {
    const labels = certLabels(report);
    const k = key(labels, CERT_LABELS);
    if (colliding.has(k))
      labels.discriminator = report.certificate.sha256Fingerprint
        .replace(/:/g, '')
        .slice(0, 16)
        .toLowerCase();
    const unique = key(labels, CERT_LABELS);
    if (!out.has(unique)) out.set(unique, { labels, cert: report.certificate, report });
  }
  return [...out.values()];
}

/** Sums samples that share a label set (the text format allows one sample per series). */
function merged(
  samples: readonly MetricSample[],
  labels: readonly string[],
  combine: (a: number, b: number) => number,
): MetricSample[] {
  const out = new Map<string, MetricSample>();
  for (const sample of samples) {
    const k = key(sample.labels, labels);
    const before = out.get(k);
    out.set(k, before ? { labels: sample.labels, value: combine(before.value, sample.value) } : sample);
  }
  return [...out.values()];
}

const unixSeconds = (date: Date): number => Math.floor(date.getTime() / 1000);

export function auditMetricFamilies(input: AuditMetricsInput): MetricFamily[] {
  const certs = certificateSeries(input.certificates);
  const perCert = (value: (cert: Certificate) => number): MetricSample[] =>
    certs.map((c) => ({ labels: c.labels, value: value(c.cert) }));
  const nowMs = input.now.getTime();

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
      serial_number: f.certificate ? decimalSerial(f.certificate.serialHex) : '',
    },
    value: 1,
  }));

  return [
    {
      name: 'x509_cert_not_before',
      help: "Unix time of the certificate's notBefore.",
      type: 'gauge',
      labels: CERT_LABELS,
      optionalLabels: ['discriminator'],
      samples: perCert((cert) => unixSeconds(cert.notBefore)),
    },
    {
      name: 'x509_cert_not_after',
      help: "Unix time of the certificate's notAfter.",
      type: 'gauge',
      labels: CERT_LABELS,
      optionalLabels: ['discriminator'],
      samples: perCert((cert) => unixSeconds(cert.notAfter)),
    },
    {
      name: 'x509_cert_expired',
      help: '1 when the certificate was past its notAfter at the time of the audit, else 0.',
      type: 'gauge',
      labels: CERT_LABELS,
      optionalLabels: ['discriminator'],
      samples: perCert((cert) => (nowMs > cert.notAfter.getTime() ? 1 : 0)),
    },
    {
      name: 'x509_read_errors',
      help: 'Number of certificate sources that could not be read (missing file, bad base64 or PEM, redacted data, unparsable certificate or YAML).',
      type: 'gauge',
      labels: [],
      samples: [{ labels: {}, value: input.findings.filter((f) => READ_ERROR_CODES.has(f.code)).length }],
    },
    {
      name: 'kubecerts_chain_verified',
      help: "1 when the certificate's chain verifies to a trusted CA at the time of the audit (as Go's crypto/x509 would), 0 when it does not; problem is the first reason.",
      type: 'gauge',
      labels: CHAIN_LABELS,
      // A certificate judged twice in the same scope counts as verified only if both verdicts are.
      samples: merged(chains, CHAIN_LABELS, Math.min),
    },
    {
      name: 'kubecerts_finding',
      help: 'Number of kubecerts findings with this code and severity at this place (see the finding codes in the kubecerts README).',
      type: 'gauge',
      labels: FINDING_LABELS,
      samples: merged(findings, FINDING_LABELS, (a, b) => a + b),
    },
    {
      name: 'kubecerts_audit_timestamp_seconds',
      help: 'Unix time the audit judged validity at.',
      type: 'gauge',
      labels: [],
      samples: [{ labels: {}, value: unixSeconds(input.now) }],
    },
  ];
}
