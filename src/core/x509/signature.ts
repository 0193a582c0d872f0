// Does a CA's key verify a certificate's signature, and would Go's CheckSignatureFrom accept the
// pair (algorithm policy, a parent that may sign)? Each CA's key is imported once and each answer
// memoised: audits check thousands of leaves against a handful of CAs.
import { constants, verify, type KeyObject } from 'node:crypto';
import { pssParameters } from './certificate';
import type { Certificate } from './model';
import { NODE_DIGESTS, RSASSA_PSS_OID, SIGNATURE_ALGORITHMS } from './oids';
import { importSpki } from './publicKey';
import { goHasPublicKey } from './goKeys';

const KEY_CACHE_LIMIT = 4096;

// Parsing a public key costs about as much as a verification: audits check thousands of leaves
// against a handful of CAs, so each CA's KeyObject is built once (keyed by the SPKI's hash).
const keyCache = new Map<string, KeyObject | null>();

/** The CA's public key as node:crypto imports it, once per key; undefined when it cannot. */
export function issuerKey(cert: Certificate): KeyObject | undefined {
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

/** What node:crypto needs to check a signature: a thread without the certificates can run it. */
export interface SignatureCheck {
  /** node:crypto's digest name; null for Ed25519. */
  readonly digest: string | null;
  /** RSA-PSS salt length (PSS padding); undefined for PKCS#1 v1.5, ECDSA and Ed25519. */
  readonly saltLength?: number;
  readonly data: Uint8Array;
  readonly signature: Uint8Array;
}

/** The check of `cert`'s signature with `issuer`'s key, or undefined when the algorithms cannot match (never verifies). */
export function signatureCheck(cert: Certificate, issuer: Certificate): SignatureCheck | undefined {
  const alg = cert.signatureAlgorithm;
  const info = SIGNATURE_ALGORITHMS[alg.oid];
  if (!info || info.key !== issuer.publicKey.algorithm) return undefined;
  const data = cert.tbsDer;
  const signature = cert.signatureValue;
  if (alg.oid === RSASSA_PSS_OID) {
    let pss;
    try {
      pss = pssParameters(cert);
    } catch {
      return undefined;
    }
    const digest = NODE_DIGESTS[pss.hash];
    return digest ? { digest, saltLength: pss.saltLength, data, signature } : undefined;
  }
  const digest = info.hash === undefined ? null : NODE_DIGESTS[info.hash];
  return digest === undefined ? undefined : { digest, data, signature };
}

/** Runs a check with a public key; false when node:crypto refuses the inputs. */
export function runSignatureCheck(check: SignatureCheck, key: KeyObject): boolean {
  try {
    if (check.saltLength !== undefined) {
      const pss = { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: check.saltLength };
      return verify(check.digest, check.data, pss, check.signature);
    }
    return verify(check.digest, check.data, key, check.signature);
  } catch {
    return false;
  }
}

/** Does `issuer`'s public key verify `cert`'s signature? Names, constraints and algorithm policy are not looked at. */
export function verifySignature(cert: Certificate, issuer: Certificate): boolean {
  const answer = answered.get(cert)?.get(issuer);
  if (answer !== undefined) return answer;
  const check = signatureCheck(cert, issuer);
  if (!check) return false;
  const key = issuerKey(issuer);
  return key ? runSignatureCheck(check, key) : false;
}

// Answers computed elsewhere (the CLI's thread pool, from the same checks), by certificate object:
// they die with the certificates.
const answered = new WeakMap<Certificate, Map<Certificate, boolean>>();

/** Records what `verifySignature(cert, issuer)` returns, computed by `runSignatureCheck` on another thread. */
export function rememberSignature(cert: Certificate, issuer: Certificate, ok: boolean): void {
  let byIssuer = answered.get(cert);
  if (!byIssuer) answered.set(cert, (byIssuer = new Map()));
  byIssuer.set(issuer, ok);
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

export function goHasKey(cert: Certificate): boolean {
  let known = goKeyCache.get(cert.spkiPin);
  if (known === undefined) {
    known = goHasPublicKey(cert.publicKey.spkiDer);
    if (goKeyCache.size >= KEY_CACHE_LIMIT) goKeyCache.delete(goKeyCache.keys().next().value as string);
    goKeyCache.set(cert.spkiPin, known);
  }
  return known;
}

/** Why Go's CheckSignatureFrom(child, parent) fails before or at the signature, or undefined. */
export type SignatureFailure =
  | { readonly kind: 'cannot-sign'; readonly why: string }
  | { readonly kind: 'insecure'; readonly algorithm: string }
  | { readonly kind: 'unsupported'; readonly algorithm: string }
  | { readonly kind: 'bad-signature' };

export function parentCannotSign(parent: Certificate): string | undefined {
  const bc = parent.basicConstraints;
  if (parent.version === 3 && !bc) return 'it has no basicConstraints extension';
  if (bc && !bc.ca) return 'its basicConstraints say CA:FALSE';
  if (parent.keyUsage?.length && !parent.keyUsage.includes('keyCertSign'))
    return 'its key usage lacks keyCertSign';
  return undefined;
}

export function goAlgorithmProblem(child: Certificate): SignatureFailure | undefined {
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
export type SignatureMemo = Map<string, boolean>;

// Shared by all calls (bounded): the CAs of a bundle are checked against each other once, not per leaf.
export const SIGNATURES: SignatureMemo = new Map();
const SIGNATURE_CACHE_LIMIT = 16_384;

export function signedWith(memo: SignatureMemo, child: Certificate, parent: Certificate): boolean {
  const key = `${child.sha256Fingerprint}|${parent.spkiPin}|${parent.publicKey.algorithm}`;
  let ok = memo.get(key);
  if (ok === undefined) {
    ok = verifySignature(child, parent);
    if (memo.size >= SIGNATURE_CACHE_LIMIT) memo.delete(memo.keys().next().value as string);
    memo.set(key, ok);
  }
  return ok;
}

export function checkSignatureFrom(
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
