// `kubecerts cluster --format prometheus`: the inventories of one or more contexts as metric
// families. Certificate series keep x509-certificate-exporter's names, help texts and, for Secrets,
// its labels (secret_namespace, secret_name, secret_key), so its dashboards and alerts keep
// working; object_* labels name every kind it does not read (webhooks, APIServices, CRDs,
// ConfigMaps). Every series of a family has the same label names, empty where they do not apply.
// Labels hold names only: never a Secret value or a message.
import type { FindingCode } from '../findings/catalog';
import type { Finding } from '../findings/finding';
import { commonName, decimalSerial, READ_ERROR_CODES } from '../metrics/auditMetrics';
import type { MetricFamily, MetricSample } from '../metrics/exposition';
import type { Certificate } from '../x509/model';
import type { ClusterInventory } from './inventory';
import type { InventoryRow, RowCertificate } from './inventoryRow';

export interface ContextInventory {
  readonly context: string;
  /** Undefined when the context could not be read (unreachable, timed out, refused). */
  readonly inventory?: ClusterInventory;
}

const CERT_LABELS = [
  'context',
  'secret_namespace',
  'secret_name',
  'secret_key',
  'object_kind',
  'object_namespace',
  'object_name',
  'object_field',
  'subject_CN',
  'issuer_CN',
  'serial_number',
  // Two different certificates under one label set (a bundle repeating a serial) would be a
  // duplicate series, which makes the textfile collector drop the file: a SHA-256 prefix then.
  'discriminator',
] as const;
const CHAIN_LABELS = [...CERT_LABELS.slice(0, -1), 'problem'] as const;
const FINDING_LABELS = [
  'code',
  'severity',
  'context',
  'cluster',
  'object_kind',
  'object_namespace',
  'object_name',
  'object_field',
  'serial_number',
] as const;

/** Secret data keys as the exporter's secret_key label has them (`tls.crt`). */
function secretKey(field: string): string {
  return field.replace(/^(?:data|stringData)\./, '');
}

function certLabels(context: string, row: InventoryRow, c: RowCertificate): Record<string, string> {
  const secret = row.ref.kind === 'Secret';
  return {
    context,
    secret_namespace: secret ? (row.ref.namespace ?? '') : '',
    secret_name: secret ? row.ref.name : '',
    secret_key: secret ? secretKey(c.field) : '',
    object_kind: row.ref.kind,
    object_namespace: row.ref.namespace ?? '',
    object_name: row.ref.name,
    object_field: c.field,
    subject_CN: c.certificate.identity.user,
    issuer_CN: commonName(c.certificate.issuer),
    serial_number: decimalSerial(c.certificate.serialHex),
    discriminator: '',
  };
}

const key = (labels: Readonly<Record<string, string>>, names: readonly string[]): string =>
  JSON.stringify(names.map((n) => labels[n] ?? ''));

interface Series {
  readonly labels: Record<string, string>;
  readonly cert: Certificate;
  readonly entry: RowCertificate;
}

function certificateSeries(contexts: readonly ContextInventory[]): Series[] {
  const all: Series[] = contexts.flatMap(({ context, inventory }) =>
    (inventory?.groups ?? []).flatMap((g) =>
      g.rows.flatMap((row) =>
        row.certificates.map((entry) => ({
          labels: certLabels(context, row, entry),
          cert: entry.certificate,
          entry,
        })),
      ),
    ),
  );
  const seen = new Map<string, string>();
  const colliding = new Set<string>();
  for (const s of all) {
    const k = key(s.labels, CERT_LABELS);
    const before = seen.get(k);
    if (before === undefined) seen.set(k, s.cert.sha256Fingerprint);
    else if (before !== s.cert.sha256Fingerprint) colliding.add(k);
  }
  const out = new Map<string, Series>();
  for (const s of all) {
    if (colliding.has(key(s.labels, CERT_LABELS)))
      s.labels.discriminator = s.cert.sha256Fingerprint.replace(/:/g, '').slice(0, 16).toLowerCase();
    const unique = key(s.labels, CERT_LABELS);
    if (!out.has(unique)) out.set(unique, s);
  }
  return [...out.values()];
}

