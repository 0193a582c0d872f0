// certificates.k8s.io/v1 certificatesigningrequests over HTTP: get/list/watch with the
// own-objects-only rule of nodes and bootstrappers, create, update and patch of the three paths
// (main, /status, /approval), delete and deletecollection.
import { forbidden } from './authz';
import {
  applyUpdate,
  checkKind,
  checkNameMatches,
  createCsr,
  unknownFields,
  type CsrSubresource,
} from './csrApi';
import { notFound } from './errors';
import {
  attrsOf,
  checkFields,
  methodNotAllowed,
  readBody,
  resourceNotFound,
  send,
  sendList,
  sendObject,
  type Call,
  type Handler,
  watchStore,
} from './http';
import { applyPatch } from './patch';
import { fieldsMatch, labelsMatch, parseFieldSelector, parseLabelSelector } from './selectors';
import { CSR_RESOURCE, type CsrStore } from './store';
import { CSR_TABLE } from './table';
import type { Csr, ObjectMeta } from './types';

const CSR_FIELDS = ['metadata.name', 'spec.signerName'];

export function csrHandler(store: CsrStore): Handler {
  return async (call: Call): Promise<void> => {
    const now = call.ctx.now;
    const { path, query, user, verb, res } = call;
    const subresource = (path.subresource ?? 'main') as CsrSubresource;
    if (!['main', 'status', 'approval'].includes(subresource)) throw resourceNotFound();
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
        return sendObject(call, CSR_TABLE, readOwned(path.name as string));
      case 'list':
      case 'watch': {
        const matches = csrFilter(query, own);
        if (verb === 'watch') return watchStore(call, CSR_TABLE, store, matches);
        return sendList(
          call,
          CSR_TABLE,
          'CertificateSigningRequestList',
          'certificates.k8s.io/v1',
          store.list().filter(matches),
          store.resourceVersion,
        );
      }
      case 'create': {
        if (path.name) throw methodNotAllowed();
        const created = await createCsr(
          store,
          user,
          checkFields(call, await readBody(call.req), unknownFields),
          now(),
          dryRun,
        );
        return send(res, 201, created);
      }
      case 'update':
      case 'patch': {
        const name = path.name as string;
        let incoming: Partial<Csr>;
        if (verb === 'update') {
          incoming = checkKind(checkFields(call, await readBody(call.req), unknownFields));
        } else {
          const current = readOwned(name);
          const patched = applyPatch(
            call.req.headers['content-type'] ?? '',
            structuredClone(current),
            await readBody(call.req, true),
          );
          incoming = checkKind(checkFields(call, patched, unknownFields));
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
        return send(res, 200, result);
      }
      case 'delete': {
        const name = path.name as string;
        readOwned(name);
        const options = (await readBody(call.req, false, true)) as
          { preconditions?: { uid?: string; resourceVersion?: string } } | undefined;
        const deleted = dryRun ? readOwned(name) : await store.delete(name, options?.preconditions);
        return send(res, 200, successStatus(deleted));
      }
      case 'deletecollection': {
        const matches = csrFilter(query, own);
        for (const csr of store.list().filter(matches)) {
          if (!dryRun) await store.delete(csr.metadata.name).catch(() => undefined);
        }
        return send(res, 200, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success' });
      }
      default:
        throw methodNotAllowed();
    }
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
