// Kubernetes objects as the Cluster Certificates inventory keeps them: read once, as soon as they
// arrive, through the one table of certificate fields (src/core/objects/certificateFields). Only
// names, the cert-manager annotations and the decoded certificates are kept; a private key is
// decoded, compared with its certificate and dropped here, and no other Secret value is copied.
import { parseKubeconfig } from '../kubeconfig/parse';
import { decodeDataField } from '../kubeconfig/material';
import {
  apiGroupOf,
  findCertificateFields,
  type FieldRole,
  type FoundCertificateField,
} from '../objects/certificateFields';
import { decodeBase64Data, decodePemText, type DecodeResult } from '../x509/decode';
import { keyMatchesCertificate } from '../x509/keys';
import type { Certificate } from '../x509/model';

/**
 * cert-manager's annotations: which Certificate wrote a Secret, and where cainjector takes a
 * caBundle from (a Certificate, or a Secret directly).
 */
export const CERT_MANAGER_ANNOTATIONS = {
  certificateName: 'cert-manager.io/certificate-name',
  injectCaFrom: 'cert-manager.io/inject-ca-from',
  injectCaFromSecret: 'cert-manager.io/inject-ca-from-secret',
} as const;

export interface ObjectRef {
  readonly kind: string;
  /** API group ('' for core). */
  readonly group: string;
  /** Absent for cluster-scoped objects. */
  readonly namespace?: string;
  readonly name: string;
}

export type CertManagerInfo = {
  readonly [K in keyof typeof CERT_MANAGER_ANNOTATIONS]?: string;
};

/** A decode problem without the input: `kind` is a DecodeProblemKind or `no-certificate`. */
export interface FieldProblem {
  readonly kind: string;
  readonly message: string;
}

export interface ObjectField {
  /** Dotted path as kubectl's jsonpath would name it: `data.tls.crt`, `webhooks[0].clientConfig.caBundle`. */
  readonly field: string;
  readonly role: FieldRole;
  /** The webhook's `name` for an item of `webhooks[]`. */
  readonly item?: string;
  readonly certificates: readonly Certificate[];
  readonly problems: readonly FieldProblem[];
  /** private-key fields: whether the key is that of the paired certificate (undefined: not decidable). */
  readonly keyMatches?: boolean;
  /** private-key fields: the dotted path of the certificate it was compared with. */
  readonly pairedWith?: string;
}

export interface ClusterObject {
  readonly ref: ObjectRef;
  readonly uid?: string;
  readonly resourceVersion?: string;
  /** Secret `type`. */
  readonly secretType?: string;
  readonly certManager: CertManagerInfo;
  readonly fields: readonly ObjectField[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** `['webhooks', 0, 'clientConfig', 'caBundle']` → `webhooks[0].clientConfig.caBundle`. */
export function fieldPath(path: readonly (string | number)[]): string {
  return path.reduce<string>(
    (out, part) => (typeof part === 'number' ? `${out}[${part}]` : out ? `${out}.${part}` : part),
    '',
  );
}

function decodeValue(found: FoundCertificateField, object: Record<string, unknown>): DecodeResult {
  switch (found.field.encoding) {
    case 'base64':
      return decodeBase64Data(found.value);
    case 'text':
      return decodePemText(found.value);
    case 'kubeconfig':
      return kubeconfigCas(found.value, object);
  }
}

/** The CAs of a kubeconfig held in an object (cluster-info): every cluster's certificate-authority-data. */
function kubeconfigCas(text: string, object: Record<string, unknown>): DecodeResult {
  const metadata = isRecord(object.metadata) ? object.metadata : {};
  const document = parseKubeconfig(text, `${str(metadata.namespace) ?? ''}/${str(metadata.name) ?? ''}`);
  const out: DecodeResult = { certificates: [], privateKeys: [], problems: [] };
  for (const cluster of document.clusters) {
    const data = cluster.fields['certificate-authority-data'];
    if (!data) continue;
    const decoded = decodeDataField(data);
    out.certificates.push(...decoded.certificates);
    out.problems.push(...decoded.problems);
  }
  return out;
}

function itemName(object: Record<string, unknown>, path: readonly (string | number)[]): string | undefined {
  if (path[0] !== 'webhooks' || typeof path[1] !== 'number') return undefined;
  const items = object.webhooks;
  const item = Array.isArray(items) ? (items[path[1]] as unknown) : undefined;
  return isRecord(item) ? str(item.name) : undefined;
}

/**
 * Reads the certificate fields of an API object (as JSON) into a ClusterObject; undefined when the
 * object is not one the inventory shows. The caller should let go of `raw` afterwards.
 */
export function readClusterObject(raw: unknown): ClusterObject | undefined {
  if (!isRecord(raw) || typeof raw.kind !== 'string' || !isRecord(raw.metadata)) return undefined;
  const metadata = raw.metadata;
  const name = str(metadata.name);
  if (!name) return undefined;
  const annotations = isRecord(metadata.annotations) ? metadata.annotations : {};
  const found = findCertificateFields(raw);
  const decoded = found.map((f) => ({ found: f, result: decodeValue(f, raw) }));
  const fields: ObjectField[] = decoded.map(({ found: f, result }) => {
    const field = fieldPath(f.path);
    const item = itemName(raw, f.path);
    const problems: FieldProblem[] = result.problems.map((p) => ({ kind: p.kind, message: p.message }));
    if (f.field.role === 'private-key') {
      const paired = f.field.pairedWith;
      const certificate = paired
        ? decoded.find((d) => d.found.path.join('\0') === paired.join('\0'))?.result.certificates[0]?.cert
        : undefined;
      const key = result.privateKeys[0];
      if (!key && !problems.length) problems.push({ kind: 'invalid-pem', message: 'no private key found' });
      return {
        field,
        role: f.field.role,
        certificates: [],
        problems,
        ...(key && certificate ? { keyMatches: keyMatchesCertificate(key, certificate) } : {}),
        ...(paired ? { pairedWith: fieldPath(paired) } : {}),
      };
    }
    if (!result.certificates.length && !problems.length)
      problems.push({ kind: 'no-certificate', message: 'no certificate found' });
    return {
      field,
      role: f.field.role,
      ...(item !== undefined ? { item } : {}),
      certificates: result.certificates.map((c) => c.cert),
      problems,
    };
  });
  const certManager: Record<string, string> = {};
  for (const [name, annotation] of Object.entries(CERT_MANAGER_ANNOTATIONS)) {
    const value = str(annotations[annotation]);
    if (value !== undefined) certManager[name] = value;
  }
  const namespace = str(metadata.namespace);
  const uid = str(metadata.uid);
  const resourceVersion = str(metadata.resourceVersion);
  const secretType = raw.kind === 'Secret' ? str(raw.type) : undefined;
  return {
    ref: {
      kind: raw.kind,
      group: typeof raw.apiVersion === 'string' ? apiGroupOf(raw.apiVersion) : '',
      ...(namespace !== undefined ? { namespace } : {}),
      name,
    },
    ...(uid !== undefined ? { uid } : {}),
    ...(resourceVersion !== undefined ? { resourceVersion } : {}),
    ...(secretType !== undefined ? { secretType } : {}),
    certManager,
    fields,
  };
}
