// Server-side printing (`Accept: application/json;as=Table;v=v1;g=meta.k8s.io`): the columns and
// cells of Kubernetes' own printers (pkg/printers/internalversion, kube-aggregator's APIService
// table, the default table of CRDs), so `kubectl get` shows what it shows on a real cluster.
import type { Csr, KubeNode, KubeObject, ObjectMeta } from './types';

export interface ColumnDefinition {
  readonly name: string;
  readonly type: string;
  readonly format: string;
  readonly description: string;
  readonly priority: number;
}

export interface TablePrinter<T> {
  readonly columns: readonly ColumnDefinition[];
  readonly cells: (obj: T, now: Date) => unknown[];
}

const column = (name: string, description: string, format = '', priority = 0): ColumnDefinition => ({
  name,
  type: 'string',
  format,
  description,
  priority,
});

const NAME = column(
  'Name',
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names',
  'name',
);
const AGE = column(
  'Age',
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata',
);

export const CSR_TABLE: TablePrinter<Csr> = {
  columns: [
    NAME,
    AGE,
    column(
      'SignerName',
      'Requested signer for the request. It is a qualified name in the form: `scope-hostname.io/name`.',
    ),
    column('Requestor', 'Base64-encoded PKCS#10 CSR data'),
    column(
      'RequestedDuration',
      'expirationSeconds is the requested duration of validity of the issued certificate.',
    ),
    column('Condition', 'Conditions applied to the request, such as approval or denial.'),
  ],
  cells: (csr, now) => [
    csr.metadata.name,
    age(csr.metadata, now),
    csr.spec.signerName || '<none>',
    csr.spec.username ?? '',
    csr.spec.expirationSeconds ? humanDuration(csr.spec.expirationSeconds * 1000) : '<none>',
    csrCondition(csr),
  ],
};

export const NODE_TABLE: TablePrinter<KubeNode> = {
  columns: [
    NAME,
    column('Status', 'The status of the node'),
    column('Roles', 'The roles of the node'),
    AGE,
    column('Version', 'Kubelet Version reported by the node.'),
    column('Internal-IP', 'List of addresses reachable to the node.', '', 1),
  ],
  cells: (node, now) => [
    node.metadata.name,
    node.status.conditions.find((c) => c.type === 'Ready')?.status === 'True' ? 'Ready' : 'NotReady',
    Object.keys(node.metadata.labels ?? {})
      .filter((l) => l.startsWith('node-role.kubernetes.io/'))
      .map((l) => l.slice('node-role.kubernetes.io/'.length))
      .join(',') || '<none>',
    age(node.metadata, now),
    node.status.nodeInfo.kubeletVersion,
    node.status.addresses.find((a) => a.type === 'InternalIP')?.address ?? '<none>',
  ],
};

const count = (value: unknown): number =>
  value && typeof value === 'object' ? Object.keys(value as object).length : 0;

const WEBHOOKS = column(
  'Webhooks',
  'Webhooks indicates the number of webhooks registered in this configuration',
);

export const NAMESPACE_TABLE: TablePrinter<KubeObject> = {
  columns: [NAME, column('Status', 'The status of the namespace'), AGE],
  cells: (ns, now) => [
    ns.metadata.name,
    (ns.status as { phase?: string } | undefined)?.phase ?? '',
    age(ns.metadata, now),
  ],
};

export const SECRET_TABLE: TablePrinter<KubeObject> = {
  columns: [
    NAME,
    column(
      'Type',
      'Used to facilitate programmatic handling of secret data. More info: https://kubernetes.io/docs/concepts/configuration/secret/#secret-types',
    ),
    column(
      'Data',
      "Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' or '.'. The serialized form of the secret data is a base64 encoded string, representing the arbitrary (possibly non-string) data value here. Described in https://tools.ietf.org/html/rfc4648#section-4",
    ),
    AGE,
  ],
  cells: (secret, now) => [
    secret.metadata.name,
    secret.type ?? '',
    count(secret.data),
    age(secret.metadata, now),
  ],
};

