// `kubeadm certs check-expiration` from an inventory: the same rows, the same text table (Go's
// tabwriter with kubeadm's settings, `Jan 02, 2006 15:04 MST` dates, apimachinery's
// ShortHumanDuration) and the same `CertificateExpirationInfo` object (output.kubeadm.k8s.io/v1alpha3)
// for -o json|yaml. Our additions use field names kubeadm does not have.
import { stringify } from 'yaml';
import type { Finding } from '../findings/finding';
import { shortHumanDuration } from '../time/duration';
import { KUBEADM_KUBECONFIGS } from './catalog';
import type { PkiInventory } from './inventory';
import type { PkiItem, PkiItemState } from './item';

// Moved to core/time so the PKI tree view need not load yaml; still part of this module's API.

/** kubeadm's output.Certificate, field order and names as its JSON tags; then ours. */
export interface ExpirationEntry {
  readonly name: string;
  /** RFC 3339 UTC; null when missing (a zero metav1.Time marshals as null). */
  readonly expirationDate: string | null;
  /** Seconds, truncated toward zero like Go's Duration / time.Second. */
  readonly residualTime: number;
  readonly externallyManaged: boolean;
  /** omitempty in kubeadm: absent on CAs. */
  readonly caName?: string;
  readonly missing: boolean;
  /** kubecerts: the item's state (mis-signed, key-mismatch, … beyond kubeadm's view). */
  readonly verdict: PkiItemState;
  /** kubecerts: finding codes on the item. */
  readonly findingCodes: readonly string[];
}

export interface CertificateExpirationInfo {
  readonly kind: 'CertificateExpirationInfo';
  readonly apiVersion: 'output.kubeadm.k8s.io/v1alpha3';
  readonly certificates: readonly ExpirationEntry[];
  readonly certificateAuthorities: readonly ExpirationEntry[];
}

const ROTATED_BY_KUBELET = new Set(KUBEADM_KUBECONFIGS.filter((e) => e.rotatedByKubelet).map((e) => e.name));

/**
 * kubeadm's renewal manager lists its certificates and kubeconfigs (not kubelet.conf, which the
 * kubelet rotates), then its CAs, each sorted by name. A folder kubeadm did not lay out gets the
 * same report over what it holds.
 */
export function expirationInfo(inventory: PkiInventory): CertificateExpirationInfo {
  const leaves = [
    ...inventory.groups.flatMap((g) => g.children),
    ...inventory.unknownIssuer,
    ...inventory.kubeconfigs.filter((k) => !(k.catalog && ROTATED_BY_KUBELET.has(k.name))),
  ];
  const kubeadm = inventory.layout === 'kubeadm' || inventory.layout === 'kubeadm-node';
  const certificates = leaves
    .filter((item) => !kubeadm || item.catalog)
    .sort(byName)
    .map((item) => entry(item, inventory.now, true));
  const certificateAuthorities = inventory.groups
    .map((g) => g.ca)
    .filter((ca) => !kubeadm || ca.catalog)
    .sort(byName)
    .map((ca) => entry(ca, inventory.now, false));
  return {
    kind: 'CertificateExpirationInfo',
    apiVersion: 'output.kubeadm.k8s.io/v1alpha3',
    certificates,
    certificateAuthorities,
  };
}

function byName(a: PkiItem, b: PkiItem): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function entry(item: PkiItem, now: Date, withCa: boolean): ExpirationEntry {
  const cert = item.certificate;
  const missing = !cert && item.state === 'missing';
  const findingCodes = [...new Set(item.findings.map((f: Finding) => f.code))];
  return {
    name: item.name,
    expirationDate: cert ? rfc3339(cert.notAfter) : null,
    residualTime: cert ? Math.trunc((cert.notAfter.getTime() - now.getTime()) / 1000) : 0,
    externallyManaged: item.externallyManaged,
    ...(withCa && item.caName ? { caName: item.caName } : {}),
    missing,
    verdict: item.state,
    findingCodes,
  };
}

