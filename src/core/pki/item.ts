// One row of the PKI inventory (a CA, a certificate, a kubeconfig, the service-account key pair or a
// backup) and how its state follows from what was found: a precedence table, first match wins.
import type { Finding } from '../findings/finding';
import type { Certificate } from '../x509/model';
import type { KubeletCertRole } from './kubelet';
import type { PkiReason } from './reasons';

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
  /** Why the state is missing/invalid/mis-signed: a template code and its parameters (rendered in the tooltip). */
  readonly reason?: PkiReason;
  readonly findings: readonly Finding[];
  /** When the main file was last written (ms since the epoch): "renewed on disk on …". */
  readonly modifiedMs?: number;
  /** A kubelet certificate: its role, where the `*-current.pem` link leads, what config.yaml says. */
  readonly kubelet?: KubeletFacts;
  /** What the component configured to serve this file presented when last checked. */
  readonly served?: ServedFacts;
  /** Changes whenever anything shown for the item changes: the view refreshes only such items. */
  readonly version: string;
}

export interface KubeletFacts {
  readonly role: KubeletCertRole;
  /** Absolute path the `*-current.pem` symbolic link points to. */
  readonly linkTarget?: string;
  readonly selfSigned: boolean;
  /** config.yaml values as written (undefined: not set). */
  readonly rotateCertificates?: string;
  readonly serverTLSBootstrap?: string;
}

export interface ServedFacts {
  readonly component: string;
  /** https://host:port as probed. */
  readonly server: string;
  readonly at: Date;
  readonly serialHex?: string;
  readonly notAfter?: Date;
  /** Why nothing was read (refused, timed out …). */
  readonly error?: string;
  /** It serves an older issue of this file's certificate: the component must be restarted. */
  readonly stale: boolean;
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
    draft.reason ? `${draft.reason.code}:${JSON.stringify(draft.reason.params)}` : '',
    draft.missingFiles.join(','),
    draft.findings.map((f) => `${f.code}:${JSON.stringify(f.params)}`).join(','),
    draft.served ? `${draft.served.serialHex ?? draft.served.error ?? ''}@${draft.served.at.getTime()}` : '',
  ].join('|');
  return { ...draft, version };
}
