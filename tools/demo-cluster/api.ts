// HTTP routing for the slice of the Kubernetes API the demo cluster serves: authentication,
// authorization, content negotiation (JSON, server-side Table), list options and watch streams.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { authenticate, type BootstrapToken } from './authn';
import { authorize, forbidden, type Attributes, type Decision, type ResourceAttributes } from './authz';
import {
  applyUpdate,
  checkKind,
  checkNameMatches,
  createCsr,
  unknownFields,
  type CsrSubresource,
} from './csrApi';
import { discoveryDocument } from './discovery';
import { SERVER_VERSION } from './discovery';
import { ApiError, badRequest, notFound, type ResourceRef } from './errors';
import { openApiDocument, openApiIndex } from './openapi';
import { applyPatch } from './patch';
import { PROTOBUF_CONTENT_TYPE, decodeProtobuf } from './protobuf';
import { fieldsMatch, labelsMatch, parseFieldSelector, parseLabelSelector } from './selectors';
import { CSR_RESOURCE, TooOldResourceVersionError, type CsrStore, type WatchEventType } from './store';
import { CSR_TABLE, NODE_TABLE, toTable, type IncludeObject, type TablePrinter } from './table';
import type { Csr, KubeNode, ObjectMeta, UserInfo } from './types';

export interface ApiDeps {
  readonly store: CsrStore;
  readonly nodes: readonly KubeNode[];
  readonly now: () => Date;
  readonly tokens: readonly BootstrapToken[];
  /** host:port clients use, for `/api`'s serverAddressByClientCIDRs. */
  readonly serverAddress: () => string;
  readonly log?: (line: string) => void;
}

const NODE_RESOURCE: ResourceRef = { resource: 'nodes', group: '', kind: 'Node' };
const PUBLIC_PATHS = new Set(['/healthz', '/livez', '/readyz', '/version', '/version/']);
const HEALTH_PATHS = new Set(['/healthz', '/livez', '/readyz']);
const BODY_TYPES = ['application/json', 'application/yaml', 'application/x-yaml', PROTOBUF_CONTENT_TYPE];
const MAX_BODY_BYTES = 3 * 1024 * 1024;
const CSR_FIELDS = ['metadata.name', 'spec.signerName'];
const NODE_FIELDS = ['metadata.name'];

/** A parsed resource path: /api/v1/…, /apis/<group>/<version>/… */
interface ResourcePath {
  readonly group: string;
  readonly version: string;
  readonly namespace?: string;
  readonly resource: string;
  readonly name?: string;
  readonly subresource?: string;
}

interface Call {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly user: UserInfo;
  readonly query: URLSearchParams;
  readonly path: ResourcePath;
  readonly verb: string;
  readonly decision: Decision;
}

type Handler = (call: Call) => Promise<void>;

export class ApiHandler {
  private readonly watches = new Set<ServerResponse>();
  private readonly handlers: Readonly<Record<string, Handler>> = {
    'certificates.k8s.io/v1/certificatesigningrequests': (call) => this.csrs(call),
    'v1/nodes': (call) => this.nodes(call),
    'v1/events': (call) => this.events(call),
    'authorization.k8s.io/v1/selfsubjectaccessreviews': (call) => this.selfSubjectAccessReview(call),
    'authentication.k8s.io/v1/selfsubjectreviews': (call) => this.selfSubjectReview(call),
  };

  constructor(private readonly deps: ApiDeps) {}

  readonly handle = (req: IncomingMessage, res: ServerResponse): void => {
    const started = Date.now();
    res.on('finish', () =>
      this.deps.log?.(`${req.method} ${req.url} ${res.statusCode} ${Date.now() - started}ms`),
    );
    this.dispatch(req, res).catch((err: unknown) => this.sendError(res, err));
  };

