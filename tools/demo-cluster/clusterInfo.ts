// kube-public/cluster-info as kubeadm writes it: a kubeconfig with one unnamed cluster (the CA and
// the API server) that `kubeadm join` trusts once its CA matches the pinned SPKI hash, signed for
// each bootstrap token by the bootstrap signer (`jws-kubeconfig-<token id>`).
import { createHmac } from 'node:crypto';

export function clusterInfoData(
  clusterCaPem: string,
  server: string,
  bootstrapToken?: { readonly id: string; readonly secret: string },
): Record<string, string> {
  const kubeconfig = [
    'apiVersion: v1',
    'clusters:',
    '- cluster:',
    `    certificate-authority-data: ${Buffer.from(clusterCaPem, 'utf8').toString('base64')}`,
    `    server: ${server}`,
    '  name: ""',
    'contexts: null',
    'current-context: ""',
    'kind: Config',
    'preferences: {}',
    'users: null',
    '',
  ].join('\n');
  const data: Record<string, string> = { kubeconfig };
  if (bootstrapToken) {
    const { id, secret } = bootstrapToken;
    data[`jws-kubeconfig-${id}`] = detachedJws(kubeconfig, id, `${id}.${secret}`);
  }
  return data;
}

/** The bootstrap signer's detached JWS (HS256, key = the whole token): `header..signature`. */
function detachedJws(content: string, keyId: string, key: string): string {
  const header = Buffer.from(JSON.stringify({ alg: 'HS256', kid: keyId })).toString('base64url');
  const payload = Buffer.from(content).toString('base64url');
  const signature = createHmac('sha256', key).update(`${header}.${payload}`).digest('base64url');
  return `${header}..${signature}`;
}
