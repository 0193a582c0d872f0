// The HTTP handler of every stored resource of resources.ts (Namespaces, Secrets, ConfigMaps,
// webhook configurations, APIServices, CRDs): get, list and watch in a namespace or across all,
// with field and label selectors and limit/continue; create, update, patch, delete.
import { badRequest, type ResourceRef } from './errors';
import {
  methodNotAllowed,
  readBody,
  resourceNotFound,
  send,
  sendList,
  sendObject,
  watchStore,
  type Call,
  type Handler,
} from './http';
import type { ObjectRegistry, Preconditions } from './objectRegistry';
import { applyPatch } from './patch';
import { apiVersionOf, type ResourceDef } from './resources';
import { fieldsMatch, labelsMatch, parseFieldSelector, parseLabelSelector } from './selectors';
import { objectKey } from './store';
import type { KubeObject } from './types';

export function objectHandler(def: ResourceDef, registry: ObjectRegistry): Handler {
  const store = registry.store(def);
  return async (call: Call): Promise<void> => {
    const { path, query, verb, res } = call;
    const subresource = path.subresource ?? 'main';
    if (subresource !== 'main' && !(subresource === 'status' && def.statusSubresource))
      throw resourceNotFound();
    if (subresource === 'status' && !['get', 'update', 'patch'].includes(verb)) throw methodNotAllowed();
    // A namespaced resource asked for across namespaces has no namespace; a cluster-scoped one ignores it.
    const namespace = def.namespaced ? path.namespace : undefined;
    if (def.namespaced && !namespace && path.name) throw resourceNotFound();
    const dryRun = query.getAll('dryRun').includes('All');

    switch (verb) {
      case 'get':
        return sendObject(call, def.printer, registry.get(def, namespace, path.name as string));
      case 'list':
      case 'watch': {
        const matches = objectFilter(def, query, namespace);
        if (verb === 'watch') return watchStore(call, def.printer, store, matches);
        return sendList(
          call,
          def.printer,
          `${def.ref.kind}List`,
          apiVersionOf(def),
          store.list().filter(matches),
          store.resourceVersion,
        );
      }
      case 'create': {
        if (path.name) throw methodNotAllowed();
        const created = await registry.create(
          def,
          await readBody(call.req),
          namespace,
          call.ctx.now(),
          dryRun,
        );
        return send(res, 201, created);
      }
      case 'update':
      case 'patch': {
        const name = path.name as string;
        const key = registry.keyOf(def, namespace, name);
        let incoming: KubeObject;
        if (verb === 'update') {
          incoming = (await readBody(call.req)) as KubeObject;
        } else {
          const current = registry.get(def, namespace, name);
          incoming = applyPatch(
            call.req.headers['content-type'] ?? '',
            structuredClone(current),
            await readBody(call.req, true),
          ) as KubeObject;
          // A patch without a resourceVersion applies to whatever is current.
          if (incoming?.metadata?.resourceVersion === current.metadata.resourceVersion)
            incoming = { ...incoming, metadata: { ...incoming.metadata, resourceVersion: '' } };
        }
        const bodyName = incoming?.metadata?.name;
        if (bodyName !== undefined && bodyName !== name)
          throw badRequest(
            `the name of the object (${bodyName}) does not match the name on the URL (${name})`,
          );
        const bodyNamespace = incoming?.metadata?.namespace;
        if (def.namespaced && bodyNamespace && bodyNamespace !== namespace)
          throw badRequest(
            'the namespace of the provided object does not match the namespace sent on the request',
          );
        const updated = await registry.update(def, key, incoming, subresource as 'main' | 'status', dryRun);
        return send(res, 200, updated);
      }
      case 'delete': {
        const key = registry.keyOf(def, namespace, path.name as string);
        const options = (await readBody(call.req, false, true)) as
          { preconditions?: Preconditions } | undefined;
        const deleted = await registry.delete(def, key, options?.preconditions, dryRun);
        return send(res, 200, successStatus(def.ref, deleted));
      }
      case 'deletecollection': {
        for (const obj of store.list().filter(objectFilter(def, query, namespace))) {
          await registry.delete(def, objectKey(obj.metadata), undefined, dryRun).catch(() => undefined);
        }
        return send(res, 200, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success' });
      }
      default:
        throw methodNotAllowed();
    }
  };
}

/** The namespace of the request, then the field and label selectors. */
function objectFilter(
  def: ResourceDef,
  query: URLSearchParams,
  namespace: string | undefined,
): (obj: KubeObject) => boolean {
  const fields = parseFieldSelector(query.get('fieldSelector') ?? '', def.fieldLabels);
  const labels = parseLabelSelector(query.get('labelSelector') ?? '');
  return (obj) =>
    (!namespace || obj.metadata.namespace === namespace) &&
    fieldsMatch(fields, {
      'metadata.name': obj.metadata.name,
      'metadata.namespace': obj.metadata.namespace ?? '',
      ...def.fields?.(obj),
    }) &&
    labelsMatch(labels, obj.metadata.labels);
}

function successStatus(ref: ResourceRef, obj: KubeObject) {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    details: { name: obj.metadata.name, group: ref.group, kind: ref.resource, uid: obj.metadata.uid },
  };
}
