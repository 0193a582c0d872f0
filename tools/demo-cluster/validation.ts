// CSR validation as pkg/apis/certificates/validation does it: the same checks, field paths and
// wording, so clients see the errors they would see from a real cluster.
import type { FieldError } from './errors';
import { parseRequest, type ParsedRequest } from './certificateRequest';
import type { Csr, CsrCondition } from './types';

export const KNOWN_USAGES: readonly string[] = [
  'signing',
  'digital signature',
  'content commitment',
  'key encipherment',
  'key agreement',
  'data encipherment',
  'cert sign',
  'crl sign',
  'encipher only',
  'decipher only',
  'any',
  'server auth',
  'client auth',
  'code signing',
  'email protection',
  's/mime',
  'ipsec end system',
  'ipsec tunnel',
  'ipsec user',
  'timestamping',
  'ocsp signing',
  'microsoft sgc',
  'netscape sgc',
];

export const LEGACY_UNKNOWN_SIGNER = 'kubernetes.io/legacy-unknown';
export const MIN_EXPIRATION_SECONDS = 600;

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_SUBDOMAIN_MESSAGE =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const APPROVAL_TYPES = ['Approved', 'Denied'];
const PERMANENT_TYPES = ['Approved', 'Denied', 'Failed'];
const STATUS_VALUES = ['False', 'True', 'Unknown'];

const quote = (value: unknown): string => JSON.stringify(value);

export function validateName(name: string): FieldError[] {
  if (!name)
    return [
      { type: 'FieldValueRequired', field: 'metadata.name', detail: 'name or generateName is required' },
    ];
  const errors: FieldError[] = [];
  if (name.length > 253) {
    errors.push({
      type: 'FieldValueInvalid',
      field: 'metadata.name',
      value: quote(name),
      detail: 'must be no more than 253 characters',
    });
  }
  if (!DNS_SUBDOMAIN.test(name)) {
    errors.push({
      type: 'FieldValueInvalid',
      field: 'metadata.name',
      value: quote(name),
      detail: DNS_SUBDOMAIN_MESSAGE,
    });
  }
  return errors;
}

/**
 * Checks a new CSR; `spec.username/groups` are already the requester's. Returns the parsed
 * request too, when it parsed, so admission does not verify it twice.
 */
export async function validateCreate(csr: Csr): Promise<{ errors: FieldError[]; parsed?: ParsedRequest }> {
  let parsed: ParsedRequest | undefined;
  const errors = [...validateName(csr.metadata.name), ...validateSpec(csr)];
  errors.push(...validateConditions(csr.status.conditions ?? []));
  if (csr.spec.signerName === LEGACY_UNKNOWN_SIGNER) {
    errors.push({
      type: 'FieldValueInvalid',
      field: 'spec.signerName',
      value: quote(csr.spec.signerName),
      detail: 'the legacy signerName is not allowed via this API version',
    });
  }
  if (typeof csr.spec.request !== 'string' || !csr.spec.request) {
    errors.push({ type: 'FieldValueRequired', field: 'spec.request', detail: '' });
  } else {
    try {
      parsed = await parseRequest(csr.spec.request);
    } catch (err) {
      errors.push({
        type: 'FieldValueInvalid',
        field: 'spec.request',
        value: '[]byte{…}',
        detail: (err as Error).message,
      });
    }
  }
  return { errors, parsed };
}

function validateSpec(csr: Csr): FieldError[] {
  const errors: FieldError[] = [];
  const { usages, signerName, expirationSeconds } = csr.spec;
  if (!Array.isArray(usages) || usages.length === 0) {
    errors.push({ type: 'FieldValueRequired', field: 'spec.usages', detail: 'usages must be provided' });
  } else {
    const seen = new Set<string>();
    usages.forEach((usage, i) => {
      if (!KNOWN_USAGES.includes(usage)) {
        errors.push({
          type: 'FieldValueNotSupported',
          field: `spec.usages[${i}]`,
          value: quote(usage),
          detail: `supported values: ${KNOWN_USAGES.map(quote).join(', ')}`,
        });
      } else if (seen.has(usage)) {
        errors.push({
          type: 'FieldValueDuplicate',
          field: `spec.usages[${i}]`,
          value: quote(usage),
          detail: '',
        });
      }
      seen.add(usage);
    });
  }
  if (!signerName) {
    errors.push({ type: 'FieldValueRequired', field: 'spec.signerName', detail: '' });
  } else {
    errors.push(...validateSignerName(signerName));
  }
  if (expirationSeconds !== undefined && expirationSeconds !== null) {
    if (!Number.isInteger(expirationSeconds)) {
      errors.push({
        type: 'FieldValueInvalid',
        field: 'spec.expirationSeconds',
        value: quote(expirationSeconds),
        detail: 'must be an integer',
      });
    } else if (expirationSeconds < MIN_EXPIRATION_SECONDS) {
      errors.push({
        type: 'FieldValueInvalid',
        field: 'spec.expirationSeconds',
        value: String(expirationSeconds),
        detail: 'may not specify a duration less than 600 seconds (10 minutes)',
      });
    }
  }
  return errors;
}