  /** Ends every open watch stream (on shutdown). */
  closeWatches(): void {
    for (const res of this.watches) res.end();
    this.watches.clear();
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://localhost');
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') || '/' : url.pathname;
    if (PUBLIC_PATHS.has(url.pathname) && req.method === 'GET') {
      if (HEALTH_PATHS.has(path)) return this.sendText(res, 200, 'ok');
      return this.send(res, 200, SERVER_VERSION);
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
      if (doc === undefined)
        throw new ApiError('NotFound', 'the server could not find the requested resource', {});
      return this.send(res, 200, doc);
    }
    const handler =
      this.handlers[
        `${resourcePath.group ? resourcePath.group + '/' : ''}${resourcePath.version}/${resourcePath.resource}`
      ];
    if (!handler) throw new ApiError('NotFound', 'the server could not find the requested resource', {});
    const verb = verbOf(req.method ?? 'GET', resourcePath, url.searchParams);
    const attrs: ResourceAttributes = {
      verb,
      apiGroup: resourcePath.group,
      resource: resourcePath.resource,
      subresource: resourcePath.subresource,
      name: resourcePath.name,
    };
    const decision = authorize(user, attrs);
    if (decision === 'deny') throw forbidden(user, attrs, refOf(resourcePath), resourcePath.name);
    await handler({ req, res, user, query: url.searchParams, path: resourcePath, verb, decision });
  }

  // --- certificatesigningrequests -------------------------------------------------------------

  private async csrs(call: Call): Promise<void> {
    const { store, now } = this.deps;
    const { path, query, user, verb, res } = call;
    const subresource = (path.subresource ?? 'main') as CsrSubresource;
    if (!['main', 'status', 'approval'].includes(subresource)) {
      throw new ApiError('NotFound', 'the server could not find the requested resource', {});
    }
    const own = (csr: Csr): boolean => call.decision === 'allow' || csr.spec.username === user.name;
    const dryRun = query.getAll('dryRun').includes('All');
    const readOwned = (name: string): Csr => {
      const csr = store.get(name);
      if (!csr) throw notFound(CSR_RESOURCE, name);
      if (!own(csr)) throw forbidden(user, attrsOf(call), CSR_RESOURCE, name);
      return csr;
    };

    switch (verb) {
      case 'get':
        return this.sendObject(call, CSR_TABLE, readOwned(path.name as string));
      case 'list':
      case 'watch': {
        const matches = csrFilter(query, own);
        if (verb === 'watch') return this.watch(call, CSR_TABLE, matches);
        return this.sendList(
          call,
          CSR_TABLE,
          'CertificateSigningRequestList',
          'certificates.k8s.io/v1',
          store.list().filter(matches),
          store.resourceVersion,
        );
      }
      case 'create': {
        if (path.name)
          throw new ApiError(
            'MethodNotAllowed',
            'the server does not allow this method on the requested resource',
          );
        const created = await createCsr(
          store,
          user,
          checkFields(call, await readBody(call.req)),
          now(),
          dryRun,
        );
        return this.send(res, 201, created);
      }
      case 'update':
      case 'patch': {
        const name = path.name as string;
        let incoming: Partial<Csr>;
        if (verb === 'update') {
          incoming = checkKind(checkFields(call, await readBody(call.req)));
        } else {
          const current = readOwned(name);
          const patched = applyPatch(
            call.req.headers['content-type'] ?? '',
            structuredClone(current),
            await readBody(call.req, true),
          );
          incoming = checkKind(checkFields(call, patched));
          // A patch without a resourceVersion applies to whatever is current.
          if (incoming.metadata?.resourceVersion === current.metadata.resourceVersion) {
            incoming = {
              ...incoming,
              metadata: { ...(incoming.metadata as ObjectMeta), resourceVersion: '' },
            };
          }
        }
        checkNameMatches(incoming, name);
        const expected = incoming.metadata?.resourceVersion || undefined;
        let result: Csr;
        if (dryRun) {
          result = applyUpdate(subresource, readOwned(name), incoming, user, now());
        } else {
          result = await store.update(name, expected, (current) => {
            if (!own(current)) throw forbidden(user, attrsOf(call), CSR_RESOURCE, name);
            return applyUpdate(subresource, current, incoming, user, now());
          });
        }
        return this.send(res, 200, result);
      }
      case 'delete': {
        const name = path.name as string;
        readOwned(name);
        const options = (await readBody(call.req, false, true)) as
          { preconditions?: { uid?: string; resourceVersion?: string } } | undefined;
        const deleted = dryRun ? readOwned(name) : await store.delete(name, options?.preconditions);
        return this.send(res, 200, successStatus(deleted));
      }
      case 'deletecollection': {
        const matches = csrFilter(query, own);
        for (const csr of store.list().filter(matches)) {
          if (!dryRun) await store.delete(csr.metadata.name).catch(() => undefined);
        }
        return this.send(res, 200, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success' });
      }
      default:
        throw new ApiError(
          'MethodNotAllowed',
          'the server does not allow this method on the requested resource',
        );
    }
  }

  // --- nodes, events -----------------------------------------------------------------------------

  private async nodes(call: Call): Promise<void> {
    const { path, verb, query } = call;
    if (path.subresource)
      throw new ApiError('NotFound', 'the server could not find the requested resource', {});
    const fields = parseFieldSelector(query.get('fieldSelector') ?? '', NODE_FIELDS);
    const labels = parseLabelSelector(query.get('labelSelector') ?? '');
    const matches = (node: KubeNode) =>
      fieldsMatch(fields, { 'metadata.name': node.metadata.name }) &&
      labelsMatch(labels, node.metadata.labels);
    switch (verb) {
      case 'get': {
        const node = this.deps.nodes.find((n) => n.metadata.name === path.name);
        if (!node) throw notFound(NODE_RESOURCE, path.name as string);
        return this.sendObject(call, NODE_TABLE, node);
      }
      case 'list':
        return this.sendList(
          call,
          NODE_TABLE,
          'NodeList',
          'v1',
          this.deps.nodes.filter(matches),
          this.deps.store.resourceVersion,
        );
      case 'watch':
        return this.watchStatic(call, NODE_TABLE, this.deps.nodes.filter(matches));
      default:
        throw new ApiError(
          'MethodNotAllowed',
          'the server does not allow this method on the requested resource',
        );
    }
  }

  /** The demo cluster records no events; describe asks for them. */
  private async events(call: Call): Promise<void> {
    if (call.verb !== 'list')
      throw new ApiError(
        'MethodNotAllowed',
        'the server does not allow this method on the requested resource',
      );
    return this.send(call.res, 200, {
      kind: 'EventList',
      apiVersion: 'v1',
      metadata: { resourceVersion: String(this.deps.store.resourceVersion) },
      items: [],
    });
  }

  // --- self reviews ------------------------------------------------------------------------------

  private async selfSubjectAccessReview(call: Call): Promise<void> {
    if (call.verb !== 'create')
      throw new ApiError(
        'MethodNotAllowed',
        'the server does not allow this method on the requested resource',
      );
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
      allowed = this.deps.store.get(attrs.name)?.spec.username === call.user.name;
    }
    return this.send(call.res, 201, {
      kind: 'SelfSubjectAccessReview',
      apiVersion: 'authorization.k8s.io/v1',
      metadata: { creationTimestamp: null },
      spec,
      status: { allowed, ...(allowed ? { reason: 'RBAC: allowed by the demo cluster policy' } : {}) },
    });
  }

