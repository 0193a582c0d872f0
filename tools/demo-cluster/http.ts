// The HTTP side of every resource handler: request paths and verbs, bodies, content negotiation
// (JSON or a server-side Table), list pagination and watch streams, and Status errors.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseYaml } from 'yaml';
import type { Decision, ResourceAttributes } from './authz';
import { ApiError, badRequest } from './errors';
import { PROTOBUF_CONTENT_TYPE, decodeProtobuf } from './protobuf';
import { toTable, type IncludeObject, type TablePrinter } from './table';
import {
  TooOldResourceVersionError,
  objectKey,
  type ObjectStore,
  type StoredObject,
  type WatchEventType,
} from './store';
import type { ObjectMeta, UserInfo } from './types';

const BODY_TYPES = ['application/json', 'application/yaml', 'application/x-yaml', PROTOBUF_CONTENT_TYPE];
const MAX_BODY_BYTES = 3 * 1024 * 1024;
const NAMESPACE_SUBRESOURCES = ['status', 'finalize'];

/** A parsed resource path: /api/v1/…, /apis/<group>/<version>/… */
export interface ResourcePath {
  readonly group: string;
  readonly version: string;
  readonly namespace?: string;
  readonly resource: string;
  readonly name?: string;
  readonly subresource?: string;
}

/** What every handler needs besides its own resource's state. */
export interface CallContext {
  readonly now: () => Date;
  /** Open watch streams, ended on shutdown. */
  readonly watches: Set<ServerResponse>;
}

export interface Call {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly user: UserInfo;
  readonly query: URLSearchParams;
  readonly path: ResourcePath;
  readonly verb: string;
  readonly decision: Decision;
  readonly ctx: CallContext;
}

export type Handler = (call: Call) => Promise<void>;

export function parseResourcePath(path: string): ResourcePath | undefined {
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
  // namespaces/NAME/status is a subresource of a namespace, not a resource "status" inside it.
  const namespaceSubresource =
    rest[0] === 'namespaces' && rest.length === 3 && NAMESPACE_SUBRESOURCES.includes(rest[2]);
  if (rest[0] === 'namespaces' && rest.length >= 3 && !namespaceSubresource) {
    namespace = decodeURIComponent(rest[1]);
    rest = rest.slice(2);
  }
  const [resource, name, subresource, ...extra] = rest.map(decodeURIComponent);
  if (extra.length) return undefined;
  return { group, version, namespace, resource, name, subresource };
}

