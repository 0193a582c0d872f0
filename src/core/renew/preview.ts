// Old-versus-new comparison shown before a renewal is written (CLI --dry-run, the editor's preview
// document). Values are language-neutral (names, ISO dates); only the labels are translated.
import type { Translate } from '../findings/finding';
import type { KeySpec } from '../x509/issue';
import type { Certificate, PublicKeyInfo } from '../x509/model';

export interface CertificateSummary {
  readonly subject: string;
  readonly sans: readonly string[];
  readonly keyUsage: readonly string[];
  readonly extKeyUsage: readonly string[];
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly issuer: string;
  readonly key: string;
}

export const PREVIEW_LABELS = {
  subject: 'Subject',
  sans: 'Subject alternative names',
  keyUsage: 'Key usage',
  extKeyUsage: 'Extended key usage',
  notBefore: 'Not before',
  notAfter: 'Not after',
  issuer: 'Issuer',
  key: 'Key',
} as const;

export type PreviewField = keyof typeof PREVIEW_LABELS;

/** The other words of a rendered preview. */
export const PREVIEW_TEXT = {
  newKey: '{key} (new key)',
  unchanged: '{value} (unchanged)',
  changed: '{old} → {new}',
} as const;

export interface PreviewRow {
  readonly field: PreviewField;
  readonly old: string;
  readonly new: string;
  readonly changed: boolean;
}

const RENDER: Record<PreviewField, (summary: CertificateSummary) => string> = {
  subject: (s) => s.subject,
  sans: (s) => s.sans.join(', ') || '-',
  keyUsage: (s) => s.keyUsage.join(', ') || '-',
  extKeyUsage: (s) => s.extKeyUsage.join(', ') || '-',
  notBefore: (s) => isoSeconds(s.notBefore),
  notAfter: (s) => isoSeconds(s.notAfter),
  issuer: (s) => s.issuer,
  key: (s) => s.key,
};

export function summarizeCertificate(cert: Certificate): CertificateSummary {
  return {
    subject: cert.subject.display,
    sans: sanList(cert.sans),
    keyUsage: cert.keyUsage ?? [],
    extKeyUsage: cert.extKeyUsage ?? [],
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
    issuer: cert.issuer.display,
    key: describePublicKey(cert.publicKey),
  };
}

export function sanList(sans: Certificate['sans']): string[] {
  return [
    ...sans.dns.map((v) => `DNS:${v}`),
    ...sans.ip.map((v) => `IP:${v}`),
    ...sans.email.map((v) => `email:${v}`),
    ...sans.uri.map((v) => `URI:${v}`),
  ];
}

export function describePublicKey(key: Pick<PublicKeyInfo, 'algorithm' | 'bits' | 'curve'>): string {
  if (key.algorithm === 'RSA') return `RSA ${key.bits ?? '?'}`;
  if (key.algorithm === 'EC') return `EC ${key.curve ?? key.bits ?? '?'}`;
  return key.algorithm;
}

export function describeKeySpec(spec: KeySpec): string {
  return describePublicKey(
    spec.algorithm === 'RSA'
      ? { algorithm: 'RSA', bits: spec.bits }
      : spec.algorithm === 'EC'
        ? { algorithm: 'EC', curve: spec.curve }
        : { algorithm: spec.algorithm },
  );
}

/** Every field, old and new; the key always counts as changed (a renewal always makes a new key). */
export function previewRows(old: CertificateSummary, next: CertificateSummary): PreviewRow[] {
  return (Object.keys(PREVIEW_LABELS) as PreviewField[]).map((field) => {
    const before = RENDER[field](old);
    const after = RENDER[field](next);
    return { field, old: before, new: after, changed: field === 'key' || before !== after };
  });
}

/** Plain-text preview, one line per field: "Not after: 2025-01-01T00:00:00Z → 2026-01-01T00:00:00Z". */
export function renderPreview(rows: readonly PreviewRow[], translate: Translate): string[] {
  const labels = rows.map((row) => translate(PREVIEW_LABELS[row.field], {}));
  const width = Math.max(...labels.map((label) => label.length)) + 1;
  return rows.map((row, i) => {
    const label = `${labels[i]}:`.padEnd(width + 1);
    const after = row.field === 'key' ? translate(PREVIEW_TEXT.newKey, { key: row.new }) : row.new;
    return row.changed
      ? label + translate(PREVIEW_TEXT.changed, { old: row.old, new: after })
      : label + translate(PREVIEW_TEXT.unchanged, { value: row.new });
  });
}

export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