  private async selfSubjectReview(call: Call): Promise<void> {
    if (call.verb !== 'create')
      throw new ApiError(
        'MethodNotAllowed',
        'the server does not allow this method on the requested resource',
      );
    return this.send(call.res, 201, {
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
  }

  // --- output ------------------------------------------------------------------------------------

  private sendObject<T extends { metadata: ObjectMeta }>(call: Call, printer: TablePrinter<T>, obj: T): void {
    const table = tableVersion(call.req);
    if (!table) return this.send(call.res, 200, obj);
    const result = toTable(printer, [obj], this.deps.now(), includeObject(call.query), {
      resourceVersion: obj.metadata.resourceVersion,
    });
    return this.send(call.res, 200, { ...result, apiVersion: `meta.k8s.io/${table}` });
  }

  private sendList<T extends { metadata: ObjectMeta }>(
    call: Call,
    printer: TablePrinter<T>,
    kind: string,
    apiVersion: string,
    all: readonly T[],
    resourceVersion: number,
  ): void {
    const { items, meta } = paginate(all, call.query, resourceVersion);
    const table = tableVersion(call.req);
    if (table) {
      const result = toTable(printer, items, this.deps.now(), includeObject(call.query), meta);
      return this.send(call.res, 200, { ...result, apiVersion: `meta.k8s.io/${table}` });
    }
    return this.send(call.res, 200, { kind, apiVersion, metadata: meta, items });
  }

  private watch(call: Call, printer: TablePrinter<Csr>, matches: (csr: Csr) => boolean): void {
    const { store } = this.deps;
    const stream = this.openStream(call, printer);
    const from = call.query.get('resourceVersion');
    let since: number;
    if (!from || from === '0' || call.query.get('sendInitialEvents') === 'true') {
      for (const csr of store.list()) if (matches(csr)) stream.send('ADDED', csr);
      since = store.resourceVersion;
    } else {
      since = Number(from);
      if (!Number.isInteger(since)) throw badRequest(`invalid resource version: ${from}`);
    }
    try {
      const unsubscribe = store.watch(since, (event) => {
        if (matches(event.object)) stream.send(event.type, event.object);
      });
      call.res.on('close', unsubscribe);
    } catch (err) {
      if (!(err instanceof TooOldResourceVersionError)) throw err;
      stream.error(new ApiError('Expired', err.message));
    }
  }

  private watchStatic(call: Call, printer: TablePrinter<KubeNode>, items: readonly KubeNode[]): void {
    const stream = this.openStream(call, printer);
    const from = call.query.get('resourceVersion');
    if (!from || from === '0') for (const item of items) stream.send('ADDED', item);
  }

  private openStream<T extends { metadata: ObjectMeta }>(call: Call, printer: TablePrinter<T>) {
    const { res, req, query } = call;
    const table = tableVersion(req);
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
    res.flushHeaders();
    this.watches.add(res);
    const timeout = Number(query.get('timeoutSeconds'));
    const timer = timeout > 0 ? setTimeout(() => res.end(), timeout * 1000) : undefined;
    res.on('close', () => {
      if (timer) clearTimeout(timer);
      this.watches.delete(res);
    });
    let first = true;
    const write = (type: string, object: unknown) => {
      if (!res.writableEnded) res.write(JSON.stringify({ type, object }) + '\n');
    };
    return {
      send: (type: WatchEventType, obj: T) => {
        if (!table) return write(type, obj);
        // Like the API server, only the first event carries column definitions (kubectl reuses them).
        const converted = toTable(
          printer,
          [obj],
          this.deps.now(),
          includeObject(query),
          { resourceVersion: obj.metadata.resourceVersion },
          first,
        );
        first = false;
        write(type, { ...converted, apiVersion: `meta.k8s.io/${table}` });
      },
      error: (err: ApiError) => {
        write('ERROR', err.toStatus());
        res.end();
      },
    };
  }

  private send(res: ServerResponse, code: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(code, {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(text),
      'Cache-Control': 'no-cache, private',
    });
    res.end(text);
  }

  private sendText(res: ServerResponse, code: number, text: string): void {
    res.writeHead(code, {
      'Content-Type': 'text/plain; charset=utf-8',
      'Content-Length': Buffer.byteLength(text),
    });
    res.end(text);
  }

  private sendError(res: ServerResponse, err: unknown): void {
    const apiError =
      err instanceof ApiError
        ? err
        : new ApiError('InternalError', `Internal error occurred: ${(err as Error)?.message ?? String(err)}`);
    if (!(err instanceof ApiError))
      this.deps.log?.(`internal error: ${(err as Error)?.stack ?? String(err)}`);
    if (res.headersSent) {
      res.end();
      return;
    }
    this.send(res, apiError.code, apiError.toStatus());
  }
}

function parseResourcePath(path: string): ResourcePath | undefined {
  const parts = path.split('/').filter(Boolean);
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 3) {
    [group, version, rest] = ['', parts[1], parts.slice(2)];
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    [group, version, rest] = [parts[1], parts[2], parts.slice(3)];
  } else {
    return undefined;
  }
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [resource, name, subresource, ...extra] = rest.map(decodeURIComponent);
  if (extra.length) return undefined;
  return { group, version, namespace, resource, name, subresource };
}

function verbOf(method: string, path: ResourcePath, query: URLSearchParams): string {
  const watch = ['true', '1'].includes(query.get('watch') ?? '');
  switch (method) {
    case 'GET':
    case 'HEAD':
      return path.name ? 'get' : watch ? 'watch' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return path.name ? 'delete' : 'deletecollection';
    default:
      return method.toLowerCase();
  }
}

/** Applies `fieldValidation` (default Warn, as the API server) to a decoded body. */
function checkFields(call: Call, body: unknown): unknown {
  const mode = call.query.get('fieldValidation') ?? 'Warn';
  if (mode === 'Ignore') return body;
  const unknown = unknownFields(body);
  if (!unknown.length) return body;
  if (mode === 'Strict') {
    const list = unknown.map((f) => `unknown field "${f}"`);
    throw badRequest(`strict decoding error: ${list.join(', ')}`);
  }
  call.res.setHeader(
    'Warning',
    unknown.map((f) => `299 - "unknown field \\"${f}\\""`),
  );
  return body;
}

function refOf(path: ResourcePath): ResourceRef {
  return path.resource === CSR_RESOURCE.resource
    ? CSR_RESOURCE
    : { resource: path.resource, group: path.group, kind: path.resource };
}

function attrsOf(call: Call): ResourceAttributes {
  return {
    verb: call.verb,
    apiGroup: call.path.group,
    resource: call.path.resource,
    subresource: call.path.subresource,
    name: call.path.name,
  };
}

function csrFilter(query: URLSearchParams, own: (csr: Csr) => boolean): (csr: Csr) => boolean {
  const fields = parseFieldSelector(query.get('fieldSelector') ?? '', CSR_FIELDS);
  const labels = parseLabelSelector(query.get('labelSelector') ?? '');
  return (csr) =>
    own(csr) &&
    fieldsMatch(fields, { 'metadata.name': csr.metadata.name, 'spec.signerName': csr.spec.signerName }) &&
    labelsMatch(labels, csr.metadata.labels);
}

interface ContinueToken {
  readonly rv: number;
  readonly start: string;
}

/** limit/continue: a continue token names the last item returned; items are in name order. */
function paginate<T extends { metadata: ObjectMeta }>(
  all: readonly T[],
  query: URLSearchParams,
  resourceVersion: number,
) {
  let items = all;
  const token = query.get('continue');
  let rv = resourceVersion;
  if (token) {
    let decoded: ContinueToken;
    try {
      decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as ContinueToken;
      if (typeof decoded.start !== 'string' || !Number.isInteger(decoded.rv)) throw new Error('malformed');
    } catch {
      throw badRequest('continue key is not valid: invalid continue token');
    }
    rv = decoded.rv;
    items = items.filter((item) => item.metadata.name > decoded.start);
  }
  const limit = Number(query.get('limit') ?? 0);
  const meta: Record<string, unknown> = { resourceVersion: String(rv) };
  if (limit > 0 && items.length > limit) {
    const last = items[limit - 1].metadata.name;
    meta.continue = Buffer.from(JSON.stringify({ rv, start: last } satisfies ContinueToken)).toString(
      'base64url',
    );
    meta.remainingItemCount = items.length - limit;
    items = items.slice(0, limit);
  }
  return { items, meta };
}

/** `v1` or `v1beta1` when the client asked for a server-side Table. */
function tableVersion(req: IncomingMessage): string | undefined {
  for (const clause of (req.headers.accept ?? '').split(',')) {
    const params = Object.fromEntries(
      clause
        .split(';')
        .slice(1)
        .map((p) => p.trim().split('=') as [string, string]),
    );
    if (params.as === 'Table' && params.g === 'meta.k8s.io' && (params.v === 'v1' || params.v === 'v1beta1'))
      return params.v;
  }
  return undefined;
}

function includeObject(query: URLSearchParams): IncludeObject {
  const value = query.get('includeObject');
  return value === 'None' || value === 'Object' ? value : 'Metadata';
}

function successStatus(csr: Csr) {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    details: {
      name: csr.metadata.name,
      group: CSR_RESOURCE.group,
      kind: CSR_RESOURCE.resource,
      uid: csr.metadata.uid,
    },
  };
}

async function readBody(req: IncomingMessage, isPatch = false, optional = false): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new ApiError('RequestEntityTooLarge', 'the request body is too large');
    chunks.push(chunk as Buffer);
  }
  const raw = Buffer.concat(chunks);
  const text = raw.toString('utf8');
  if (!text.trim()) {
    if (optional) return undefined;
    throw badRequest('the body of the request was empty');
  }
  const type = (req.headers['content-type'] ?? 'application/json').split(';')[0].trim();
  if (!isPatch && type === PROTOBUF_CONTENT_TYPE) return decodeProtobuf(raw);
  if (!isPatch && !BODY_TYPES.includes(type)) {
    throw new ApiError(
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: ${BODY_TYPES.join(', ')}`,
    );
  }
  try {
    if (!isPatch && (type === 'application/yaml' || type === 'application/x-yaml')) return parseYaml(text);
    return JSON.parse(text);
  } catch (err) {
    throw badRequest(`the body of the request was in an unknown format: ${(err as Error).message}`);
  }
}
