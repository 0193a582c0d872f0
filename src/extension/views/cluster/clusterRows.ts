// What a Cluster Certificates row shows, free of `vscode` so plain Node tests build it. At the
// side bar's default width (300 px) the description opens with the verdict — a word for the worst
// finding that is not about dates, else the residual time as the PKI view prints it — then the
// residual time and the certificate's CN; the icon carries the worst finding, the tooltip
// everything else.
import type { InventoryRow, RowCertificate } from '../../../core/cluster/inventoryRow';
import type { AccessProblem } from '../../../core/cluster/snapshot';
import type { CertificateReport } from '../../../core/audit/report';
import { CLUSTER_RESOURCES, qualifiedResource, type GroupId } from '../../../core/cluster/resources';
import type { FindingCode, Severity } from '../../../core/findings/catalog';
import { renderFindingMessage, type Finding, type Translate } from '../../../core/findings/finding';
import { shortHumanDuration } from '../../../core/time/duration';
import { code, esc } from '../../hover/markdown';

/** vscode.l10n in the extension, an English formatter in tests; the literal calls let `npm run l10n` find the strings. */
type L10n = { readonly t: Translate };

/** A codicon id and an optional theme colour id. */
export type RowIcon = readonly [id: string, colour?: string];

export const SEVERITY_ICONS: Readonly<Record<Severity, RowIcon>> = {
  error: ['error', 'list.errorForeground'],
  warning: ['warning', 'list.warningForeground'],
  info: ['info', 'charts.blue'],
};

/** The tree's top level: the groups, webhooks split below one row. */
export type TopGroup = 'tls-secrets' | 'webhooks' | 'api-services' | 'crd-conversion' | 'cluster-ca';

export const TOP_GROUPS: readonly TopGroup[] = [
  'tls-secrets',
  'webhooks',
  'api-services',
  'crd-conversion',
  'cluster-ca',
];

export const TOP_GROUP_OF: Readonly<Record<GroupId, TopGroup>> = {
  'tls-secrets': 'tls-secrets',
  'validating-webhooks': 'webhooks',
  'mutating-webhooks': 'webhooks',
  'api-services': 'api-services',
  'crd-conversion': 'crd-conversion',
  'cluster-ca': 'cluster-ca',
};

export const TOP_GROUP_ICONS: Readonly<Record<TopGroup, string>> = {
  'tls-secrets': 'lock',
  webhooks: 'plug',
  'api-services': 'server-process',
  'crd-conversion': 'symbol-class',
  'cluster-ca': 'shield',
};

export function topGroupLabel(group: TopGroup, l10n: L10n): string {
  switch (group) {
    case 'tls-secrets':
      return l10n.t('TLS Secrets', {});
    case 'webhooks':
      return l10n.t('Webhooks', {});
    case 'api-services':
      return l10n.t('APIServices', {});
    case 'crd-conversion':
      return l10n.t('CRD conversion', {});
    case 'cluster-ca':
      return l10n.t('Cluster CA', {});
  }
}

/** The second level under Webhooks. */
export function webhookKindLabel(group: 'validating-webhooks' | 'mutating-webhooks', l10n: L10n): string {
  return group === 'validating-webhooks' ? l10n.t('Validating', {}) : l10n.t('Mutating', {});
}

/** Findings about dates: the residual time already says them. */
const DATE_CODES: ReadonlySet<FindingCode> = new Set<FindingCode>([
  'cert-expired',
  'cert-expiring',
  'cert-not-yet-valid',
  'bundle-ca-expired',
]);

const RANK: Readonly<Record<Severity, number>> = { info: 0, warning: 1, error: 2 };

/**
 * The verdict word of a finding, a few characters long: at 300 px a row three levels deep with a
 * 20-character name has room for about a dozen characters of description. Other codes show as
 * themselves; the tooltip has every finding in full.
 */
const VERDICTS: Partial<Record<FindingCode, (l10n: L10n) => string>> = {
  'tls-key-mismatch': (l10n) => l10n.t('wrong key', {}),
  'tls-ca-mismatch': (l10n) => l10n.t('wrong CA', {}),
  'ca-bundle-not-ca': (l10n) => l10n.t('not a CA', {}),
  'cluster-info-ca-mismatch': (l10n) => l10n.t('other CA', {}),
  'kube-root-ca-mismatch': (l10n) => l10n.t('stale CA', {}),
  'not-signed-by-ca': (l10n) => l10n.t('mis-signed', {}),
  'bad-signature': (l10n) => l10n.t('mis-signed', {}),
  'issuer-not-ca': (l10n) => l10n.t('mis-signed', {}),
  'invalid-pem': (l10n) => l10n.t('unreadable', {}),
  'invalid-base64': (l10n) => l10n.t('unreadable', {}),
  'invalid-certificate': (l10n) => l10n.t('unreadable', {}),
  'redacted-data': (l10n) => l10n.t('unreadable', {}),
  'weak-key': (l10n) => l10n.t('weak key', {}),
  'weak-signature': (l10n) => l10n.t('weak hash', {}),
};

