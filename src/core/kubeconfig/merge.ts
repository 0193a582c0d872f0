// KUBECONFIG merge as client-go does it: files in order, the first file that defines a named
// entry (or sets current-context) wins; within one file a repeated name is an error
// (reported by the parser as duplicate-name), the first definition stands in for it here.
import type { ClusterEntry, ContextEntry, KubeconfigDocument, KubeconfigModel, UserEntry } from './model';

function firstByName<T extends { readonly name: string }>(lists: readonly (readonly T[])[]): Map<string, T> {
  const byName = new Map<string, T>();
  for (const list of lists)
    for (const entry of list) if (!byName.has(entry.name)) byName.set(entry.name, entry);
  return byName;
}

export function mergeKubeconfigs(documents: readonly KubeconfigDocument[]): KubeconfigModel {
  const current = documents.find((d) => d.currentContext !== undefined && d.currentContext.value !== '');
  return {
    documents,
    clusters: firstByName<ClusterEntry>(documents.map((d) => d.clusters)),
    users: firstByName<UserEntry>(documents.map((d) => d.users)),
    contexts: firstByName<ContextEntry>(documents.map((d) => d.contexts)),
    currentContext: current?.currentContext
      ? { file: current.file, field: current.currentContext }
      : undefined,
  };
}
