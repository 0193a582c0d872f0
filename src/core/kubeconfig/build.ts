// Writes a single-cluster, single-user kubeconfig the way kubeadm and kubectl lay it out.
import { Buffer } from 'node:buffer';

export interface KubeconfigSpec {
  readonly clusterName: string;
  readonly server: string;
  readonly caPem: string;
  readonly userName: string;
  readonly contextName?: string;
  /** A client certificate and its key, embedded as *-data. */
  readonly client?: { readonly certPem: string; readonly keyPem: string };
  /** A bearer token instead of a client certificate (bootstrap tokens). */
  readonly token?: string;
}

export function buildKubeconfig(spec: KubeconfigSpec): string {
  const context = spec.contextName ?? `${spec.userName}@${spec.clusterName}`;
  const userLines = spec.client
    ? [
        `    client-certificate-data: ${base64(spec.client.certPem)}`,
        `    client-key-data: ${base64(spec.client.keyPem)}`,
      ]
    : spec.token !== undefined
      ? [`    token: ${spec.token}`]
      : [];
  return [
    'apiVersion: v1',
    'clusters:',
    '- cluster:',
    `    certificate-authority-data: ${base64(spec.caPem)}`,
    `    server: ${spec.server}`,
    `  name: ${yamlScalar(spec.clusterName)}`,
    'contexts:',
    '- context:',
    `    cluster: ${yamlScalar(spec.clusterName)}`,
    `    user: ${yamlScalar(spec.userName)}`,
    `  name: ${yamlScalar(context)}`,
    `current-context: ${yamlScalar(context)}`,
    'kind: Config',
    'preferences: {}',
    'users:',
    `- name: ${yamlScalar(spec.userName)}`,
    '  user:',
    ...(userLines.length ? userLines : ['    {}']),
    '',
  ].join('\n');
}

function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

/** Names such as `system:node:n1` are plain YAML scalars; quote only what YAML would misread. */
function yamlScalar(value: string): string {
  return /^[A-Za-z0-9][A-Za-z0-9_.@\-:/]*$/.test(value) && !/: /.test(value) && !value.endsWith(':')
    ? value
    : JSON.stringify(value);
}
