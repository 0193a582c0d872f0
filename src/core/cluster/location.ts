// Where a finding about a Kubernetes object points, for JSON, SARIF and the view: a stable
// reference `k8s://<context>/<namespace>/<kind>/<name>`, with `-` as the namespace of a
// cluster-scoped object (no namespace can be named `-`) and each part percent-encoded (context
// names such as EKS ARNs hold `/` and `:`). The same object in the same context always has the
// same reference, whatever its certificates or the time of the run.
import type { FindingLocation, ObjectLocation } from '../findings/finding';
import type { ObjectRef } from './objects';

export const OBJECT_URI_SCHEME = 'k8s://';
const CLUSTER_SCOPED = '-';

export function objectUri(context: string, ref: Pick<ObjectRef, 'kind' | 'namespace' | 'name'>): string {
  const parts = [context, ref.namespace ?? CLUSTER_SCOPED, ref.kind, ref.name];
  return OBJECT_URI_SCHEME + parts.map(encodeURIComponent).join('/');
}

/** The finding location of an object (its field, when the finding concerns one). */
export function objectLocation(
  context: string,
  ref: Pick<ObjectRef, 'kind' | 'namespace' | 'name'>,
  field?: string,
  cluster?: string,
): FindingLocation & { readonly object: ObjectLocation } {
  return {
    file: objectUri(context, ref),
    span: { start: 0, end: 0 },
    context,
    ...(cluster !== undefined ? { cluster } : {}),
    object: {
      kind: ref.kind,
      ...(ref.namespace !== undefined ? { namespace: ref.namespace } : {}),
      name: ref.name,
      ...(field !== undefined ? { field } : {}),
    },
  };
}

/** The object a reference names; undefined for anything else. */
export function parseObjectUri(
  uri: string,
): { context: string; ref: Pick<ObjectRef, 'kind' | 'namespace' | 'name'> } | undefined {
  if (!uri.startsWith(OBJECT_URI_SCHEME)) return undefined;
  const parts = uri.slice(OBJECT_URI_SCHEME.length).split('/');
  if (parts.length !== 4) return undefined;
  try {
    const [context, namespace, kind, name] = parts.map(decodeURIComponent);
    return {
      context,
      ref: { kind, ...(namespace !== CLUSTER_SCOPED ? { namespace } : {}), name },
    };
  } catch {
    return undefined;
  }
}
