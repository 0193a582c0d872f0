// The metric families `audit` and `cluster` both write, in one place so the two exports keep the
// same names, help texts and rules: x509-certificate-exporter's per-certificate series (with its
// discriminator for label sets two certificates share), its read-error count, and kubecerts' chain
// verdict, findings and audit time. Each command brings its own label names and values.
import type { FindingCode } from '../findings/catalog';
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

const unixSeconds = (date: Date): number => Math.floor(date.getTime() / 1000);

function labelKey(labels: Readonly<Record<string, string>>, names: readonly string[]): string {
  return JSON.stringify(names.map((n) => labels[n] ?? ''));
}

/** One certificate under its labels; `discriminator` is among them, empty until a collision sets it. */
export interface CertificateSeries {
  readonly labels: Record<string, string>;
  readonly cert: Certificate;
}

/**
 * One series per label set: the same certificate seen twice (a file and a kubeconfig naming it, a
 * bundle listed twice) is one series; two different ones that would share a label set get a
 * SHA-256 prefix as discriminator (a duplicate series breaks the textfile collector's scrape).
 */
export function uniqueSeries<S extends CertificateSeries>(all: readonly S[], labels: readonly string[]): S[] {
  const seen = new Map<string, string>();
  const colliding = new Set<string>();
  for (const s of all) {
    const k = labelKey(s.labels, labels);
    const before = seen.get(k);
    if (before === undefined) seen.set(k, s.cert.sha256Fingerprint);
    else if (before !== s.cert.sha256Fingerprint) colliding.add(k);
  }
  const out = new Map<string, S>();
  for (const s of all) {
    if (colliding.has(labelKey(s.labels, labels)))
      s.labels.discriminator = s.cert.sha256Fingerprint.replace(/:/g, '').slice(0, 16).toLowerCase();
    const unique = labelKey(s.labels, labels);
    if (!out.has(unique)) out.set(unique, s);
  }
  return [...out.values()];
}

/** Samples that share a label set combined into one (the text format allows one sample per series). */
function merged(
  samples: readonly MetricSample[],
  labels: readonly string[],
  combine: (a: number, b: number) => number,
): MetricSample[] {
  const out = new Map<string, MetricSample>();
  for (const sample of samples) {
    const k = labelKey(sample.labels, labels);
    const before = out.get(k);
    out.set(k, before ? { labels: sample.labels, value: combine(before.value, sample.value) } : sample);
  }
  return [...out.values()];
}

/** x509_cert_not_before, x509_cert_not_after and x509_cert_expired, one sample per series. */
function validityFamilies(
  series: readonly CertificateSeries[],
  labels: readonly string[],
  now: Date,
): MetricFamily[] {
  const perCert = (value: (cert: Certificate) => number): MetricSample[] =>
    series.map((s) => ({ labels: s.labels, value: value(s.cert) }));
  const family = (name: string, help: string, samples: MetricSample[]): MetricFamily => ({
    name,
    help,
    type: 'gauge',
    labels,
    optionalLabels: ['discriminator'],
    samples,
  });
  return [
    family(
      'x509_cert_not_before',
      "Unix time of the certificate's notBefore.",
      perCert((cert) => unixSeconds(cert.notBefore)),
    ),
    family(
      'x509_cert_not_after',
      "Unix time of the certificate's notAfter.",
      perCert((cert) => unixSeconds(cert.notAfter)),
    ),
    family(
      'x509_cert_expired',
      '1 when the certificate was past its notAfter at the time of the audit, else 0.',
      perCert((cert) => (now.getTime() > cert.notAfter.getTime() ? 1 : 0)),
    ),
  ];
}

function readErrorsFamily(labels: readonly string[], samples: MetricSample[]): MetricFamily {
  return {
    name: 'x509_read_errors',
    help: 'Number of certificate sources that could not be read (missing file, bad base64 or PEM, redacted data, unparsable certificate or YAML).',
    type: 'gauge',
    labels,
    samples,
  };
}

/** A certificate judged twice under one label set counts as verified only if both verdicts are. */
function chainVerifiedFamily(labels: readonly string[], samples: MetricSample[]): MetricFamily {
  return {
    name: 'kubecerts_chain_verified',
    help: "1 when the certificate's chain verifies to a trusted CA at the time of the audit (as Go's crypto/x509 would), 0 when it does not; problem is the first reason.",
    type: 'gauge',
    labels,
    samples: merged(samples, labels, Math.min),
  };
}

/** One sample per finding (value 1); findings at the same place are counted. */
function findingFamily(labels: readonly string[], samples: MetricSample[]): MetricFamily {
  return {
    name: 'kubecerts_finding',
    help: 'Number of kubecerts findings with this code and severity at this place (see the finding codes in the kubecerts README).',
    type: 'gauge',
    labels,
    samples: merged(samples, labels, (a, b) => a + b),
  };
}

function auditTimestampFamily(now: Date): MetricFamily {
  return {
    name: 'kubecerts_audit_timestamp_seconds',
    help: 'Unix time the audit judged validity at.',
    type: 'gauge',
    labels: [],
    samples: [{ labels: {}, value: unixSeconds(now) }],
  };
}

/** Samples under their label names (every sample of a family carries the same names). */
interface Samples {
  readonly labels: readonly string[];
  readonly samples: MetricSample[];
}

/** What one export (audit, cluster) writes, under its own label names. */
export interface CertificateMetrics {
  /** The instant validity was judged at. */
  readonly now: Date;
  /** One per certificate, from uniqueSeries. */
  readonly certificates: {
    readonly labels: readonly string[];
    readonly series: readonly CertificateSeries[];
  };
  readonly readErrors: Samples;
  readonly chains: Samples;
  /** One sample (value 1) per finding. */
  readonly findings: Samples;
  /** The export's own families, written before the audit time. */
  readonly own?: readonly MetricFamily[];
}

/** The families in the order every export writes them. */
export function certificateMetricFamilies(m: CertificateMetrics): MetricFamily[] {
  return [
    ...validityFamilies(m.certificates.series, m.certificates.labels, m.now),
    readErrorsFamily(m.readErrors.labels, m.readErrors.samples),
    chainVerifiedFamily(m.chains.labels, m.chains.samples),
    findingFamily(m.findings.labels, m.findings.samples),
    ...(m.own ?? []),
    auditTimestampFamily(m.now),
  ];
}
