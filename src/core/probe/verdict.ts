// The verdict on what a server presented, as a client-go program judges it (crypto/tls →
// crypto/x509 Verify with the cluster's CA as roots, the other presented certificates as
// intermediates, the verification name as DNSName, serverAuth): computed once here and rendered by
// the CLI, the hover and the findings alike.
import { verifyChain, type ChainVerdict } from '../x509/chain';
import type { Certificate } from '../x509/model';
import { verifyHostname, type HostnameCheck } from './hostname';
import type { ProbeTarget } from './target';

const DAY_MS = 86_400_000;

/** What one connection saw; no verdict yet (that depends on the clock and the trust). */
export interface ProbeObservation {
  readonly target: ProbeTarget;
  /** When the connection was made. */
  readonly at: Date;
  /** The proxy used, without credentials (e.g. http://proxy:3128), if any. */
  readonly proxy?: string;
  /** Leaf first, as presented. Empty when the connection failed. */
  readonly presented: readonly Certificate[];
  /** Negotiated protocol, e.g. TLSv1.3. */
  readonly protocol?: string;
  /** Why no certificate was seen (refused, timed out, TLS alert …). */
  readonly error?: string;
}

export type TrustSource = 'cluster-ca' | 'ca-file' | 'system-roots';

export interface ProbeTrust {
  readonly anchors: readonly Certificate[];
  readonly source: TrustSource;
  /** Names the anchors in messages, untranslated: the kubeconfig field, the CA file or the roots file. */
  readonly label: string;
  /** insecure-skip-tls-verify: client-go verifies neither the chain nor the name. */
  readonly insecure?: boolean;
}

export type ExpiryState = 'valid' | 'expiring' | 'expired' | 'not-yet-valid';

export interface ServedVerdict {
  readonly reachable: boolean;
  readonly leaf?: Certificate;
  readonly chain?: ChainVerdict;
  readonly hostname?: HostnameCheck;
  readonly expiry?: ExpiryState;
  /** Whole days left (negative: days since expiry). */
  readonly daysLeft?: number;
  /** Go's error for the first check that fails, in Verify's order (dates, name, chain); undefined when kubectl would connect. */
  readonly goError?: string;
}

function goTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Go's error when no chain verifies. A CA that fails a check (expired, path length, not a CA) only
 * adds a "possibly because of" hint to the unknown-authority error; EKUs are checked after.
 */
export function chainError(chain: ChainVerdict): string {
  // The first problem is the one Go reports.
  if (chain.problems[0]?.code === 'incompatible-key-usage')
    return 'x509: certificate specifies an incompatible key usage';
  return 'x509: certificate signed by unknown authority';
}

export function servedVerdict(
  observation: ProbeObservation,
  trust: ProbeTrust,
  now: Date,
  warnDays: number,
): ServedVerdict {
  const leaf = observation.presented[0];
  if (!leaf) return { reachable: false };
  const left = leaf.notAfter.getTime() - now.getTime();
  const expiry: ExpiryState =
    now.getTime() < leaf.notBefore.getTime()
      ? 'not-yet-valid'
      : left < 0
        ? 'expired'
        : left <= warnDays * DAY_MS
          ? 'expiring'
          : 'valid';
  const daysLeft = Math.floor(left / DAY_MS);
  if (trust.insecure) return { reachable: true, leaf, expiry, daysLeft };

  const chain = verifyChain(
    leaf,
    { anchors: trust.anchors, intermediates: observation.presented.slice(1) },
    now,
    { usage: 'serverAuth' },
  );
  const hostname = verifyHostname(leaf, observation.target.verifyName);
  let goError: string | undefined;
  if (expiry === 'expired') {
    goError = `x509: certificate has expired or is not yet valid: current time ${goTime(now)} is after ${goTime(leaf.notAfter)}`;
  } else if (expiry === 'not-yet-valid') {
    goError = `x509: certificate has expired or is not yet valid: current time ${goTime(now)} is before ${goTime(leaf.notBefore)}`;
  } else if (!hostname.ok) goError = hostname.error;
  else if (!chain.verified) goError = chainError(chain);
  return { reachable: true, leaf, chain, hostname, expiry, daysLeft, ...(goError ? { goError } : {}) };
}
