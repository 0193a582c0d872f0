// Chain verification with Go 1.23's crypto/x509 `Verify` as the oracle (domain.md §8): the same
// candidates in the same order (issuer name == subject, AKI/SKI only ordering them), the same
// per-link checks (validity of every link, unhandled critical extensions, CA:TRUE of
// intermediates, pathLen counting every intermediate below, name constraints, SHA-1/MD5 refused,
// keyCertSign of the signer), the same budget of 100 signature checks and the same nested EKU
// rule. `verified` is Go's answer. Go stops at the first failure; for the user the verdict also
// lists every problem of the best path, and who signed the leaf even when the chain is invalid now.
import type { Certificate } from './model';
import { nameConstraintViolation } from './nameConstraints';
import {
  alreadyInChain,
  chainKey,
  NO_CERTIFICATES,
  poolsOf,
  potentialParents,
  type Parent,
  type Pool,
} from './chainPools';
import {
  dedupe,
  MAX_SIGNATURE_CHECKS,
  toProblem,
  type ChainProblem,
  type ChainUsage,
  type Failure,
  type Role,
} from './chainProblems';
import {
  checkSignatureFrom,
  goAlgorithmProblem,
  parentCannotSign,
  SIGNATURES,
  signedWith,
  verifySignature,
  type SignatureMemo,
} from './signature';

export type { ChainProblem, ChainProblemCode, ChainUsage } from './chainProblems';
// Callers verifying one signature (PKI wiring) import it with the chain.
export { verifySignature } from './signature';

export interface VerifyOptions {
  /** Default 'any': EKUs are not checked. kube-apiserver checks client certs for clientAuth, clients check servers for serverAuth. */
  readonly usage?: ChainUsage;
}

export interface ChainVerdict {
  /** Go's answer: a path to an anchor exists on which every check passed. */
  verified: boolean;
  /**
   * The trust anchor the signatures lead to. Also set when that path fails a policy check (an
   * expired link, a CA without keyCertSign, pathLen): `problems` then says what, `verified` is false.
   */
  anchor?: Certificate;
  /** leaf … anchor when a path was found; otherwise the leaf and the intermediates that did verify. */
  path: Certificate[];
  /** Empty when verified. Otherwise the first problem is the one Go reports, then the others of the best path. */
  problems: ChainProblem[];
  /**
   * The certificate whose key verifies the leaf's signature, whether or not the chain is valid now
   * (an expired leaf still was signed by its CA). Undefined when no candidate's signature verifies.
   */
  signedBy?: Certificate;
}

export interface TrustSet {
  readonly anchors: readonly Certificate[];
  readonly intermediates?: readonly Certificate[];
}

/** Longest path the explanatory search follows (leaf and anchor included); real PKIs have 2 or 3. */
const MAX_PATH = 8;

// ---- failures, Go's way ----

/** Go's isValid for `cert` about to join `chain` (leaf first) in `role`. */
function isValid(
  cert: Certificate,
  role: Role,
  chain: readonly Certificate[],
  now: number,
): Failure | undefined {
  if (cert.unhandledCriticalExtensions?.length) return { kind: 'critical', cert };
  if (now < cert.notBefore.getTime()) return { kind: 'not-yet-valid', cert };
  if (now > cert.notAfter.getTime()) return { kind: 'expired', cert };
  if (role !== 'leaf' && cert.nameConstraints) {
    for (const below of chain) {
      const violation = nameConstraintViolation(cert.nameConstraints, below);
      if (violation) return { kind: 'name', ca: cert, cert: below, ...violation };
    }
  }
  const child = chain[chain.length - 1];
  if (role === 'intermediate' && !cert.basicConstraints?.ca) return { kind: 'not-ca', ca: cert, child };
  const limit = cert.basicConstraints?.pathLen;
  if (limit !== undefined && chain.length - 1 > limit) {
    // The intermediates allowed are the `limit` nearest below it; the next one down exceeds it.
    return { kind: 'path-length', ca: cert, child: chain[chain.length - 1 - limit], limit };
  }
  return undefined;
}