/** The short verdict of a finding (its code when it has no word of its own). */
export function verdictWord(code: FindingCode, l10n: L10n): string {
  return VERDICTS[code]?.(l10n) ?? code;
}

function worstFinding(findings: readonly Finding[]): Finding | undefined {
  let out: Finding | undefined;
  for (const f of findings) if (!out || RANK[f.severity] > RANK[out.severity]) out = f;
  return out;
}

/** The certificate a row is about: the one that expires first (what breaks first). */
export function primaryCertificate(row: InventoryRow): RowCertificate | undefined {
  let out: RowCertificate | undefined;
  for (const c of row.certificates) if (!out || c.residualSeconds < out.residualSeconds) out = c;
  return out;
}

/** The residual time in the PKI view's units: "364d", "3y"; "10d ago" once expired. */
export function residual(cert: RowCertificate, l10n: L10n): string {
  return cert.residualSeconds < 0
    ? l10n.t('{0} ago', { 0: shortHumanDuration(-cert.residualSeconds) })
    : shortHumanDuration(cert.residualSeconds);
}

/**
 * The verdict, a few words first in the description: "expired", "not yet valid", else a word for
 * the worst finding that is not about dates; undefined when the residual time says it all.
 */
function verdict(
  cert: RowCertificate | undefined,
  worst: Finding | undefined,
  now: Date,
  l10n: L10n,
): string | undefined {
  if (cert && cert.residualSeconds < 0) return l10n.t('expired', {});
  if (cert && cert.certificate.notBefore.getTime() > now.getTime()) return l10n.t('not yet valid', {});
  if (worst && !DATE_CODES.has(worst.code) && worst.severity !== 'info') return verdictWord(worst.code, l10n);
  return undefined;
}

/** The CN, else the whole subject (a certificate without a CN). */
export function commonName(cert: RowCertificate): string {
  const cn = cert.certificate.subject.rdns.flat().find((a) => a.type === 'CN')?.value;
  return cn ?? cert.certificate.subject.display;
}

export interface ObjectRowView {
  readonly label: string;
  readonly description: string;
  readonly icon: RowIcon;
  readonly contextValue: string;
}

/** The ConfigMap the root CA publisher writes into every namespace. */
export const KUBE_ROOT_CA = 'kube-root-ca.crt';

export function isKubeRootCa(row: InventoryRow): boolean {
  return row.group === 'cluster-ca' && row.ref.kind === 'ConfigMap' && row.ref.name === KUBE_ROOT_CA;
}

/** The tree label: the name, or the namespace for a kube-root-ca.crt (listed under a row of that name). */
export function objectLabel(row: InventoryRow): string {
  return isKubeRootCa(row) ? (row.ref.namespace ?? row.ref.name) : row.ref.name;
}

/** The object named in full, for messages and pickers: "monitoring/kube-root-ca.crt". */
export function objectTitle(row: InventoryRow): string {
  return row.ref.namespace ? `${row.ref.namespace}/${row.ref.name}` : row.ref.name;
}

const KIND_ICONS: Readonly<Record<TopGroup, string>> = {
  'tls-secrets': 'verified',
  webhooks: 'shield',
  'api-services': 'shield',
  'crd-conversion': 'shield',
  'cluster-ca': 'shield',
};

export function objectRow(row: InventoryRow, now: Date, l10n: L10n): ObjectRowView {
  const cert = primaryCertificate(row);
  const worst = worstFinding(row.findings);
  const parts: string[] = [];
  const word = verdict(cert, worst, now, l10n);
  if (word) parts.push(word);
  if (cert) parts.push(residual(cert, l10n), commonName(cert));
  else parts.push(l10n.t('no certificate', {}));
  const icon: RowIcon = worst
    ? SEVERITY_ICONS[worst.severity]
    : [KIND_ICONS[TOP_GROUP_OF[row.group]], 'testing.iconPassed'];
  const tokens = ['clusterObject', 'object'];
  if (cert) tokens.push('certificate');
  return { label: objectLabel(row), description: parts.join(' · '), icon, contextValue: tokens.join(' ') };
}

/** Where in the object a certificate sits, shortly: "tls.crt", "ca.crt #2", "my-webhook". */
export function fieldLabel(cert: RowCertificate): string {
  const base = cert.item ?? cert.field.replace(/^(?:data|stringData|spec)\./, '');
  return cert.index > 0 ? `${base} #${cert.index + 1}` : base;
}

/** The findings of a row that concern this certificate (at its place: one certificate may sit in two fields). */
export function findingsOf(row: InventoryRow, cert: RowCertificate): Finding[] {
  return row.findings.filter(
    (f) => f.certificate?.sha256 === cert.certificate.sha256Fingerprint && f.object?.field === cert.field,
  );
}

