// The differential check: kubecerts' verifyChain against Go's Verify on the same bytes. Shared by
// the unit test (a few thousand cases) and the fuzz target (tens of thousands).
import { Buffer } from 'node:buffer';
import { parseCertificate } from '../../src/core/x509/certificate';
import { verifyChain, type ChainProblemCode, type ChainVerdict } from '../../src/core/x509/chain';
import type { Certificate } from '../../src/core/x509/model';
import type { Oracle, OracleAnswer, OracleRequest } from './client';
import type { Materialized } from './scenarios';

/** Go's error class → the codes kubecerts may report first for it. */
export const GO_CLASS_CODES: Readonly<Record<string, readonly ChainProblemCode[]>> = {
  Expired: ['cert-expired', 'cert-not-yet-valid'],
  UnhandledCriticalExtension: ['unhandled-critical-extension'],
  NotAuthorizedToSign: ['issuer-not-ca'],
  TooManyIntermediates: ['path-length-exceeded'],
  CANotAuthorizedForThisName: ['name-constraint-violation'],
  IncompatibleUsage: ['incompatible-key-usage'],
  SignatureCheckBudget: ['chain-too-complex'],
  ParseError: ['invalid-certificate'],
  // Unknown authority: which candidate failed and why (Go's hint: a signature, a CA that may not
  // sign, an insecure algorithm, or a candidate that failed its own checks) decides the code.
  UnknownAuthority: [
    'not-signed-by-ca',
    'bad-signature',
    'issuer-not-ca',
    'weak-signature',
    'cert-expired',
    'cert-not-yet-valid',
    'unhandled-critical-extension',
    'path-length-exceeded',
    'name-constraint-violation',
  ],
  // Go returns a plain error when a SAN cannot be parsed for a name-constraint check.
  Other: ['name-constraint-violation'],
};

/**
 * Where kubecerts deliberately answers otherwise than Go, and why. Each entry recognises the case
 * from kubecerts' side; the README's table "Where kubecerts deliberately differs from Go" is this one.
 */
export interface Difference {
  readonly name: string;
  readonly why: string;
  readonly applies: (c: { leafParseError?: string; go: OracleAnswer }) => boolean;
}

export const DELIBERATE_DIFFERENCES: readonly Difference[] = [
  {
    name: 'Validity times Go reads leniently',
    why: "Go's cryptobyte also reads UTCTime without seconds or with a +hhmm offset and GeneralizedTime with fractions; RFC 5280 forbids them and kubecerts refuses such a certificate as malformed (invalid-pem), so it is never reported valid.",
    applies: (c) => !!c.leafParseError && /validity time/.test(c.leafParseError),
  },
  {
    name: 'High tag numbers',
    why: 'Go reads elements with multi-byte tags (tag number 31 and above) where it skips them; the lean DER reader refuses them: no certificate needs them, hostile input might.',
    applies: (c) => !!c.leafParseError && /multi-byte tags/.test(c.leafParseError),
  },
  {
    name: 'URI SANs parsed by an approximation of net/url',
    why: "Go refuses a certificate whose URI SAN net/url cannot parse; kubecerts checks the same rules (control characters, escapes, scheme, host characters and labels) but not every corner of net/url's grammar.",
    applies: (c) => c.go.verify?.class === 'ParseError' && /cannot parse URI/.test(c.go.verify.message ?? ''),
  },
  {
    name: 'No limit on name-constraint comparisons',
    why: 'Go gives up after 250,000 comparisons (TooManyConstraints); kubecerts checks every name (inputs are bounded to 1 MB), so it reports the actual violation or none.',
    applies: (c) => c.go.verify?.class === 'TooManyConstraints',
  },
  {
    name: 'GODEBUG overrides are not honoured',
    why: 'A Go binary built for an older Go version or run with GODEBUG=x509sha1=1 / x509negativeserial=1 accepts SHA-1 signatures or negative serials; kubecerts answers as Kubernetes 1.32 (Go 1.23 defaults) does.',
    applies: () => false,
  },
  {
    name: 'The server name is checked elsewhere',
    why: "verifyChain answers Verify without DNSName; the served-certificate checks (server-name-mismatch) compare the name, and the caller chooses the usage (Go's default is serverAuth, verifyChain's 'any').",
    applies: () => false,
  },
];

