// Generated chains for the differential test against Go: a shape (1–4 links, bundles, rotation
// pairs, wrong order, unrelated CAs) and, per certificate, defects drawn with a low probability
// each (time edges, SHA-1/MD5, CA flags, pathLen, key usage, nested EKUs, critical extensions,
// name constraints, SANs, regenerated signers, parse-level faults), so most cases combine a few.
import fc from 'fast-check';
import {
  build,
  ext,
  keys,
  name,
  type Built,
  type Extension,
  type Hash,
  type KeyKind,
  type SanNames,
} from './build';

const TIMES = [
  'valid',
  'expired',
  'future',
  'at-notAfter',
  'notAfter-1s',
  'at-notBefore',
  'notBefore+1s',
] as const;
const HASHES = ['default', 'sha1', 'md5', 'sha384'] as const;
const CA_FLAGS = ['ok', 'no-bc', 'ca-false', 'v1'] as const;
const KEY_USAGES = ['none', 'certSign', 'noCertSign'] as const;
const EKUS = ['none', 'server', 'client', 'both', 'any', 'code', 'unknown'] as const;
const CRITICALS = [
  'none',
  'unknown-ext',
  'critical-aki',
  'critical-ski',
  'critical-aia',
  'policy-constraints',
] as const;
const SERIALS = ['normal', 'negative', 'zero'] as const;
const CONSTRAINTS = [
  'none',
  'dns-permit',
  'dns-exclude',
  'ip-permit',
  'email-permit',
  'uri-permit',
  'dir-critical',
  'dir-noncritical',
  'empty',
] as const;
const SANS = [
  'none',
  'dns-in',
  'dns-out',
  'ip-in',
  'ip-out',
  'email-in',
  'email-out',
  'uri-in',
  'uri-out',
  'bad-dns',
] as const;
const SIGNERS = ['right', 'wrong-key', 'aki-mismatch', 'no-aki'] as const;
const KEY_KINDS: readonly KeyKind[] = ['P-256', 'P-384', 'Ed25519', 'RSA', 'RSA-PSS'];
const LAYOUTS = [
  'plain',
  'bundle-in-roots',
  'reversed',
  'extra-unrelated',
  'rotation',
  'leaf-is-root',
] as const;

export interface CertChoice {
  readonly time: (typeof TIMES)[number];
  readonly hash: (typeof HASHES)[number];
  readonly ca: (typeof CA_FLAGS)[number];
  readonly pathLen: number | undefined;
  readonly keyUsage: (typeof KEY_USAGES)[number];
  readonly eku: (typeof EKUS)[number];
  readonly critical: (typeof CRITICALS)[number];
  readonly serial: (typeof SERIALS)[number];
  readonly constraints: (typeof CONSTRAINTS)[number];
  readonly sans: (typeof SANS)[number];
  readonly signer: (typeof SIGNERS)[number];
  readonly key: KeyKind;
  readonly keyIndex: number;
}

export interface Case {
  /** Intermediates between leaf and root: 0–2 (2–4 links). */
  readonly depth: number;
  readonly layout: (typeof LAYOUTS)[number];
  readonly usage: 'any' | 'clientAuth' | 'serverAuth';
  /** leaf, intermediates…, root. */
  readonly certs: readonly CertChoice[];
  readonly rotation: {
    readonly oldExpired: boolean;
    readonly leafSignedByOld: boolean;
    readonly keyIds: boolean;
  };
}

/** Mostly the first value, sometimes any of the others: defects stay rare enough to combine. */
function mostly<T>(values: readonly T[], weight = 8): fc.Arbitrary<T> {
  return fc.oneof(
    { weight, arbitrary: fc.constant(values[0]) },
    { weight: 2, arbitrary: fc.constantFrom(...values) },
  );
}

const certChoice: fc.Arbitrary<CertChoice> = fc.record({
  time: mostly(TIMES, 10),
  hash: mostly(HASHES, 14),
  ca: mostly(CA_FLAGS, 14),
  pathLen: fc.oneof(
    { weight: 6, arbitrary: fc.constant(undefined) },
    { weight: 2, arbitrary: fc.integer({ min: 0, max: 2 }) },
  ),
  keyUsage: mostly(KEY_USAGES, 10),
  eku: mostly(EKUS, 6),
  critical: mostly(CRITICALS, 16),
  serial: mostly(SERIALS, 20),
  constraints: mostly(CONSTRAINTS, 8),
  sans: mostly(SANS, 4),
  signer: mostly(SIGNERS, 14),
  // RSA signing costs ~2 ms: mostly P-256, every kind often enough.
  key: fc.oneof(
    { weight: 4, arbitrary: fc.constant<KeyKind>('P-256') },
    { weight: 4, arbitrary: fc.constantFrom(...KEY_KINDS) },
  ),
  keyIndex: fc.integer({ min: 0, max: 1 }),
});

