// Authorization as data, after Kubernetes RBAC: bindings give subjects (users, groups) rules
// (verbs × API groups × resources × names, or non-resource paths). The roles mirror the
// ClusterRoles a kubeadm cluster has for the same people.
import { ApiError, qualifiedResource, type ResourceRef } from './errors';
import type { UserInfo } from './types';

export interface PolicyRule {
  readonly verbs: readonly string[];
  readonly apiGroups?: readonly string[];
  /** `resource` or `resource/subresource`; a lone star and star-slash-subresource match as in RBAC. */
  readonly resources?: readonly string[];
  readonly resourceNames?: readonly string[];
  /** Paths, with a trailing `*` as a prefix match. */
  readonly nonResourceURLs?: readonly string[];
  /**
   * Only objects the user requested itself (CSR `spec.username`): nodes and bootstrappers read
   * their own CSRs only. Real clusters grant this through the node authorizer, not RBAC.
   */
  readonly ownObjectsOnly?: boolean;
}

export interface Subject {
  readonly kind: 'User' | 'Group';
  readonly name: string;
}

export interface Binding {
  readonly name: string;
  readonly subjects: readonly Subject[];
  readonly rules: readonly PolicyRule[];
  /** A RoleBinding in each of these namespaces; absent = a ClusterRoleBinding. */
  readonly namespaces?: readonly string[];
}

const CSR_READ = ['get', 'list', 'watch'];
const CERTS = 'certificates.k8s.io';

export const VIEWER_GROUP = 'kubecerts:viewers';

/** A user who may read Secrets only in SECRET_READER_NAMESPACES: the 403-and-fall-back case. */
export const NAMESPACE_READER_USER = 'kubecerts-ns-reader';
export const SECRET_READER_NAMESPACES: readonly string[] = ['ingress-nginx', 'monitoring'];

