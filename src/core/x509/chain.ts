// Chain verification with Go 1.23's crypto/x509 `Verify` as the oracle (domain.md §8): the same
// candidates in the same order (issuer name == subject, AKI/SKI only ordering them), the same
// per-link checks (validity of every link, unhandled critical extensions, CA:TRUE of
// intermediates, pathLen counting every intermediate below, name constraints, SHA-1/MD5 refused,
// keyCertSign of the signer), the same budget of 100 signature checks and the same nested EKU
// rule. `verified` is Go's answer. Go stops at the first failure; for the user the verdict also
// lists every problem of the best path, and who signed the leaf even when the chain is invalid now.
import { constants, verify, type KeyObject } from 'node:crypto';
import { pssParameters } from './certificate';
import type { Certificate } from './model';
import { NODE_DIGESTS, RSASSA_PSS_OID, SIGNATURE_ALGORITHMS } from './oids';
import { importSpki } from './publicKey';
import { goHasPublicKey } from './goKeys';
import { nameConstraintViolation } from './nameConstraints';

export type ChainProblemCode =
  | 'not-signed-by-ca'
  | 'bad-signature'
  | 'issuer-not-ca'
  | 'path-length-exceeded'
  | 'cert-expired'
  | 'cert-not-yet-valid'
  | 'unhandled-critical-extension'
  | 'name-constraint-violation'
  | 'incompatible-key-usage'
  | 'chain-too-complex'
  | 'weak-signature'
  | 'invalid-certificate';

/** The extended key usage the chain is verified for (Go's VerifyOptions.KeyUsages). */
export type ChainUsage = 'clientAuth' | 'serverAuth' | 'any';

export interface VerifyOptions {
  /** Default 'any': EKUs are not checked. kube-apiserver checks client certs for clientAuth, clients check servers for serverAuth. */
  readonly usage?: ChainUsage;
}

