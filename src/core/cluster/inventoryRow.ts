// One object's row of the Cluster Certificates inventory: its certificates with residual time, the
// chain verdict of a Secret's tls.crt against its own ca.crt, the key pairing, and every finding
// about the object, including whether cluster-info and kube-root-ca.crt publish the CA the
// kubeconfig trusts. Pure: the time comes in the check context.
import { caBundleFindings, certificateFindings, verdictFindings, type CheckContext } from '../audit/checks';
import type { FindingCode, Severity } from '../findings/catalog';
import { RELATED_MESSAGES } from '../findings/catalog';
import {
  certificateRef,
  makeFinding,
  severityAtLeast,
  withoutDisabled,
  type Finding,
  type FindingParams,
} from '../findings/finding';
import { chainReport, type ChainReport } from '../verdict/chainVerdict';
import { verifyChain } from '../x509/chain';
import type { Certificate } from '../x509/model';
import { objectLocation, objectUri } from './location';
import type { CertManagerInfo, ClusterObject, FieldProblem, ObjectField, ObjectRef } from './objects';
import type { GroupId } from './resources';
import type { ClusterSnapshot } from './snapshot';

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

export const KUBE_ROOT_CA = 'kube-root-ca.crt';
const CLUSTER_INFO = { namespace: 'kube-public', name: 'cluster-info' };

/** Decode problem kinds → the finding that reports them (params: field, reason). */
const PROBLEM_CODES: Readonly<Record<string, FindingCode>> = {
  'invalid-base64': 'invalid-base64',
  'redacted-data': 'redacted-data',
  'unsupported-key': 'unsupported-key',
};

export function isClusterInfo(ref: ObjectRef): boolean {
  return (
    ref.kind === 'ConfigMap' && ref.namespace === CLUSTER_INFO.namespace && ref.name === CLUSTER_INFO.name
  );
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

export interface RowContext {
  readonly snapshot: ClusterSnapshot;
  readonly check: CheckContext;
  readonly clusterInfoCas?: readonly Certificate[];
}

export function buildRow(
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
      placed('data.tls.crt', verdictFindings(leaf, chain, { ...at('data.tls.crt') }, audited));
    }
  }

  const own = (name: string) => fields.find((f) => f.field === name)?.certificates ?? [];
  if (isClusterInfo(ref)) {
    const cas = own('data.kubeconfig');
    const kc = snapshot.kubeconfigCa;
    if (cas.length && kc && kc.certificates.length && !sharesPin(cas, kc.certificates)) {
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

  const reported = withoutDisabled(findings, check.enabled);
  return {
    uri: objectUri(snapshot.context, ref),
    group,
    ref,
    certManager: object.certManager,
    certificates,
    problems,
    ...(keyMatches !== undefined ? { keyMatches } : {}),
    // The row's severity (and so its order) counts only what the surfaces show.
    findings: reported,
    ...(worst(reported) ? { severity: worst(reported) } : {}),
  };
}
