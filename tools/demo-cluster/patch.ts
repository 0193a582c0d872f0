// The patch formats kubectl and client libraries send. Strategic merge patch is treated as a JSON
// merge patch: for CSRs (metadata maps, atomic lists) the two give the same result.
import { ApiError, badRequest } from './errors';

export const PATCH_TYPES = [
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/json-patch+json',
] as const;

export function applyPatch(contentType: string, target: unknown, patch: unknown): unknown {
  const type = contentType.split(';')[0].trim();
  if (type === 'application/json-patch+json') return jsonPatch(target, patch);
  if (type === 'application/merge-patch+json' || type === 'application/strategic-merge-patch+json') {
    return mergePatch(target, patch);
  }
  throw new ApiError(
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${PATCH_TYPES.join(', ')}`,
  );
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === 'object' && !Array.isArray(v);

/** RFC 7386. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const result: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

interface Operation {
  op: string;
  path: string;
  value?: unknown;
  from?: string;
}

/** RFC 6902. */
export function jsonPatch(target: unknown, patch: unknown): unknown {
  if (!Array.isArray(patch)) throw badRequest('json patch must be an array of operations');
  let doc = structuredClone(target);
  for (const op of patch as Operation[]) {
    switch (op.op) {
      case 'add':
        doc = put(doc, pointer(op.path), structuredClone(op.value), 'add');
        break;
      case 'replace':
        get(doc, pointer(op.path));
        doc = put(doc, pointer(op.path), structuredClone(op.value), 'replace');
        break;
      case 'remove':
        doc = remove(doc, pointer(op.path));
        break;
      case 'test':
        if (JSON.stringify(get(doc, pointer(op.path))) !== JSON.stringify(op.value)) {
          throw new ApiError(
            'Invalid',
            `the server rejected our request due to an error in our request: testing value ${op.path} failed`,
          );
        }
        break;
      case 'move': {
        const value = get(doc, pointer(op.from ?? ''));
        doc = put(remove(doc, pointer(op.from ?? '')), pointer(op.path), value, 'add');
        break;
      }
      case 'copy':
        doc = put(doc, pointer(op.path), structuredClone(get(doc, pointer(op.from ?? ''))), 'add');
        break;
      default:
        throw badRequest(`Unexpected kind: ${op.op}`);
    }
  }
  return doc;
}

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw badRequest(`invalid JSON pointer ${JSON.stringify(path)}`);
  return path
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function get(doc: unknown, tokens: string[]): unknown {
  let node = doc;
  for (const t of tokens) {
    if (Array.isArray(node) && /^\d+$/.test(t) && Number(t) < node.length) node = node[Number(t)];
    else if (isObject(node) && Object.prototype.hasOwnProperty.call(node, t)) node = node[t];
    else
      throw new ApiError(
        'Invalid',
        `the server rejected our request due to an error in our request: path /${tokens.join('/')} not found`,
      );
  }
  return node;
}

function put(doc: unknown, tokens: string[], value: unknown, mode: 'add' | 'replace'): unknown {
  if (!tokens.length) return value;
  const parent = get(doc, tokens.slice(0, -1));
  const last = tokens[tokens.length - 1];
  if (Array.isArray(parent)) {
    const index = last === '-' ? parent.length : Number(last);
    if (!Number.isInteger(index) || index > parent.length) throw badRequest(`invalid array index ${last}`);
    parent.splice(index, mode === 'add' ? 0 : 1, value);
  } else if (isObject(parent)) parent[last] = value;
  else throw badRequest(`cannot ${mode} at /${tokens.join('/')}`);
  return doc;
}

function remove(doc: unknown, tokens: string[]): unknown {
  get(doc, tokens);
  const parent = get(doc, tokens.slice(0, -1));
  const last = tokens[tokens.length - 1];
  if (Array.isArray(parent)) parent.splice(Number(last), 1);
  else if (isObject(parent)) delete parent[last];
  return doc;
}