export interface Outcome {
  readonly verified: boolean;
  readonly code?: ChainProblemCode;
  readonly verdict?: ChainVerdict;
  readonly leafParseError?: string;
}

function parseAll(built: readonly { der: Uint8Array }[]): Certificate[] {
  const out: Certificate[] = [];
  for (const b of built) {
    try {
      out.push(parseCertificate(b.der));
    } catch {
      // Go's CertPool skips what it cannot parse; so do we.
    }
  }
  return out;
}

export function kubecertsOutcome(m: Materialized): Outcome {
  let leaf: Certificate;
  try {
    leaf = parseCertificate(m.leaf.der);
  } catch (err) {
    return { verified: false, leafParseError: (err as Error).message };
  }
  const verdict = verifyChain(
    leaf,
    { anchors: parseAll(m.roots), intermediates: parseAll(m.intermediates) },
    m.now,
    {
      usage: m.usage,
    },
  );
  return { verified: verdict.verified, code: verdict.problems[0]?.code, verdict };
}

export function oracleRequest(m: Materialized): OracleRequest {
  return {
    rootsPem: m.roots.map((b) => b.pem).join(''),
    intermediatesPem: m.intermediates.map((b) => b.pem).join(''),
    leafPem: m.leaf.pem,
    usage: m.usage,
    nowUnix: Math.floor(m.now.getTime() / 1000),
  };
}

export interface Mismatch {
  readonly index: number;
  what: string;
}

export interface Tally {
  cases: number;
  verifiedByGo: number;
  mismatches: Mismatch[];
  /** Cases explained by DELIBERATE_DIFFERENCES, by name. */
  deliberate: Record<string, number>;
  /** Go class → count, to show the generator reaches every class. */
  classes: Record<string, number>;
}

export function newTally(): Tally {
  return { cases: 0, verifiedByGo: 0, mismatches: [], deliberate: {}, classes: {} };
}

/** Compares one case; records a mismatch unless a deliberate difference explains it. */
export function compare(index: number, ours: Outcome, go: OracleAnswer, tally: Tally): void {
  tally.cases++;
  const v = go.verify;
  if (!v) {
    tally.mismatches.push({ index, what: `oracle error: ${go.error ?? 'no verdict'}` });
    return;
  }
  const goClass = v.ok ? 'OK' : (v.class ?? 'Other');
  tally.classes[goClass] = (tally.classes[goClass] ?? 0) + 1;
  if (v.ok) tally.verifiedByGo++;
  const differs =
    ours.verified !== v.ok ||
    (!v.ok &&
      !(ours.leafParseError && goClass === 'ParseError') &&
      !(ours.code && GO_CLASS_CODES[goClass]?.includes(ours.code)));
  if (!differs) return;
  const known = DELIBERATE_DIFFERENCES.find((d) => d.applies({ leafParseError: ours.leafParseError, go }));
  if (known) {
    tally.deliberate[known.name] = (tally.deliberate[known.name] ?? 0) + 1;
    return;
  }
  const problems = ours.verdict?.problems.map((p) => `${p.code}: ${p.detail}`).join(' | ');
  tally.mismatches.push({
    index,
    what: `Go ${v.ok ? 'verifies' : `${goClass} (${v.message ?? ''})`}; kubecerts ${ours.verified ? 'verifies' : `${ours.code ?? ours.leafParseError} [${problems ?? ''}]`}`,
  });
}

/** Runs `cases` through both, in batches (one oracle round trip per batch). */
export async function runDifferential(
  oracle: Oracle,
  cases: readonly Materialized[],
  tally: Tally = newTally(),
  offset = 0,
): Promise<Tally> {
  const answers = await oracle.askAll(cases.map(oracleRequest));
  cases.forEach((m, i) => compare(offset + i, kubecertsOutcome(m), answers[i], tally));
  return tally;
}

export function describe(m: Materialized): string {
  const pem = (b: { der: Uint8Array }) => Buffer.from(b.der).toString('base64');
  return JSON.stringify({
    usage: m.usage,
    now: m.now,
    leaf: pem(m.leaf),
    roots: m.roots.map(pem),
    intermediates: m.intermediates.map(pem),
  });
}