export function verbOf(method: string, path: ResourcePath, query: URLSearchParams): string {
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

export function attrsOf(call: Call): ResourceAttributes {
  return {
    verb: call.verb,
    apiGroup: call.path.group,
    resource: call.path.resource,
    subresource: call.path.subresource,
    name: call.path.name,
    namespace: call.path.namespace,
  };
}

export const methodNotAllowed = (): ApiError =>
  new ApiError('MethodNotAllowed', 'the server does not allow this method on the requested resource');

export const resourceNotFound = (): ApiError =>
  new ApiError('NotFound', 'the server could not find the requested resource', {});

/** Applies `fieldValidation` (default Warn, as the API server) to a decoded body. */
export function checkFields(call: Call, body: unknown, unknownFields: (body: unknown) => string[]): unknown {
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

export async function readBody(req: IncomingMessage, isPatch = false, optional = false): Promise<unknown> {
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

// --- output --------------------------------------------------------------------------------------

export function send(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-cache, private',
  });
  res.end(text);
}

export function sendText(res: ServerResponse, code: number, text: string): void {
  res.writeHead(code, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

export function sendError(res: ServerResponse, err: unknown, log?: (line: string) => void): void {
  const apiError =
    err instanceof ApiError
      ? err
      : new ApiError('InternalError', `Internal error occurred: ${(err as Error)?.message ?? String(err)}`);
  if (!(err instanceof ApiError)) log?.(`internal error: ${(err as Error)?.stack ?? String(err)}`);
  if (res.headersSent) {
    res.end();
    return;
  }
  send(res, apiError.code, apiError.toStatus());
}

export function sendObject<T extends { metadata: ObjectMeta }>(
  call: Call,
  printer: TablePrinter<T>,
  obj: T,
  code = 200,
): void {
  const table = tableVersion(call.req);
  if (!table) return send(call.res, code, obj);
  const result = toTable(printer, [obj], call.ctx.now(), includeObject(call.query), {
    resourceVersion: obj.metadata.resourceVersion,
  });
  return send(call.res, code, { ...result, apiVersion: `meta.k8s.io/${table}` });
}

export function sendList<T extends { metadata: ObjectMeta }>(
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
    const result = toTable(printer, items, call.ctx.now(), includeObject(call.query), meta);
    return send(call.res, 200, { ...result, apiVersion: `meta.k8s.io/${table}` });
  }
  return send(call.res, 200, { kind, apiVersion, metadata: meta, items });
}

interface ContinueToken {
  readonly rv: number;
  readonly start: string;
}

/** limit/continue: a continue token names the last item returned; items are in key order. */
export function paginate<T extends { metadata: ObjectMeta }>(
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
    items = items.filter((item) => objectKey(item.metadata) > decoded.start);
  }
  const limit = Number(query.get('limit') ?? 0);
  const meta: Record<string, unknown> = { resourceVersion: String(rv) };
  if (limit > 0 && items.length > limit) {
    const last = objectKey(items[limit - 1].metadata);
    meta.continue = Buffer.from(JSON.stringify({ rv, start: last } satisfies ContinueToken)).toString(
      'base64url',
    );
    meta.remainingItemCount = items.length - limit;
    items = items.slice(0, limit);
  }
  return { items, meta };
}

/** `v1` or `v1beta1` when the client asked for a server-side Table. */
export function tableVersion(req: IncomingMessage): string | undefined {
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

export interface WatchStream<T> {
  send(type: WatchEventType, obj: T): void;
  error(err: ApiError): void;
}

/** Opens a watch response: one JSON event per line, as Tables when the client asked for them. */
export function openStream<T extends { metadata: ObjectMeta }>(
  call: Call,
  printer: TablePrinter<T>,
): WatchStream<T> {
  const { res, req, query, ctx } = call;
  const table = tableVersion(req);
  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
  res.flushHeaders();
  ctx.watches.add(res);
  const timeout = Number(query.get('timeoutSeconds'));
  const timer = timeout > 0 ? setTimeout(() => res.end(), timeout * 1000) : undefined;
  res.on('close', () => {
    if (timer) clearTimeout(timer);
    ctx.watches.delete(res);
  });
  let first = true;
  const write = (type: string, object: unknown) => {
    if (!res.writableEnded) res.write(JSON.stringify({ type, object }) + '\n');
  };
  return {
    send: (type, obj) => {
      if (!table) return write(type, obj);
      // Like the API server, only the first event carries column definitions (kubectl reuses them).
      const converted = toTable(
        printer,
        [obj],
        ctx.now(),
        includeObject(query),
        { resourceVersion: obj.metadata.resourceVersion },
        first,
      );
      first = false;
      write(type, { ...converted, apiVersion: `meta.k8s.io/${table}` });
    },
    error: (err) => {
      write('ERROR', err.toStatus());
      res.end();
    },
  };
}

/** A watch over a fixed set of objects: their ADDED events, then nothing. */
export function watchStatic<T extends { metadata: ObjectMeta }>(
  call: Call,
  printer: TablePrinter<T>,
  items: readonly T[],
): void {
  const stream = openStream(call, printer);
  const from = call.query.get('resourceVersion');
  if (!from || from === '0') for (const item of items) stream.send('ADDED', item);
}

/**
 * A watch on a store: with no resourceVersion (or 0, or sendInitialEvents) the matching objects as
 * ADDED first, then every matching change after it; a resourceVersion older than the kept history
 * ends the stream with 410 Expired, as after an etcd compaction.
 */
export function watchStore<T extends StoredObject & { metadata: ObjectMeta }>(
  call: Call,
  printer: TablePrinter<T>,
  store: ObjectStore<T>,
  matches: (obj: T) => boolean,
): void {
  const stream = openStream(call, printer);
  const from = call.query.get('resourceVersion');
  let since: number;
  if (!from || from === '0' || call.query.get('sendInitialEvents') === 'true') {
    for (const obj of store.list()) if (matches(obj)) stream.send('ADDED', obj);
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
