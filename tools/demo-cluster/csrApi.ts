// The CSR REST strategies: what create and the three update paths (main resource, /status,
// /approval) may change, the admission checks that sit in front of them, and condition timestamps.
import { randomBytes } from 'node:crypto';
import { authorizedForSigner, forbiddenWith } from './authz';
import { badRequest, invalid } from './errors';
import type { ParsedRequest } from './certificateRequest';
import { CSR_RESOURCE, rfc3339, type CsrStore } from './store';
import type { Csr, CsrCondition, UserInfo } from './types';
import {
  validateCertificateUpdate,
  validateConditionUpdate,
  validateCreate,
  validateName,
} from './validation';

export type CsrSubresource = 'main' | 'status' | 'approval';

const APPROVAL_TYPES = ['Approved', 'Denied'];
const KUBE_APISERVER_CLIENT = 'kubernetes.io/kube-apiserver-client';
const GENERATE_NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** Checks the envelope of a posted or put object. */
export function checkKind(body: unknown): Partial<Csr> {
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw badRequest('the body of the request was in an unknown format');
  const obj = body as Partial<Csr>;
  if (obj.kind !== undefined && obj.kind !== 'CertificateSigningRequest') {
    throw badRequest(
      `the API version in the data (${String(obj.apiVersion)}) does not match the expected API version (certificates.k8s.io/v1)`,
    );
  }
  if (obj.apiVersion !== undefined && obj.apiVersion !== 'certificates.k8s.io/v1') {
    throw badRequest(
      `the API version in the data (${obj.apiVersion}) does not match the expected API version (certificates.k8s.io/v1)`,
    );
  }
  return obj;
}

export async function createCsr(
  store: CsrStore,
  user: UserInfo,
  body: unknown,
  now: Date,
  dryRun: boolean,
): Promise<Csr> {
  const obj = checkKind(body);
  const meta = obj.metadata ?? ({} as Csr['metadata']);
  let name = meta.name ?? '';
  if (!name && meta.generateName) name = await freeGeneratedName(store, meta.generateName);
  const spec = obj.spec ?? ({} as Csr['spec']);
  // PrepareForCreate: the requester's identity replaces whatever the client claimed; status starts empty.
  const csr: Csr = {
    apiVersion: 'certificates.k8s.io/v1',
    kind: 'CertificateSigningRequest',
    metadata: {
      name,
      ...(meta.generateName ? { generateName: meta.generateName } : {}),
      uid: '',
      resourceVersion: '',
      creationTimestamp: '',
      ...(meta.labels ? { labels: meta.labels } : {}),
      ...(meta.annotations ? { annotations: meta.annotations } : {}),
    },
    spec: {
      request: spec.request,
      signerName: spec.signerName,
      usages: spec.usages,
      ...(spec.expirationSeconds !== undefined && spec.expirationSeconds !== null
        ? { expirationSeconds: spec.expirationSeconds }
        : {}),
      username: user.name,
      ...(user.uid ? { uid: user.uid } : {}),
      groups: [...user.groups],
      ...(user.extra
        ? { extra: Object.fromEntries(Object.entries(user.extra).map(([k, v]) => [k, [...v]])) }
        : {}),
    },
    status: {},
  };
  const { errors, parsed } = await validateCreate(csr);
  if (errors.length || !parsed) throw invalid(CSR_RESOURCE, name, errors);
  admitSubjectRestriction(csr, parsed);
  if (dryRun) return { ...csr, metadata: { ...csr.metadata, creationTimestamp: rfc3339(now) } };
  return store.create(csr, now);
}

/** The certificatesubjectrestriction admission plugin. */
function admitSubjectRestriction(csr: Csr, parsed: ParsedRequest): void {
  if (csr.spec.signerName !== KUBE_APISERVER_CLIENT) return;
  if (parsed.organizations.includes('system:masters')) {
    throw forbiddenWith(
      CSR_RESOURCE,
      csr.metadata.name,
      `use of ${KUBE_APISERVER_CLIENT} signer with system:masters group is not allowed`,
    );
  }
}

async function freeGeneratedName(store: CsrStore, prefix: string): Promise<string> {
  for (;;) {
    const suffix = [...randomBytes(5)]
      .map((b) => GENERATE_NAME_ALPHABET[b % GENERATE_NAME_ALPHABET.length])
      .join('');
    const name = `${prefix}${suffix}`;
    if (!store.has(name)) return name;
  }
}

/**
 * Applies an update of `subresource` to `current` as the REST strategies do: each path may change
 * only its own fields, everything else is kept from the stored object.
 */
