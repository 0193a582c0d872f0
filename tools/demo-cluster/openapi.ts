// A small OpenAPI v3 description of the served operations. kubectl reads it to learn that the
// server validates fields itself (`fieldValidation` on PATCH); without it, `kubectl create`
// refuses to run ("failed to download openapi").
import { SERVED_APIS, type GroupVersion } from './discovery';

const gvPath = (gv: GroupVersion): string => (gv.group ? `apis/${gv.group}/${gv.version}` : 'api/v1');

export function openApiIndex(): unknown {
  return {
    paths: Object.fromEntries(
      SERVED_APIS.map((gv) => [gvPath(gv), { serverRelativeURL: `/openapi/v3/${gvPath(gv)}` }]),
    ),
  };
}

const QUERY = (name: string, description: string) => ({
  name,
  in: 'query',
  description,
  schema: { type: 'string', uniqueItems: true },
});
const WRITE_PARAMETERS = [
  QUERY('dryRun', 'When present, indicates that modifications should not be persisted. Valid value: All.'),
  QUERY('fieldManager', 'A name associated with the actor or entity that is making these changes.'),
  QUERY('fieldValidation', 'How the server handles unknown or duplicate fields: Ignore, Warn or Strict.'),
];

/** The document for one group/version, or undefined. */
export function openApiDocument(path: string): unknown {
  const gv = SERVED_APIS.find((g) => `/openapi/v3/${gvPath(g)}` === path);
  if (!gv) return undefined;
  const paths: Record<string, unknown> = {};
  for (const resource of gv.resources) {
    const gvk = { group: gv.group, version: gv.version, kind: resource.kind };
    const op = (action: string, parameters: unknown[] = []) => ({
      operationId: `${action}${resource.kind}`,
      parameters,
      responses: { '200': { description: 'OK' } },
      'x-kubernetes-action': action,
      'x-kubernetes-group-version-kind': gvk,
    });
    const base = `/${gvPath(gv)}/${resource.name.split('/')[0]}`;
    const verbs = new Set(resource.verbs);
    const collection: Record<string, unknown> = {};
    const item: Record<string, unknown> = {};
    if (verbs.has('list')) collection.get = op('list');
    if (verbs.has('create')) collection.post = op('post', WRITE_PARAMETERS);
    if (verbs.has('get')) item.get = op('get');
    if (verbs.has('update')) item.put = op('put', WRITE_PARAMETERS);
    if (verbs.has('patch')) item.patch = op('patch', WRITE_PARAMETERS);
    if (verbs.has('delete')) item.delete = op('delete', [WRITE_PARAMETERS[0]]);
    const sub = resource.name.split('/')[1];
    if (Object.keys(collection).length && !sub) paths[base] = collection;
    if (Object.keys(item).length) paths[sub ? `${base}/{name}/${sub}` : `${base}/{name}`] = item;
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes (kubecerts demo cluster)', version: 'v1.32.4' },
    paths,
    components: {},
  };
}
