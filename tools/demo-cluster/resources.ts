// The stored resources beyond CSRs, one row each: where they live in the API, how discovery
// describes them, how they print, which fields select them, which of their fields are []byte, and
// the REST strategy (defaults, status owned by the server, validation) kube-apiserver applies.
import type { FieldError, ResourceRef } from './errors';
import {
  checkByteFields,
  defaultWebhooks,
  validateApiService,
  validateConfigMap,
  validateCrd,
  validateNamespace,
  validateSecret,
  validateSecretUpdate,
  validateWebhookConfiguration,
} from './objectValidation';
import { DEFAULT_FIELD_LABELS, type FieldLabels } from './selectors';
import {
  APISERVICE_TABLE,
  CONFIGMAP_TABLE,
  DEFAULT_TABLE,
  NAMESPACE_TABLE,
  SECRET_TABLE,
  WEBHOOK_TABLE,
  type TablePrinter,
} from './table';
import type { KubeObject } from './types';

export interface ResourceDef {
  readonly ref: ResourceRef;
  readonly version: string;
  readonly namespaced: boolean;
  readonly singularName: string;
  readonly shortNames?: readonly string[];
  readonly categories?: readonly string[];
  readonly verbs: readonly string[];
  /** `status`: the main resource cannot change status, the server (a controller) sets it. */
  readonly statusSubresource?: boolean;
  readonly printer: TablePrinter<KubeObject>;
  readonly fieldLabels: FieldLabels;
  /** Selectable fields beyond metadata.name/namespace. */
  readonly fields?: (obj: KubeObject) => Record<string, string>;
  /** The []byte fields of the body, checked as Go's JSON decoder does before anything else. */
  readonly byteFields?: (obj: KubeObject) => unknown[];
  /** Defaulting and normalisation on create and update (PrepareForCreate/Update + defaults). */
  readonly prepare?: (obj: KubeObject) => void;
  /** The status a new object starts with (what its controller would set). */
  readonly initialStatus?: (obj: KubeObject) => unknown;
  readonly validate: (obj: KubeObject) => FieldError[];
  readonly validateUpdate?: (next: KubeObject, old: KubeObject) => FieldError[];
}

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

const isRecord = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === 'object' && !Array.isArray(v);
const record = (v: unknown): Record<string, unknown> => (isRecord(v) ? v : {});

export function apiVersionOf(def: ResourceDef): string {
  return def.ref.group ? `${def.ref.group}/${def.version}` : def.version;
}

const webhookCaBundles = (obj: KubeObject): unknown[] =>
  (Array.isArray(obj.webhooks) ? obj.webhooks : []).map((w) => record(record(w).clientConfig).caBundle);

export const NAMESPACES: ResourceDef = {
  ref: { resource: 'namespaces', group: '', kind: 'Namespace' },
  version: 'v1',
  namespaced: false,
  singularName: 'namespace',
  shortNames: ['ns'],
  verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  statusSubresource: true,
  printer: NAMESPACE_TABLE,
  fieldLabels: { supported: ['metadata.name', 'status.phase'], conversion: 'own' },
  fields: (ns) => ({ 'status.phase': String(record(ns.status).phase ?? '') }),
  prepare: (ns) => {
    // The NamespaceDefaultLabelName admission: every namespace carries its name as a label.
    ns.metadata.labels = { ...ns.metadata.labels, 'kubernetes.io/metadata.name': ns.metadata.name };
    ns.spec = { finalizers: ['kubernetes'], ...record(ns.spec) };
  },
  initialStatus: () => ({ phase: 'Active' }),
  validate: validateNamespace,
};

export const SECRETS: ResourceDef = {
  ref: { resource: 'secrets', group: '', kind: 'Secret' },
  version: 'v1',
  namespaced: true,
  singularName: 'secret',
  verbs: ALL_VERBS,
  printer: SECRET_TABLE,
  fieldLabels: { supported: ['type', 'metadata.namespace', 'metadata.name'], conversion: 'own' },
  fields: (secret) => ({ type: String(secret.type ?? '') }),
  byteFields: (secret) => Object.values(record(secret.data)),
  prepare: (secret) => {
    // stringData is write-only: merged into data (overwriting), never stored.
    if (isRecord(secret.stringData)) {
      const data = { ...record(secret.data) };
      for (const [key, value] of Object.entries(secret.stringData))
        data[key] = Buffer.from(String(value), 'utf8').toString('base64');
      secret.data = data;
    }
    delete secret.stringData;
    secret.type ||= 'Opaque';
  },
  validate: validateSecret,
  validateUpdate: validateSecretUpdate,
};