function validateSignerName(signerName: string): FieldError[] {
  const slash = signerName.indexOf('/');
  const domain = slash < 0 ? '' : signerName.slice(0, slash);
  const rest = slash < 0 ? '' : signerName.slice(slash + 1);
  const form = "must be a fully qualified domain and path of the form 'example.com/signer-name'";
  if (!domain || !rest)
    return [{ type: 'FieldValueInvalid', field: 'spec.signerName', value: quote(signerName), detail: form }];
  const errors: FieldError[] = [];
  if (!DNS_SUBDOMAIN.test(domain) || !domain.includes('.')) {
    errors.push({
      type: 'FieldValueInvalid',
      field: 'spec.signerName',
      value: quote(signerName),
      detail: 'should be a domain with at least two segments separated by dots',
    });
  }
  if (!QUALIFIED_NAME.test(rest.replace(/\//g, '.'))) {
    errors.push({
      type: 'FieldValueInvalid',
      field: 'spec.signerName',
      value: quote(signerName),
      detail: 'validating label: ' + form,
    });
  }
  return errors;
}

export function validateConditions(conditions: readonly CsrCondition[]): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  let approved = false;
  let denied = false;
  conditions.forEach((c, i) => {
    const at = `status.conditions[${i}]`;
    if (!c.type) errors.push({ type: 'FieldValueRequired', field: `${at}.type`, detail: '' });
    const allowed = APPROVAL_TYPES.includes(c.type) ? ['True'] : STATUS_VALUES;
    if (!c.status) errors.push({ type: 'FieldValueRequired', field: `${at}.status`, detail: '' });
    else if (!allowed.includes(c.status)) {
      errors.push({
        type: 'FieldValueNotSupported',
        field: `${at}.status`,
        value: quote(c.status),
        detail: `supported values: ${allowed.map(quote).join(', ')}`,
      });
    }
    if (c.type === 'Approved') approved = true;
    if (c.type === 'Denied') denied = true;
    if (APPROVAL_TYPES.includes(c.type) && approved && denied) {
      errors.push({
        type: 'FieldValueInvalid',
        field: `${at}.type`,
        value: quote(c.type),
        detail: 'Approved and Denied conditions are mutually exclusive',
      });
    }
    if (c.type && seen.has(c.type))
      errors.push({ type: 'FieldValueDuplicate', field: `${at}.type`, value: quote(c.type), detail: '' });
    seen.add(c.type);
  });
  return errors;
}

/** Approved, Denied and Failed are permanent: an update may not remove or change them. */
export function validateConditionUpdate(
  oldConditions: readonly CsrCondition[],
  newConditions: readonly CsrCondition[],
): FieldError[] {
  const errors = validateConditions(newConditions);
  for (const type of PERMANENT_TYPES) {
    const before = oldConditions.find((c) => c.type === type);
    if (!before) continue;
    const after = newConditions.find((c) => c.type === type);
    if (!after) {
      errors.push({
        type: 'FieldValueForbidden',
        field: 'status.conditions',
        detail: `updates may not remove a condition of type ${quote(type)}`,
      });
    } else if (after.status !== before.status) {
      errors.push({
        type: 'FieldValueForbidden',
        field: 'status.conditions',
        detail: `updates may not modify a condition of type ${quote(type)}`,
      });
    }
  }
  return errors;
}

export function validateCertificateUpdate(
  oldCertificate: string | undefined,
  newCertificate: string | undefined,
): FieldError[] {
  if (oldCertificate && newCertificate !== oldCertificate) {
    return [
      {
        type: 'FieldValueForbidden',
        field: 'status.certificate',
        detail: 'updates may not modify existing certificate content',
      },
    ];
  }
  if (!newCertificate) return [];
  const pem = Buffer.from(newCertificate, 'base64').toString('latin1');
  const blocks = [...pem.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----/g)].map((m) => m[1]);
  if (blocks.length === 0 || blocks.some((b) => b !== 'CERTIFICATE')) {
    return [
      {
        type: 'FieldValueInvalid',
        field: 'status.certificate',
        value: '"<certificate data>"',
        detail:
          'only CERTIFICATE PEM blocks are allowed, found ' +
          (blocks.length ? quote(blocks.find((b) => b !== 'CERTIFICATE')) : 'none'),
      },
    ];
  }
  return [];
}