export const caseArbitrary: fc.Arbitrary<Case> = fc
  .record({
    depth: fc.integer({ min: 0, max: 2 }),
    layout: mostly(LAYOUTS, 6),
    usage: fc.constantFrom('any' as const, 'clientAuth' as const, 'serverAuth' as const),
    certs: fc.array(certChoice, { minLength: 4, maxLength: 4 }),
    rotation: fc.record({ oldExpired: fc.boolean(), leafSignedByOld: fc.boolean(), keyIds: fc.boolean() }),
  })
  .map((c) => ({ ...c, certs: c.certs.slice(0, c.depth + 2) }));

export const NOW = new Date('2026-03-01T12:00:00Z');
const DAY = 86_400_000;

function dates(time: CertChoice['time']): { notBefore: Date; notAfter: Date } {
  const t = NOW.getTime();
  switch (time) {
    case 'valid':
      return { notBefore: new Date(t - 30 * DAY), notAfter: new Date(t + 300 * DAY) };
    case 'expired':
      return { notBefore: new Date(t - 400 * DAY), notAfter: new Date(t - DAY) };
    case 'future':
      return { notBefore: new Date(t + DAY), notAfter: new Date(t + 400 * DAY) };
    case 'at-notAfter':
      return { notBefore: new Date(t - 30 * DAY), notAfter: new Date(t) };
    case 'notAfter-1s':
      return { notBefore: new Date(t - 30 * DAY), notAfter: new Date(t - 1000) };
    case 'at-notBefore':
      return { notBefore: new Date(t), notAfter: new Date(t + 30 * DAY) };
    case 'notBefore+1s':
      return { notBefore: new Date(t + 1000), notAfter: new Date(t + 30 * DAY) };
  }
}

const EKU_OIDS: Record<CertChoice['eku'], readonly string[]> = {
  none: [],
  server: ['1.3.6.1.5.5.7.3.1'],
  client: ['1.3.6.1.5.5.7.3.2'],
  both: ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2'],
  any: ['2.5.29.37.0'],
  code: ['1.3.6.1.5.5.7.3.3'],
  unknown: ['1.2.3.4.5.6'],
};

const SAN_NAMES: Record<CertChoice['sans'], SanNames | undefined> = {
  none: undefined,
  'dns-in': { dns: ['api.example.com'] },
  'dns-out': { dns: ['api.evil.org'] },
  'ip-in': { ip: ['10.1.2.3'] },
  'ip-out': { ip: ['192.168.1.1'] },
  'email-in': { email: ['admin@example.com'] },
  'email-out': { email: ['admin@evil.org'] },
  'uri-in': { uri: ['spiffe://x.example.com/ns/default'] },
  'uri-out': { uri: ['spiffe://evil.org/ns/default'] },
  'bad-dns': { dns: ['bad..example.com'] },
};

function constraintExtension(c: CertChoice['constraints']): Extension | undefined {
  switch (c) {
    case 'none':
      return undefined;
    case 'dns-permit':
      return ext.nameConstraints({ dns: ['example.com'] }, {});
    case 'dns-exclude':
      return ext.nameConstraints({}, { dns: ['evil.org'] });
    case 'ip-permit':
      return ext.nameConstraints({ ip: ['10.0.0.0/8'] }, {});
    case 'email-permit':
      return ext.nameConstraints({ email: ['example.com'] }, {});
    case 'uri-permit':
      return ext.nameConstraints({ uri: ['.example.com'] }, {});
    case 'dir-critical':
      return ext.nameConstraints({ dirCn: ['kubernetes'] }, {}, true);
    case 'dir-noncritical':
      return ext.nameConstraints({ dirCn: ['kubernetes'] }, {}, false);
    case 'empty':
      return ext.nameConstraints({}, {});
  }
}

function extensions(c: CertChoice, isCa: boolean): Extension[] {
  const out: Extension[] = [];
  if (isCa) {
    if (c.ca === 'ok') out.push(ext.basicConstraints(true, c.pathLen));
    else if (c.ca === 'ca-false') out.push(ext.basicConstraints(false));
  } else if (c.ca === 'ca-false') {
    out.push(ext.basicConstraints(false));
  }
  if (c.keyUsage === 'certSign') out.push(ext.keyUsage(isCa ? [0, 5, 6] : [0, 2]));
  if (c.keyUsage === 'noCertSign') out.push(ext.keyUsage([0, 2]));
  if (c.eku !== 'none') out.push(ext.eku(EKU_OIDS[c.eku]));
  const sans = SAN_NAMES[c.sans];
  if (sans) out.push(ext.san(sans));
  if (isCa) {
    const nc = constraintExtension(c.constraints);
    if (nc) out.push(nc);
  }
  if (c.critical === 'unknown-ext') out.push(ext.custom('1.3.6.1.4.1.99999.1', true));
  if (c.critical === 'critical-aia') out.push(ext.aia(true));
  if (c.critical === 'policy-constraints') out.push(ext.custom('2.5.29.36', true));
  return out;
}

function keyOf(c: CertChoice) {
  return keys()[c.key][c.keyIndex];
}

