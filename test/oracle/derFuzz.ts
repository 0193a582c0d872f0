// The DER reader against Go's x509.ParseCertificate on mutated certificates: kubecerts accepts
// (parses, and does not mark goRejects) exactly when Go parses, with the same serial, subject and
// dates. Go, not node:crypto, is the reference: OpenSSL is laxer (negative serials, critical AKIs).
import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { parseCertificate } from '../../src/core/x509/certificate';
import { build, ext, keys, name, type Built } from './build';
import type { Oracle, OracleParse } from './client';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const DAY = 86_400_000;

/** Real certificates of every shape the parser meets: the mutations start from these. */
export function derSeeds(): Built[] {
  const k = keys();
  const valid = { notBefore: new Date(NOW - 30 * DAY), notAfter: new Date(NOW + 300 * DAY) };
  const root = build({
    subject: name('root', 'kubecerts'),
    key: k['P-256'][0],
    ...valid,
    extensions: [ext.basicConstraints(true, 1), ext.keyUsage([5, 6])],
  });
  return [
    root,
    build({
      subject: name('rsa'),
      key: k.RSA[0],
      ...valid,
      issuer: root,
      extensions: [
        ext.eku(['1.3.6.1.5.5.7.3.2']),
        ext.san({
          dns: ['a.example.com'],
          ip: ['10.0.0.1'],
          email: ['a@example.com'],
          uri: ['spiffe://example.com/x'],
        }),
      ],
    }),
    build({ subject: name('ed'), key: k.Ed25519[0], ...valid, issuer: root, extensions: [ext.aia(false)] }),
    build({ subject: name('p384'), key: k['P-384'][0], ...valid, issuer: root, hash: 'sha384' }),
    build({
      subject: name('pss'),
      key: k['RSA-PSS'][0],
      ...valid,
      extensions: [
        ext.basicConstraints(true),
        ext.nameConstraints({ dns: ['example.com'], ip: ['10.0.0.0/8'] }, { email: ['evil.org'] }),
      ],
    }),
    build({ subject: name('v1'), key: k['P-256'][1], ...valid, version: 1 }),
  ];
}

export type Mutation =
  | { readonly kind: 'flip'; readonly at: number; readonly mask: number }
  | { readonly kind: 'set'; readonly at: number; readonly value: number }
  | { readonly kind: 'truncate'; readonly at: number }
  | { readonly kind: 'insert'; readonly at: number; readonly value: number }
  | { readonly kind: 'delete'; readonly at: number };

export const mutationCase = fc.record({
  seed: fc.nat(),
  mutations: fc.array(
    fc.oneof(
      fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), mask: fc.integer({ min: 1, max: 255 }) }),
      fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
      fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
      fc.record({
        kind: fc.constant('insert' as const),
        at: fc.nat(),
        value: fc.integer({ min: 0, max: 255 }),
      }),
      fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
    ),
    { minLength: 1, maxLength: 3 },
  ),
});

export function mutate(der: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let bytes = Buffer.from(der);
  for (const m of mutations) {
    if (bytes.length === 0) break;
    const at = m.at % bytes.length;
    switch (m.kind) {
      case 'flip':
        bytes[at] ^= m.mask;
        break;
      case 'set':
        bytes[at] = m.value;
        break;
      case 'truncate':
        bytes = bytes.subarray(0, at);
        break;
      case 'insert':
        bytes = Buffer.concat([bytes.subarray(0, at), Buffer.of(m.value), bytes.subarray(at)]);
        break;
      case 'delete':
        bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + 1)]);
        break;
    }
  }
  return new Uint8Array(bytes);
}

export interface DerOutcome {
  readonly accepted: boolean;
  readonly serialHex?: string;
  readonly subjectHex?: string;
  readonly notBefore?: number;
  readonly notAfter?: number;
  readonly reason?: string;
}

export function kubecertsParse(der: Uint8Array): DerOutcome {
  try {
    const c = parseCertificate(der);
    if (c.goRejects) return { accepted: false, reason: c.goRejects };
    return {
      accepted: true,
      serialHex: c.serialHex.replace(/^(-?)0+(?=.)/, '$1'),
      subjectHex: c.subject.derHex,
      notBefore: c.notBefore.getTime() / 1000,
      notAfter: c.notAfter.getTime() / 1000,
    };
  } catch (err) {
    return { accepted: false, reason: (err as Error).message };
  }
}

/** Differences between kubecerts and Go on each blob: an empty list when they agree. */
export async function compareParses(oracle: Oracle, blobs: readonly Uint8Array[]): Promise<string[]> {
  const answer = await oracle.ask({ parseDer: blobs.map((b) => Buffer.from(b).toString('base64')) });
  const go = answer.parse as readonly OracleParse[];
  const out: string[] = [];
  blobs.forEach((blob, i) => {
    const ours = kubecertsParse(blob);
    const theirs = go[i];
    const hex = Buffer.from(blob).toString('hex');
    if (ours.accepted !== theirs.ok) {
      out.push(
        `Go ${theirs.ok ? 'accepts' : `refuses (${theirs.error})`}, kubecerts ${ours.accepted ? 'accepts' : `refuses (${ours.reason})`}: ${hex}`,
      );
    } else if (ours.accepted) {
      const goSerial = theirs.serialHex!;
      for (const [field, a, b] of [
        ['serial', ours.serialHex, goSerial],
        ['subject', ours.subjectHex, theirs.subjectHex],
        ['notBefore', ours.notBefore, theirs.notBefore],
        ['notAfter', ours.notAfter, theirs.notAfter],
      ] as const) {
        if (a !== b) out.push(`${field}: kubecerts ${String(a)}, Go ${String(b)}: ${hex}`);
      }
    }
  });
  return out;
}
