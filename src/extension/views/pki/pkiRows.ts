// What a PKI row shows, free of vscode so plain Node tests build it: the verdict first and shortest
// in the description (it must survive a 300 px side bar), the icon for the worse of the item's state
// and its worst finding, the details in the tooltip — naming only files that exist, and saying which
// expected ones do not. pkiTree.ts turns a row into a TreeItem.
import type { Severity } from '../../../core/findings/catalog';
import type { Finding, Translate } from '../../../core/findings/finding';
import type { PkiInventory } from '../../../core/pki/inventory';
import type { PkiItem, PkiItemState } from '../../../core/pki/item';
import { renderPkiReason } from '../../../core/pki/reasons';
import { shortHumanDuration } from '../../../core/time/duration';

/** vscode.l10n in the extension, an English formatter in tests; the literal calls let `npm run l10n` find the strings. */
type L10n = { readonly t: Translate };

type Level = Severity | 'ok';

/** Worst first. */
const LEVELS: readonly Level[] = ['error', 'warning', 'info', 'ok'];

/** Icon, colour and how bad each state is, as data. */
export const STATE_LOOKS: Readonly<
  Record<PkiItemState, { readonly icon: string; readonly color: string; readonly level: Level }>
> = {
  ok: { icon: 'pass', color: 'testing.iconPassed', level: 'ok' },
  expiring: { icon: 'warning', color: 'list.warningForeground', level: 'warning' },
  expired: { icon: 'error', color: 'list.errorForeground', level: 'error' },
  'not-yet-valid': { icon: 'clock', color: 'list.warningForeground', level: 'warning' },
  'mis-signed': { icon: 'error', color: 'list.errorForeground', level: 'error' },
  'key-mismatch': { icon: 'key', color: 'list.errorForeground', level: 'error' },
  invalid: { icon: 'error', color: 'list.errorForeground', level: 'error' },
  missing: { icon: 'question', color: 'list.errorForeground', level: 'error' },
  'externally-managed': { icon: 'lock', color: 'charts.blue', level: 'info' },
};

/** A finding worse than the state (super-admin.conf's system:masters warning on a valid certificate). */
const FINDING_LOOKS: Readonly<Record<Severity, { readonly icon: string; readonly color: string }>> = {
  error: { icon: 'error', color: 'list.errorForeground' },
  warning: { icon: 'warning', color: 'list.warningForeground' },
  info: { icon: 'info', color: 'charts.blue' },
};

/** A healthy row shows what it is. */
const KIND_ICONS: Readonly<Record<PkiItem['kind'], string>> = {
  ca: 'shield',
  cert: 'verified',
  kubeconfig: 'file-code',
  'key-pair': 'key',
  backup: 'archive',
};

export interface RowIcon {
  readonly id: string;
  readonly color: string;
}

function worstSeverity(findings: readonly Pick<Finding, 'severity'>[]): Severity | undefined {
  return LEVELS.find((level) => findings.some((f) => f.severity === level)) as Severity | undefined;
}

export function itemIcon(item: PkiItem): RowIcon {
  const look = STATE_LOOKS[item.state];
  const level = itemLevel(item);
  if (level !== look.level && level !== 'ok')
    return { id: FINDING_LOOKS[level].icon, color: FINDING_LOOKS[level].color };
  return { id: item.state === 'ok' ? KIND_ICONS[item.kind] : look.icon, color: look.color };
}

/**
 * The verdict alone: "364d", "expired 3y ago", "MISSING", "mis-signed"; a file renewed but not yet
 * served says so first ("restart needed · 364d"). The rest is in the icon and tooltip.
 */
export function describeItem(item: PkiItem, now: Date, l10n: L10n): string {
  const verdict = fileVerdict(item, now, l10n);
  if (!item.served?.stale) return verdict;
  const restart = l10n.t('restart needed', {});
  return verdict ? `${restart} · ${verdict}` : restart;
}

function fileVerdict(item: PkiItem, now: Date, l10n: L10n): string {
  const cert = item.certificate;
  switch (item.state) {
    case 'missing':
      return l10n.t('MISSING', {});
    case 'mis-signed':
      return l10n.t('mis-signed', {});
    case 'key-mismatch':
      return l10n.t('key mismatch', {});
    case 'invalid':
      return l10n.t('unreadable', {});
  }
  if (!cert) return '';
  const seconds = Math.trunc((cert.notAfter.getTime() - now.getTime()) / 1000);
  if (seconds < 0) return l10n.t('expired {0} ago', { 0: shortHumanDuration(-seconds) });
  if (cert.notBefore.getTime() > now.getTime())
    return l10n.t('not valid before {0}', { 0: cert.notBefore.toISOString().slice(0, 10) });
  return shortHumanDuration(seconds);
}

/** Tokens the menus match with `viewItem =~ /\btoken\b/`. */
export function itemContextValue(item: PkiItem): string {
  const tokens = ['pkiItem', item.kind];
  if (item.state !== 'missing') tokens.push('file');
  if (item.kind === 'ca' && item.certificate) tokens.push('pin');
  if (
    item.catalog &&
    item.certificate &&
    !item.rotatedByKubelet &&
    !item.externallyManaged &&
    (item.kind === 'cert' || item.kind === 'kubeconfig')
  ) {
    tokens.push('renewable');
  }
  return tokens.join(' ');
}

