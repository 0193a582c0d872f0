// The kubeconfig audit: structural problems from the parser, credentials in plain text,
// references, and every certificate behind the effective values (data wins over path).
import { enabledExcept, makeFinding, withoutDisabled, type Finding } from '../findings/finding';
import { materialOf, type FileContents } from '../kubeconfig/material';
import type { ClusterEntry, KubeconfigModel, UserEntry } from '../kubeconfig/model';
import type { Certificate } from '../x509/model';
import { caBundleFindings, DEFAULT_WARN_DAYS, type CheckContext } from './checks';
import {
  at,
  certificatesOf,
  dataAndPathFindings,
  materialFindings,
  materialReports,
  scopeOf,
} from './kubeconfigMaterial';
import { analyzeUser, ownExpiryReported, type Audited } from './kubeconfigUser';
import type { CertificateReport } from './report';

export interface KubeconfigAuditOptions {
  readonly now: Date;
  /** Threshold of cert-expiring, in days (default 30). */
  readonly warnDays?: number;
  /** Finding codes to leave out. */
  readonly disabled?: Iterable<string>;
  /** Contents of the files that path fields reference (see `referencedFiles`); unread paths are not checked. */
  readonly files?: FileContents;
  /** More trust anchors for client certificates, e.g. the CAs of the kubeadm PKI directory next to the kubeconfig. */
  readonly extraAnchors?: readonly Certificate[];
}

export interface KeyReport {
  readonly algorithm: string;
  readonly bits?: number;
  readonly curve?: string;
  readonly format: string;
  /** Undefined when the user has no decodable client certificate. */
  readonly matchesCertificate?: boolean;
}

export interface EntryAnalysis {
  readonly findings: Finding[];
  readonly certificates: CertificateReport[];
  readonly key?: KeyReport;
}

export interface KubeconfigAudit {
  readonly findings: Finding[];
  readonly certificates: CertificateReport[];
}

function checkContext(options: KubeconfigAuditOptions): CheckContext {
  return { now: options.now, warnDays: options.warnDays ?? DEFAULT_WARN_DAYS };
}

/** The surfaces' view of an analysis: the disabled codes dropped. */
function reported<A extends { readonly findings: Finding[] }>(
  analysis: A,
  options: KubeconfigAuditOptions,
): A {
  return { ...analysis, findings: withoutDisabled(analysis.findings, enabledExcept(options.disabled ?? [])) };
}

function analyzeCluster(
  cluster: ClusterEntry,
  options: KubeconfigAuditOptions,
  ctx: CheckContext,
): EntryAnalysis {
  const scope = scopeOf(cluster);
  const findings: Finding[] = dataAndPathFindings(cluster, ['ca']);
  const skip = cluster.fields['insecure-skip-tls-verify'];
  if (skip?.value === true) {
    findings.push(makeFinding('insecure-skip-tls-verify', at(scope, skip.span), { cluster: cluster.name }));
  }
  const ca = materialOf(cluster, 'ca', options.files);
  if (!ca) return { findings, certificates: [] };
  findings.push(...materialFindings(ca, scope));
  findings.push(...caBundleFindings(certificatesOf(ca), at(scope, ca.field.span), ctx));
  return { findings, certificates: materialReports(ca, scope) };
}

function referenceFindings(model: KubeconfigModel): Finding[] {
  const out: Finding[] = [];
  for (const doc of model.documents) {
    for (const context of doc.contexts) {
      for (const [kind, map] of [
        ['cluster', model.clusters],
        ['user', model.users],
      ] as const) {
        const ref = context.fields[kind];
        if (!ref || ref.value === '' || map.has(ref.value)) continue;
        out.push(
          makeFinding('dangling-reference', at(scopeOf(context), ref.span), {
            context: context.name,
            kind,
            name: ref.value,
          }),
        );
      }
    }
  }
  const current = model.currentContext;
  if (current && !model.contexts.has(current.field.value)) {
    out.push(
      makeFinding(
        'missing-current-context',
        { file: current.file, span: current.field.span },
        { name: current.field.value },
      ),
    );
  }
  return out;
}

/** Findings and certificate reports of one cluster or user entry: what a hover on it needs. */
export function analyzeEntry(
  model: KubeconfigModel,
  entry: ClusterEntry | UserEntry,
  options: KubeconfigAuditOptions,
): EntryAnalysis {
  const ctx = checkContext(options);
  if (entry.kind === 'cluster') return reported(analyzeCluster(entry, options, ctx), options);
  // The cluster CAs are audited with their clusters; keep their validity out of the user's chain
  // findings. Decoding every cluster's CA is what a hover must not pay for on a 1,000-cluster
  // file, so that happens only when a chain finding about a date asks.
  const own = new Set<string>();
  let clusterCas: Set<string> | undefined;
  const audited: Audited = {
    add: (fingerprint) => own.add(fingerprint),
    has: (fingerprint) => {
      if (own.has(fingerprint)) return true;
      clusterCas ??= new Set(
        [...model.clusters.values()].flatMap((cluster) =>
          ownExpiryReported(certificatesOf(materialOf(cluster, 'ca', options.files)), options.now),
        ),
      );
      return clusterCas.has(fingerprint);
    },
  };
  return reported(analyzeUser(model, entry, options, ctx, audited), options);
}

/** Every finding and certificate report of a (merged) kubeconfig. */
export function analyzeKubeconfig(model: KubeconfigModel, options: KubeconfigAuditOptions): KubeconfigAudit {
  const ctx = checkContext(options);
  const findings: Finding[] = [];
  const certificates: CertificateReport[] = [];
  const audited = new Set<string>();
  for (const doc of model.documents) {
    findings.push(...doc.findings);
    for (const cluster of doc.clusters) {
      const analysis = analyzeCluster(cluster, options, ctx);
      findings.push(...analysis.findings);
      certificates.push(...analysis.certificates);
      for (const print of ownExpiryReported(
        analysis.certificates.map((r) => r.certificate),
        options.now,
      ))
        audited.add(print);
    }
  }
  for (const doc of model.documents) {
    for (const user of doc.users) {
      const analysis = analyzeUser(model, user, options, ctx, audited);
      findings.push(...analysis.findings);
      certificates.push(...analysis.certificates);
    }
  }
  findings.push(...referenceFindings(model));
  return reported({ findings, certificates }, options);
}

export function auditKubeconfig(model: KubeconfigModel, options: KubeconfigAuditOptions): Finding[] {
  return analyzeKubeconfig(model, options).findings;
}
