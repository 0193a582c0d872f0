// Go's CertPool and findPotentialParents: certificates indexed by subject, candidate issuers in
// Go's order, and the alreadyInChain identity used to avoid loops.
import type { Certificate } from './model';
import { goHasKey } from './signature';

export const NO_CERTIFICATES: readonly Certificate[] = Object.freeze([]);

export interface Pool {
  readonly bySubject: ReadonlyMap<string, readonly Certificate[]>;
  readonly fingerprints: ReadonlySet<string>;
}

// Callers pass the same anchor list for every leaf of an audit: index it once per list.
const poolCache = new WeakMap<readonly Certificate[], { go: Pool; all: Pool }>();

/** Go's CertPool (certificates Go cannot parse are not in it) and the pool of everything given. */
export function poolsOf(certs: readonly Certificate[]): { go: Pool; all: Pool } {
  let pools = poolCache.get(certs);
  if (!pools) {
    pools = { go: makePool(certs.filter((c) => c.goRejects === undefined)), all: makePool(certs) };
    poolCache.set(certs, pools);
  }
  return pools;
}

function makePool(certs: readonly Certificate[]): Pool {
  const bySubject = new Map<string, Certificate[]>();
  const fingerprints = new Set<string>();
  for (const cert of certs) {
    if (fingerprints.has(cert.sha256Fingerprint)) continue;
    fingerprints.add(cert.sha256Fingerprint);
    const list = bySubject.get(cert.subject.derHex);
    if (list) list.push(cert);
    else bySubject.set(cert.subject.derHex, [cert]);
  }
  return { bySubject, fingerprints };
}

/** A candidate parent with what the search asks of it on every visit, computed once. */
export interface Parent {
  readonly cert: Certificate;
  /** Go's alreadyInChain identity: subject, key and SAN extension. */
  readonly key: string;
  /** Go has a public key for it (others are never tried). */
  readonly usable: boolean;
}

/** Go's findPotentialParents: same name; AKI == SKI first, then one id missing, then mismatching ids. */
export function potentialParents(pool: Pool, cert: Certificate): readonly Parent[] {
  const named = pool.bySubject.get(cert.issuer.derHex);
  if (!named) return NO_PARENTS;
  const aki = cert.authorityKeyId ?? '';
  // Leaves of one CA ask for the same ordering: keep it per pool, issuer name and key id.
  let byIssuer = parentOrders.get(pool);
  if (!byIssuer) parentOrders.set(pool, (byIssuer = new Map()));
  const key = `${cert.issuer.derHex}|${aki}`;
  let ordered = byIssuer.get(key);
  if (!ordered) {
    const rank = (c: Certificate) => {
      const ski = c.subjectKeyId ?? '';
      return ski === aki ? 0 : !ski || !aki ? 1 : 2;
    };
    ordered = [...named]
      .sort((a, b) => rank(a) - rank(b))
      .map((c) => ({ cert: c, key: chainKey(c), usable: goHasKey(c) }));
    byIssuer.set(key, ordered);
  }
  return ordered;
}

const NO_PARENTS: readonly Parent[] = Object.freeze([]);
const parentOrders = new WeakMap<Pool, Map<string, readonly Parent[]>>();

// Go's alreadyInChain compares subject, key and SAN extension: one string per certificate.
const chainKeys = new WeakMap<Certificate, string>();

export function chainKey(cert: Certificate): string {
  let key = chainKeys.get(cert);
  if (key === undefined) {
    key = `${cert.subject.derHex}|${cert.spkiPin}|${cert.sanExtensionHex ?? '-'}`;
    chainKeys.set(cert, key);
  }
  return key;
}

/** Go's alreadyInChain: same subject, same key and same SAN extension (or both without). */
export function alreadyInChain(candidate: Certificate, chain: readonly Certificate[]): boolean {
  const key = chainKey(candidate);
  for (const c of chain) if (chainKey(c) === key) return true;
  return false;
}
