// The objects a cluster keeps certificates in, seeded with `--seed` beside the CSRs: cert-manager
// style TLS Secrets, webhook configurations, APIServices, a CRD with a conversion webhook,
// kube-public/cluster-info and kube-root-ca.crt. Each has one deliberate problem (or none), listed
// in SEEDED_PROBLEMS. Certificates are made here, from the seeder's clock: no key is ever committed.
import { randomBytes } from 'node:crypto';
import { clusterInfoData } from './clusterInfo';
import { ROOT_CA_CONFIGMAP, type ObjectRegistry } from './objectRegistry';
import {
  APISERVICES,
  CONFIGMAPS,
  CRDS,
  MUTATING_WEBHOOKS,
  NAMESPACES,
  SECRETS,
  VALIDATING_WEBHOOKS,
  type ResourceDef,
} from './resources';
import type { IssuedCertificate } from '../../src/core/x509/issue';
import { makeCertificates } from './seedCertificates';
import { objectKey } from './store';
import type { KubeObject } from './types';

/** The namespaces kube-apiserver itself keeps (the system namespaces controller). */
export const SYSTEM_NAMESPACES: readonly string[] = [
  'default',
  'kube-system',
  'kube-public',
  'kube-node-lease',
];
export const SEEDED_NAMESPACES: readonly string[] = ['cert-manager', 'ingress-nginx', 'monitoring'];
/** The namespace whose kube-root-ca.crt holds another (older) cluster CA. */
export const STALE_ROOT_CA_NAMESPACE = 'monitoring';

/** An object as a client would post it. */
type Manifest = Record<string, unknown> & { metadata: Record<string, unknown> };
const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

/** What is wrong with each seeded object, by resource/namespace/name (for docs and tests). */
export const SEEDED_PROBLEMS: readonly { readonly object: string; readonly problem: string }[] = [
  { object: 'secrets/cert-manager/widgets-webhook-tls', problem: 'none: valid, with ca.crt, 80 days left' },
  { object: 'secrets/ingress-nginx/shop-example-com-tls', problem: 'expires in 12 days (no ca.crt)' },
  { object: 'secrets/ingress-nginx/api-example-com-tls', problem: 'tls.key does not match tls.crt' },
  {
    object: 'secrets/monitoring/grafana-tls',
    problem: 'tls.crt does not verify against ca.crt (a CA with the same name, another key)',
  },
  { object: 'secrets/default/db-credentials', problem: 'none: Opaque (password), not TLS' },
  {
    object: 'secrets/default/build-robot-token',
    problem: 'none: service-account-token (has ca.crt), not TLS',
  },
  {
    object: 'validatingwebhookconfigurations/policy-validator',
    problem: 'caBundle expired 10 days ago',
  },
  { object: 'mutatingwebhookconfigurations/cert-manager-webhook', problem: 'none: valid caBundle' },
  { object: 'apiservices/v1beta1.metrics.k8s.io', problem: 'none: valid caBundle' },
  { object: 'apiservices/v1.apps', problem: 'none: Local, no service, no caBundle' },
  {
    object: 'customresourcedefinitions/widgets.example.com',
    problem: 'none: conversion webhook caBundle (valid), cert-manager.io/inject-ca-from',
  },
  { object: 'configmaps/kube-public/cluster-info', problem: 'none: the cluster CA and server' },
  {
    object: `configmaps/${STALE_ROOT_CA_NAMESPACE}/${ROOT_CA_CONFIGMAP}`,
    problem: 'a different (stale) cluster CA; every other namespace has the cluster CA',
  },
];

export interface SeedObjectsOptions {
  readonly objects: ObjectRegistry;
  readonly now: Date;
  readonly clusterCaPem: string;
  /** The API server URL cluster-info publishes. */
  readonly server: string;
  /** Signs cluster-info as the bootstrap signer does (`jws-kubeconfig-<id>`). */
  readonly bootstrapToken?: { readonly id: string; readonly secret: string };
}

/** The system namespaces, created with the cluster (each gets its kube-root-ca.crt). */
export async function ensureSystemNamespaces(objects: ObjectRegistry, createdAt: Date): Promise<void> {
  for (const name of SYSTEM_NAMESPACES) await ensure(objects, NAMESPACES, { metadata: { name } }, createdAt);
}