/** Go's time.Time JSON form for a UTC time: whole seconds print without a fraction. */
export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.000Z$/, 'Z');
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Go layout `Jan 02, 2006 15:04 MST` in UTC. */
export function kubeadmDate(date: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${MONTHS[date.getUTCMonth()]} ${pad(date.getUTCDate())}, ${date.getUTCFullYear()} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())} UTC`;
}

/** The text table, byte for byte as kubeadm prints it. */
export function renderExpirationTable(info: CertificateExpirationInfo): string {
  const yesNo = (b: boolean): string => (b ? 'yes' : 'no');
  const lines: string[] = ['CERTIFICATE\tEXPIRES\tRESIDUAL TIME\tCERTIFICATE AUTHORITY\tEXTERNALLY MANAGED'];
  for (const cert of info.certificates) {
    lines.push(
      cert.missing
        ? `!MISSING! ${cert.name}\t\t\t\t`
        : `${cert.name}\t${kubeadmDate(new Date(cert.expirationDate!))}\t${shortHumanDuration(cert.residualTime)}\t${cert.caName ?? ''}\t${yesNo(cert.externallyManaged).padEnd(8)}`,
    );
  }
  lines.push('');
  lines.push('CERTIFICATE AUTHORITY\tEXPIRES\tRESIDUAL TIME\tEXTERNALLY MANAGED');
  for (const ca of info.certificateAuthorities) {
    lines.push(
      ca.missing
        ? `!MISSING! ${ca.name}\t\t\t`
        : `${ca.name}\t${kubeadmDate(new Date(ca.expirationDate!))}\t${shortHumanDuration(ca.residualTime)}\t${yesNo(ca.externallyManaged).padEnd(8)}`,
    );
  }
  return tabwrite(lines, { minWidth: 10, padding: 3 });
}

/** kubeadm's JSON printer: json.MarshalIndent with four spaces, then a newline. */
export function renderExpirationJson(info: CertificateExpirationInfo): string {
  return JSON.stringify(info, null, 4) + '\n';
}

/** kubeadm's YAML printer goes through JSON into a map: keys come out sorted. */
export function renderExpirationYaml(info: CertificateExpirationInfo): string {
  // YAML 1.1 quotes strings that would read back as timestamps, as Go's yaml does; sequences are not indented.
  return stringify(JSON.parse(JSON.stringify(info)), {
    version: '1.1',
    sortMapEntries: true,
    indentSeq: false,
    lineWidth: 0,
  });
}

/**
 * Go's text/tabwriter (flags 0, pad char ' ') over whole lines: a column is a run of consecutive
 * lines that have a tab-terminated cell at that index; its width is the widest cell plus padding,
 * at least minWidth. The text after a line's last tab is not part of any column.
 */
export function tabwrite(lines: readonly string[], settings: { minWidth: number; padding: number }): string {
  const cells = lines.map((line) => line.split('\t'));
  const length = (cell: string): number => [...cell].length;
  const widths = cells.map((row) => new Array<number>(Math.max(0, row.length - 1)).fill(0));
  const maxColumns = Math.max(0, ...cells.map((row) => row.length - 1));
  for (let column = 0; column < maxColumns; column++) {
    let line = 0;
    while (line < cells.length) {
      if (cells[line].length - 1 <= column) {
        line++;
        continue;
      }
      const start = line;
      let width = settings.minWidth;
      for (; line < cells.length && cells[line].length - 1 > column; line++)
        width = Math.max(width, length(cells[line][column]) + settings.padding);
      for (let i = start; i < line; i++) widths[i][column] = width;
    }
  }
  return cells
    .map((row, i) =>
      row
        .map((cell, column) =>
          column < row.length - 1 ? cell + ' '.repeat(widths[i][column] - length(cell)) : cell,
        )
        .join(''),
    )
    .join('\n')
    .concat('\n');
}