export interface ChainProblem {
  code: ChainProblemCode;
  /** The link with the problem (leaf or CA). */
  certificate: Certificate;
  /** The CA tried, if any. */
  ca?: Certificate;
  detail: string;
  /**
   * Values for the finding catalog's template of `code` ({subject, ca, usage, allowed, name,
   * extension, limit, algorithm, reason, …}); callers pass them through.
   */
  params?: Record<string, string | number>;
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

/** Go's maxChainSignatureChecks. */
export const MAX_SIGNATURE_CHECKS = 100;
/** Longest path the explanatory search follows (leaf and anchor included); real PKIs have 2 or 3. */
const MAX_PATH = 8;
const KEY_CACHE_LIMIT = 4096;
const NO_CERTIFICATES: readonly Certificate[] = Object.freeze([]);

// Parsing a public key costs about as much as a verification: audits check thousands of leaves
// against a handful of CAs, so each CA's KeyObject is built once (keyed by the SPKI's hash).
const keyCache = new Map<string, KeyObject | null>();

function publicKeyOf(cert: Certificate): KeyObject | undefined {
  let key = keyCache.get(cert.spkiPin);
  if (key === undefined) {
    try {
      key = importSpki(cert.publicKey.spkiDer);
    } catch {
      key = null;
    }
    if (keyCache.size >= KEY_CACHE_LIMIT) keyCache.delete(keyCache.keys().next().value as string);
    keyCache.set(cert.spkiPin, key);
  }
  return key ?? undefined;
}

/** Does `issuer`'s public key verify `cert`'s signature? Names, constraints and algorithm policy are not looked at. */
export function verifySignature(cert: Certificate, issuer: Certificate): boolean {
  const alg = cert.signatureAlgorithm;
  const info = SIGNATURE_ALGORITHMS[alg.oid];
  if (!info || info.key !== issuer.publicKey.algorithm) return false;
  const key = publicKeyOf(issuer);
  if (!key) return false;
  try {
    if (alg.oid === RSASSA_PSS_OID) {
      const { hash, saltLength } = pssParameters(cert);
      const digest = NODE_DIGESTS[hash];
      if (!digest) return false;
      const pss = { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength };
      return verify(digest, cert.tbsDer, pss, cert.signatureValue);
    }
    const digest = info.hash === undefined ? null : NODE_DIGESTS[info.hash];
    if (digest === undefined) return false;
    return verify(digest, cert.tbsDer, key, cert.signatureValue);
  } catch {
    return false;
  }
}

// ---- Go's rules, as data ----

/** Signature algorithms Go knows, with the key family that must verify them. */
const GO_SIGNATURES: Readonly<Record<string, { readonly key: string; readonly hash?: string }>> = {
  '1.2.840.113549.1.1.4': { key: 'RSA', hash: 'MD5' },
  '1.2.840.113549.1.1.5': { key: 'RSA', hash: 'SHA-1' },
  '1.3.14.3.2.29': { key: 'RSA', hash: 'SHA-1' },
  '1.2.840.113549.1.1.11': { key: 'RSA', hash: 'SHA-256' },
  '1.2.840.113549.1.1.12': { key: 'RSA', hash: 'SHA-384' },
  '1.2.840.113549.1.1.13': { key: 'RSA', hash: 'SHA-512' },
  '1.2.840.10045.4.1': { key: 'EC', hash: 'SHA-1' },
  '1.2.840.10045.4.3.2': { key: 'EC', hash: 'SHA-256' },
  '1.2.840.10045.4.3.3': { key: 'EC', hash: 'SHA-384' },
  '1.2.840.10045.4.3.4': { key: 'EC', hash: 'SHA-512' },
  '1.3.101.112': { key: 'Ed25519' },
};

/** Go accepts RSA-PSS only as SHA-256/384/512 with MGF1 of the same hash and salt = hash length. */
const GO_PSS_SALT: Readonly<Record<string, number>> = { 'SHA-256': 32, 'SHA-384': 48, 'SHA-512': 64 };

/** Digests Go's Verify refuses (InsecureAlgorithmError); the anchor's own signature is never checked. */
const INSECURE_HASHES = new Set(['MD5', 'SHA-1']);

const goKeyCache = new Map<string, boolean>();

function goHasKey(cert: Certificate): boolean {
  let known = goKeyCache.get(cert.spkiPin);
  if (known === undefined) {
    known = goHasPublicKey(cert.publicKey.spkiDer);
    if (goKeyCache.size >= KEY_CACHE_LIMIT) goKeyCache.delete(goKeyCache.keys().next().value as string);
    goKeyCache.set(cert.spkiPin, known);
  }
  return known;
}

/** Why Go's CheckSignatureFrom(child, parent) fails before or at the signature, or undefined. */
type SignatureFailure =
  | { readonly kind: 'cannot-sign'; readonly why: string }
  | { readonly kind: 'insecure'; readonly algorithm: string }
  | { readonly kind: 'unsupported'; readonly algorithm: string }
  | { readonly kind: 'bad-signature' };

function parentCannotSign(parent: Certificate): string | undefined {
  const bc = parent.basicConstraints;
  if (parent.version === 3 && !bc) return 'it has no basicConstraints extension';
  if (bc && !bc.ca) return 'its basicConstraints say CA:FALSE';
  if (parent.keyUsage?.length && !parent.keyUsage.includes('keyCertSign'))
    return 'its key usage lacks keyCertSign';
  return undefined;
}

function goAlgorithmProblem(child: Certificate): SignatureFailure | undefined {
  const alg = child.signatureAlgorithm;
  if (alg.oid === RSASSA_PSS_OID) {
    const { hash, saltLength } = pssParameters(child);
    return GO_PSS_SALT[hash] === saltLength
      ? undefined
      : { kind: 'unsupported', algorithm: `${alg.name} (${hash}, salt ${saltLength})` };
  }
  const go = GO_SIGNATURES[alg.oid];
  if (!go) return { kind: 'unsupported', algorithm: alg.name };
  if (go.hash && INSECURE_HASHES.has(go.hash)) return { kind: 'insecure', algorithm: alg.name };
  return undefined;
}

/** Signature results of one verifyChain call: a bundle of same-key CAs asks the same question 100 times. */
type SignatureMemo = Map<string, boolean>;

// Shared by all calls (bounded): the CAs of a bundle are checked against each other once, not per leaf.
const SIGNATURES: SignatureMemo = new Map();
const SIGNATURE_CACHE_LIMIT = 16_384;

function signedWith(memo: SignatureMemo, child: Certificate, parent: Certificate): boolean {
  const key = `${child.sha256Fingerprint}|${parent.spkiPin}|${parent.publicKey.algorithm}`;
  let ok = memo.get(key);
  if (ok === undefined) {
    ok = verifySignature(child, parent);
    if (memo.size >= SIGNATURE_CACHE_LIMIT) memo.delete(memo.keys().next().value as string);
    memo.set(key, ok);
  }
  return ok;
}

function checkSignatureFrom(
  memo: SignatureMemo,
  child: Certificate,
  parent: Certificate,
): SignatureFailure | undefined {
  const why = parentCannotSign(parent);
  if (why) return { kind: 'cannot-sign', why };
  return (
    goAlgorithmProblem(child) ?? (signedWith(memo, child, parent) ? undefined : { kind: 'bad-signature' })
  );
}

// ---- pools ----

interface Pool {
  readonly bySubject: ReadonlyMap<string, readonly Certificate[]>;
  readonly fingerprints: ReadonlySet<string>;
}

// Callers pass the same anchor list for every leaf of an audit: index it once per list.
const poolCache = new WeakMap<readonly Certificate[], { go: Pool; all: Pool }>();

/** Go's CertPool (certificates Go cannot parse are not in it) and the pool of everything given. */
function poolsOf(certs: readonly Certificate[]): { go: Pool; all: Pool } {
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
interface Parent {
  readonly cert: Certificate;
  /** Go's alreadyInChain identity: subject, key and SAN extension. */
  readonly key: string;
  /** Go has a public key for it (others are never tried). */
  readonly usable: boolean;
}

/** Go's findPotentialParents: same name; AKI == SKI first, then one id missing, then mismatching ids. */
function potentialParents(pool: Pool, cert: Certificate): readonly Parent[] {
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

function chainKey(cert: Certificate): string {
  let key = chainKeys.get(cert);
  if (key === undefined) {
    key = `${cert.subject.derHex}|${cert.spkiPin}|${cert.sanExtensionHex ?? '-'}`;
    chainKeys.set(cert, key);
  }
  return key;
}

/** Go's alreadyInChain: same subject, same key and same SAN extension (or both without). */
function alreadyInChain(candidate: Certificate, chain: readonly Certificate[]): boolean {
  const key = chainKey(candidate);
  for (const c of chain) if (chainKey(c) === key) return true;
  return false;
}

// ---- failures, Go's way ----

type Role = 'leaf' | 'intermediate' | 'root';

/** One reason Go gives up, with the certificates it concerns. */
type Failure =
  | { readonly kind: 'parse'; readonly cert: Certificate }
  | { readonly kind: 'expired' | 'not-yet-valid' | 'critical'; readonly cert: Certificate }
  | { readonly kind: 'not-ca'; readonly ca: Certificate; readonly child: Certificate }
  | {
      readonly kind: 'path-length';
      readonly ca: Certificate;
      readonly child: Certificate;
      readonly limit: number;
    }
  | {
      readonly kind: 'name';
      readonly ca: Certificate;
      readonly cert: Certificate;
      readonly name: string;
      readonly why: string;
    }
  | {
      readonly kind: 'signature';
      readonly ca: Certificate;
      readonly child: Certificate;
      readonly failure: SignatureFailure;
    }
  | { readonly kind: 'no-issuer'; readonly cert: Certificate }
  | { readonly kind: 'budget'; readonly cert: Certificate }
  | {
      readonly kind: 'usage';
      readonly cert: Certificate;
      readonly ca: Certificate;
      readonly usage: ChainUsage;
    };

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
    problems: dedupe(failures.map((f) => toProblem(f, trust))),
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

function dedupe(problems: ChainProblem[]): ChainProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.code}|${p.certificate.sha256Fingerprint}|${p.ca?.sha256Fingerprint ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const USAGE_NAMES: Readonly<Record<ChainUsage, string>> = {
  clientAuth: 'client authentication (clientAuth)',
  serverAuth: 'server authentication (serverAuth)',
  any: 'any usage',
};

function toProblem(f: Failure, trust: TrustSet): ChainProblem {
  switch (f.kind) {
    case 'parse':
      return {
        code: 'invalid-certificate',
        certificate: f.cert,
        detail: `Go cannot parse "${f.cert.subject.display}": ${f.cert.goRejects ?? ''}`,
        params: { subject: f.cert.subject.display, reason: f.cert.goRejects ?? '' },
      };
    case 'expired':
      return {
        code: 'cert-expired',
        certificate: f.cert,
        detail: `"${f.cert.subject.display}" expired at ${f.cert.notAfter.toISOString()}`,
        params: { subject: f.cert.subject.display, notAfter: f.cert.notAfter.toISOString() },
      };
    case 'not-yet-valid':
      return {
        code: 'cert-not-yet-valid',
        certificate: f.cert,
        detail: `"${f.cert.subject.display}" is not valid before ${f.cert.notBefore.toISOString()}`,
        params: { subject: f.cert.subject.display, notBefore: f.cert.notBefore.toISOString() },
      };
    case 'critical': {
      const extension = (f.cert.unhandledCriticalExtensions ?? []).join(', ');
      return {
        code: 'unhandled-critical-extension',
        certificate: f.cert,
        detail: `"${f.cert.subject.display}" has critical extension(s) Go does not handle: ${extension}`,
        params: { subject: f.cert.subject.display, extension },
      };
    }
    case 'not-ca':
      return {
        code: 'issuer-not-ca',
        certificate: f.child,
        ca: f.ca,
        detail: `"${f.ca.subject.display}" signed "${f.child.subject.display}" but is not a CA (basicConstraints CA:TRUE missing)`,
        params: { subject: f.child.subject.display, ca: f.ca.subject.display },
      };
    case 'path-length':
      return {
        code: 'path-length-exceeded',
        certificate: f.child,
        ca: f.ca,
        detail: `"${f.child.subject.display}" exceeds the path length limit of "${f.ca.subject.display}" (pathLen ${f.limit}: at most ${f.limit} intermediate CA(s) below it)`,
        params: { subject: f.child.subject.display, ca: f.ca.subject.display, limit: f.limit },
      };
    case 'name':
      return {
        code: 'name-constraint-violation',
        certificate: f.cert,
        ca: f.ca,
        detail: `"${f.cert.subject.display}" names ${f.name}, which the name constraints of "${f.ca.subject.display}" do not permit (${f.why})`,
        params: { subject: f.cert.subject.display, name: f.name, ca: f.ca.subject.display },
      };
    case 'usage': {
      const allowed = (f.ca.extKeyUsage ?? []).join(', ');
      return {
        code: 'incompatible-key-usage',
        certificate: f.cert,
        ca: f.ca,
        detail: `"${f.cert.subject.display}" cannot be used for ${USAGE_NAMES[f.usage]}: "${f.ca.subject.display}" limits extended key usage to ${allowed}`,
        params: { subject: f.cert.subject.display, usage: f.usage, ca: f.ca.subject.display, allowed },
      };
    }
    case 'budget':
      return {
        code: 'chain-too-complex',
        certificate: f.cert,
        detail: `path building for "${f.cert.subject.display}" needs more than ${MAX_SIGNATURE_CHECKS} signature checks`,
        params: { subject: f.cert.subject.display, limit: MAX_SIGNATURE_CHECKS },
      };
    case 'no-issuer': {
      const anchors = trust.anchors.map((a) => a.subject.display).join('; ');
      return {
        code: 'not-signed-by-ca',
        certificate: f.cert,
        detail: `no CA with the subject "${f.cert.issuer.display}" among the certificates given`,
        params: {
          subject: f.cert.subject.display,
          issuer: f.cert.issuer.display,
          ca: anchors || f.cert.issuer.display,
        },
      };
    }
    case 'signature':
      return signatureProblem(f.child, f.ca, f.failure);
  }
}

function signatureProblem(child: Certificate, ca: Certificate, failure: SignatureFailure): ChainProblem {
  const subject = child.subject.display;
  const caName = ca.subject.display;
  switch (failure.kind) {
    case 'cannot-sign':
      return {
        code: 'issuer-not-ca',
        certificate: child,
        ca,
        detail: `"${caName}" may not sign certificates: ${failure.why}`,
        params: { subject, ca: caName },
      };
    case 'insecure':
      return {
        code: 'weak-signature',
        certificate: child,
        ca,
        detail: `"${subject}" is signed with ${failure.algorithm}, which Go refuses in chains (InsecureAlgorithmError)`,
        params: { subject, algorithm: failure.algorithm },
      };
    case 'unsupported':
      return {
        code: 'bad-signature',
        certificate: child,
        ca,
        detail: `"${subject}" is signed with ${failure.algorithm}, which Go cannot verify`,
        params: { subject, issuer: child.issuer.display, ca: caName },
      };
    case 'bad-signature': {
      const keyIds =
        child.authorityKeyId && ca.subjectKeyId && child.authorityKeyId !== ca.subjectKeyId
          ? ` (authority key id ${child.authorityKeyId}, CA key id ${ca.subjectKeyId})`
          : '';
      return {
        code: child.issuer.derHex === ca.subject.derHex ? 'bad-signature' : 'not-signed-by-ca',
        certificate: child,
        ca,
        detail: `the CA "${caName}" has the right name but another key${keyIds}: the signature does not verify (was the CA regenerated?)`,
        params: { subject, issuer: child.issuer.display, ca: caName },
      };
    }
  }
}
