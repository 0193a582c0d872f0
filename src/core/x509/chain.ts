// Chain verification (domain.md §7): a certificate is correctly signed when its issuer name is the
// CA's subject, the AKI/SKI agree, the signature verifies with the CA's key, the CA is a CA with
// keyCertSign, path lengths hold, and every link is valid at `now`. A CA regenerated under the same
// name fails the key check, never passes: names alone prove nothing.
import { constants, verify, type KeyObject } from 'node:crypto';
import { pssParameters } from './certificate';
import type { Certificate } from './model';
import { NODE_DIGESTS, RSASSA_PSS_OID, SIGNATURE_ALGORITHMS } from './oids';
import { importSpki } from './publicKey';

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
  /** True when a path to an anchor exists and every check on it passed. */
  verified: boolean;
  /**
   * The trust anchor the signatures lead to. Also set when that path fails a policy check (an
   * expired link, a CA without keyCertSign, pathLen): `problems` then says what, `verified` is false.
   */
  anchor?: Certificate;
  /** leaf … anchor when a path was found; otherwise the leaf and the intermediates that did verify. */
  path: Certificate[];
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

/** Longest path tried (leaf and anchor included); real Kubernetes PKIs have 2 or 3. */
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

/** Does `issuer`'s public key verify `cert`'s signature? Names and constraints are not looked at. */
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

interface NameIndex {
  readonly bySubject: ReadonlyMap<string, readonly Certificate[]>;
  readonly fingerprints: ReadonlySet<string>;
}

// Callers pass the same anchor list for every leaf of an audit: index it once per list.
const indexCache = new WeakMap<readonly Certificate[], NameIndex>();

function indexOf(certs: readonly Certificate[]): NameIndex {
  let index = indexCache.get(certs);
  if (!index) {
    const bySubject = new Map<string, Certificate[]>();
    const fingerprints = new Set<string>();
    for (const cert of certs) {
      if (fingerprints.has(cert.sha256Fingerprint)) continue;
      fingerprints.add(cert.sha256Fingerprint);
      const list = bySubject.get(cert.subject.derHex);
      if (list) list.push(cert);
      else bySubject.set(cert.subject.derHex, [cert]);
    }
    index = { bySubject, fingerprints };
    indexCache.set(certs, index);
  }
  return index;
}

/** A path that reached an anchor through good signatures, or where it stopped. */
interface Attempt {
  readonly path: Certificate[];
  readonly anchored: boolean;
  readonly linkProblems: ChainProblem[];
}

/**
 * Verifies `leaf` against trust anchors (and untrusted intermediates) at `now`. Leaf validity
 * problems are listed too, with certificate === leaf, so callers reporting leaf dates themselves
 * can skip them.
 */
export function verifyChain(leaf: Certificate, trust: TrustSet, now: Date): ChainVerdict {
  const anchors = indexOf(trust.anchors);
  const intermediates = indexOf(trust.intermediates ?? NO_CERTIFICATES);
  if (anchors.fingerprints.has(leaf.sha256Fingerprint)) {
    const problems = validityProblems([leaf], now);
    return { verified: problems.length === 0, anchor: leaf, path: [leaf], problems };
  }

  const attempts: Attempt[] = [];
  extend([leaf], anchors, intermediates, attempts);

  let best: { attempt: Attempt; problems: ChainProblem[] } | undefined;
  for (const attempt of attempts) {
    if (!attempt.anchored) continue;
    const problems = [...validityProblems(attempt.path, now), ...caProblems(attempt.path)];
    if (!best || problems.length < best.problems.length) best = { attempt, problems };
    if (problems.length === 0) break;
  }
  if (best) {
    const { path } = best.attempt;
    return {
      verified: best.problems.length === 0,
      anchor: path[path.length - 1],
      path,
      problems: best.problems,
    };
  }

  const deepest = attempts.reduce<Attempt | undefined>(
    (a, b) => (!a || b.path.length > a.path.length ? b : a),
    undefined,
  );
  const seen = new Set<string>();
  const problems: ChainProblem[] = validityProblems([leaf], now);
  for (const attempt of attempts) {
    for (const p of attempt.linkProblems) {
      const key = `${p.code}|${p.certificate.sha256Fingerprint}|${p.ca?.sha256Fingerprint ?? ''}`;
      if (seen.has(key)) continue;
      seen.add(key);
      problems.push(p);
    }
  }
  return { verified: false, path: deepest?.path ?? [leaf], problems };
}

