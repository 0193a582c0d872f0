// The status bar's summary and the expiry notification's choice, as data: which certificates the
// findings say are expired or expiring, counted once per certificate, and which of them are due a
// notification (at most once a day each). vscode-free; unit tests drive it.
import type { Finding, Span } from '../../core/findings/finding';

export type ExpiryCode = 'cert-expired' | 'cert-expiring';

const EXPIRY_CODES: ReadonlySet<string> = new Set<ExpiryCode>(['cert-expired', 'cert-expiring']);

export interface AffectedCertificate<P> {
  readonly code: ExpiryCode;
  readonly subject: string;
  /** Days since expiry (expired) or until it (expiring), as the finding says. */
  readonly days: number;
  /** The certificate's SHA-256; undefined when the finding does not name one. */
  readonly sha256?: string;
  /** Where the finding is: the caller's handle on the file, and the span in it. */
  readonly place: P;
  readonly span: Span;
}

/** One notification per certificate per day. */
export const NOTIFY_INTERVAL_MS = 24 * 60 * 60 * 1000;
/** Notification dates older than this are dropped from the stored state. */
const FORGET_AFTER_MS = 30 * NOTIFY_INTERVAL_MS;

/** Expired and expiring certificates, worst first: expired (longest ago first), then expiring (soonest first). */
export function affectedCertificates<P>(
  entries: Iterable<{ readonly place: P; readonly findings: readonly Finding[] }>,
): AffectedCertificate<P>[] {
  const found: AffectedCertificate<P>[] = [];
  for (const { place, findings } of entries) {
    for (const f of findings) {
      if (!EXPIRY_CODES.has(f.code)) continue;
      found.push({
        code: f.code as ExpiryCode,
        subject: String(f.params.subject ?? f.certificate?.subject ?? ''),
        days: Number(f.params.days ?? 0),
        sha256: f.certificate?.sha256,
        place,
        span: f.span,
      });
    }
  }
  const rank = (a: AffectedCertificate<P>) => (a.code === 'cert-expired' ? -a.days : 1e9 + a.days);
  return found.sort((a, b) => rank(a) - rank(b));
}

/** Identity of a certificate across files: its fingerprint, else its place. */
function identity<P>(a: AffectedCertificate<P>, placeKey: (place: P) => string): string {
  return a.sha256 ?? `${placeKey(a.place)}#${a.span.start}`;
}

/** Distinct certificates per verdict (a CA embedded in three kubeconfigs counts once). */
export function expiryCounts<P>(
  list: readonly AffectedCertificate<P>[],
  placeKey: (place: P) => string,
): { readonly expired: number; readonly expiring: number } {
  const expired = new Set<string>();
  const expiring = new Set<string>();
  for (const a of list) (a.code === 'cert-expired' ? expired : expiring).add(identity(a, placeKey));
  for (const id of expired) expiring.delete(id);
  return { expired: expired.size, expiring: expiring.size };
}

/** The certificates not notified within the last day, once each (the first place found). */
export function dueForNotification<P>(
  list: readonly AffectedCertificate<P>[],
  notified: Readonly<Record<string, number>>,
  now: number,
  placeKey: (place: P) => string,
): AffectedCertificate<P>[] {
  const seen = new Set<string>();
  return list.filter((a) => {
    const id = identity(a, placeKey);
    if (seen.has(id)) return false;
    seen.add(id);
    const last = notified[id];
    return last === undefined || now - last >= NOTIFY_INTERVAL_MS;
  });
}

/** The stored state after notifying `shown`: their date set to now, dates past a month dropped. */
export function markNotified<P>(
  notified: Readonly<Record<string, number>>,
  shown: readonly AffectedCertificate<P>[],
  now: number,
  placeKey: (place: P) => string,
): Record<string, number> {
  const next: Record<string, number> = {};
  for (const [id, at] of Object.entries(notified)) if (now - at < FORGET_AFTER_MS) next[id] = at;
  for (const a of shown) next[identity(a, placeKey)] = now;
  return next;
}
