// core/v1 nodes (fixed, read-only) and events (none recorded; `kubectl describe` asks for them).
import { notFound, type ResourceRef } from './errors';
import {
  methodNotAllowed,
  resourceNotFound,
  send,
  sendList,
  sendObject,
  watchStatic,
  type Call,
  type Handler,
} from './http';
import { fieldsMatch, labelsMatch, parseFieldSelector, parseLabelSelector } from './selectors';
import { NODE_TABLE } from './table';
import type { KubeNode } from './types';

const NODE_RESOURCE: ResourceRef = { resource: 'nodes', group: '', kind: 'Node' };
const NODE_FIELDS = ['metadata.name'];

export function nodeHandler(nodes: readonly KubeNode[], resourceVersion: () => number): Handler {
  return async (call: Call): Promise<void> => {
    const { path, verb, query } = call;
    if (path.subresource) throw resourceNotFound();
    const fields = parseFieldSelector(query.get('fieldSelector') ?? '', NODE_FIELDS);
    const labels = parseLabelSelector(query.get('labelSelector') ?? '');
    const matches = (node: KubeNode) =>
      fieldsMatch(fields, { 'metadata.name': node.metadata.name }) &&
      labelsMatch(labels, node.metadata.labels);
    switch (verb) {
      case 'get': {
        const node = nodes.find((n) => n.metadata.name === path.name);
        if (!node) throw notFound(NODE_RESOURCE, path.name as string);
        return sendObject(call, NODE_TABLE, node);
      }
      case 'list':
        return sendList(call, NODE_TABLE, 'NodeList', 'v1', nodes.filter(matches), resourceVersion());
      case 'watch':
        return watchStatic(call, NODE_TABLE, nodes.filter(matches));
      default:
        throw methodNotAllowed();
    }
  };
}

export function eventHandler(resourceVersion: () => number): Handler {
  return async (call: Call): Promise<void> => {
    if (call.verb !== 'list') throw methodNotAllowed();
    return send(call.res, 200, {
      kind: 'EventList',
      apiVersion: 'v1',
      metadata: { resourceVersion: String(resourceVersion()) },
      items: [],
    });
  };
}
