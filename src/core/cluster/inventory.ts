// The Cluster Certificates inventory: what one context's API server holds (read by
// src/node/cluster/clusterObjects.ts into ClusterObjects) → groups of rows, each with its
// certificates, the one chain verdict (src/core/verdict) where there is something to verify
// against, residual time and findings. Pure: the time is a parameter, nothing is fetched here.
// The view renders this and the CLI prints it; neither judges a certificate itself.
import { caBundleFindings, certificateFindings, verdictFindings, type CheckContext } from '../audit/checks';
import type { FindingCode, Severity } from '../findings/catalog';
import { RELATED_MESSAGES } from '../findings/catalog';
import {
  certificateRef,
  makeFinding,
  severityAtLeast,
  type Finding,
  type FindingParams,
} from '../findings/finding';
import { chainReport, type ChainReport } from '../verdict/chainVerdict';
import { verifyChain } from '../x509/chain';
import type { Certificate } from '../x509/model';
import { objectLocation, objectUri } from './location';
import type { CertManagerInfo, ClusterObject, FieldProblem, ObjectField, ObjectRef } from './objects';
import { CLUSTER_RESOURCES, GROUP_IDS, qualifiedResource, type GroupId } from './resources';

/** A list the user could not read (RBAC, an API not served, a timeout). */
export interface AccessProblem {
  /** Plural resource (`secrets`), with its group for RBAC (`apiservices.apiregistration.k8s.io`). */
  readonly resource: string;
  readonly verb: string;
  /** The namespace listed; undefined: all namespaces or a cluster-scoped resource. */
  readonly namespace?: string;
  readonly forbidden: boolean;
  /** What went wrong, as the cluster client words it (redacted, no credentials). */
  readonly message: string;
  /** The RBAC permissions lacking, in `kubectl auth can-i` terms. */
  readonly missingPermissions: readonly string[];
  /** A forbidden list across all namespaces: the namespaces read one by one instead. */
  readonly readIn?: readonly string[];
}

/** The CA the user's kubeconfig trusts for this context's cluster. */
export interface KubeconfigCa {
  readonly cluster: string;
  /** The kubeconfig file defining the cluster entry. */
  readonly file: string;
  readonly certificates: readonly Certificate[];
}

/** Everything read from one context: the inventory's input. */
export interface ClusterSnapshot {
  readonly context: string;
  readonly cluster?: string;
  readonly objects: readonly ClusterObject[];
  readonly access: readonly AccessProblem[];
  /** Secrets were not listed: the user did not allow it. */
  readonly secretsSkipped?: boolean;
  /** Namespaces the namespaced resources were read in; undefined: all. */
  readonly namespaces?: readonly string[];
  readonly kubeconfigCa?: KubeconfigCa;
}

export interface InventoryOptions {
  readonly now: Date;
  readonly warnDays: number;
  readonly enabled?: (code: FindingCode) => boolean;
}

export interface RowCertificate {
  readonly field: string;
  /** The webhook's name for an item of `webhooks[]`. */
  readonly item?: string;
  readonly role: 'certificate' | 'ca-bundle';
  /** 0-based position in its field's bundle. */
  readonly index: number;
  readonly certificate: Certificate;
  /** Seconds from the inventory's time to notAfter; negative once expired. */
  readonly residualSeconds: number;
  /** tls.crt leaf of a Secret with a ca.crt: its verdict against that ca.crt. */
  readonly chain?: ChainReport;
}

export interface InventoryRow {
  /** `k8s://…` reference of the object: stable id and finding location (src/core/cluster/location). */
  readonly uri: string;
  readonly group: GroupId;
  readonly ref: ObjectRef;
  readonly certManager: CertManagerInfo;
  readonly certificates: readonly RowCertificate[];
  /** Fields whose value could not be read. */
  readonly problems: readonly (FieldProblem & { readonly field: string })[];
  /** tls.key vs tls.crt; undefined when there is no key or it could not be compared. */
  readonly keyMatches?: boolean;
  readonly findings: readonly Finding[];
  /** Worst severity among `findings`; undefined when none. */
  readonly severity?: Severity;
}

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