/** The certificate on `chain` that rules `usage` out (Go's checkChainForKeyUsage with one usage). */
function usageBlocker(chain: readonly Certificate[], usage: ChainUsage): Certificate | undefined {
  if (usage === 'any') return undefined;
  for (let i = chain.length - 1; i >= 0; i--) {
    const ekus = chain[i].extKeyUsage;
    if (!ekus?.length || ekus.includes('any')) continue;
    if (!ekus.includes(usage)) return chain[i];
  }
  return undefined;
}

interface Search {
  readonly roots: Pool;
  readonly intermediates: Pool;
  readonly now: number;
  readonly memo: SignatureMemo;
  readonly usage: ChainUsage;
  readonly leaf: Certificate;
  checks: number;
}

/** Is this parent the leaf itself for Go's alreadyInChain? Names first: the leaf's key is rarely needed, and costs a hash. */
function isLeaf(leaf: Certificate, parent: Parent): boolean {
  return parent.cert.subject.derHex === leaf.subject.derHex && parent.key === chainKey(leaf);
}

// Once the budget is spent Go keeps looping, but every later candidate ends in the same error:
// stopping at once gives Go's answer (the chains found so far, or the budget error) without
// walking a hundred levels of a pathological bundle again for each leaf.
const BUDGET_SPENT = Symbol('budget spent');
// Go collects every chain, then keeps those that allow the usage: one such chain settles the
// answer, so the search stops there (a bundle of a hundred same-name CAs costs one check per leaf).
const USABLE_CHAIN = Symbol('usable chain found');

/** Go's buildChains, including which error survives when several candidates fail. */
function buildChains(
  search: Search,
  chain: Certificate[],
  inChain: Set<string>,
  found: Certificate[][],
): { chains: Certificate[][]; err?: Failure } {
  const cert = chain[chain.length - 1];
  const chains: Certificate[][] = [];
  let err: Failure | undefined;
  let hint: Failure | undefined;
  const consider = (role: Role, parent: Parent) => {
    if (!parent.usable || inChain.has(parent.key) || isLeaf(search.leaf, parent)) return;
    if (++search.checks > MAX_SIGNATURE_CHECKS) throw BUDGET_SPENT;
    const candidate = parent.cert;
    const failure = checkSignatureFrom(search.memo, cert, candidate);
    if (failure) {
      hint ??= { kind: 'signature', ca: candidate, child: cert, failure };
      return;
    }
    err = isValid(candidate, role, chain, search.now);
    if (err) {
      hint ??= err;
      return;
    }
    if (role === 'root') {
      chains.push([...chain, candidate]);
      found.push([...chain, candidate]);
      if (!usageBlocker(found[found.length - 1], search.usage)) throw USABLE_CHAIN;
    } else {
      inChain.add(parent.key);
      const below = buildChains(search, [...chain, candidate], inChain, found);
      inChain.delete(parent.key);
      err = below.err;
      chains.push(...below.chains);
    }
  };
  for (const root of potentialParents(search.roots, cert)) consider('root', root);
  for (const intermediate of potentialParents(search.intermediates, cert))
    consider('intermediate', intermediate);
  if (chains.length) return { chains };
  return { chains, err: err ?? hint ?? { kind: 'no-issuer', cert } };
}

