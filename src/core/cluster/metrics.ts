// `kubecerts cluster --format prometheus`: the inventories of one or more contexts as metric
// families. Certificate series keep x509-certificate-exporter's names, help texts and, for Secrets,
// its labels (secret_namespace, secret_name, secret_key), so its dashboards and alerts keep
// working; object_* labels name every kind it does not read (webhooks, APIServices, CRDs,
// ConfigMaps). Every series of a family has the same label names, empty where they do not apply.
// Labels hold names only: never a Secret value or a message.
import type { FindingCode } from '../findings/catalog';
import type { Finding } from '../findings/finding';
import * as certMetrics from '../metrics/certificateFamilies';
import type { MetricFamily, MetricSample } from '../metrics/exposition';
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
    issuer_CN: certMetrics.commonName(c.certificate.issuer),
    serial_number: certMetrics.decimalSerial(c.certificate.serialHex),
    discriminator: '',
  };
}

interface RowSeries extends certMetrics.CertificateSeries {
  readonly entry: RowCertificate;
}

function certificateSeries(contexts: readonly ContextInventory[]): RowSeries[] {
  const all = contexts.flatMap(({ context, inventory }) =>
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
  return certMetrics.uniqueSeries(all, CERT_LABELS);
}

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
  const findings = [...unread, ...contexts.flatMap((c) => c.inventory?.findings ?? [])];
  const readErrors = contexts
    .filter((c) => c.inventory)
    .map((c) => ({
      labels: { context: c.context },
      value: c.inventory!.findings.filter((f) => certMetrics.READ_ERROR_CODES.has(f.code as FindingCode))
        .length,
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
  const findingSamples = findings.map((f) => ({
    labels: {
      code: f.code,
      severity: f.severity,
      context: f.context ?? '',
      cluster: f.cluster ?? '',
      object_kind: f.object?.kind ?? '',
      object_namespace: f.object?.namespace ?? '',
      object_name: f.object?.name ?? '',
      object_field: f.object?.field ?? '',
      serial_number: f.certificate ? certMetrics.decimalSerial(f.certificate.serialHex) : '',
    },
    value: 1,
  }));
  return certMetrics.certificateMetricFamilies({
    now,
    certificates: { labels: CERT_LABELS, series: certs },
    readErrors: { labels: ['context'], samples: readErrors },
    chains: { labels: CHAIN_LABELS, samples: chains },
    findings: { labels: FINDING_LABELS, samples: findingSamples },
    own: [
      {
        name: 'kubecerts_cluster_inventory_up',
        help: '1 when the certificates of the context could be read, 0 when its API server was unreachable, timed out or refused.',
        type: 'gauge',
        labels: ['context'],
        samples: contexts.map((c) => ({ labels: { context: c.context }, value: c.inventory ? 1 : 0 })),
      },
    ],
  });
}
