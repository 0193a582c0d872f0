// The generic registry behind the stored resources (genericregistry.Store + the REST strategies of
// resources.ts): create, update and delete with defaults, server-owned status, validation, the
// NamespaceLifecycle admission, and the two namespace controllers a certificate view relies on
// (the root CA publisher's kube-root-ca.crt in every namespace; deleting a namespace's contents).
import { randomBytes } from 'node:crypto';
import { ApiError, badRequest, invalid, notFound } from './errors';
import {
  CONFIGMAPS,
  NAMESPACES,
  OBJECT_RESOURCES,
  apiVersionOf,
  checkBytes,
  type ResourceDef,
} from './resources';
import { ObjectStore, objectKey, rfc3339, type Database } from './store';
import type { KubeObject } from './types';

export const ROOT_CA_CONFIGMAP = 'kube-root-ca.crt';
/** The description the root-ca-cert-publisher puts on every kube-root-ca.crt. */
const ROOT_CA_DESCRIPTION =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.';
const GENERATE_NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
/** Server-owned metadata a client cannot set. */
const SERVER_META = [
  'uid',
  'resourceVersion',
  'creationTimestamp',
  'deletionTimestamp',
  'generation',
  'selfLink',
];

export type Preconditions = { uid?: string; resourceVersion?: string } | undefined;

export class ObjectRegistry {
  private constructor(
    private readonly stores: ReadonlyMap<ResourceDef, ObjectStore<KubeObject>>,
    private readonly rootCaPem: string,
  ) {}

  /** Loads every resource of OBJECT_RESOURCES from the database. */
  static async open(db: Database, rootCaPem: string): Promise<ObjectRegistry> {
    const stores = new Map<ResourceDef, ObjectStore<KubeObject>>();
    for (const def of OBJECT_RESOURCES) stores.set(def, await ObjectStore.load<KubeObject>(db, def.ref));
    return new ObjectRegistry(stores, rootCaPem);
  }

  store(def: ResourceDef): ObjectStore<KubeObject> {
    return this.stores.get(def) as ObjectStore<KubeObject>;
  }

  keyOf(def: ResourceDef, namespace: string | undefined, name: string): string {
    return objectKey({ name, namespace: def.namespaced ? namespace : undefined });
  }

  get(def: ResourceDef, namespace: string | undefined, name: string): KubeObject {
    const obj = this.store(def).get(this.keyOf(def, namespace, name));
    if (!obj) throw notFound(def.ref, name);
    return obj;
  }

  async create(
    def: ResourceDef,
    body: unknown,
    namespace: string | undefined,
    now: Date,
    dryRun = false,
  ): Promise<KubeObject> {
    const obj = checkEnvelope(def, body);
    const meta = { ...(obj.metadata ?? {}) } as KubeObject['metadata'];
    if (def.namespaced) {
      if (meta.namespace && namespace && meta.namespace !== namespace)
        throw badRequest(
          'the namespace of the provided object does not match the namespace sent on the request',
        );
      meta.namespace = namespace ?? meta.namespace;
    } else {
      delete meta.namespace;
    }
    for (const field of SERVER_META) delete meta[field];
    if (!meta.name && meta.generateName) meta.name = this.freeName(def, meta.namespace, meta.generateName);
    meta.name ??= '';
    meta.creationTimestamp = rfc3339(now);
    const next: KubeObject = { ...obj, apiVersion: apiVersionOf(def), kind: def.ref.kind, metadata: meta };
    delete next.status;
    def.prepare?.(next);
    if (def.initialStatus) next.status = def.initialStatus(next);
    const errors = def.validate(next);
    if (def.namespaced && !meta.namespace)
      errors.push({ type: 'FieldValueRequired', field: 'metadata.namespace', detail: '' });
    if (errors.length) throw invalid(def.ref, meta.name, errors);
    if (def.namespaced) this.requireNamespace(meta.namespace as string);
    if (dryRun) return next;
    const created = await this.store(def).create(next, now);
    if (def === NAMESPACES) await this.publishRootCa(created.metadata.name, now);
    return created;
  }