/** Go's (*Certificate).Verify: its chains, or the one error it returns. */
function goVerify(
  leaf: Certificate,
  trust: TrustSet,
  now: number,
  usage: ChainUsage,
  memo: SignatureMemo,
): { chain?: Certificate[]; err?: Failure } {
  if (leaf.goRejects !== undefined) return { err: { kind: 'parse', cert: leaf } };
  const leafError = isValid(leaf, 'leaf', [], now);
  if (leafError) return { err: leafError };
  const roots = poolsOf(trust.anchors).go;
  let chains: Certificate[][];
  if (roots.fingerprints.has(leaf.sha256Fingerprint)) {
    chains = [[leaf]];
  } else {
    const search = {
      roots,
      intermediates: poolsOf(trust.intermediates ?? NO_CERTIFICATES).go,
      now,
      memo,
      usage,
      leaf,
      checks: 0,
    };
    const found: Certificate[][] = [];
    try {
      const built = buildChains(search, [leaf], new Set(), found);
      if (built.err) return { err: built.err };
      chains = built.chains;
    } catch (stop) {
      if (stop === USABLE_CHAIN) return { chain: found[found.length - 1] };
      if (stop !== BUDGET_SPENT) throw stop;
      if (found.length === 0) return { err: { kind: 'budget', cert: leaf } };
      chains = found;
    }
  }
  const usable = chains.find((c) => !usageBlocker(c, usage));
  if (usable) return { chain: usable };
  return { err: { kind: 'usage', cert: leaf, ca: usageBlocker(chains[0], usage)!, usage } };
}

// ---- explanation: every problem of the best path ----

/** Every problem Go would find on `path` (leaf … anchor), not only the first. */
function pathProblems(path: readonly Certificate[], now: number, usage: ChainUsage): Failure[] {
  const failures: Failure[] = [];
  path.forEach((cert, i) => {
    const role: Role = i === 0 ? 'leaf' : i === path.length - 1 ? 'root' : 'intermediate';
    if (cert.goRejects !== undefined) failures.push({ kind: 'parse', cert });
    if (cert.unhandledCriticalExtensions?.length) failures.push({ kind: 'critical', cert });
    if (now < cert.notBefore.getTime()) failures.push({ kind: 'not-yet-valid', cert });
    if (now > cert.notAfter.getTime()) failures.push({ kind: 'expired', cert });
    if (i === 0) return;
    const child = path[i - 1];
    const why = parentCannotSign(cert);
    const algorithm = goAlgorithmProblem(child);
    if (why) failures.push({ kind: 'signature', ca: cert, child, failure: { kind: 'cannot-sign', why } });
    else if (role === 'intermediate' && !cert.basicConstraints?.ca)
      failures.push({ kind: 'not-ca', ca: cert, child });
    if (algorithm) failures.push({ kind: 'signature', ca: cert, child, failure: algorithm });
    const below = path.slice(0, i);
    if (cert.nameConstraints) {
      for (const b of below) {
        const violation = nameConstraintViolation(cert.nameConstraints, b);
        if (violation) failures.push({ kind: 'name', ca: cert, cert: b, ...violation });
      }
    }
    const limit = cert.basicConstraints?.pathLen;
    if (limit !== undefined && i - 1 > limit) {
      failures.push({ kind: 'path-length', ca: cert, child: path[i - 1 - limit], limit });
    }
  });
  const blocker = usageBlocker(path, usage);
  if (blocker) failures.push({ kind: 'usage', cert: path[0], ca: blocker, usage });
  return failures;
}

interface Explanation {
  /** The complete path with the fewest problems, if any path reaches an anchor through good signatures. */
  best?: { path: Certificate[]; failures: Failure[] };
  /** The longest incomplete path and why each dead end failed. */
  deepest: Certificate[];
  deadEnds: Failure[];
  signedBy?: Certificate;
}

/**
 * Follows every path whose signatures verify cryptographically (whatever Go's policy says about
 * the algorithm or the signer) to find who signed what and what is wrong with the best path.
 * Bounded like Go: at most MAX_SIGNATURE_CHECKS signature checks.
 */
