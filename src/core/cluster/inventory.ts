// The Cluster Certificates inventory: what one context's API server holds (a ClusterSnapshot,
// snapshot.ts) → groups of rows (inventoryRow.ts builds each, with its certificates, the one chain
// verdict where there is something to verify against, residual time and findings), plus the lists
// that could not be read. Pure: the time is a parameter, nothing is fetched here.
// The view renders this and the CLI prints it; neither judges a certificate itself.
import type { CheckContext } from '../audit/checks';
import type { FindingCode } from '../findings/catalog';
import { makeFinding, withoutDisabled, type Finding, type FindingParams } from '../findings/finding';
import { buildRow, isClusterInfo, KUBE_ROOT_CA, type InventoryRow, type RowContext } from './inventoryRow';
import { objectLocation } from './location';
import type { ClusterObject, ObjectField } from './objects';
import { CLUSTER_RESOURCES, GROUP_IDS, qualifiedResource, type GroupId } from './resources';
import type { AccessProblem, ClusterSnapshot } from './snapshot';

export interface InventoryOptions {
  readonly now: Date;
  readonly warnDays: number;
  readonly enabled?: (code: FindingCode) => boolean;
}

const TLS_SECRET_TYPE = 'kubernetes.io/tls';

export interface InventoryGroup {
  readonly id: GroupId;
  readonly rows: readonly InventoryRow[];
  /** Lists of this group that could not be read. */
  readonly access: readonly AccessProblem[];
  /** tls-secrets only: not read, the user did not allow it. */
  readonly skipped?: boolean;
}

export interface ClusterInventory {
  readonly context: string;
  readonly cluster?: string;
  /** The instant the inventory was judged at. */
  readonly at: Date;
  readonly groups: readonly InventoryGroup[];
  /** Every finding: the rows' and the access problems', in a stable order. */
  readonly findings: readonly Finding[];
}

/** The group of an object, and the fields of it the inventory reads; undefined: not shown. */
function placeOf(object: ClusterObject): { group: GroupId; fields: readonly ObjectField[] } | undefined {
  const { ref } = object;
  if (ref.kind === 'Secret')
    return object.secretType === TLS_SECRET_TYPE
      ? { group: 'tls-secrets', fields: object.fields }
      : undefined;
  if (ref.kind === 'ConfigMap') {
    const wanted = isClusterInfo(ref) ? 'data.kubeconfig' : ref.name === KUBE_ROOT_CA ? 'data.ca.crt' : '';
    const fields = object.fields.filter((f) => f.field === wanted);
    return fields.length ? { group: 'cluster-ca', fields } : undefined;
  }
  const resource = CLUSTER_RESOURCES.find((r) => r.kind === ref.kind && r.group === ref.group);
  if (!resource || resource.groupId === 'tls-secrets' || !object.fields.length) return undefined;
  return { group: resource.groupId, fields: object.fields };
}

function accessFinding(problem: AccessProblem, snapshot: ClusterSnapshot): Finding {
  const code: FindingCode = problem.forbidden ? 'cluster-access-denied' : 'cluster-read-error';
  const scope =
    problem.namespace !== undefined
      ? ` in namespace ${problem.namespace}`
      : problem.readIn !== undefined
        ? ` in all namespaces (read instead in: ${problem.readIn.join(', ') || 'none'})`
        : '';
  const resource = CLUSTER_RESOURCES.find(
    (r) => qualifiedResource(r) === problem.resource || r.resource === problem.resource,
  );
  const params: FindingParams = problem.forbidden
    ? {
        verb: problem.verb,
        resource: problem.resource,
        scope,
        permission: problem.missingPermissions.join('; ') || `${problem.verb} on ${problem.resource}`,
      }
    : { resource: problem.resource, scope, error: problem.message };
  // One reference per list: the collection, named like an object of its kind.
  const location = objectLocation(
    snapshot.context,
    {
      kind: resource?.kind ?? problem.resource,
      ...(problem.namespace !== undefined ? { namespace: problem.namespace } : {}),
      name: '*',
    },
    undefined,
    snapshot.cluster,
  );
  return makeFinding(code, location, params, { object: location.object });
}

function compareRows(a: InventoryRow, b: InventoryRow): number {
  const key = (r: InventoryRow): string[] => [r.ref.namespace ?? '', r.ref.kind, r.ref.name];
  const [x, y] = [key(a), key(b)];
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
  return 0;
}

/** The inventory of one context at `options.now`. */
export function buildClusterInventory(
  snapshot: ClusterSnapshot,
  options: InventoryOptions,
): ClusterInventory {
  const check: CheckContext = {
    now: options.now,
    warnDays: options.warnDays,
    ...(options.enabled ? { enabled: options.enabled } : {}),
  };
  const clusterInfo = snapshot.objects.find((o) => isClusterInfo(o.ref));
  const clusterInfoCas = clusterInfo?.fields.find((f) => f.field === 'data.kubeconfig')?.certificates;
  const rc: RowContext = { snapshot, check, ...(clusterInfoCas ? { clusterInfoCas } : {}) };
  const rows = new Map<GroupId, InventoryRow[]>(GROUP_IDS.map((id) => [id, []]));
  for (const object of snapshot.objects) {
    const place = placeOf(object);
    if (place) rows.get(place.group)!.push(buildRow(object, place.group, place.fields, rc));
  }
  const groupOf = (problem: AccessProblem): GroupId =>
    CLUSTER_RESOURCES.find(
      (r) => qualifiedResource(r) === problem.resource || r.resource === problem.resource,
    )?.groupId ?? 'cluster-ca';
  const groups: InventoryGroup[] = GROUP_IDS.map((id) => ({
    id,
    rows: rows.get(id)!.sort(compareRows),
    access: snapshot.access.filter((p) => groupOf(p) === id),
    ...(id === 'tls-secrets' && snapshot.secretsSkipped ? { skipped: true } : {}),
  }));
  const findings = [
    ...withoutDisabled(
      snapshot.access.map((p) => accessFinding(p, snapshot)),
      options.enabled,
    ),
    ...groups.flatMap((g) => g.rows.flatMap((r) => r.findings)),
  ];
  return {
    context: snapshot.context,
    ...(snapshot.cluster !== undefined ? { cluster: snapshot.cluster } : {}),
    at: options.now,
    groups,
    findings,
  };
}
