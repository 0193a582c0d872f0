// Certificates and keys behind a kubeconfig entry's fields: how each decodes (file, base64, PEM,
// placeholders), its reports, and the data-and-path conflicts client-go resolves silently.
import { type FindingCode, RELATED_MESSAGES } from '../findings/catalog';
import { makeFinding, type Finding, type RelatedLocation, type Span } from '../findings/finding';
import { MATERIAL_FIELDS, type Material, type MaterialRole } from '../kubeconfig/material';
import type { ClusterEntry, ContextEntry, Field, UserEntry } from '../kubeconfig/model';
import type { Certificate } from '../x509/model';
import type { CertificateReport } from './report';

const PLACEHOLDERS = new Set(['DATA+OMITTED', 'REDACTED']);

export interface Scope {
  readonly file: string;
  readonly cluster?: string;
  readonly user?: string;
  readonly context?: string;
}

export function scopeOf(entry: ClusterEntry | UserEntry | ContextEntry): Scope {
  return { file: entry.file, [entry.kind]: entry.name };
}

export function at(scope: Scope, span: Span): Scope & { span: Span } {
  return { ...scope, span };
}

export function placeholderOf(value: string): string | undefined {
  const trimmed = value.trim();
  return PLACEHOLDERS.has(trimmed) ? trimmed : undefined;
}

/** Findings about how a material decodes: missing file, placeholder, bad base64 or PEM. */
export function materialFindings(material: Material, scope: Scope): Finding[] {
  const place = at(scope, material.field.span);
  const field = material.field.key;
  const out: Finding[] = [];
  const add = (code: FindingCode, params: Record<string, string | number>): void => {
    out.push(makeFinding(code, place, params));
  };
  if (material.missing) {
    add('file-not-found', { path: material.path ?? material.field.value, field });
    return out;
  }
  if (material.directory) {
    add('path-is-directory', { path: material.path ?? material.field.value, field });
    return out;
  }
  const decoded = material.decoded;
  if (!decoded) return out;
  const kinds = new Set(decoded.problems.map((p) => p.kind));
  if (kinds.has('redacted-data')) {
    add('redacted-data', { field, placeholder: placeholderOf(material.field.value) ?? 'REDACTED' });
    return out;
  }
  const base64 = decoded.problems.find((p) => p.kind === 'invalid-base64');
  if (base64) {
    add('invalid-base64', { field, reason: base64.message });
    return out;
  }
  // A key Go cannot load is neither matched nor clean: kubectl fails on it.
  const unsupported = decoded.problems.find((p) => p.kind === 'unsupported-key');
  if (unsupported && material.role === 'client-key' && decoded.privateKeys.length === 0) {
    add('unsupported-key', { field, reason: unsupported.message });
    return out;
  }
  const wanted = material.role === 'client-key' ? decoded.privateKeys.length : decoded.certificates.length;
  if (wanted === 0 || kinds.has('invalid-pem') || kinds.has('invalid-der') || kinds.has('empty'))
    add('invalid-pem', { field });
  return out;
}

export function certificatesOf(material: Material | undefined): Certificate[] {
  return material?.decoded?.certificates.map((d) => d.cert) ?? [];
}

export function materialReports(material: Material, scope: Scope): CertificateReport[] {
  return (material.decoded?.certificates ?? []).map((d) => ({
    file: scope.file,
    span: material.field.span,
    ...(material.path !== undefined ? { origin: material.path } : {}),
    field: material.field.key,
    ...(scope.cluster !== undefined ? { cluster: scope.cluster } : {}),
    ...(scope.user !== undefined ? { user: scope.user } : {}),
    index: d.index,
    certificate: d.cert,
    chains: [],
  }));
}

export function dataAndPathFindings(
  entry: ClusterEntry | UserEntry,
  roles: readonly MaterialRole[],
): Finding[] {
  const fields = entry.fields as Record<string, Field<string> | undefined>;
  const out: Finding[] = [];
  for (const role of roles) {
    const names = MATERIAL_FIELDS[role];
    const data = fields[names.data];
    const path = fields[names.path];
    if (!data || data.value === '' || !path || path.value === '') continue;
    const related: RelatedLocation[] = [
      {
        file: entry.file,
        span: data.span,
        message: RELATED_MESSAGES.dataWins,
        params: { dataField: names.data },
      },
    ];
    out.push(
      makeFinding(
        'data-and-path',
        at(scopeOf(entry), path.span),
        { dataField: names.data, pathField: names.path },
        { related },
      ),
    );
  }
  return out;
}
