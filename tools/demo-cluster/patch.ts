// The patch formats kubectl and client libraries send: JSON merge patch, JSON patch, and strategic
// merge patch for the lists the served kinds merge by key (webhooks by name); every other list is
// atomic, where strategic and JSON merge patch agree.
import { ApiError, badRequest } from './errors';

export const PATCH_TYPES = [
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/json-patch+json',
] as const;

export function applyPatch(contentType: string, target: unknown, patch: unknown): unknown {
  const type = contentType.split(';')[0].trim();
  if (type === 'application/json-patch+json') return jsonPatch(target, patch);
  if (type === 'application/merge-patch+json') return mergePatch(target, patch);
  if (type === 'application/strategic-merge-patch+json') return strategicMergePatch(target, patch);
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

/** `patchMergeKey` of the lists with `patchStrategy: merge` among the served kinds' fields. */
const MERGE_KEYS: Readonly<Record<string, string>> = {
  webhooks: 'name',
  ownerReferences: 'uid',
};

/**
 * Strategic merge patch, the part kubectl apply sends: maps merge, keyed lists merge item by item
 * (`$patch: delete` removes one), `$patch: replace` replaces a map, `$deleteFromPrimitiveList/`
 * removes values; `$setElementOrder/` and `$retainKeys` only order or prune and are dropped.
 */
export function strategicMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  if (patch.$patch === 'replace') return withoutDirectives(patch);
  if (patch.$patch === 'delete') return undefined;
  const result: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$deleteFromPrimitiveList/')) {
      const list = key.slice('$deleteFromPrimitiveList/'.length);
      const remove = Array.isArray(value) ? value : [];
      if (Array.isArray(result[list]))
        result[list] = (result[list] as unknown[]).filter((v) => !remove.includes(v));
      continue;
    }
    if (key.startsWith('$')) continue;
    const mergeKey = MERGE_KEYS[key];
    if (value === null) delete result[key];
    else if (mergeKey && Array.isArray(value)) result[key] = mergeList(result[key], value, mergeKey);
    else {
      const merged = strategicMergePatch(result[key], value);
      if (merged === undefined) delete result[key];
      else result[key] = merged;
    }
  }
  return result;
}

function mergeList(target: unknown, patch: readonly unknown[], mergeKey: string): unknown[] {
  const out = Array.isArray(target) ? [...(target as unknown[])] : [];
  for (const item of patch) {
    if (!isObject(item)) continue;
    const index = out.findIndex((o) => isObject(o) && o[mergeKey] === item[mergeKey]);
    if (item.$patch === 'delete') {
      if (index >= 0) out.splice(index, 1);
    } else if (index >= 0) {
      out[index] = strategicMergePatch(out[index], item);
    } else {
      out.push(strategicMergePatch(undefined, item));
    }
  }
  return out;
}

function withoutDirectives(patch: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(patch).filter(([k]) => !k.startsWith('$')));
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