  /**
   * Replaces the object at `key` by `incoming` (PUT, or a patch's result). `status` replaces only
   * the status; the main resource keeps a server-owned status.
   */
  async update(
    def: ResourceDef,
    key: string,
    incoming: KubeObject,
    subresource: 'main' | 'status',
    dryRun = false,
  ): Promise<KubeObject> {
    const obj = checkEnvelope(def, incoming);
    const expected = obj.metadata?.resourceVersion || undefined;
    const apply = (current: KubeObject): KubeObject => {
      let next: KubeObject;
      if (subresource === 'status') {
        next = { ...structuredClone(current), status: obj.status };
      } else {
        next = {
          ...obj,
          apiVersion: apiVersionOf(def),
          kind: def.ref.kind,
          metadata: {
            ...obj.metadata,
            name: current.metadata.name,
            ...(def.namespaced ? { namespace: current.metadata.namespace } : {}),
          },
        };
        if (!def.namespaced) delete next.metadata.namespace;
        for (const field of ['generation', 'deletionTimestamp', 'selfLink']) delete next.metadata[field];
        if (def.statusSubresource) next.status = current.status;
        def.prepare?.(next);
      }
      const errors = def.validateUpdate ? def.validateUpdate(next, current) : def.validate(next);
      if (errors.length) throw invalid(def.ref, current.metadata.name, errors);
      return next;
    };
    if (dryRun) {
      const current = this.store(def).get(key);
      if (!current) throw notFound(def.ref, key.slice(key.indexOf('/') + 1));
      return apply(current);
    }
    return this.store(def).update(key, expected, apply);
  }

  async delete(
    def: ResourceDef,
    key: string,
    preconditions: Preconditions,
    dryRun = false,
  ): Promise<KubeObject> {
    if (dryRun) {
      const current = this.store(def).get(key);
      if (!current) throw notFound(def.ref, key.slice(key.indexOf('/') + 1));
      return current;
    }
    const deleted = await this.store(def).delete(key, preconditions);
    // The namespace controller empties a deleted namespace (here at once, without Terminating).
    if (def === NAMESPACES) {
      for (const other of OBJECT_RESOURCES.filter((d) => d.namespaced)) {
        for (const obj of this.store(other).list()) {
          if (obj.metadata.namespace === deleted.metadata.name)
            await this.store(other)
              .delete(objectKey(obj.metadata))
              .catch(() => undefined);
        }
      }
    }
    return deleted;
  }

  /** The NamespaceLifecycle admission plugin: no objects in a namespace that does not exist. */
  private requireNamespace(namespace: string): void {
    if (!this.store(NAMESPACES).has(namespace)) throw notFound(NAMESPACES.ref, namespace);
  }

  /** The root-ca-cert-publisher: the cluster CA as kube-root-ca.crt in every new namespace. */
  private async publishRootCa(namespace: string, now: Date): Promise<void> {
    const key = objectKey({ namespace, name: ROOT_CA_CONFIGMAP });
    if (this.store(CONFIGMAPS).has(key)) return;
    await this.create(
      CONFIGMAPS,
      {
        metadata: {
          name: ROOT_CA_CONFIGMAP,
          annotations: { 'kubernetes.io/description': ROOT_CA_DESCRIPTION },
        },
        data: { 'ca.crt': this.rootCaPem },
      },
      namespace,
      now,
    );
  }

  private freeName(def: ResourceDef, namespace: string | undefined, prefix: string): string {
    for (;;) {
      const suffix = [...randomBytes(5)]
        .map((b) => GENERATE_NAME_ALPHABET[b % GENERATE_NAME_ALPHABET.length])
        .join('');
      if (!this.store(def).has(this.keyOf(def, namespace, prefix + suffix))) return prefix + suffix;
    }
  }
}

/** The body must be an object of this resource's kind and version, with decodable []byte fields. */
function checkEnvelope(def: ResourceDef, body: unknown): KubeObject {
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw badRequest('the body of the request was in an unknown format');
  const obj = body as KubeObject;
  const expected = apiVersionOf(def);
  if (obj.apiVersion !== undefined && obj.apiVersion !== expected)
    throw badRequest(
      `the API version in the data (${String(obj.apiVersion)}) does not match the expected API version (${expected})`,
    );
  if (obj.kind !== undefined && obj.kind !== def.ref.kind)
    throw badRequest(
      `the kind in the data (${String(obj.kind)}) does not match the expected kind (${def.ref.kind})`,
    );
  if (obj.metadata !== undefined && (typeof obj.metadata !== 'object' || Array.isArray(obj.metadata)))
    throw new ApiError(
      'BadRequest',
      `${def.ref.kind} in version "${def.version}" cannot be handled as a ${def.ref.kind}: metadata must be an object`,
    );
  checkBytes(def, obj);
  return obj;
}
