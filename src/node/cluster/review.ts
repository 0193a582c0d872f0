// The risk review with what only the cluster knows: the Node a kubelet-serving request names,
// read when the user may (its status.addresses are compared with the SANs).
import type { Csr, KubeNode } from '../../core/csr/model';
import { decodeCsrRequest } from '../../core/csr/pkcs10';
import { nodeNameOf, reviewCsr, type CsrPolicy, type CsrReview } from '../../core/csr/risk';
import { SIGNER_RULES } from '../../core/csr/signers';
import type { ClusterClient } from './client';
import { ClusterError } from './errors';

type NodeLookup = { readonly node: KubeNode } | { readonly unavailable: string };

/** Reads each Node at most once per instance: one instance per list refresh or CLI run. */
export class NodeCache {
  private readonly nodes = new Map<string, Promise<NodeLookup>>();

  constructor(private readonly client: Pick<ClusterClient, 'getNode'>) {}

  lookup(name: string): Promise<NodeLookup> {
    let found = this.nodes.get(name);
    if (!found) {
      found = this.client.getNode(name).then(
        (node): NodeLookup => ({ node }),
        (err: unknown): NodeLookup => ({ unavailable: unavailableReason(err) }),
      );
      this.nodes.set(name, found);
    }
    return found;
  }

  clear(): void {
    this.nodes.clear();
  }
}

function unavailableReason(err: unknown): string {
  if (!(err instanceof ClusterError)) return 'error';
  if (err.kind === 'forbidden') return 'no permission to get nodes';
  if (err.kind === 'not-found') return 'no such node';
  return err.kind;
}

/** Whether the review of this CSR needs its Node (kubelet-serving style rules on SANs). */
export function nodeNeeded(csr: Csr): string | undefined {
  if (SIGNER_RULES[csr.spec.signerName]?.sans !== 'dns-or-ip') return undefined;
  try {
    return nodeNameOf(decodeCsrRequest(csr.spec.request).commonName);
  } catch {
    return undefined;
  }
}

export async function reviewInCluster(
  csr: Csr,
  nodes: NodeCache,
  now: Date,
  policy: CsrPolicy,
): Promise<CsrReview> {
  const nodeName = nodeNeeded(csr);
  const lookup = nodeName ? await nodes.lookup(nodeName) : undefined;
  return reviewCsr(csr, {
    now,
    policy,
    ...(lookup && 'node' in lookup ? { node: lookup.node } : {}),
    ...(lookup && 'unavailable' in lookup ? { nodeUnavailable: lookup.unavailable } : {}),
  });
}
