// Where Kubernetes objects keep certificates. One table, read by the Cluster Certificates view
// (objects from the API server) and by the editor (the same objects in manifest files), so both
// find the same fields and give them the same role.

/** How the field's value is written in the object. */
export type FieldEncoding =
  /** base64 of PEM (or DER) bytes: Secret `data`, `caBundle`. */
  | 'base64'
  /** PEM text as is: Secret `stringData`, ConfigMap `data`. */
  | 'text'
  /** A kubeconfig (YAML text) whose clusters' certificate-authority-data are the certificates. */
  | 'kubeconfig';

export type FieldRole =
  /** A serving or client certificate, maybe followed by its intermediates. */
  | 'certificate'
  /** CAs a client trusts (every certificate is an anchor). */
  | 'ca-bundle'
  /** A private key: only ever compared with its certificate, never shown or logged. */
  | 'private-key';

export interface CertificateField {
  /** API group of the kind ('' for core). */
  readonly group: string;
  readonly kind: string;
  /** Path below the object's root; '*' stands for every item of an array. */
  readonly path: readonly string[];
  readonly encoding: FieldEncoding;
  readonly role: FieldRole;
  /** The certificate field a private key must match (same object, same array item). */
  readonly pairedWith?: readonly string[];
}

const WEBHOOK_CA_BUNDLE = ['webhooks', '*', 'clientConfig', 'caBundle'];

export const CERTIFICATE_FIELDS: readonly CertificateField[] = [
  { group: '', kind: 'Secret', path: ['data', 'tls.crt'], encoding: 'base64', role: 'certificate' },
  { group: '', kind: 'Secret', path: ['data', 'ca.crt'], encoding: 'base64', role: 'ca-bundle' },
  {
    group: '',
    kind: 'Secret',
    path: ['data', 'tls.key'],
    encoding: 'base64',
    role: 'private-key',
    pairedWith: ['data', 'tls.crt'],
  },
  { group: '', kind: 'Secret', path: ['stringData', 'tls.crt'], encoding: 'text', role: 'certificate' },
  { group: '', kind: 'Secret', path: ['stringData', 'ca.crt'], encoding: 'text', role: 'ca-bundle' },
  {
    group: '',
    kind: 'Secret',
    path: ['stringData', 'tls.key'],
    encoding: 'text',
    role: 'private-key',
    pairedWith: ['stringData', 'tls.crt'],
  },
  // kube-root-ca.crt in every namespace (published by the root CA cert publisher).
  { group: '', kind: 'ConfigMap', path: ['data', 'ca.crt'], encoding: 'text', role: 'ca-bundle' },
  // kube-public/cluster-info: the kubeconfig kubeadm join reads (and pins by the CA's SPKI hash).
  { group: '', kind: 'ConfigMap', path: ['data', 'kubeconfig'], encoding: 'kubeconfig', role: 'ca-bundle' },
  {
    group: 'admissionregistration.k8s.io',
    kind: 'ValidatingWebhookConfiguration',
    path: WEBHOOK_CA_BUNDLE,
    encoding: 'base64',
    role: 'ca-bundle',
  },
  {
    group: 'admissionregistration.k8s.io',
    kind: 'MutatingWebhookConfiguration',
    path: WEBHOOK_CA_BUNDLE,
    encoding: 'base64',
    role: 'ca-bundle',
  },
  {
    group: 'apiregistration.k8s.io',
    kind: 'APIService',
    path: ['spec', 'caBundle'],
    encoding: 'base64',
    role: 'ca-bundle',
  },
  {
    group: 'apiextensions.k8s.io',
    kind: 'CustomResourceDefinition',
    path: ['spec', 'conversion', 'webhook', 'clientConfig', 'caBundle'],
    encoding: 'base64',
    role: 'ca-bundle',
  },
];

/** A field found in one object, with the concrete path (array indexes filled in). */
export interface FoundCertificateField {
  readonly field: CertificateField;
  readonly path: readonly (string | number)[];
  readonly value: string;
}

/** The API group of an `apiVersion` ("v1" → "", "apps/v1" → "apps"). */
export function apiGroupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}

/**
 * Every certificate field present in `object` (a parsed manifest or API object), in table order.
 * Values that are not non-empty strings are skipped: they hold no certificate to read.
 */
export function findCertificateFields(object: unknown): FoundCertificateField[] {
  if (!isRecord(object) || typeof object.kind !== 'string') return [];
  const group = typeof object.apiVersion === 'string' ? apiGroupOf(object.apiVersion) : '';
  const found: FoundCertificateField[] = [];
  for (const field of CERTIFICATE_FIELDS) {
    if (field.kind !== object.kind || field.group !== group) continue;
    walk(object, field.path, [], (path, value) => found.push({ field, path, value }));
  }
  return found;
}

function walk(
  node: unknown,
  rest: readonly string[],
  at: (string | number)[],
  visit: (path: (string | number)[], value: string) => void,
): void {
  if (rest.length === 0) {
    if (typeof node === 'string' && node.trim() !== '') visit(at, node);
    return;
  }
  const [head, ...tail] = rest;
  if (head === '*') {
    if (Array.isArray(node)) node.forEach((item, index) => walk(item, tail, [...at, index], visit));
    return;
  }
  if (isRecord(node) && Object.prototype.hasOwnProperty.call(node, head)) {
    walk(node[head], tail, [...at, head], visit);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
