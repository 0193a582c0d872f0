// One row of the PKI inventory (a CA, a certificate, a kubeconfig, the service-account key pair or a
// backup) and how its state follows from what was found: a precedence table, first match wins.
import type { Finding } from '../findings/finding';
import type { Certificate } from '../x509/model';

export type PkiItemState =
  | 'ok'
  | 'expiring'
  | 'expired'
  | 'not-yet-valid'
  | 'mis-signed'
  | 'key-mismatch'
  | 'invalid'
  | 'missing'
  | 'externally-managed';

export type PkiItemKind = 'ca' | 'cert' | 'kubeconfig' | 'key-pair' | 'backup';

export interface PkiItem {
  /** Stable across rescans: kind + logical path. */
  readonly id: string;
  readonly kind: PkiItemKind;
  /** kubeadm's name (`apiserver`, `admin.conf`, `ca`) or the file's display name. */
  readonly name: string;
  readonly longName?: string;
  /** From kubeadm's catalog (MISSING rows are only shown for these). */
  readonly catalog: boolean;
  /** Logical path of the main file (the expected one when missing). */
  readonly path: string;
  readonly absolutePath: string;
  readonly keyPath?: string;
  readonly keyAbsolutePath?: string;
  /** Files the item expects that are not there (absolute): the tooltip lists only files that exist. */
  readonly missingFiles: readonly string[];
  /** Id of the CA item the item hangs under. */
  readonly caId?: string;
  /** Name of that CA as kubeadm prints it (`ca`, `etcd-ca`) or its display name. */
  readonly caName?: string;
  /** The CA certificate the signature was checked with, when one was: the tooltip names it. */
  readonly checkedWith?: { readonly name: string; readonly path: string };
  readonly state: PkiItemState;
  readonly externallyManaged: boolean;
  readonly rotatedByKubelet: boolean;
  readonly certificate?: Certificate;
  /** English, no secrets: why the state is missing/invalid/mis-signed (shown in the tooltip). */
  readonly reason?: string;
  readonly findings: readonly Finding[];
  /** Changes whenever anything shown for the item changes: the view refreshes only such items. */
  readonly version: string;
}

export interface PkiCaGroup {
  readonly ca: PkiItem;
  readonly children: readonly PkiItem[];
}

/** Where a certificate stands against the clock alone. */
export type DateState = Extract<PkiItemState, 'ok' | 'expiring' | 'expired' | 'not-yet-valid'>;

/** What the builders found about an item with a readable certificate. */
export interface StateFacts {
  readonly dates: DateState;
  /** Its CA (or the kubeconfig's CA) does not verify it. */
  readonly misSigned?: boolean;
  /** The key file it is paired with is expected but absent. */
  readonly keyMissing?: boolean;
  /** The key file holds keys, none of them its key. */
  readonly keyMismatch?: boolean;
  /** A CA whose key is not in the folder. */
  readonly caKeyAbsent?: boolean;
}

/** Worst first: a broken signature or key outweighs the dates; an externally managed CA shows only when all else is fine. */
const STATE_RULES: readonly (readonly [PkiItemState, (facts: StateFacts) => boolean])[] = [
  ['mis-signed', (f) => f.misSigned === true],
  ['missing', (f) => f.keyMissing === true],
  ['key-mismatch', (f) => f.keyMismatch === true],
  ['expired', (f) => f.dates === 'expired'],
  ['not-yet-valid', (f) => f.dates === 'not-yet-valid'],
  ['expiring', (f) => f.dates === 'expiring'],
  ['externally-managed', (f) => f.caKeyAbsent === true],
];

export function itemState(facts: StateFacts): PkiItemState {
  return STATE_RULES.find(([, applies]) => applies(facts))?.[0] ?? 'ok';
}

const DAY_MS = 86_400_000;

export function dateState(cert: Certificate, now: Date, warnDays: number): DateState {
  const at = now.getTime();
  if (cert.notAfter.getTime() < at) return 'expired';
  if (cert.notBefore.getTime() > at) return 'not-yet-valid';
  if (cert.notAfter.getTime() - at <= warnDays * DAY_MS) return 'expiring';
  return 'ok';
}

export type ItemDraft = Omit<PkiItem, 'version'>;

/** Stamps the version the view compares to redraw only what changed. */
export function finishItem(draft: ItemDraft): PkiItem {
  const version = [
    draft.state,
    draft.certificate?.sha256Fingerprint ?? '',
    draft.externallyManaged,
    draft.caId ?? '',
    draft.reason ?? '',
    draft.missingFiles.join(','),
    draft.findings.map((f) => `${f.code}:${JSON.stringify(f.params)}`).join(','),
  ].join('|');
  return { ...draft, version };
}
