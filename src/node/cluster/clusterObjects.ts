// Reading the objects of the Cluster Certificates inventory from one context: every resource of
// core's CLUSTER_RESOURCES table, listed in pages (limit/continue, like kubectl's --chunk-size),
// each object read into a ClusterObject (src/core/cluster/objects) as soon as its page arrives, so
// no Secret value but the certificate fields outlives its page. Secrets are listed only with
// `type=kubernetes.io/tls` and only when `readSecrets` is set. A list RBAC forbids is an access
// problem of the inventory, not a failure; for Secrets across all namespaces, the namespaces the
// user may list Secrets in are read instead. Only a cluster that cannot be talked to at all
// (unreachable, credentials refused) fails the whole read.
import { readFileSync } from 'node:fs';
import type { AccessProblem, ClusterSnapshot, KubeconfigCa } from '../../core/cluster/snapshot';
import { readClusterObject, type ClusterObject } from '../../core/cluster/objects';
import {
  CLUSTER_RESOURCES,
  collectionPath,
  qualifiedResource,
  type ClusterResource,
} from '../../core/cluster/resources';
import { DIRECTORY, materialOf } from '../../core/kubeconfig/material';
import type { ClusterClient } from './client';
import { type ClusterError, toClusterError } from './errors';
import { readKubeconfigs, type KubeconfigLocation } from './kubeconfig';

/** kubectl's default --chunk-size. */
export const DEFAULT_PAGE_SIZE = 500;
/** Namespaces listed at once when falling back from a forbidden all-namespaces list. */
const NAMESPACE_PARALLEL = 4;

export type ObjectSource = Pick<ClusterClient, 'getJson'>;

export interface FetchOptions {
  /** One namespace (-n); undefined: all namespaces (-A). Cluster-scoped resources ignore it. */
  readonly namespace?: string;
  /** List kubernetes.io/tls Secrets (a setting in the view, always on in the CLI). */
  readonly readSecrets: boolean;
  readonly pageSize?: number;
  readonly signal?: AbortSignal;
}

/** One list that was read: where, and the version to watch from. */
export interface ListTarget {
  readonly resource: ClusterResource;
  readonly namespace?: string;
  readonly resourceVersion: string;
}

export interface FetchedObjects {
  readonly objects: ClusterObject[];
  readonly access: AccessProblem[];
  readonly targets: ListTarget[];
  /** Set when namespaced resources were read in these namespaces only (-n, or a fallback). */
  readonly namespaces?: readonly string[];
}

/** Errors after which nothing else can be read from this context either. */
const FATAL = new Set<ClusterError['kind']>(['unreachable', 'unauthorized', 'config', 'exec-refused']);

interface ListPage {
  items?: unknown[];
  metadata?: { continue?: string; resourceVersion?: string };
}

function listAction(resource: ClusterResource, namespace: string | undefined): string {
  const where = resource.namespaced
    ? namespace !== undefined
      ? ` in namespace ${namespace}`
      : ' in all namespaces'
    : '';
  return `list ${qualifiedResource(resource)}${where}`;
}

function permission(resource: ClusterResource, namespace: string | undefined): string {
  const where = resource.namespaced
    ? namespace !== undefined
      ? ` in namespace ${namespace}`
      : ' (cluster-wide)'
    : '';
  return `list on ${qualifiedResource(resource)}${where}`;
}

/** Lists one collection page by page; `onItem` sees each raw object once, then it is dropped. */
export async function listPaged(
  source: ObjectSource,
  path: string,
  query: Readonly<Record<string, string>>,
  options: { readonly pageSize?: number; readonly signal?: AbortSignal },
  onItem: (raw: unknown) => void,
): Promise<string> {
  let next = '';
  let resourceVersion = '';
  do {
    const params = new URLSearchParams({
      ...query,
      limit: String(options.pageSize ?? DEFAULT_PAGE_SIZE),
      ...(next ? { continue: next } : {}),
    });
    const page = (await source.getJson(`${path}?${params.toString()}`, options.signal)) as ListPage;
    for (const item of page.items ?? []) onItem(item);
    next = page.metadata?.continue ?? '';
    resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
  } while (next);
  return resourceVersion;
}

async function listResource(
  source: ObjectSource,
  resource: ClusterResource,
  namespace: string | undefined,
  options: FetchOptions,
  objects: ClusterObject[],
): Promise<ListTarget> {
  const scope = resource.namespace ?? namespace;
  const query: Record<string, string> = resource.fieldSelector
    ? { fieldSelector: resource.fieldSelector }
    : {};
  // Objects of a list are kept only once the whole list has come: a failed list adds nothing.
  const read: ClusterObject[] = [];
  const pageSize = Math.min(options.pageSize ?? DEFAULT_PAGE_SIZE, resource.pageSize ?? DEFAULT_PAGE_SIZE);
  const page = { ...options, pageSize };
  const resourceVersion = await listPaged(source, collectionPath(resource, scope), query, page, (raw) => {
    // Secret items carry the kind only in the list; the digest needs it on the item.
    const object = readClusterObject(withKind(raw, resource));
    if (object) read.push(object);
  });
  objects.push(...read);
  return { resource, ...(scope !== undefined ? { namespace: scope } : {}), resourceVersion };
}

/** List items come without apiVersion/kind: put the resource's back. */
export function withKind(raw: unknown, resource: ClusterResource): unknown {
  if (typeof raw !== 'object' || raw === null) return raw;
  return {
    ...raw,
    apiVersion: resource.group ? `${resource.group}/${resource.version}` : resource.version,
    kind: resource.kind,
  };
}

