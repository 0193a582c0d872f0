// HTTP routing for the slice of the Kubernetes API the demo cluster serves: public health and
// version paths, authentication, discovery and OpenAPI, then authorization and one handler per
// resource (see http.ts for what they share).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { authenticate, type BootstrapToken } from './authn';
import { authorize, forbidden, type ResourceAttributes } from './authz';
import { csrHandler } from './csrHandler';
import { SERVER_VERSION, discoveryDocument } from './discovery';
import { ApiError, type ResourceRef } from './errors';
import {
  parseResourcePath,
  resourceNotFound,
  send,
  sendError,
  sendText,
  verbOf,
  type CallContext,
  type Handler,
  type ResourcePath,
} from './http';
import { eventHandler, nodeHandler } from './nodeHandler';
import { objectHandler } from './objectHandler';
import type { ObjectRegistry } from './objectRegistry';
import { openApiDocument, openApiIndex } from './openapi';
import { OBJECT_RESOURCES } from './resources';
import {
  selfSubjectAccessReviewHandler,
  selfSubjectReviewHandler,
  selfSubjectRulesReviewHandler,
} from './reviewHandler';
import { CSR_RESOURCE, type CsrStore } from './store';
import type { KubeNode } from './types';

export interface ApiDeps {
  readonly store: CsrStore;
  /** Namespaces, Secrets, ConfigMaps, webhook configurations, APIServices, CRDs. */
  readonly objects: ObjectRegistry;
  readonly nodes: readonly KubeNode[];
  readonly now: () => Date;
  readonly tokens: readonly BootstrapToken[];
  /** host:port clients use, for `/api`'s serverAddressByClientCIDRs. */
  readonly serverAddress: () => string;
  readonly log?: (line: string) => void;
}

const PUBLIC_PATHS = new Set(['/healthz', '/livez', '/readyz', '/version', '/version/']);
const HEALTH_PATHS = new Set(['/healthz', '/livez', '/readyz']);

export class ApiHandler {
  private readonly ctx: CallContext;
  /** `group/version/resource` (core: `version/resource`) → handler. */
  private readonly handlers: Readonly<Record<string, Handler>>;

  constructor(private readonly deps: ApiDeps) {
    this.ctx = { now: deps.now, watches: new Set() };
    const resourceVersion = () => deps.store.resourceVersion;
    this.handlers = {
      'certificates.k8s.io/v1/certificatesigningrequests': csrHandler(deps.store),
      'v1/nodes': nodeHandler(deps.nodes, resourceVersion),
      'v1/events': eventHandler(resourceVersion),
      'authorization.k8s.io/v1/selfsubjectaccessreviews': selfSubjectAccessReviewHandler(deps.store),
      'authorization.k8s.io/v1/selfsubjectrulesreviews': selfSubjectRulesReviewHandler,
      'authentication.k8s.io/v1/selfsubjectreviews': selfSubjectReviewHandler,
      ...Object.fromEntries(
        OBJECT_RESOURCES.map((def) => [
          `${def.ref.group ? def.ref.group + '/' : ''}${def.version}/${def.ref.resource}`,
          objectHandler(def, deps.objects),
        ]),
      ),
    };
  }

  readonly handle = (req: IncomingMessage, res: ServerResponse): void => {
    const started = Date.now();
    res.on('finish', () =>
      this.deps.log?.(`${req.method} ${req.url} ${res.statusCode} ${Date.now() - started}ms`),
    );
    this.dispatch(req, res).catch((err: unknown) => sendError(res, err, this.deps.log));
  };

  /** Ends every open watch stream (on shutdown). */
  closeWatches(): void {
    for (const res of this.ctx.watches) res.end();
    this.ctx.watches.clear();
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://localhost');
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') || '/' : url.pathname;
    if (PUBLIC_PATHS.has(url.pathname) && req.method === 'GET') {
      if (HEALTH_PATHS.has(path)) return sendText(res, 200, 'ok');
      return send(res, 200, SERVER_VERSION);
    }
    const user = authenticate(req, this.deps.tokens, this.deps.now());
    if (!user) throw new ApiError('Unauthorized', 'Unauthorized');

    const resourcePath = parseResourcePath(path);
    if (!resourcePath) {
      const attrs = { verb: req.method === 'GET' ? 'get' : (req.method ?? '').toLowerCase(), path };
      if (authorize(user, attrs) === 'deny') throw forbidden(user, attrs);
      const doc =
        req.method !== 'GET'
          ? undefined
          : path === '/openapi/v3'
            ? openApiIndex()
            : (openApiDocument(path) ?? discoveryDocument(path, this.deps.serverAddress()));
      if (doc === undefined) throw resourceNotFound();
      return send(res, 200, doc);
    }
    const handler =
      this.handlers[
        `${resourcePath.group ? resourcePath.group + '/' : ''}${resourcePath.version}/${resourcePath.resource}`
      ];
    if (!handler) throw resourceNotFound();
    const verb = verbOf(req.method ?? 'GET', resourcePath, url.searchParams);
    const attrs: ResourceAttributes = {
      verb,
      apiGroup: resourcePath.group,
      resource: resourcePath.resource,
      subresource: resourcePath.subresource,
      name: resourcePath.name,
      namespace: resourcePath.namespace,
    };
    const decision = authorize(user, attrs);
    if (decision === 'deny') throw forbidden(user, attrs, refOf(resourcePath), resourcePath.name);
    await handler({
      req,
      res,
      user,
      query: url.searchParams,
      path: resourcePath,
      verb,
      decision,
      ctx: this.ctx,
    });
  }
}

function refOf(path: ResourcePath): ResourceRef {
  if (path.resource === CSR_RESOURCE.resource) return CSR_RESOURCE;
  const def = OBJECT_RESOURCES.find((d) => d.ref.resource === path.resource && d.ref.group === path.group);
  return def?.ref ?? { resource: path.resource, group: path.group, kind: path.resource };
}