/** One certificate of the chain, issued by `issuer` (absent: self-signed root). */
function issue(c: CertChoice, subject: Uint8Array, isCa: boolean, issuer?: Built): Built {
  const version = isCa && c.ca === 'v1' ? 1 : 3;
  const hash: Hash | undefined = c.hash === 'default' ? undefined : c.hash;
  const signWith =
    issuer && c.signer === 'wrong-key'
      ? keys()[issuer.key.kind][issuer.key === keys()[issuer.key.kind][0] ? 1 : 0]
      : undefined;
  return build({
    subject,
    key: keyOf(c),
    ...dates(c.time),
    version,
    extensions: extensions(c, isCa),
    serial: c.serial === 'negative' ? -4660n : c.serial === 'zero' ? 0n : undefined,
    ...(hash ? { hash } : {}),
    ...(issuer ? { issuer } : {}),
    ...(signWith ? { signWith } : {}),
    aki: c.signer === 'no-aki' ? false : c.signer === 'aki-mismatch' ? new Uint8Array(20).fill(7) : true,
    ski: c.critical !== 'critical-ski',
    ...(c.critical === 'critical-ski'
      ? { extensions: [...extensions(c, isCa), ext.ski(new Uint8Array(20).fill(1), true)] }
      : {}),
    ...(c.critical === 'critical-aki' && issuer
      ? { aki: false, extensions: [...extensions(c, isCa), ext.aki(issuer.skid, true)] }
      : {}),
  });
}

export interface Materialized {
  readonly leaf: Built;
  readonly roots: readonly Built[];
  readonly intermediates: readonly Built[];
  readonly usage: Case['usage'];
  readonly now: Date;
}

/** Builds the certificates of a case; same case, same bytes (up to signatures' randomness). */
export function materialize(c: Case): Materialized {
  const [leafChoice, ...caChoices] = c.certs;
  const rootChoice = caChoices[caChoices.length - 1];
  const root = issue(rootChoice, name('root-ca', 'kubecerts'), true);
  const chain: Built[] = [root];
  for (let i = caChoices.length - 2; i >= 0; i--) {
    chain.unshift(issue(caChoices[i], name(`intermediate-${caChoices.length - 1 - i}`), true, chain[0]));
  }
  const intermediates = chain.slice(0, -1);
  const usage = c.usage;
  if (c.layout === 'leaf-is-root') {
    return { leaf: root, roots: [root], intermediates: [], usage, now: NOW };
  }
  if (c.layout === 'rotation') {
    // Old and new CA under one name; the leaf signed by one of them, both trusted.
    const subject = name('kubernetes');
    const oldKey = keys()['P-256'][2];
    const newKey = keys()['P-256'][3];
    const oldCa = build({
      subject,
      key: oldKey,
      ...dates(c.rotation.oldExpired ? 'expired' : 'valid'),
      extensions: [ext.basicConstraints(true)],
      ski: c.rotation.keyIds,
    });
    const newCa = build({
      subject,
      key: newKey,
      ...dates(rootChoice.time),
      extensions: [ext.basicConstraints(true)],
      ski: c.rotation.keyIds,
    });
    const leaf = issue(
      leafChoice,
      name('kubernetes-admin', 'kubeadm:cluster-admins'),
      false,
      c.rotation.leafSignedByOld ? oldCa : newCa,
    );
    return { leaf, roots: [newCa, oldCa], intermediates: [], usage, now: NOW };
  }
  const leaf = issue(leafChoice, name('leaf', 'system:nodes'), false, chain[0]);
  switch (c.layout) {
    case 'plain':
      return { leaf, roots: [root], intermediates, usage, now: NOW };
    case 'bundle-in-roots':
      // certificate-authority-data holding root and intermediates: every one is an anchor.
      return { leaf, roots: [root, ...intermediates], intermediates: [], usage, now: NOW };
    case 'reversed':
      return { leaf, roots: [root], intermediates: [...intermediates].reverse(), usage, now: NOW };
    case 'extra-unrelated': {
      const other = build({
        subject: name('root-ca', 'kubecerts'),
        key: keys()['P-256'][2],
        ...dates('valid'),
        extensions: [ext.basicConstraints(true)],
      });
      return { leaf, roots: [other, root], intermediates, usage, now: NOW };
    }
  }
}

/** A bundle of `count` self-issued certificates with one subject and one key: Go's path-building blow-up. */
export function sameKeyBundle(count: number): Materialized {
  const key = keys()['P-256'][0];
  const subject = name('loop-ca');
  const certs: Built[] = [];
  for (let i = 0; i < count; i++) {
    certs.push(
      build({
        subject,
        key,
        ...dates('valid'),
        extensions: [ext.basicConstraints(true), ext.san({ dns: [`ca${i}.example.com`] })],
        issuer: certs[i - 1] ?? undefined,
      }),
    );
  }
  const root = build({
    subject: name('unrelated-root'),
    key: keys()['P-256'][1],
    ...dates('valid'),
    extensions: [ext.basicConstraints(true)],
  });
  const leaf = build({
    subject: name('leaf'),
    key: keys()['P-384'][0],
    ...dates('valid'),
    issuer: certs[count - 1],
  });
  return { leaf, roots: [root], intermediates: certs, usage: 'any', now: NOW };
}
