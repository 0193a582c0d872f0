// What to probe for a kubeconfig: each cluster's server as client-go reaches it (target, proxy-url)
// and what it trusts (certificate-authority-data wins over certificate-authority; neither → the
// system roots; insecure-skip-tls-verify → nothing is verified).
import { materialOf, type FileContents } from '../kubeconfig/material';
import type { ClusterEntry, Field, KubeconfigModel } from '../kubeconfig/model';
import type { Certificate } from '../x509/model';
import { probeTarget, type ProbeTarget } from './target';
import type { ProbeTrust } from './verdict';

export interface ClusterProbePlan {
  readonly cluster: ClusterEntry;
  readonly server: Field<string>;
  readonly target: ProbeTarget;
  readonly proxyUrl?: string;
  readonly trust: ProbeTrust;
}

export interface RootsInfo {
  /** The file the roots come from, shown in messages. */
  readonly file?: string;
  readonly certificates: readonly Certificate[];
}

function trustOf(cluster: ClusterEntry, files: FileContents | undefined, roots: RootsInfo): ProbeTrust {
  const insecure = cluster.fields['insecure-skip-tls-verify']?.value === true;
  const ca = materialOf(cluster, 'ca', files);
  if (ca) {
    return {
      anchors: ca.decoded?.certificates.map((d) => d.cert) ?? [],
      source: 'cluster-ca',
      label: ca.path ?? ca.field.key,
      ...(insecure ? { insecure } : {}),
    };
  }
  return {
    anchors: roots.certificates,
    source: 'system-roots',
    label: roots.file ?? 'system roots',
    ...(insecure ? { insecure } : {}),
  };
}

/** The clusters of `model` (optionally only those defined in `file`) that have an https server. */
export function planClusterProbes(
  model: KubeconfigModel,
  options: { readonly files?: FileContents; readonly roots: RootsInfo; readonly file?: string },
): ClusterProbePlan[] {
  const plans: ClusterProbePlan[] = [];
  for (const cluster of model.clusters.values()) {
    if (options.file !== undefined && cluster.file !== options.file) continue;
    const server = cluster.fields.server;
    if (!server || typeof server.value !== 'string' || server.value.trim() === '') continue;
    const target = probeTarget(server.value, cluster.fields['tls-server-name']?.value);
    if (!target.ok) continue;
    const proxyUrl = cluster.fields['proxy-url']?.value;
    plans.push({
      cluster,
      server,
      target: target.target,
      ...(proxyUrl ? { proxyUrl } : {}),
      trust: trustOf(cluster, options.files, options.roots),
    });
  }
  return plans;
}

/** Does `roots` matter for these clusters (some has no CA of its own)? Saves reading them otherwise. */
export function needsSystemRoots(model: KubeconfigModel, files?: FileContents): boolean {
  for (const cluster of model.clusters.values()) if (!materialOf(cluster, 'ca', files)) return true;
  return false;
}