export const CONFIGMAP_TABLE: TablePrinter<KubeObject> = {
  columns: [
    NAME,
    column(
      'Data',
      "Data contains the configuration data. Each key must consist of alphanumeric characters, '-', '_' or '.'. Values with non-UTF-8 byte sequences must use the BinaryData field. The keys stored in Data must not overlap with the keys in the BinaryData field, this is enforced during validation process.",
    ),
    AGE,
  ],
  cells: (cm, now) => [cm.metadata.name, count(cm.data) + count(cm.binaryData), age(cm.metadata, now)],
};

export const WEBHOOK_TABLE: TablePrinter<KubeObject> = {
  columns: [NAME, { ...WEBHOOKS, type: 'integer' }, AGE],
  cells: (config, now) => [
    config.metadata.name,
    Array.isArray(config.webhooks) ? config.webhooks.length : 0,
    age(config.metadata, now),
  ],
};

export const APISERVICE_TABLE: TablePrinter<KubeObject> = {
  columns: [
    NAME,
    column('Service', 'The reference to the service that hosts this API endpoint.'),
    column('Available', 'Whether this service is available.'),
    AGE,
  ],
  cells: (svc, now) => {
    const spec = (svc.spec ?? {}) as { service?: { namespace?: string; name?: string } | null };
    const conditions = ((svc.status as { conditions?: unknown[] } | undefined)?.conditions ?? []) as {
      type: string;
      status: string;
      reason?: string;
    }[];
    const available = conditions.find((c) => c.type === 'Available');
    const status = !available
      ? 'Unknown'
      : available.status !== 'True' && available.reason
        ? `${available.status} (${available.reason})`
        : available.status;
    return [
      svc.metadata.name,
      spec.service ? `${spec.service.namespace ?? ''}/${spec.service.name ?? ''}` : 'Local',
      status,
      age(svc.metadata, now),
    ];
  },
};

/** rest.NewDefaultTableConvertor: what kube-apiserver prints for kinds without a printer (CRDs). */
export const DEFAULT_TABLE: TablePrinter<KubeObject> = {
  columns: [NAME, { ...AGE, name: 'Created At', type: 'date' }],
  cells: (obj) => [obj.metadata.name, obj.metadata.creationTimestamp],
};

/** Upstream extractCSRStatus: Denied wins over Approved, then Failed and Issued are appended. */
export function csrCondition(csr: Csr): string {
  const types = new Set((csr.status.conditions ?? []).map((c) => c.type));
  let status = types.has('Denied') ? 'Denied' : types.has('Approved') ? 'Approved' : 'Pending';
  if (types.has('Failed')) status += ',Failed';
  if (csr.status.certificate) status += ',Issued';
  return status;
}

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export function toTable<T extends { metadata: ObjectMeta }>(
  printer: TablePrinter<T>,
  items: readonly T[],
  now: Date,
  include: IncludeObject,
  listMeta: Record<string, unknown>,
  withHeaders = true,
): Record<string, unknown> {
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: listMeta,
    ...(withHeaders ? { columnDefinitions: printer.columns } : {}),
    rows: items.map((item) => ({
      cells: printer.cells(item, now),
      ...(include === 'None'
        ? {}
        : {
            object:
              include === 'Object'
                ? item
                : { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: item.metadata },
          }),
    })),
  };
}

function age(meta: ObjectMeta, now: Date): string {
  const created = Date.parse(meta.creationTimestamp);
  return Number.isNaN(created) ? '<unknown>' : humanDuration(now.getTime() - created);
}

/** k8s.io/apimachinery/pkg/util/duration.HumanDuration. */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.trunc(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.trunc(minutes / 60);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.trunc(hours / 24)}d` : `${Math.trunc(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.trunc(hours / 24) % 365;
    const y = Math.trunc(hours / 24 / 365);
    return dy === 0 ? `${y}y` : `${y}y${dy}d`;
  }
  return `${Math.trunc(hours / 24 / 365)}y`;
}
