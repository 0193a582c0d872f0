// API objects as kube-apiserver returns them (JSON), built from generated certificates with chosen
// dates: the seeded problems of the Cluster Certificates view, one builder per kind.
import { Buffer } from 'node:buffer';
import { addDays, makeCa, makeLeaf, type TestCert } from '../../../fixtures/certs';

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

export const NOW = new Date('2026-06-01T00:00:00Z');

export function tlsSecret(
  namespace: string,
  name: string,
  data: { crt?: string; key?: string; ca?: string; extra?: Record<string, string> },
  options: { type?: string; annotations?: Record<string, string> } = {},
): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: options.type ?? 'kubernetes.io/tls',
    metadata: {
      name,
      namespace,
      uid: `uid-${namespace}-${name}`,
      resourceVersion: '1',
      ...(options.annotations ? { annotations: options.annotations } : {}),
    },
    data: {
      ...(data.crt !== undefined ? { 'tls.crt': b64(data.crt) } : {}),
      ...(data.key !== undefined ? { 'tls.key': b64(data.key) } : {}),
      ...(data.ca !== undefined ? { 'ca.crt': b64(data.ca) } : {}),
      ...Object.fromEntries(Object.entries(data.extra ?? {}).map(([k, v]) => [k, b64(v)])),
    },
  };
}

export function webhookConfig(
  kind: 'ValidatingWebhookConfiguration' | 'MutatingWebhookConfiguration',
  name: string,
  caPems: readonly (string | undefined)[],
  annotations?: Record<string, string>,
): Record<string, unknown> {
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind,
    metadata: { name, ...(annotations ? { annotations } : {}) },
    webhooks: caPems.map((pem, i) => ({
      name: `hook-${i}.example.com`,
      clientConfig: {
        service: { namespace: 'default', name: 'svc' },
        ...(pem ? { caBundle: b64(pem) } : {}),
      },
    })),
  };
}

export function apiService(name: string, caPem: string | undefined): Record<string, unknown> {
  return {
    apiVersion: 'apiregistration.k8s.io/v1',
    kind: 'APIService',
    metadata: { name },
    spec: { group: 'metrics.k8s.io', version: 'v1beta1', ...(caPem ? { caBundle: b64(caPem) } : {}) },
  };
}

export function crd(name: string, caPem: string | undefined): Record<string, unknown> {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name },
    spec: {
      group: 'example.com',
      conversion: caPem
        ? { strategy: 'Webhook', webhook: { clientConfig: { caBundle: b64(caPem) } } }
        : { strategy: 'None' },
    },
  };
}

export function kubeRootCa(namespace: string, caPem: string): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'kube-root-ca.crt', namespace },
    data: { 'ca.crt': caPem },
  };
}

export function clusterInfo(caPem: string, server = 'https://10.0.0.1:6443'): Record<string, unknown> {
  const kubeconfig = [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: ""',
    '  cluster:',
    `    certificate-authority-data: ${b64(caPem)}`,
    `    server: ${server}`,
    'contexts: null',
    'current-context: ""',
    'preferences: {}',
    'users: null',
    '',
  ].join('\n');
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'cluster-info', namespace: 'kube-public' },
    data: { kubeconfig },
  };
}

export interface ClusterPki {
  readonly clusterCa: TestCert;
  readonly otherCa: TestCert;
  readonly issuerCa: TestCert;
  readonly expiredCa: TestCert;
  readonly good: TestCert;
  readonly expiring: TestCert;
  readonly otherLeaf: TestCert;
}

/** The certificates of a cluster with every seeded problem, dated around NOW. */
export async function clusterPki(): Promise<ClusterPki> {
  const dates = { notBefore: addDays(NOW, -100), notAfter: addDays(NOW, 3000) };
  const clusterCa = await makeCa({ cn: 'kubernetes', ...dates });
  const otherCa = await makeCa({ cn: 'kubernetes', ...dates });
  const issuerCa = await makeCa({ cn: 'cert-manager-ca', ...dates });
  const expiredCa = await makeCa({
    cn: 'webhook-ca',
    notBefore: addDays(NOW, -400),
    notAfter: addDays(NOW, -5),
  });
  const good = await makeLeaf({ issuer: issuerCa, cn: 'app.example.com', ...dates, eku: ['serverAuth'] });
  const expiring = await makeLeaf({
    issuer: issuerCa,
    cn: 'expiring.example.com',
    notBefore: addDays(NOW, -80),
    notAfter: addDays(NOW, 10),
    eku: ['serverAuth'],
  });
  const otherLeaf = await makeLeaf({
    issuer: otherCa,
    cn: 'other.example.com',
    ...dates,
    eku: ['serverAuth'],
  });
  return { clusterCa, otherCa, issuerCa, expiredCa, good, expiring, otherLeaf };
}