function accessProblem(
  error: ClusterError,
  resource: ClusterResource,
  namespace: string | undefined,
  readIn?: readonly string[],
): AccessProblem {
  return {
    resource: qualifiedResource(resource),
    verb: 'list',
    ...(namespace !== undefined ? { namespace } : {}),
    forbidden: error.kind === 'forbidden',
    message: error.message,
    missingPermissions: error.kind === 'forbidden' ? [permission(resource, namespace)] : [],
    ...(readIn ? { readIn } : {}),
  };
}

async function namespaceNames(source: ObjectSource, options: FetchOptions): Promise<string[]> {
  const names: string[] = [];
  await listPaged(source, '/api/v1/namespaces', {}, options, (raw) => {
    const name = (raw as { metadata?: { name?: unknown } }).metadata?.name;
    if (typeof name === 'string') names.push(name);
  });
  return names.sort();
}

/**
 * Secrets across all namespaces were forbidden: list them namespace by namespace where allowed.
 * Namespaces the user cannot list either (or whose list is forbidden) are named in the problem.
 */
async function secretsByNamespace(
  source: ObjectSource,
  resource: ClusterResource,
  denied: ClusterError,
  options: FetchOptions,
  fallback: string,
  out: FetchedObjects,
): Promise<void> {
  let candidates: string[];
  try {
    candidates = await namespaceNames(source, options);
  } catch (err) {
    const error = toClusterError(err, 'list namespaces');
    if (FATAL.has(error.kind)) throw error;
    candidates = [fallback];
  }
  const readIn: string[] = [];
  let index = 0;
  const worker = async (): Promise<void> => {
    while (index < candidates.length) {
      const namespace = candidates[index++];
      try {
        out.targets.push(await listResource(source, resource, namespace, options, out.objects));
        readIn.push(namespace);
      } catch (err) {
        const error = toClusterError(err, listAction(resource, namespace));
        if (FATAL.has(error.kind)) throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(NAMESPACE_PARALLEL, candidates.length) }, worker));
  out.access.push(accessProblem(denied, resource, undefined, readIn.sort()));
}

/**
 * Lists every resource of the inventory. `defaultNamespace` is the context's namespace, the
 * fallback when neither Secrets across namespaces nor the namespaces themselves may be listed.
 */
export async function fetchClusterObjects(
  source: ObjectSource,
  options: FetchOptions,
  defaultNamespace = 'default',
): Promise<FetchedObjects> {
  const out: FetchedObjects = {
    objects: [],
    access: [],
    targets: [],
    ...(options.namespace !== undefined ? { namespaces: [options.namespace] } : {}),
  };
  const resources = CLUSTER_RESOURCES.filter((r) => !r.secret || options.readSecrets);
  await Promise.all(
    resources.map(async (resource) => {
      const namespace = resource.namespaced ? options.namespace : undefined;
      try {
        out.targets.push(await listResource(source, resource, namespace, options, out.objects));
      } catch (err) {
        const error = toClusterError(err, listAction(resource, resource.namespace ?? namespace), [
          permission(resource, resource.namespace ?? namespace),
        ]);
        if (FATAL.has(error.kind) || options.signal?.aborted) throw error;
        if (error.kind === 'forbidden' && resource.secret && namespace === undefined)
          await secretsByNamespace(source, resource, error, options, defaultNamespace, out);
        else out.access.push(accessProblem(error, resource, resource.namespace ?? namespace));
      }
    }),
  );
  return out;
}

/** The context's namespace and its cluster's CA, as the merged kubeconfig defines them. */
export function contextDefaults(
  location: KubeconfigLocation,
  context: string,
): { namespace: string; cluster?: string; kubeconfigCa?: KubeconfigCa } {
  const merged = readKubeconfigs(location);
  const entry = merged.model.contexts.get(context);
  const namespace = entry?.fields.namespace?.value || 'default';
  const clusterName = entry?.fields.cluster?.value;
  const cluster = clusterName !== undefined ? merged.model.clusters.get(clusterName) : undefined;
  if (!cluster) return { namespace, ...(clusterName ? { cluster: clusterName } : {}) };
  const path = cluster.fields['certificate-authority']?.resolvedPath;
  const files = new Map<string, Uint8Array | null | typeof DIRECTORY>();
  if (path) {
    try {
      files.set(path, new Uint8Array(readFileSync(path)));
    } catch (err) {
      files.set(path, (err as NodeJS.ErrnoException).code === 'EISDIR' ? DIRECTORY : null);
    }
  }
  const certificates = materialOf(cluster, 'ca', files)?.decoded?.certificates.map((c) => c.cert) ?? [];
  return {
    namespace,
    cluster: cluster.name,
    ...(certificates.length
      ? { kubeconfigCa: { cluster: cluster.name, file: cluster.file, certificates } }
      : {}),
  };
}

export interface SnapshotOptions extends FetchOptions {
  readonly location: KubeconfigLocation;
  readonly context: string;
}

/** Reads one context into the inventory's input: objects, access problems and the kubeconfig CA. */
export async function fetchClusterSnapshot(
  source: ObjectSource,
  options: SnapshotOptions,
): Promise<ClusterSnapshot & { readonly targets: readonly ListTarget[] }> {
  const defaults = contextDefaults(options.location, options.context);
  const fetched = await fetchClusterObjects(source, options, defaults.namespace);
  return {
    context: options.context,
    ...(defaults.cluster !== undefined ? { cluster: defaults.cluster } : {}),
    objects: fetched.objects,
    access: fetched.access,
    ...(options.readSecrets ? {} : { secretsSkipped: true }),
    ...(fetched.namespaces ? { namespaces: fetched.namespaces } : {}),
    ...(defaults.kubeconfigCa ? { kubeconfigCa: defaults.kubeconfigCa } : {}),
    targets: fetched.targets,
  };
}
