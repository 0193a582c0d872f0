// The API resources that hold certificates, and the inventory group each one feeds. The fetcher
// lists exactly these (src/node/cluster/clusterObjects.ts); the view and the CLI show the groups in
// this order. Secrets are listed only with the field selector `type=kubernetes.io/tls`, and only
// when the user allows it: no other Secret ever leaves the API server.

export type GroupId =
  | 'tls-secrets'
  | 'validating-webhooks'
  | 'mutating-webhooks'
  | 'api-services'
  | 'crd-conversion'
  | 'cluster-ca';

export const GROUP_IDS: readonly GroupId[] = [
  'tls-secrets',
  'validating-webhooks',
  'mutating-webhooks',
  'api-services',
  'crd-conversion',
  'cluster-ca',
];

export interface ClusterResource {
  /** Plural resource name, as RBAC and `kubectl auth can-i` name it. */
  readonly resource: string;
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly namespaced: boolean;
  readonly groupId: GroupId;
  /** Only this namespace (cluster-info lives in kube-public), whatever the scope asked for. */
  readonly namespace?: string;
  readonly fieldSelector?: string;
  /** Listed only when the user allows reading Secrets. */
  readonly secret?: boolean;
  /** Items per page when smaller than the default: CRDs carry their whole schema (often 100s of KB). */
  readonly pageSize?: number;
}

export const SECRET_FIELD_SELECTOR = 'type=kubernetes.io/tls';

export const CLUSTER_RESOURCES: readonly ClusterResource[] = [
  {
    resource: 'secrets',
    group: '',
    version: 'v1',
    kind: 'Secret',
    namespaced: true,
    groupId: 'tls-secrets',
    fieldSelector: SECRET_FIELD_SELECTOR,
    secret: true,
  },
  {
    resource: 'validatingwebhookconfigurations',
    group: 'admissionregistration.k8s.io',
    version: 'v1',
    kind: 'ValidatingWebhookConfiguration',
    namespaced: false,
    groupId: 'validating-webhooks',
  },
  {
    resource: 'mutatingwebhookconfigurations',
    group: 'admissionregistration.k8s.io',
    version: 'v1',
    kind: 'MutatingWebhookConfiguration',
    namespaced: false,
    groupId: 'mutating-webhooks',
  },
  {
    resource: 'apiservices',
    group: 'apiregistration.k8s.io',
    version: 'v1',
    kind: 'APIService',
    namespaced: false,
    groupId: 'api-services',
  },
  {
    resource: 'customresourcedefinitions',
    group: 'apiextensions.k8s.io',
    version: 'v1',
    kind: 'CustomResourceDefinition',
    namespaced: false,
    groupId: 'crd-conversion',
    pageSize: 50,
  },
  {
    resource: 'configmaps',
    group: '',
    version: 'v1',
    kind: 'ConfigMap',
    namespaced: true,
    groupId: 'cluster-ca',
    namespace: 'kube-public',
    fieldSelector: 'metadata.name=cluster-info',
  },
  {
    resource: 'configmaps',
    group: '',
    version: 'v1',
    kind: 'ConfigMap',
    namespaced: true,
    groupId: 'cluster-ca',
    fieldSelector: 'metadata.name=kube-root-ca.crt',
  },
];

/** `secrets`, `apiservices.apiregistration.k8s.io`: the resource as RBAC messages name it. */
export function qualifiedResource(resource: Pick<ClusterResource, 'resource' | 'group'>): string {
  return resource.group ? `${resource.resource}.${resource.group}` : resource.resource;
}

/** The collection path of a resource, in one namespace or across all (namespace undefined). */
export function collectionPath(resource: ClusterResource, namespace: string | undefined): string {
  const base = resource.group ? `/apis/${resource.group}/${resource.version}` : `/api/${resource.version}`;
  const ns =
    resource.namespaced && namespace !== undefined ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${base}${ns}/${resource.resource}`;
}

/** The path of one object. */
export function objectPath(resource: ClusterResource, namespace: string | undefined, name: string): string {
  return `${collectionPath(resource, namespace)}/${encodeURIComponent(name)}`;
}
