// Validation of the generic resources as kube-apiserver does it (pkg/apis/core/validation,
// admissionregistration, kube-aggregator, apiextensions), for what a certificate tool meets: names,
// Secret and ConfigMap keys and types, webhook client configs, APIService and CRD shapes. Field
// paths and wording are upstream's; checks that matter for nothing here are left out.
import { badRequest, type FieldError } from './errors';
import { goBase64ErrorOffset } from './goBase64';
import type { KubeObject } from './types';

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_SUBDOMAIN_MESSAGE =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_LABEL_MESSAGE =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
const CONFIG_KEY_MESSAGE =
  "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";
const MAX_SECRET_BYTES = 1024 * 1024;

const quote = (value: unknown): string => JSON.stringify(value);
const isRecord = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === 'object' && !Array.isArray(v);

export type NameRule = 'subdomain' | 'label';

export function validateObjectName(name: string, rule: NameRule): FieldError[] {
  if (!name)
    return [
      { type: 'FieldValueRequired', field: 'metadata.name', detail: 'name or generateName is required' },
    ];
  const errors: FieldError[] = [];
  const max = rule === 'label' ? 63 : 253;
  if (name.length > max) {
    errors.push({
      type: 'FieldValueInvalid',
      field: 'metadata.name',
      value: quote(name),
      detail: `must be no more than ${max} characters`,
    });
  }
  const [pattern, message] =
    rule === 'label' ? [DNS_LABEL, DNS_LABEL_MESSAGE] : [DNS_SUBDOMAIN, DNS_SUBDOMAIN_MESSAGE];
  if (!pattern.test(name))
    errors.push({ type: 'FieldValueInvalid', field: 'metadata.name', value: quote(name), detail: message });
  return errors;
}

// --- []byte fields ---------------------------------------------------------------------------------

/**
 * Refuses a body whose []byte field is not base64, with the decoder's error as the API server
 * returns it: `Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 4`.
 */
export function checkByteFields(kind: string, version: string, values: readonly unknown[]): void {
  for (const value of values) {
    if (value === undefined || value === null) continue;
    const prefix = `${kind} in version "${version}" cannot be handled as a ${kind}`;
    if (typeof value !== 'string')
      throw badRequest(
        `${prefix}: json: cannot unmarshal ${Array.isArray(value) ? 'array' : typeof value} into Go value of type []uint8`,
      );
    const offset = goBase64ErrorOffset(value);
    if (offset !== undefined) throw badRequest(`${prefix}: illegal base64 data at input byte ${offset}`);
  }
}

export function byteLength(base64: unknown): number {
  return typeof base64 === 'string' ? Buffer.from(base64, 'base64').length : 0;
}

// --- core/v1 ---------------------------------------------------------------------------------------

function validateKeys(map: unknown, path: string): FieldError[] {
  if (!isRecord(map)) return [];
  return Object.keys(map)
    .filter((key) => !CONFIG_KEY.test(key))
    .map(
      (key) =>
        ({
          type: 'FieldValueInvalid',
          field: `${path}[${key}]`,
          value: quote(key),
          detail: CONFIG_KEY_MESSAGE,
        }) as FieldError,
    );
}

/** Keys each Secret type must carry (ValidateSecret). */
const REQUIRED_SECRET_KEYS: Readonly<Record<string, readonly string[]>> = {
  'kubernetes.io/tls': ['tls.crt', 'tls.key'],
  'kubernetes.io/dockercfg': ['.dockercfg'],
  'kubernetes.io/dockerconfigjson': ['.dockerconfigjson'],
};

export function validateSecret(secret: KubeObject): FieldError[] {
  const errors = [
    ...validateObjectName(secret.metadata.name, 'subdomain'),
    ...validateKeys(secret.data, 'data'),
  ];
  const data = isRecord(secret.data) ? secret.data : {};
  const total = Object.entries(data).reduce((sum, [k, v]) => sum + k.length + byteLength(v), 0);
  if (total > MAX_SECRET_BYTES)
    errors.push({
      type: 'FieldValueTooLong',
      field: 'data',
      detail: `may not be more than ${MAX_SECRET_BYTES} bytes`,
    });
  const type = typeof secret.type === 'string' ? secret.type : '';
  for (const key of REQUIRED_SECRET_KEYS[type] ?? []) {
    if (!(key in data)) errors.push({ type: 'FieldValueRequired', field: `data[${key}]`, detail: '' });
  }
  if (type === 'kubernetes.io/service-account-token') {
    const annotation = 'kubernetes.io/service-account.name';
    if (!secret.metadata.annotations?.[annotation])
      errors.push({ type: 'FieldValueRequired', field: `metadata.annotations[${annotation}]`, detail: '' });
  }
  if (type === 'kubernetes.io/basic-auth' && !('username' in data) && !('password' in data)) {
    errors.push({ type: 'FieldValueRequired', field: 'data[username]', detail: '' });
    errors.push({ type: 'FieldValueRequired', field: 'data[password]', detail: '' });
  }
  return errors;
}