export const CONFIGMAPS: ResourceDef = {
  ref: { resource: 'configmaps', group: '', kind: 'ConfigMap' },
  version: 'v1',
  namespaced: true,
  singularName: 'configmap',
  shortNames: ['cm'],
  verbs: ALL_VERBS,
  printer: CONFIGMAP_TABLE,
  fieldLabels: DEFAULT_FIELD_LABELS,
  byteFields: (cm) => Object.values(record(cm.binaryData)),
  validate: validateConfigMap,
};

const ADMISSION = 'admissionregistration.k8s.io';

export const VALIDATING_WEBHOOKS: ResourceDef = {
  ref: {
    resource: 'validatingwebhookconfigurations',
    group: ADMISSION,
    kind: 'ValidatingWebhookConfiguration',
  },
  version: 'v1',
  namespaced: false,
  singularName: 'validatingwebhookconfiguration',
  categories: ['api-extensions'],
  verbs: ALL_VERBS,
  printer: WEBHOOK_TABLE,
  fieldLabels: DEFAULT_FIELD_LABELS,
  byteFields: webhookCaBundles,
  prepare: (config) => defaultWebhooks(config, false),
  validate: validateWebhookConfiguration,
};

export const MUTATING_WEBHOOKS: ResourceDef = {
  ...VALIDATING_WEBHOOKS,
  ref: { resource: 'mutatingwebhookconfigurations', group: ADMISSION, kind: 'MutatingWebhookConfiguration' },
  singularName: 'mutatingwebhookconfiguration',
  prepare: (config) => defaultWebhooks(config, true),
};

export const APISERVICES: ResourceDef = {
  ref: { resource: 'apiservices', group: 'apiregistration.k8s.io', kind: 'APIService' },
  version: 'v1',
  namespaced: false,
  singularName: 'apiservice',
  categories: ['api-extensions'],
  verbs: ALL_VERBS,
  statusSubresource: true,
  printer: APISERVICE_TABLE,
  fieldLabels: DEFAULT_FIELD_LABELS,
  byteFields: (svc) => [record(svc.spec).caBundle],
  prepare: (svc) => {
    const service = record(svc.spec).service;
    if (isRecord(service)) service.port ??= 443;
  },
  // The availability controller: a local APIService is always available; the demo runs no
  // aggregated servers, so any other is reported as its service missing.
  initialStatus: (svc) => {
    const service = record(svc.spec).service;
    const condition = isRecord(service)
      ? {
          status: 'False',
          reason: 'ServiceNotFound',
          message: `service/${String(service.name)} in "${String(service.namespace)}" is not present`,
        }
      : { status: 'True', reason: 'Local', message: 'Local APIServices are always available' };
    return {
      conditions: [{ type: 'Available', lastTransitionTime: svc.metadata.creationTimestamp, ...condition }],
    };
  },
  validate: validateApiService,
};

export const CRDS: ResourceDef = {
  ref: {
    resource: 'customresourcedefinitions',
    group: 'apiextensions.k8s.io',
    kind: 'CustomResourceDefinition',
  },
  version: 'v1',
  namespaced: false,
  singularName: 'customresourcedefinition',
  shortNames: ['crd', 'crds'],
  categories: ['api-extensions'],
  verbs: ALL_VERBS,
  statusSubresource: true,
  printer: DEFAULT_TABLE,
  fieldLabels: DEFAULT_FIELD_LABELS,
  byteFields: (crd) => [record(record(record(record(crd.spec).conversion).webhook).clientConfig).caBundle],
  // The naming and establishing controllers accept the names and establish the CRD at once.
  initialStatus: (crd) => {
    const spec = record(crd.spec);
    const at = crd.metadata.creationTimestamp;
    const versions = Array.isArray(spec.versions) ? (spec.versions as Record<string, unknown>[]) : [];
    return {
      acceptedNames: spec.names,
      conditions: [
        {
          type: 'NamesAccepted',
          status: 'True',
          reason: 'NoConflicts',
          message: 'no conflicts found',
          lastTransitionTime: at,
        },
        {
          type: 'Established',
          status: 'True',
          reason: 'InitialNamesAccepted',
          message: 'the initial names have been accepted',
          lastTransitionTime: at,
        },
      ],
      storedVersions: versions.filter((v) => v.storage === true).map((v) => v.name),
    };
  },
  validate: validateCrd,
};

export const OBJECT_RESOURCES: readonly ResourceDef[] = [
  NAMESPACES,
  SECRETS,
  CONFIGMAPS,
  VALIDATING_WEBHOOKS,
  MUTATING_WEBHOOKS,
  APISERVICES,
  CRDS,
];

/** Refuses a body whose []byte fields Go could not decode (see objectValidation). */
export function checkBytes(def: ResourceDef, obj: KubeObject): void {
  if (def.byteFields) checkByteFields(def.ref.kind, def.version, def.byteFields(obj));
}