export function certificateRow(
  cert: RowCertificate,
  row: InventoryRow,
  now: Date,
  l10n: L10n,
): ObjectRowView {
  const worst = worstFinding(findingsOf(row, cert));
  return {
    label: commonName(cert),
    description: [verdict(cert, undefined, now, l10n), residual(cert, l10n), fieldLabel(cert)]
      .filter(Boolean)
      .join(' · '),
    icon: worst
      ? SEVERITY_ICONS[worst.severity]
      : [cert.role === 'ca-bundle' ? 'shield' : 'verified', 'testing.iconPassed'],
    contextValue: 'clusterCertificate certificate',
  };
}

/** The object row's tooltip, Markdown: what it is, cert-manager's links, the key check, every finding. */
export function objectTooltip(row: InventoryRow, l10n: L10n, translate: Translate): string {
  const { ref } = row;
  const where = ref.namespace ? `${ref.namespace}/${ref.name}` : ref.name;
  const lines = [`**${esc(ref.kind)}** ${code(where)}`];
  const facts: [string, string][] = [];
  const cert = primaryCertificate(row);
  if (cert) {
    facts.push(
      [l10n.t('Subject', {}), code(cert.certificate.subject.display || '—')],
      [l10n.t('Issuer', {}), code(cert.certificate.issuer.display || '—')],
      [
        l10n.t('Valid until', {}),
        `${code(cert.certificate.notAfter.toISOString())} (${esc(residual(cert, l10n))})`,
      ],
      [l10n.t('Field', {}), code(cert.field)],
    );
  }
  facts.push([l10n.t('Certificates', {}), String(row.certificates.length)]);
  if (row.keyMatches !== undefined)
    facts.push([
      l10n.t('tls.key matches tls.crt', {}),
      esc(row.keyMatches ? l10n.t('yes', {}) : l10n.t('no', {})),
    ]);
  if (row.certManager.certificateName)
    facts.push(['cert-manager.io/certificate-name', code(row.certManager.certificateName)]);
  if (row.certManager.injectCaFrom)
    facts.push(['cert-manager.io/inject-ca-from', code(row.certManager.injectCaFrom)]);
  lines.push(facts.map(([k, v]) => `${esc(k)}: ${v}`).join('  \n'));
  if (row.findings.length)
    lines.push(
      row.findings
        .map(
          (f) =>
            `- $(${SEVERITY_ICONS[f.severity][0]}) ${esc(renderFindingMessage(f, translate))} ${code(f.code)}`,
        )
        .join('\n'),
    );
  else lines.push(`$(pass) ${esc(l10n.t('No finding', {}))}`);
  return lines.join('\n\n');
}

/** A list that could not be read: "forbidden: list secrets", the namespace (or all) beside it. */
export function accessRow(problem: AccessProblem, l10n: L10n): ObjectRowView & { readonly tooltip: string } {
  const resource = problem.resource.split('.')[0];
  const label = problem.forbidden
    ? l10n.t('forbidden: {0} {1}', { 0: problem.verb, 1: resource })
    : l10n.t('cannot {0} {1}', { 0: problem.verb, 1: resource });
  const namespaced = CLUSTER_RESOURCES.some((r) => r.namespaced && qualifiedResource(r) === problem.resource);
  const description =
    problem.namespace !== undefined
      ? l10n.t('namespace {0}', { 0: problem.namespace })
      : namespaced
        ? l10n.t('all namespaces', {})
        : '';
  const needs = problem.missingPermissions.length
    ? l10n.t('You need: {0}.', { 0: problem.missingPermissions.join('; ') })
    : '';
  return {
    label,
    description,
    icon: SEVERITY_ICONS.warning,
    contextValue: 'clusterAccess',
    tooltip: [problem.message, needs].filter(Boolean).join('\n'),
  };
}

/** How many rows the view's badge counts: those drawn red, as the Problems panel counts errors. */
export function errorRows(rows: Iterable<InventoryRow>): number {
  let count = 0;
  for (const row of rows) if (row.severity === 'error') count++;
  return count;
}

/** A row's certificate as the hover renders one: its place in its field's bundle, its verdict, its findings. */
export function certificateReport(
  row: InventoryRow,
  index: number,
): { report: CertificateReport; total: number; findings: Finding[] } {
  const cert = row.certificates[index];
  const total = row.certificates.filter((c) => c.field === cert.field && c.item === cert.item).length;
  return {
    report: {
      file: row.uri,
      span: { start: 0, end: 0 },
      field: cert.field,
      index: cert.index,
      certificate: cert.certificate,
      chains: cert.chain ? [cert.chain] : [],
    },
    total,
    findings: findingsOf(row, cert),
  };
}