export async function seedObjects(options: SeedObjectsOptions): Promise<void> {
  const { objects, now } = options;
  const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);
  for (const [i, name] of SEEDED_NAMESPACES.entries())
    await ensure(objects, NAMESPACES, { metadata: { name } }, minutesAgo(240 - i * 10));
  // kubeadm's cluster-info; a restarted demo listens on another port: publish where it is now.
  const info = clusterInfoData(options.clusterCaPem, options.server, options.bootstrapToken);
  if (objects.store(CONFIGMAPS).has(objectKey({ namespace: 'kube-public', name: 'cluster-info' })))
    await updateData(objects, CONFIGMAPS, 'kube-public', 'cluster-info', info);
  else
    await ensure(objects, CONFIGMAPS, { metadata: { name: 'cluster-info' }, data: info }, now, 'kube-public');
  if (objects.store(CRDS).has('widgets.example.com')) return;

  const certs = await makeCertificates(now);
  await updateData(objects, CONFIGMAPS, STALE_ROOT_CA_NAMESPACE, ROOT_CA_CONFIGMAP, {
    'ca.crt': certs.staleClusterCa.certPem,
  });
  const tls = (
    namespace: string,
    name: string,
    certificate: string,
    issuer: string,
    leaf: IssuedCertificate,
    keyPem: string,
    caPem: string | undefined,
    commonName: string,
    dns: readonly string[],
  ): Manifest => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name,
      namespace,
      labels: { 'controller.cert-manager.io/fao': 'true' },
      annotations: {
        'cert-manager.io/alt-names': dns.join(','),
        'cert-manager.io/certificate-name': certificate,
        'cert-manager.io/common-name': commonName,
        'cert-manager.io/ip-sans': '',
        'cert-manager.io/issuer-group': 'cert-manager.io',
        'cert-manager.io/issuer-kind': 'ClusterIssuer',
        'cert-manager.io/issuer-name': issuer,
        'cert-manager.io/uri-sans': '',
      },
    },
    type: 'kubernetes.io/tls',
    data: {
      ...(caPem ? { 'ca.crt': b64(caPem) } : {}),
      'tls.crt': b64(leaf.certPem),
      'tls.key': b64(keyPem),
    },
  });
  const widgetsDns = ['widgets-webhook.cert-manager.svc', 'widgets-webhook.cert-manager.svc.cluster.local'];
  const secrets: Manifest[] = [
    tls(
      'cert-manager',
      'widgets-webhook-tls',
      'widgets-webhook',
      'demo-ca',
      certs.widgets,
      certs.widgets.keyPem,
      certs.demoCa.certPem,
      widgetsDns[0],
      widgetsDns,
    ),
    tls(
      'ingress-nginx',
      'shop-example-com-tls',
      'shop-example-com',
      'demo-ca',
      certs.shop,
      certs.shop.keyPem,
      undefined,
      'shop.example.com',
      ['shop.example.com'],
    ),
    tls(
      'ingress-nginx',
      'api-example-com-tls',
      'api-example-com',
      'demo-ca',
      certs.api,
      certs.otherKeyPem,
      certs.demoCa.certPem,
      'api.example.com',
      ['api.example.com'],
    ),
    tls(
      'monitoring',
      'grafana-tls',
      'grafana',
      'demo-ca',
      certs.grafana,
      certs.grafana.keyPem,
      certs.impostorCa.certPem,
      'grafana.monitoring.svc',
      ['grafana.monitoring.svc', 'grafana.example.com'],
    ),
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'db-credentials', namespace: 'default' },
      type: 'Opaque',
      data: { username: b64('app'), password: b64(randomBytes(18).toString('base64url')) },
    },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: 'build-robot-token',
        namespace: 'default',
        annotations: { 'kubernetes.io/service-account.name': 'build-robot' },
      },
      type: 'kubernetes.io/service-account-token',
      data: {
        'ca.crt': b64(options.clusterCaPem),
        namespace: b64('default'),
        token: b64(randomBytes(96).toString('base64url')),
      },
    },
  ];
  for (const [i, secret] of secrets.entries())
    await ensure(objects, SECRETS, secret, minutesAgo(200 - i * 7), String(secret.metadata.namespace));

  await ensure(
    objects,
    VALIDATING_WEBHOOKS,
    {
      metadata: { name: 'policy-validator' },
      webhooks: [
        {
          name: 'validate.policy.example.com',
          clientConfig: {
            service: { namespace: 'kube-system', name: 'policy-webhook', path: '/validate' },
            caBundle: b64(certs.expiredCa.certPem),
          },
          rules: [
            {
              apiGroups: [''],
              apiVersions: ['v1'],
              operations: ['CREATE', 'UPDATE'],
              resources: ['pods'],
              scope: '*',
            },
          ],
          failurePolicy: 'Ignore',
          sideEffects: 'None',
          admissionReviewVersions: ['v1'],
        },
      ],
    },
    minutesAgo(150),
  );
  await ensure(
    objects,
    MUTATING_WEBHOOKS,
    {
      metadata: {
        name: 'cert-manager-webhook',
        annotations: { 'cert-manager.io/inject-ca-from-secret': 'cert-manager/cert-manager-webhook-ca' },
      },
      webhooks: [
        {
          name: 'webhook.cert-manager.io',
          clientConfig: {
            service: { namespace: 'cert-manager', name: 'cert-manager-webhook', path: '/mutate' },
            caBundle: b64(certs.webhookCa.certPem),
          },
          rules: [
            {
              apiGroups: ['cert-manager.io'],
              apiVersions: ['v1'],
              operations: ['CREATE'],
              resources: ['certificaterequests'],
              scope: '*',
            },
          ],
          sideEffects: 'None',
          admissionReviewVersions: ['v1'],
          timeoutSeconds: 30,
        },
      ],
    },
    minutesAgo(230),
  );

  await ensure(
    objects,
    APISERVICES,
    {
      metadata: { name: 'v1.apps', labels: { 'kube-aggregator.kubernetes.io/automanaged': 'onstart' } },
      spec: { group: 'apps', version: 'v1', groupPriorityMinimum: 17800, versionPriority: 15 },
    },
    minutesAgo(300),
  );
  const metrics = await ensure(
    objects,
    APISERVICES,
    {
      metadata: { name: 'v1beta1.metrics.k8s.io', labels: { 'k8s-app': 'metrics-server' } },
      spec: {
        service: { namespace: 'kube-system', name: 'metrics-server', port: 443 },
        group: 'metrics.k8s.io',
        version: 'v1beta1',
        caBundle: b64(certs.metricsCa.certPem),
        groupPriorityMinimum: 100,
        versionPriority: 100,
      },
    },
    minutesAgo(180),
  );
  // The aggregator found metrics-server answering: available.
  await objects.update(
    APISERVICES,
    objectKey(metrics.metadata),
    {
      ...metrics,
      status: {
        conditions: [
          {
            type: 'Available',
            status: 'True',
            reason: 'Passed',
            message: 'all checks passed',
            lastTransitionTime: metrics.metadata.creationTimestamp,
          },
        ],
      },
    },
    'status',
  );

  const schema = { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } };
  await ensure(
    objects,
    CRDS,
    {
      metadata: {
        name: 'widgets.example.com',
        annotations: { 'cert-manager.io/inject-ca-from': 'cert-manager/widgets-webhook' },
      },
      spec: {
        group: 'example.com',
        names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
        scope: 'Namespaced',
        versions: [
          { name: 'v1', served: true, storage: true, schema },
          { name: 'v1beta1', served: true, storage: false, schema },
        ],
        conversion: {
          strategy: 'Webhook',
          webhook: {
            conversionReviewVersions: ['v1'],
            clientConfig: {
              service: { namespace: 'cert-manager', name: 'widgets-webhook', path: '/convert', port: 443 },
              caBundle: b64(certs.demoCa.certPem),
            },
          },
        },
      },
    },
    minutesAgo(210),
  );
}

async function ensure(
  objects: ObjectRegistry,
  def: ResourceDef,
  obj: Manifest,
  created: Date,
  namespace?: string,
): Promise<KubeObject> {
  const name = String(obj.metadata.name);
  const existing = objects.store(def).get(objects.keyOf(def, namespace, name));
  return existing ?? objects.create(def, obj, namespace, created);
}

async function updateData(
  objects: ObjectRegistry,
  def: ResourceDef,
  namespace: string,
  name: string,
  data: Record<string, string>,
): Promise<void> {
  const current = objects.get(def, namespace, name);
  await objects.update(
    def,
    objectKey(current.metadata),
    { ...current, data: { ...(current.data as object), ...data } },
    'main',
  );
}