function summed(samples: readonly MetricSample[], labels: readonly string[]): MetricSample[] {
  const out = new Map<string, MetricSample>();
  for (const s of samples) {
    const k = key(s.labels, labels);
    const before = out.get(k);
    out.set(k, before ? { labels: s.labels, value: before.value + s.value } : s);
  }
  return [...out.values()];
}

const unixSeconds = (date: Date): number => Math.floor(date.getTime() / 1000);

/**
 * `unread`: findings about contexts that could not be read at all (cluster-unreachable), which no
 * inventory holds.
 */
export function clusterMetricFamilies(
  contexts: readonly ContextInventory[],
  now: Date,
  unread: readonly Finding[] = [],
): MetricFamily[] {
  const certs = certificateSeries(contexts);
  const perCert = (value: (cert: Certificate) => number): MetricSample[] =>
    certs.map((c) => ({ labels: c.labels, value: value(c.cert) }));
  const findings = [...unread, ...contexts.flatMap((c) => c.inventory?.findings ?? [])];
  const readErrors = contexts
    .filter((c) => c.inventory)
    .map((c) => ({
      labels: { context: c.context },
      value: c.inventory!.findings.filter((f) => READ_ERROR_CODES.has(f.code as FindingCode)).length,
    }));
  const chains: MetricSample[] = certs.flatMap((c) =>
    c.entry.chain
      ? [
          {
            labels: { ...c.labels, problem: c.entry.chain.problems[0]?.code ?? '' },
            value: c.entry.chain.verified ? 1 : 0,
          },
        ]
      : [],
  );
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
      samples: perCert((cert) => (now.getTime() > cert.notAfter.getTime() ? 1 : 0)),
    },
    {
      name: 'x509_read_errors',
      help: 'Number of certificate sources that could not be read (missing file, bad base64 or PEM, redacted data, unparsable certificate or YAML).',
      type: 'gauge',
      labels: ['context'],
      samples: readErrors,
    },
    {
      name: 'kubecerts_chain_verified',
      help: "1 when the certificate's chain verifies to a trusted CA at the time of the audit (as Go's crypto/x509 would), 0 when it does not; problem is the first reason.",
      type: 'gauge',
      labels: CHAIN_LABELS,
      samples: chains,
    },
    {
      name: 'kubecerts_finding',
      help: 'Number of kubecerts findings with this code and severity at this place (see the finding codes in the kubecerts README).',
      type: 'gauge',
      labels: FINDING_LABELS,
      samples: summed(
        findings.map((f) => ({
          labels: {
            code: f.code,
            severity: f.severity,
            context: f.context ?? '',
            cluster: f.cluster ?? '',
            object_kind: f.object?.kind ?? '',
            object_namespace: f.object?.namespace ?? '',
            object_name: f.object?.name ?? '',
            object_field: f.object?.field ?? '',
            serial_number: f.certificate ? decimalSerial(f.certificate.serialHex) : '',
          },
          value: 1,
        })),
        FINDING_LABELS,
      ),
    },
    {
      name: 'kubecerts_cluster_inventory_up',
      help: '1 when the certificates of the context could be read, 0 when its API server was unreachable, timed out or refused.',
      type: 'gauge',
      labels: ['context'],
      samples: contexts.map((c) => ({ labels: { context: c.context }, value: c.inventory ? 1 : 0 })),
    },
    {
      name: 'kubecerts_audit_timestamp_seconds',
      help: 'Unix time the audit judged validity at.',
      type: 'gauge',
      labels: [],
      samples: [{ labels: {}, value: unixSeconds(now) }],
    },
  ];
}