export function validateSecretUpdate(next: KubeObject, old: KubeObject): FieldError[] {
  const errors = validateSecret(next);
  if (next.type !== old.type)
    errors.push({
      type: 'FieldValueInvalid',
      field: 'type',
      value: quote(next.type),
      detail: 'field is immutable',
    });
  if (old.immutable === true) {
    if (next.immutable !== true)
      errors.push({
        type: 'FieldValueForbidden',
        field: 'immutable',
        detail: 'field is immutable when `immutable` is set',
      });
    if (JSON.stringify(next.data ?? {}) !== JSON.stringify(old.data ?? {}))
      errors.push({
        type: 'FieldValueForbidden',
        field: 'data',
        detail: 'field is immutable when `immutable` is set',
      });
  }
  return errors;
}

export function validateConfigMap(cm: KubeObject): FieldError[] {
  const errors = [
    ...validateObjectName(cm.metadata.name, 'subdomain'),
    ...validateKeys(cm.data, 'data'),
    ...validateKeys(cm.binaryData, 'binaryData'),
  ];
  if (isRecord(cm.data) && isRecord(cm.binaryData)) {
    for (const key of Object.keys(cm.data).filter((k) => k in (cm.binaryData as object)))
      errors.push({
        type: 'FieldValueInvalid',
        field: `data[${key}]`,
        value: quote(key),
        detail: 'duplicate of key present in binaryData',
      });
  }
  if (isRecord(cm.data)) {
    for (const [key, value] of Object.entries(cm.data)) {
      if (typeof value !== 'string')
        errors.push({
          type: 'FieldValueInvalid',
          field: `data[${key}]`,
          value: quote(value),
          detail: 'must be a string',
        });
    }
  }
  return errors;
}

export function validateNamespace(ns: KubeObject): FieldError[] {
  return validateObjectName(ns.metadata.name, 'label');
}

// --- admissionregistration.k8s.io/v1 ---------------------------------------------------------------

const SIDE_EFFECTS = ['None', 'NoneOnDryRun'];
const REVIEW_VERSIONS = ['v1', 'v1beta1'];

export function validateWebhookConfiguration(config: KubeObject): FieldError[] {
  const errors = validateObjectName(config.metadata.name, 'subdomain');
  const webhooks = Array.isArray(config.webhooks) ? (config.webhooks as Record<string, unknown>[]) : [];
  const seen = new Set<string>();
  webhooks.forEach((hook, i) => {
    const at = `webhooks[${i}]`;
    const name = typeof hook.name === 'string' ? hook.name : '';
    if (!name) errors.push({ type: 'FieldValueRequired', field: `${at}.name`, detail: '' });
    else if (!DNS_SUBDOMAIN.test(name) || name.split('.').length < 3)
      errors.push({
        type: 'FieldValueInvalid',
        field: `${at}.name`,
        value: quote(name),
        detail: 'should be a domain with at least three segments separated by dots',
      });
    else if (seen.has(name))
      errors.push({ type: 'FieldValueDuplicate', field: `${at}.name`, value: quote(name), detail: '' });
    seen.add(name);
    const client = isRecord(hook.clientConfig) ? hook.clientConfig : {};
    if ((client.url === undefined) === (client.service === undefined))
      errors.push({
        type: 'FieldValueRequired',
        field: `${at}.clientConfig`,
        detail: 'exactly one of url or service is required',
      });
    if (!SIDE_EFFECTS.includes(hook.sideEffects as string)) {
      errors.push(
        hook.sideEffects === undefined
          ? {
              type: 'FieldValueRequired',
              field: `${at}.sideEffects`,
              detail: `must specify one of ${SIDE_EFFECTS.join(', ')}`,
            }
          : {
              type: 'FieldValueNotSupported',
              field: `${at}.sideEffects`,
              value: quote(hook.sideEffects),
              detail: `supported values: ${SIDE_EFFECTS.map(quote).join(', ')}`,
            },
      );
    }
    const versions = Array.isArray(hook.admissionReviewVersions) ? hook.admissionReviewVersions : [];
    if (!versions.some((v) => REVIEW_VERSIONS.includes(v as string)))
      errors.push({
        type: 'FieldValueRequired',
        field: `${at}.admissionReviewVersions`,
        detail: `must specify one of ${REVIEW_VERSIONS.join(', ')}`,
      });
  });
  return errors;
}

/** The defaults the API server fills in on webhooks (SetDefaults_*Webhook, ServiceReference port). */
export function defaultWebhooks(config: KubeObject, mutating: boolean): void {
  if (!Array.isArray(config.webhooks)) return;
  for (const hook of config.webhooks as Record<string, unknown>[]) {
    hook.failurePolicy ??= 'Fail';
    hook.matchPolicy ??= 'Equivalent';
    hook.namespaceSelector ??= {};
    hook.objectSelector ??= {};
    hook.timeoutSeconds ??= 10;
    if (mutating) hook.reinvocationPolicy ??= 'Never';
    const service =
      isRecord(hook.clientConfig) && isRecord(hook.clientConfig.service)
        ? hook.clientConfig.service
        : undefined;
    if (service) service.port ??= 443;
  }
}