function extend(path: Certificate[], anchors: NameIndex, intermediates: NameIndex, out: Attempt[]): void {
  const cert = path[path.length - 1];
  const onPath = (c: Certificate) => path.some((p) => p.sha256Fingerprint === c.sha256Fingerprint);
  const anchorCandidates = (anchors.bySubject.get(cert.issuer.derHex) ?? []).filter((c) => !onPath(c));
  const intermediateCandidates = (intermediates.bySubject.get(cert.issuer.derHex) ?? []).filter(
    (c) => !onPath(c) && !anchors.fingerprints.has(c.sha256Fingerprint),
  );
  if (anchorCandidates.length === 0 && intermediateCandidates.length === 0) {
    out.push({
      path,
      anchored: false,
      linkProblems: [
        {
          code: 'not-signed-by-ca',
          certificate: cert,
          detail: `no CA with the subject "${cert.issuer.display}" among the certificates given`,
        },
      ],
    });
    return;
  }
  const candidates = [
    ...anchorCandidates.map((ca) => ({ ca, anchor: true })),
    ...intermediateCandidates.map((ca) => ({ ca, anchor: false })),
  ];
  for (const { ca, anchor } of candidates) {
    const problem = linkProblem(cert, ca);
    if (problem) {
      out.push({ path, anchored: false, linkProblems: [problem] });
      continue;
    }
    const next = [...path, ca];
    if (anchor) out.push({ path: next, anchored: true, linkProblems: [] });
    else if (next.length < MAX_PATH) extend(next, anchors, intermediates, out);
  }
}

function linkProblem(cert: Certificate, ca: Certificate): ChainProblem | undefined {
  if (cert.authorityKeyId && ca.subjectKeyId && cert.authorityKeyId !== ca.subjectKeyId) {
    return {
      code: 'not-signed-by-ca',
      certificate: cert,
      ca,
      detail:
        `the CA "${ca.subject.display}" has the right name but another key ` +
        `(authority key id ${cert.authorityKeyId}, CA key id ${ca.subjectKeyId}): was the CA regenerated?`,
    };
  }
  if (!verifySignature(cert, ca)) {
    return {
      code: 'bad-signature',
      certificate: cert,
      ca,
      detail: `the signature does not verify with the key of the CA "${ca.subject.display}"`,
    };
  }
  return undefined;
}

function validityProblems(path: readonly Certificate[], now: Date): ChainProblem[] {
  const problems: ChainProblem[] = [];
  const t = now.getTime();
  path.forEach((cert, i) => {
    const ca = path[i + 1];
    if (t > cert.notAfter.getTime()) {
      problems.push({
        code: 'cert-expired',
        certificate: cert,
        ...(ca ? { ca } : {}),
        detail: `"${cert.subject.display}" expired at ${cert.notAfter.toISOString()}`,
      });
    } else if (t < cert.notBefore.getTime()) {
      problems.push({
        code: 'cert-not-yet-valid',
        certificate: cert,
        ...(ca ? { ca } : {}),
        detail: `"${cert.subject.display}" is not valid before ${cert.notBefore.toISOString()}`,
      });
    }
  });
  return problems;
}

/** CA flag, keyCertSign and pathLen of every issuer on the path (index ≥ 1). */
function caProblems(path: readonly Certificate[]): ChainProblem[] {
  const problems: ChainProblem[] = [];
  let caBelow = 0; // non-self-issued CAs between this one and the leaf
  for (let i = 1; i < path.length; i++) {
    const ca = path[i];
    const signed = path[i - 1];
    if (!isCa(ca, i === path.length - 1)) {
      problems.push({
        code: 'issuer-not-ca',
        certificate: ca,
        detail: `"${ca.subject.display}" signed "${signed.subject.display}" but is not a CA (basicConstraints CA:TRUE missing)`,
      });
    } else if (ca.keyUsage && !ca.keyUsage.includes('keyCertSign')) {
      problems.push({
        code: 'issuer-not-ca',
        certificate: ca,
        detail: `"${ca.subject.display}" is a CA but its key usage lacks keyCertSign`,
      });
    }
    const pathLen = ca.basicConstraints?.pathLen;
    if (pathLen !== undefined && caBelow > pathLen) {
      problems.push({
        code: 'path-length-exceeded',
        certificate: ca,
        detail: `"${ca.subject.display}" allows ${pathLen} intermediate CA(s) below it, the path has ${caBelow}`,
      });
    }
    if (!ca.isSelfIssued) caBelow++;
  }
  return problems;
}

/** basicConstraints CA:TRUE; like openssl, a self-issued version 1 anchor (no extensions at all) counts too. */
function isCa(cert: Certificate, isAnchor: boolean): boolean {
  if (cert.basicConstraints) return cert.basicConstraints.ca;
  return isAnchor && cert.version === 1 && cert.isSelfIssued;
}