/** Reading where clusters keep certificates, Secrets aside. */
const CERTIFICATE_OBJECTS_READ: readonly PolicyRule[] = [
  { verbs: CSR_READ, apiGroups: [''], resources: ['namespaces', 'configmaps'] },
  {
    verbs: CSR_READ,
    apiGroups: ['admissionregistration.k8s.io'],
    resources: ['validatingwebhookconfigurations', 'mutatingwebhookconfigurations'],
  },
  { verbs: CSR_READ, apiGroups: ['apiregistration.k8s.io'], resources: ['apiservices'] },
  { verbs: CSR_READ, apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'] },
];

export const BINDINGS: readonly Binding[] = [
  {
    name: 'cluster-admin',
    subjects: [
      { kind: 'Group', name: 'system:masters' },
      { kind: 'Group', name: 'kubeadm:cluster-admins' },
    ],
    rules: [
      { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
      { verbs: ['*'], nonResourceURLs: ['*'] },
    ],
  },
  {
    name: 'system:discovery+system:basic-user',
    subjects: [{ kind: 'Group', name: 'system:authenticated' }],
    rules: [
      {
        verbs: ['get'],
        nonResourceURLs: [
          '/api',
          '/api/*',
          '/apis',
          '/apis/*',
          '/version',
          '/version/',
          '/healthz',
          '/livez',
          '/readyz',
          '/openapi/*',
        ],
      },
      {
        verbs: ['create'],
        apiGroups: ['authorization.k8s.io'],
        resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'],
      },
      { verbs: ['create'], apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'] },
    ],
  },
  {
    name: 'kubecerts:view',
    subjects: [{ kind: 'Group', name: VIEWER_GROUP }],
    rules: [
      { verbs: CSR_READ, apiGroups: [CERTS], resources: ['certificatesigningrequests'] },
      { verbs: CSR_READ, apiGroups: [''], resources: ['nodes', 'events'] },
      ...CERTIFICATE_OBJECTS_READ,
    ],
  },
  {
    name: 'kubecerts:certificate-objects-view',
    subjects: [{ kind: 'User', name: NAMESPACE_READER_USER }],
    rules: CERTIFICATE_OBJECTS_READ,
  },
  {
    // RoleBindings of the same Role in a few namespaces: list/get/watch Secrets there, nowhere else.
    name: 'kubecerts:secret-reader',
    namespaces: SECRET_READER_NAMESPACES,
    subjects: [{ kind: 'User', name: NAMESPACE_READER_USER }],
    rules: [{ verbs: CSR_READ, apiGroups: [''], resources: ['secrets'] }],
  },
  {
    name: 'system:node-bootstrapper',
    subjects: [
      { kind: 'Group', name: 'system:bootstrappers' },
      { kind: 'Group', name: 'system:nodes' },
    ],
    rules: [
      { verbs: ['create'], apiGroups: [CERTS], resources: ['certificatesigningrequests'] },
      {
        verbs: CSR_READ,
        apiGroups: [CERTS],
        resources: ['certificatesigningrequests'],
        ownObjectsOnly: true,
      },
    ],
  },
  {
    name: 'system:node',
    subjects: [{ kind: 'Group', name: 'system:nodes' }],
    rules: [{ verbs: CSR_READ, apiGroups: [''], resources: ['nodes'] }],
  },
  {
    // kubeadm's binding that lets kube-controller-manager auto-approve TLS bootstrapping requests.
    name: 'kubeadm:node-autoapprove-bootstrap',
    subjects: [{ kind: 'Group', name: 'system:bootstrappers:kubeadm:default-node-token' }],
    rules: [{ verbs: ['create'], apiGroups: [CERTS], resources: ['certificatesigningrequests/nodeclient'] }],
  },
  {
    name: 'kubeadm:node-autoapprove-certificate-rotation',
    subjects: [{ kind: 'Group', name: 'system:nodes' }],
    rules: [
      { verbs: ['create'], apiGroups: [CERTS], resources: ['certificatesigningrequests/selfnodeclient'] },
    ],
  },
];

export interface ResourceAttributes {
  readonly verb: string;
  readonly apiGroup: string;
  readonly resource: string;
  readonly subresource?: string;
  readonly name?: string;
  /** Absent for cluster-scoped resources and for requests across all namespaces. */
  readonly namespace?: string;
}

export type Attributes = ResourceAttributes | { readonly verb: string; readonly path: string };

export type Decision = 'allow' | 'own-objects-only' | 'deny';

export function authorize(
  user: UserInfo,
  attrs: Attributes,
  bindings: readonly Binding[] = BINDINGS,
): Decision {
  let decision: Decision = 'deny';
  for (const binding of bindings) {
    if (
      !binding.subjects.some((s) => (s.kind === 'User' ? s.name === user.name : user.groups.includes(s.name)))
    )
      continue;
    if (
      binding.namespaces &&
      !('resource' in attrs && attrs.namespace && binding.namespaces.includes(attrs.namespace))
    )
      continue;
    for (const rule of binding.rules) {
      if (!ruleMatches(rule, attrs)) continue;
      if (!rule.ownObjectsOnly) return 'allow';
      decision = 'own-objects-only';
    }
  }
  return decision;
}

function ruleMatches(rule: PolicyRule, attrs: Attributes): boolean {
  if (!rule.verbs.includes('*') && !rule.verbs.includes(attrs.verb)) return false;
  if ('path' in attrs) {
    return (rule.nonResourceURLs ?? []).some(
      (p) => p === attrs.path || (p.endsWith('*') && attrs.path.startsWith(p.slice(0, -1))),
    );
  }
  if (!rule.resources || !rule.apiGroups) return false;
  if (!rule.apiGroups.includes('*') && !rule.apiGroups.includes(attrs.apiGroup)) return false;
  const full = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource;
  const resourceOk = rule.resources.some(
    (r) => r === '*' || r === full || (attrs.subresource !== undefined && r === `*/${attrs.subresource}`),
  );
  if (!resourceOk) return false;
  return !rule.resourceNames?.length || (attrs.name !== undefined && rule.resourceNames.includes(attrs.name));
}

/**
 * What a SelfSubjectRulesReview lists: the rules of the user's ClusterRoleBindings and of its
 * RoleBindings in `namespace` (the node authorizer's own-objects rules are not RBAC: left out).
 */
export function rulesFor(
  user: UserInfo,
  namespace: string,
  bindings: readonly Binding[] = BINDINGS,
): PolicyRule[] {
  return bindings
    .filter((b) =>
      b.subjects.some((s) => (s.kind === 'User' ? s.name === user.name : user.groups.includes(s.name))),
    )
    .filter((b) => !b.namespaces || b.namespaces.includes(namespace))
    .flatMap((b) => b.rules)
    .filter((r) => !r.ownObjectsOnly);
}

/** The 403 for an RBAC denial, worded as the API server words it. */
export function forbidden(user: UserInfo, attrs: Attributes, ref?: ResourceRef, name?: string): ApiError {
  if ('path' in attrs) {
    return new ApiError(
      'Forbidden',
      `forbidden: User "${user.name}" cannot ${attrs.verb} path "${attrs.path}"`,
      {},
    );
  }
  const resource = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource;
  const scope = attrs.namespace ? `in the namespace "${attrs.namespace}"` : 'at the cluster scope';
  const why = `User "${user.name}" cannot ${attrs.verb} resource "${resource}" in API group "${attrs.apiGroup}" ${scope}`;
  const target = ref ?? { resource: attrs.resource, group: attrs.apiGroup, kind: attrs.resource };
  return forbiddenWith(target, name, why);
}

export function forbiddenWith(ref: ResourceRef, name: string | undefined, why: string): ApiError {
  const subject = qualifiedResource(ref);
  const message = name ? `${subject} "${name}" is forbidden: ${why}` : `${subject} is forbidden: ${why}`;
  return new ApiError('Forbidden', message, {
    ...(name ? { name } : {}),
    group: ref.group,
    kind: ref.resource,
  });
}

/** A signer permission (`approve`, `sign`) for a signer name or its `domain/*` wildcard, as upstream checks it. */
export function authorizedForSigner(user: UserInfo, verb: 'approve' | 'sign', signerName: string): boolean {
  const domainWildcard = `${signerName.split('/')[0]}/*`;
  return [signerName, domainWildcard].some(
    (name) => authorize(user, { verb, apiGroup: CERTS, resource: 'signers', name }) === 'allow',
  );
}