const KUBE_ROOT_CA = 'kube-root-ca.crt';
const CLUSTER_INFO = { namespace: 'kube-public', name: 'cluster-info' };
const TLS_SECRET_TYPE = 'kubernetes.io/tls';

/** Decode problem kinds → the finding that reports them (params: field, reason). */
const PROBLEM_CODES: Readonly<Record<string, FindingCode>> = {
  'invalid-base64': 'invalid-base64',
  'redacted-data': 'redacted-data',
  'unsupported-key': 'unsupported-key',
};

function isClusterInfo(ref: ObjectRef): boolean {
  return (
    ref.kind === 'ConfigMap' && ref.namespace === CLUSTER_INFO.namespace && ref.name === CLUSTER_INFO.name
  );
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

function worst(findings: readonly Finding[]): Severity | undefined {
  let out: Severity | undefined;
  for (const f of findings) if (!out || severityAtLeast(f.severity, out)) out = f.severity;
  return out;
}

function pins(certs: readonly Certificate[]): string {
  return certs.map((c) => c.spkiPin).join(', ');
}

function sharesPin(a: readonly Certificate[], b: readonly Certificate[]): boolean {
  const set = new Set(a.map((c) => c.spkiPin));
  return b.some((c) => set.has(c.spkiPin));
}

interface RowContext {
  readonly snapshot: ClusterSnapshot;
  readonly check: CheckContext;
  readonly clusterInfoCas?: readonly Certificate[];
}

function buildRow(
  object: ClusterObject,
  group: GroupId,
  fields: readonly ObjectField[],
  rc: RowContext,
): InventoryRow {
  const { snapshot, check } = rc;
  const { ref } = object;
  const now = check.now;
  const at = (field?: string) => objectLocation(snapshot.context, ref, field, snapshot.cluster);
  const findings: Finding[] = [];
  const add = (
    code: FindingCode,
    field: string | undefined,
    params: FindingParams,
    cert?: Certificate,
  ): void => {
    if (!check.enabled(code)) return;
    const location = at(field);
    findings.push(
      makeFinding(code, location, params, {
        object: location.object,
        ...(cert ? { certificate: certificateRef(cert) } : {}),
      }),
    );
  };
  const placed = (field: string, list: readonly Finding[]): void => {
    const { object: where } = at(field);
    for (const f of list) findings.push({ ...f, object: where });
  };

  const problems = fields.flatMap((f) => f.problems.map((p) => ({ ...p, field: f.field })));
  for (const p of problems) {
    const code = PROBLEM_CODES[p.kind] ?? 'invalid-pem';
    add(code, p.field, { field: p.field, reason: p.message, placeholder: p.message });
  }

  const byField = (name: string): ObjectField | undefined =>
    fields.find((f) => f.field === name || f.field === name.replace(/^data\./, 'stringData.'));
  const tlsCrt = ref.kind === 'Secret' ? (byField('data.tls.crt')?.certificates ?? []) : [];
  const caCrt = ref.kind === 'Secret' ? (byField('data.ca.crt')?.certificates ?? []) : [];
  const leaf = tlsCrt[0];
  let chain: ChainReport | undefined;
  if (leaf && caCrt.length) {
    const verdict = verifyChain(leaf, { anchors: caCrt, intermediates: tlsCrt.slice(1) }, now);
    chain = chainReport(verdict, caCrt, () => 'input', now);
  }

  const certificates: RowCertificate[] = [];
  let keyMatches: boolean | undefined;
  for (const f of fields) {
    if (f.role === 'private-key') {
      if (f.keyMatches !== undefined) keyMatches = f.keyMatches;
      if (f.keyMatches === false && leaf)
        add(
          'tls-key-mismatch',
          f.field,
          { namespace: ref.namespace ?? '', name: ref.name, subject: leaf.subject.display },
          leaf,
        );
      continue;
    }
    const role = f.role;
    f.certificates.forEach((certificate, index) =>
      certificates.push({
        field: f.field,
        ...(f.item !== undefined ? { item: f.item } : {}),
        role,
        index,
        certificate,
        residualSeconds: Math.trunc((certificate.notAfter.getTime() - now.getTime()) / 1000),
        ...(chain && certificate === leaf ? { chain } : {}),
      }),
    );
    const place = { ...at(f.field), role: role === 'certificate' ? ('file' as const) : ('ca' as const) };
    if (role === 'certificate') {
      for (const cert of f.certificates) placed(f.field, certificateFindings(cert, place, check));
    } else {
      placed(f.field, caBundleFindings(f.certificates, place, check));
      if (ref.kind !== 'Secret')
        for (const cert of f.certificates)
          if (cert.basicConstraints?.ca !== true)
            add(
              'ca-bundle-not-ca',
              f.field,
              { subject: cert.subject.display, kind: ref.kind, name: ref.name },
              cert,
            );
    }
  }

  if (leaf && chain) {
    if (chain.status === 'not-signed') {
      add(
        'tls-ca-mismatch',
        'data.ca.crt',
        {
          namespace: ref.namespace ?? '',
          name: ref.name,
          subject: leaf.subject.display,
          ca: caCrt.map((c) => c.subject.display).join('; '),
        },
        leaf,
      );
    } else {
      // Signed by ca.crt but not valid now: the dates of tls.crt and ca.crt have their own findings.
      const audited = new Set([...tlsCrt, ...caCrt].map((c) => c.sha256Fingerprint));
      placed('data.tls.crt', verdictFindings(leaf, chain, { ...at('data.tls.crt') }, check, audited));
    }
  }

  const own = (name: string) => fields.find((f) => f.field === name)?.certificates ?? [];
  if (isClusterInfo(ref)) {
    const cas = own('data.kubeconfig');
    const kc = snapshot.kubeconfigCa;
    if (
      cas.length &&
      kc &&
      kc.certificates.length &&
      !sharesPin(cas, kc.certificates) &&
      check.enabled('cluster-info-ca-mismatch')
    ) {
      const location = at('data.kubeconfig');
      findings.push(
        makeFinding(
          'cluster-info-ca-mismatch',
          location,
          { pins: pins(cas), kubeconfigPins: pins(kc.certificates), cluster: kc.cluster },
          {
            object: location.object,
            certificate: certificateRef(cas[0]),
            related: [
              {
                file: kc.file,
                message: RELATED_MESSAGES.caChecked,
                params: { ca: kc.certificates.map((c) => c.subject.display).join('; '), cluster: kc.cluster },
              },
            ],
          },
        ),
      );
    }
  } else if (ref.kind === 'ConfigMap' && ref.name === KUBE_ROOT_CA) {
    const cas = own('data.ca.crt');
    const published = rc.clusterInfoCas;
    if (cas.length && published?.length && !sharesPin(cas, published))
      add(
        'kube-root-ca-mismatch',
        'data.ca.crt',
        { namespace: ref.namespace ?? '', pins: pins(cas), clusterInfoPins: pins(published) },
        cas[0],
      );
  }

  return {
    uri: objectUri(snapshot.context, ref),
    group,
    ref,
    certManager: object.certManager,
    certificates,
    problems,
    ...(keyMatches !== undefined ? { keyMatches } : {}),
    findings,
    ...(worst(findings) ? { severity: worst(findings) } : {}),
  };
}

function accessFinding(
  problem: AccessProblem,
  snapshot: ClusterSnapshot,
  check: CheckContext,
): Finding | undefined {
  const code: FindingCode = problem.forbidden ? 'cluster-access-denied' : 'cluster-read-error';
  if (!check.enabled(code)) return undefined;
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
    enabled: options.enabled ?? (() => true),
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
    ...snapshot.access
      .map((p) => accessFinding(p, snapshot, check))
      .filter((f): f is Finding => f !== undefined),
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
