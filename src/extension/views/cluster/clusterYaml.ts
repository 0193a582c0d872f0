// The read-only YAML document of an object of the Cluster Certificates view, free of `vscode`:
// the object as the API server has it now (one GET), with tls.key and every other Secret value
// redacted by core before it is turned into text. Loaded on first use (it pulls in `yaml`).
import { stringify } from 'yaml';
import { redactObject } from '../../../core/cluster/redact';
import { CLUSTER_RESOURCES, objectPath, qualifiedResource } from '../../../core/cluster/resources';
import type { ClusterClient } from '../../../node/cluster/client';
import { ClusterError, toClusterError } from '../../../node/cluster/errors';

export interface ObjectTarget {
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
}

export async function readRedactedObject(
  client: Pick<ClusterClient, 'getJson'>,
  target: ObjectTarget,
): Promise<string> {
  const resource = CLUSTER_RESOURCES.find((r) => r.kind === target.kind);
  if (!resource) throw new ClusterError('other', `${target.kind} is not a kind the view shows`);
  let raw: unknown;
  try {
    raw = await client.getJson(objectPath(resource, target.namespace, target.name));
  } catch (err) {
    const where = target.namespace ? ` in namespace ${target.namespace}` : '';
    throw toClusterError(err, `get ${resource.resource} ${target.name}${where}`, [
      `get on ${qualifiedResource(resource)}${where}`,
    ]);
  }
  return stringify(redactObject(raw), { lineWidth: 0 });
}