function explain(
  leaf: Certificate,
  trust: TrustSet,
  now: number,
  usage: ChainUsage,
  memo: SignatureMemo,
): Explanation {
  const roots = poolsOf(trust.anchors).all;
  const intermediates = poolsOf(trust.intermediates ?? NO_CERTIFICATES).all;
  const out: Explanation = { deepest: [leaf], deadEnds: [] };
  let checks = 0;
  const consider = (path: Certificate[]): void => {
    const cert = path[path.length - 1];
    const candidates = [
      ...potentialParents(roots, cert).map((p) => ({ ca: p.cert, root: true })),
      ...potentialParents(intermediates, cert)
        .map((p) => p.cert)
        .filter((ca) => !roots.fingerprints.has(ca.sha256Fingerprint))
        .map((ca) => ({ ca, root: false })),
    ].filter(({ ca }) => !alreadyInChain(ca, path));
    if (candidates.length === 0) {
      out.deadEnds.push({ kind: 'no-issuer', cert });
      return;
    }
    for (const { ca, root } of candidates) {
      if (++checks > MAX_SIGNATURE_CHECKS) {
        out.deadEnds.push({ kind: 'budget', cert: leaf });
        return;
      }
      if (!signedWith(memo, cert, ca)) {
        out.deadEnds.push({ kind: 'signature', ca, child: cert, failure: { kind: 'bad-signature' } });
        continue;
      }
      if (path.length === 1) out.signedBy ??= ca;
      const next = [...path, ca];
      if (next.length > out.deepest.length) out.deepest = next;
      if (root) {
        const failures = pathProblems(next, now, usage);
        if (!out.best || failures.length < out.best.failures.length) out.best = { path: next, failures };
        if (failures.length === 0) return;
      } else if (next.length < MAX_PATH) {
        consider(next);
      }
      if (out.best?.failures.length === 0) return;
    }
  };
  consider([leaf]);
  return out;
}

// ---- the verdict ----

/**
 * Verifies `leaf` against trust anchors (and untrusted intermediates) at `now`, as Go's Verify
 * does with `anchors` as Roots. Leaf validity problems are listed too, with certificate === leaf,
 * so callers reporting leaf dates themselves can skip them.
 */
export function verifyChain(
  leaf: Certificate,
  trust: TrustSet,
  now: Date,
  options: VerifyOptions = {},
): ChainVerdict {
  const t = now.getTime();
  const usage = options.usage ?? 'any';
  const memo = SIGNATURES;
  const go = goVerify(leaf, trust, t, usage, memo);
  if (go.chain) {
    const path = go.chain;
    const signedBy = path.length > 1 ? path[1] : selfSigned(leaf);
    return {
      verified: true,
      anchor: path[path.length - 1],
      path,
      problems: [],
      ...(signedBy ? { signedBy } : {}),
    };
  }
  const primary = go.err!;
  const why = explanation(leaf, trust, t, usage, memo, primary);
  const failures = [
    primary,
    ...(why.best ? why.best.failures : [...pathProblems([leaf], t, 'any'), ...why.deadEnds]),
  ];
  const path = why.best?.path ?? why.deepest;
  return {
    verified: false,
    ...(why.best ? { anchor: path[path.length - 1] } : {}),
    path,
    problems: dedupe(failures.map((f) => toProblem(f, trust.anchors))),
    ...(why.signedBy ? { signedBy: why.signedBy } : {}),
  };
}

function explanation(
  leaf: Certificate,
  trust: TrustSet,
  now: number,
  usage: ChainUsage,
  memo: SignatureMemo,
  primary: Failure,
): Explanation {
  if (poolsOf(trust.anchors).all.fingerprints.has(leaf.sha256Fingerprint)) {
    const signedBy = selfSigned(leaf);
    return {
      deepest: [leaf],
      deadEnds: [],
      best: { path: [leaf], failures: pathProblems([leaf], now, usage) },
      ...(signedBy ? { signedBy } : {}),
    };
  }
  // Go gave up on the budget: searching again would only spend it a second time.
  if (primary.kind === 'budget') return { deepest: [leaf], deadEnds: [] };
  return explain(leaf, trust, now, usage, memo);
}

function selfSigned(cert: Certificate): Certificate | undefined {
  return cert.isSelfIssued && verifySignature(cert, cert) ? cert : undefined;
}