/** The tooltip's "label: value" lines, files first; only files that exist are named as files. */
export function tooltipRows(item: PkiItem, l10n: L10n): [string, string][] {
  const absent = new Set(item.missingFiles);
  const rows: [string, string][] = [];
  if (!absent.has(item.absolutePath)) rows.push([l10n.t('File', {}), item.absolutePath]);
  if (item.keyAbsolutePath && !absent.has(item.keyAbsolutePath))
    rows.push([
      item.kind === 'key-pair' ? l10n.t('Public key', {}) : l10n.t('Key', {}),
      item.keyAbsolutePath,
    ]);
  for (const file of item.missingFiles) rows.push([l10n.t('Missing', {}), file]);
  const cert = item.certificate;
  if (cert) {
    rows.push(
      [l10n.t('Subject', {}), cert.subject.display],
      [l10n.t('Issuer', {}), cert.issuer.display],
      [l10n.t('Valid from', {}), cert.notBefore.toISOString()],
      [l10n.t('Valid until', {}), cert.notAfter.toISOString()],
      [l10n.t('Serial', {}), cert.serialHex],
      [
        l10n.t('Key', {}),
        // As the hover words it: "EC P-256", "RSA 2048 bit" (an EC key's bits repeat its curve).
        `${cert.publicKey.algorithm} ${cert.publicKey.curve ?? (cert.publicKey.bits ? `${cert.publicKey.bits} bit` : '')}`.trim(),
      ],
      [l10n.t('SHA-256', {}), cert.sha256Fingerprint],
    );
    const sans = [...cert.sans.dns, ...cert.sans.ip];
    if (sans.length) rows.push([l10n.t('SANs', {}), sans.join(', ')]);
    if (cert.extKeyUsage?.length) rows.push([l10n.t('Usages', {}), cert.extKeyUsage.join(', ')]);
    if (item.kind === 'ca') rows.push([l10n.t('SPKI pin', {}), cert.spkiPin]);
  }
  if (item.caName) rows.push([l10n.t('Certificate authority', {}), item.caName]);
  if (item.checkedWith)
    rows.push([l10n.t('Signature checked with', {}), `${item.checkedWith.name} (${item.checkedWith.path})`]);
  if (item.externallyManaged)
    rows.push([
      l10n.t('Externally managed', {}),
      l10n.t('the CA key is not here: cannot be renewed locally', {}),
    ]);
  if (item.rotatedByKubelet)
    rows.push([l10n.t('Renewal', {}), l10n.t('rotated by the kubelet, not by kubeadm', {})]);
  const kubelet = item.kubelet;
  if (kubelet?.linkTarget) rows.push([l10n.t('Points to', {}), kubelet.linkTarget]);
  if (kubelet?.role === 'serving')
    rows.push([
      l10n.t('Signed by', {}),
      kubelet.selfSigned
        ? l10n.t('the kubelet itself (self-signed, never renewed)', {})
        : l10n.t('the cluster CA (serverTLSBootstrap)', {}),
    ]);
  if (kubelet?.rotateCertificates !== undefined)
    rows.push(['rotateCertificates', kubelet.rotateCertificates]);
  if (kubelet?.serverTLSBootstrap !== undefined)
    rows.push(['serverTLSBootstrap', kubelet.serverTLSBootstrap]);
  const served = item.served;
  if (served) {
    const what =
      served.serialHex !== undefined
        ? l10n.t('serial {serial}, expires {notAfter}', {
            serial: served.serialHex,
            notAfter: served.notAfter?.toISOString() ?? '',
          })
        : l10n.t('not reachable: {error}', { error: served.error ?? '' });
    rows.push([
      l10n.t('Served by {component} at {server}', { component: served.component, server: served.server }),
      what,
    ]);
    rows.push([l10n.t('Checked at', {}), served.at.toISOString()]);
    if (served.stale)
      rows.push([
        l10n.t('Restart', {}),
        l10n.t('{component} still serves its old certificate', { component: served.component }),
      ]);
  }
  if (item.reason)
    rows.push([
      l10n.t('Problem', {}),
      renderPkiReason(item.reason, (template, params) => l10n.t(template, params)),
    ]);
  return rows;
}

/** How bad a row is: the worse of its state and its worst finding. */
export function itemLevel(item: PkiItem): Level {
  const finding = worstSeverity(item.findings) ?? 'ok';
  const state = STATE_LOOKS[item.state].level;
  return LEVELS.indexOf(finding) < LEVELS.indexOf(state) ? finding : state;
}

/**
 * What the view's badge counts, as the Problems panel counts errors: the rows drawn red (a MISSING
 * or expired file is an error there whatever its finding's severity) and the error-level findings
 * of no row (static pod wiring, CIS file checks).
 */
export function errorCount(inventories: readonly (PkiInventory | undefined)[]): number {
  let count = 0;
  for (const inventory of inventories) {
    if (!inventory) continue;
    const onRows = new Set<Finding>();
    for (const item of inventory.items.values()) {
      item.findings.forEach((f) => onRows.add(f));
      if (item.kind !== 'backup' && itemLevel(item) === 'error') count++;
    }
    count += inventory.findings.filter((f) => f.severity === 'error' && !onRows.has(f)).length;
  }
  return count;
}