// --- apiregistration.k8s.io/v1 ---------------------------------------------------------------------

export function validateApiService(svc: KubeObject): FieldError[] {
  const spec = isRecord(svc.spec) ? svc.spec : {};
  const errors: FieldError[] = [];
  const group = typeof spec.group === 'string' ? spec.group : '';
  const version = typeof spec.version === 'string' ? spec.version : '';
  if (!version) errors.push({ type: 'FieldValueRequired', field: 'spec.version', detail: '' });
  const required = group ? `${version}.${group}` : version;
  if (svc.metadata.name !== required)
    errors.push({
      type: 'FieldValueInvalid',
      field: 'metadata.name',
      value: quote(svc.metadata.name),
      detail: `must be ${required}`,
    });
  const groupPriority = Number(spec.groupPriorityMinimum ?? 0);
  if (!(groupPriority > 0 && groupPriority <= 20000))
    errors.push({
      type: 'FieldValueInvalid',
      field: 'spec.groupPriorityMinimum',
      value: String(groupPriority),
      detail: 'must be positive and less than 20000',
    });
  const versionPriority = Number(spec.versionPriority ?? 0);
  if (!(versionPriority > 0 && versionPriority <= 1000))
    errors.push({
      type: 'FieldValueInvalid',
      field: 'spec.versionPriority',
      value: String(versionPriority),
      detail: 'must be positive and less than 1000',
    });
  const caBytes = byteLength(spec.caBundle);
  if (!spec.service) {
    if (caBytes)
      errors.push({
        type: 'FieldValueInvalid',
        field: 'spec.caBundle',
        value: `"${caBytes} bytes"`,
        detail: 'local APIServices may not have a caBundle',
      });
    if (spec.insecureSkipTLSVerify === true)
      errors.push({
        type: 'FieldValueInvalid',
        field: 'spec.insecureSkipTLSVerify',
        value: 'true',
        detail: 'local APIServices may not have insecureSkipTLSVerify',
      });
  } else if (spec.insecureSkipTLSVerify === true && caBytes) {
    errors.push({
      type: 'FieldValueInvalid',
      field: 'spec.insecureSkipTLSVerify',
      value: 'true',
      detail: 'may not be true if caBundle is present',
    });
  }
  return errors;
}

// --- apiextensions.k8s.io/v1 -----------------------------------------------------------------------

export function validateCrd(crd: KubeObject): FieldError[] {
  const spec = isRecord(crd.spec) ? crd.spec : {};
  const names = isRecord(spec.names) ? spec.names : {};
  const errors: FieldError[] = [];
  if (!spec.group) errors.push({ type: 'FieldValueRequired', field: 'spec.group', detail: '' });
  if (!names.plural) errors.push({ type: 'FieldValueRequired', field: 'spec.names.plural', detail: '' });
  if (!names.kind) errors.push({ type: 'FieldValueRequired', field: 'spec.names.kind', detail: '' });
  if (crd.metadata.name !== `${String(names.plural)}.${String(spec.group)}`)
    errors.push({
      type: 'FieldValueInvalid',
      field: 'metadata.name',
      value: quote(crd.metadata.name),
      detail: 'must be spec.names.plural+"."+spec.group',
    });
  if (spec.scope !== 'Namespaced' && spec.scope !== 'Cluster')
    errors.push({
      type: 'FieldValueNotSupported',
      field: 'spec.scope',
      value: quote(spec.scope ?? ''),
      detail: 'supported values: "Cluster", "Namespaced"',
    });
  const versions = Array.isArray(spec.versions) ? (spec.versions as Record<string, unknown>[]) : [];
  if (!versions.length)
    errors.push({
      type: 'FieldValueRequired',
      field: 'spec.versions',
      detail: 'must have exactly one version marked as storage version',
    });
  else if (versions.filter((v) => v.storage === true).length !== 1)
    errors.push({
      type: 'FieldValueInvalid',
      field: 'spec.versions',
      value: `[${versions.map((v) => String(v.name)).join(' ')}]`,
      detail: 'must have exactly one version marked as storage version',
    });
  const conversion = isRecord(spec.conversion) ? spec.conversion : {};
  if (conversion.strategy === 'Webhook') {
    const webhook = isRecord(conversion.webhook) ? conversion.webhook : {};
    const client = isRecord(webhook.clientConfig) ? webhook.clientConfig : undefined;
    if (!client)
      errors.push({
        type: 'FieldValueRequired',
        field: 'spec.conversion.webhook.clientConfig',
        detail: 'required when strategy is set to Webhook',
      });
    else if ((client.url === undefined) === (client.service === undefined))
      errors.push({
        type: 'FieldValueRequired',
        field: 'spec.conversion.webhook.clientConfig',
        detail: 'exactly one of url or service is required',
      });
  }
  return errors;
}