export function applyUpdate(
  subresource: CsrSubresource,
  current: Csr,
  incoming: Partial<Csr>,
  user: UserInfo,
  now: Date,
): Csr {
  const meta = incoming.metadata;
  const next: Csr = structuredClone(current);
  if (subresource === 'main') {
    next.metadata.labels = meta?.labels;
    next.metadata.annotations = meta?.annotations;
    if (!next.metadata.labels) delete next.metadata.labels;
    if (!next.metadata.annotations) delete next.metadata.annotations;
    const errors = validateName(next.metadata.name);
    if (errors.length) throw invalid(CSR_RESOURCE, current.metadata.name, errors);
    return next;
  }
  const incomingConditions = Array.isArray(incoming.status?.conditions) ? incoming.status.conditions : [];
  const oldConditions = current.status.conditions ?? [];
  const isApproval = (c: CsrCondition) => APPROVAL_TYPES.includes(c.type);
  const conditions =
    subresource === 'approval'
      ? [...oldConditions.filter((c) => !isApproval(c)), ...incomingConditions.filter(isApproval)]
      : [...incomingConditions.filter((c) => !isApproval(c)), ...oldConditions.filter(isApproval)];
  next.status.conditions = stampConditions(conditions, oldConditions, now);
  if (!next.status.conditions.length) delete next.status.conditions;
  if (subresource === 'status') {
    next.status.certificate = incoming.status?.certificate;
    if (!next.status.certificate) delete next.status.certificate;
  }
  const errors = [
    ...validateConditionUpdate(oldConditions, next.status.conditions ?? []),
    ...validateCertificateUpdate(current.status.certificate, next.status.certificate),
  ];
  if (errors.length) throw invalid(CSR_RESOURCE, current.metadata.name, errors);
  admitSigner(subresource, current, next, user);
  return next;
}

/** The certificateapproval and certificatesigning admission plugins. */
function admitSigner(subresource: CsrSubresource, current: Csr, next: Csr, user: UserInfo): void {
  if (subresource === 'approval' && !authorizedForSigner(user, 'approve', current.spec.signerName)) {
    throw forbiddenWith(
      CSR_RESOURCE,
      current.metadata.name,
      `user not permitted to approve requests with signerName "${current.spec.signerName}"`,
    );
  }
  if (
    subresource === 'status' &&
    next.status.certificate !== current.status.certificate &&
    !authorizedForSigner(user, 'sign', current.spec.signerName)
  ) {
    throw forbiddenWith(
      CSR_RESOURCE,
      current.metadata.name,
      `user not permitted to sign requests with signerName "${current.spec.signerName}"`,
    );
  }
}

/** populateConditionTimestamps: a new or changed condition gets now, an unchanged one keeps its times. */
function stampConditions(
  conditions: readonly CsrCondition[],
  old: readonly CsrCondition[],
  now: Date,
): CsrCondition[] {
  const stamp = rfc3339(now);
  return conditions.map((c) => {
    const before = old.find((o) => o.type === c.type);
    const unchanged = before && before.status === c.status;
    return {
      ...c,
      lastUpdateTime: c.lastUpdateTime ?? stamp,
      lastTransitionTime: unchanged
        ? (before.lastTransitionTime ?? c.lastTransitionTime ?? stamp)
        : (c.lastTransitionTime ?? stamp),
    };
  });
}

export function checkNameMatches(incoming: Partial<Csr>, name: string): void {
  const bodyName = incoming.metadata?.name;
  if (bodyName !== undefined && bodyName !== name) {
    throw badRequest(`the name of the object (${bodyName}) does not match the name on the URL (${name})`);
  }
}

/** The CSR schema's field names, for `fieldValidation` (Strict: 400, Warn: a warning header). */
const KNOWN_FIELDS: Readonly<Record<string, readonly string[]>> = {
  '': ['apiVersion', 'kind', 'metadata', 'spec', 'status'],
  metadata: [
    'name',
    'generateName',
    'namespace',
    'selfLink',
    'uid',
    'resourceVersion',
    'generation',
    'creationTimestamp',
    'deletionTimestamp',
    'deletionGracePeriodSeconds',
    'labels',
    'annotations',
    'ownerReferences',
    'finalizers',
    'managedFields',
  ],
  spec: ['request', 'signerName', 'expirationSeconds', 'usages', 'username', 'uid', 'groups', 'extra'],
  status: ['conditions', 'certificate'],
  'status.conditions': ['type', 'status', 'reason', 'message', 'lastUpdateTime', 'lastTransitionTime'],
};

export function unknownFields(obj: unknown): string[] {
  const found: string[] = [];
  const visit = (value: unknown, schemaPath: string, shownPath: string) => {
    const known = KNOWN_FIELDS[schemaPath];
    if (!known) return;
    if (Array.isArray(value)) {
      value.forEach((item, i) => visit(item, schemaPath, `${shownPath}[${i}]`));
      return;
    }
    if (!value || typeof value !== 'object') return;
    for (const [key, child] of Object.entries(value)) {
      const shown = shownPath ? `${shownPath}.${key}` : key;
      if (!known.includes(key)) found.push(shown);
      else visit(child, schemaPath ? `${schemaPath}.${key}` : key, shown);
    }
  };
  visit(obj, '', '');
  return found;
}
