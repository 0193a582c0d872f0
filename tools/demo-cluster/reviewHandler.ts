// SelfSubjectAccessReview (`kubectl auth can-i`), SelfSubjectRulesReview (`kubectl auth can-i
// --list`) and SelfSubjectReview (`kubectl auth whoami`).
import { authorize, rulesFor, type Attributes } from './authz';
import { badRequest } from './errors';
import { methodNotAllowed, readBody, send, type Call, type Handler } from './http';
import type { CsrStore } from './store';

export function selfSubjectAccessReviewHandler(csrs: CsrStore): Handler {
  return async (call: Call): Promise<void> => {
    if (call.verb !== 'create') throw methodNotAllowed();
    const body = (await readBody(call.req)) as { spec?: Record<string, Record<string, string> | undefined> };
    const spec = body?.spec ?? {};
    const resource = spec.resourceAttributes;
    const nonResource = spec.nonResourceAttributes;
    let attrs: Attributes;
    if (resource) {
      attrs = {
        verb: resource.verb ?? '',
        apiGroup: resource.group ?? '',
        resource: resource.resource ?? '',
        subresource: resource.subresource || undefined,
        name: resource.name || undefined,
        namespace: resource.namespace || undefined,
      };
    } else if (nonResource) {
      attrs = { verb: nonResource.verb ?? '', path: nonResource.path ?? '' };
    } else {
      throw badRequest(
        'SelfSubjectAccessReview: exactly one of nonResourceAttributes or resourceAttributes must be specified',
      );
    }
    const decision = authorize(call.user, attrs);
    let allowed = decision === 'allow';
    if (
      decision === 'own-objects-only' &&
      'resource' in attrs &&
      attrs.resource === 'certificatesigningrequests' &&
      attrs.name
    ) {
      allowed = csrs.get(attrs.name)?.spec.username === call.user.name;
    }
    return send(call.res, 201, {
      kind: 'SelfSubjectAccessReview',
      apiVersion: 'authorization.k8s.io/v1',
      metadata: { creationTimestamp: null },
      spec,
      status: { allowed, ...(allowed ? { reason: 'RBAC: allowed by the demo cluster policy' } : {}) },
    });
  };
}

export const selfSubjectReviewHandler: Handler = async (call) => {
  if (call.verb !== 'create') throw methodNotAllowed();
  return send(call.res, 201, {
    kind: 'SelfSubjectReview',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: { creationTimestamp: null },
    status: {
      userInfo: {
        username: call.user.name,
        ...(call.user.uid ? { uid: call.user.uid } : {}),
        groups: call.user.groups,
        ...(call.user.extra ? { extra: call.user.extra } : {}),
      },
    },
  });
};

export const selfSubjectRulesReviewHandler: Handler = async (call) => {
  if (call.verb !== 'create') throw methodNotAllowed();
  const body = (await readBody(call.req)) as { spec?: { namespace?: string } } | undefined;
  const namespace = body?.spec?.namespace ?? '';
  const rules = rulesFor(call.user, namespace);
  return send(call.res, 201, {
    kind: 'SelfSubjectRulesReview',
    apiVersion: 'authorization.k8s.io/v1',
    metadata: { creationTimestamp: null },
    spec: { namespace },
    status: {
      resourceRules: rules
        .filter((r) => r.resources)
        .map((r) => ({
          verbs: r.verbs,
          apiGroups: r.apiGroups ?? [],
          resources: r.resources ?? [],
          ...(r.resourceNames ? { resourceNames: r.resourceNames } : {}),
        })),
      nonResourceRules: rules
        .filter((r) => r.nonResourceURLs)
        .map((r) => ({ verbs: r.verbs, nonResourceURLs: r.nonResourceURLs })),
      incomplete: false,
    },
  });
};
