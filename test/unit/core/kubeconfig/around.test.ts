import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { analyzeEntry } from '../../../../src/core/audit/kubeconfig';
import { fieldAt } from '../../../../src/core/kubeconfig/locate';
import { referencedFiles } from '../../../../src/core/kubeconfig/material';
import { mergeKubeconfigs } from '../../../../src/core/kubeconfig/merge';
import type { Field, KubeconfigDocument } from '../../../../src/core/kubeconfig/model';
import { parseKubeconfig, parseKubeconfigAround } from '../../../../src/core/kubeconfig/parse';
import { scanYaml } from '../../../../src/core/kubeconfig/scan';
import { addDays, base64Data, makeCa, makeLeaf, type TestCert } from '../../../fixtures/certs';

const NOW = new Date('2025-06-01T00:00:00Z');
const FILE = '/home/u/.kube/config';

/** Deterministic choices, so a failing case can be regenerated from its seed. */
function random(seed: number): (n: number) => number {
  let state = seed >>> 0 || 1;
  return (n) => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) % n;
  };
}

interface Pool {
  readonly cas: readonly TestCert[];
  readonly leaves: readonly TestCert[];
}

const NAMES = ['a', 'b', 'c', 'prod', 'system:node:n1', 'true', 'with space', "it's"];

function name(pick: (n: number) => number): string {
  const plain = NAMES[pick(NAMES.length)];
  const quoting = pick(4);
  if (plain === 'true') return quoting === 0 ? 'true' : '"true"';
  if (plain === "it's") return `'it''s'`;
  if (plain === 'with space' || quoting === 0) return JSON.stringify(plain);
  return quoting === 1 ? `'${plain}'` : plain;
}

/** One list item: `name` before or after the body, keys in any order, odd-but-valid values. */
function item(pick: (n: number) => number, inner: string, fields: string[]): string[] {
  const ordered = [...fields].sort(() => pick(3) - 1);
  const body = ordered.length === 0 ? [`  ${inner}: {}`] : [`  ${inner}:`, ...ordered.map((f) => `    ${f}`)];
  const nameLine = pick(6) === 0 ? [] : [`  name: ${name(pick)}`];
  const lines = pick(2) === 0 ? [...nameLine, ...body] : [...body, ...nameLine];
  if (pick(8) === 0) lines.push('  extra: ignored # a trailing comment');
  lines[0] = '- ' + lines[0].slice(2);
  return lines;
}

function material(pick: (n: number) => number, pem: string, data: string, path: string): string[] {
  switch (pick(7)) {
    case 0:
      return [`${path}: ${['ca.crt', '/etc/k/ca.crt', 'missing.crt', 'certs/leaf.crt'][pick(4)]}`];
    case 1:
      return [`${data}: ${base64Data(pem)}`, `${path}: certs/leaf.crt`];
    case 2:
      return [`${data}: ${pick(2) ? 'REDACTED' : 'not*base64'}`];
    case 3:
      return [`${data}:`];
    default:
      return [`${data}: ${pick(2) ? base64Data(pem) : `"${base64Data(pem)}"`}`];
  }
}

function kubeconfig(seed: number, pool: Pool): string {
  const pick = random(seed);
  const clusters: string[] = [];
  for (let i = pick(5); i > 0; i--) {
    const fields = [`server: https://10.0.0.${pick(9)}:6443`];
    if (pick(5))
      fields.push(
        ...material(
          pick,
          pool.cas[pick(pool.cas.length)].certPem,
          'certificate-authority-data',
          'certificate-authority',
        ),
      );
    if (pick(6) === 0) fields.push(`insecure-skip-tls-verify: ${pick(2) ? 'true' : 'false'}`);
    clusters.push(...item(pick, 'cluster', fields));
  }
  const users: string[] = [];
  for (let i = pick(5); i > 0; i--) {
    const leaf = pool.leaves[pick(pool.leaves.length)];
    const fields: string[] = [];
    if (pick(6))
      fields.push(...material(pick, leaf.certPem, 'client-certificate-data', 'client-certificate'));
    if (pick(4)) {
      const key = pick(4) === 0 ? pool.leaves[pick(pool.leaves.length)].keyPem : leaf.keyPem;
      fields.push(...material(pick, key, 'client-key-data', 'client-key'));
    }
    if (pick(6) === 0) fields.push('token: abcdef.0123456789abcdef');
    if (pick(8) === 0) fields.push('tokenFile: missing-token');
    if (pick(8) === 0) fields.push('exec:', '      command: aws', '      apiVersion: v1');
    users.push(...item(pick, 'user', fields));
  }
  const contexts: string[] = [];
  for (let i = pick(7); i > 0; i--) {
    const fields = [`cluster: ${name(pick)}`, `user: ${name(pick)}`];
    if (pick(3) === 0) fields.push('namespace: default');
    if (pick(8) === 0) fields.pop();
    contexts.push(...item(pick, 'context', fields));
  }
  const sections: Record<string, string[]> = {
    clusters: clusters.length ? ['clusters:', ...clusters] : [pick(2) ? 'clusters: []' : 'clusters:'],
    users: users.length ? ['users:', ...(pick(3) === 0 ? users.map((l) => '  ' + l) : users)] : ['users: []'],
    contexts: contexts.length ? ['contexts:', ...contexts] : ['contexts: []'],
    'current-context': [`current-context: ${name(pick)}`],
    kind: ['kind: Config'],
    preferences: ['preferences: {}'],
  };
  const order = Object.keys(sections).sort(() => pick(3) - 1);
  const lines = order.flatMap((key) => sections[key]);
  if (pick(4) === 0) lines.unshift('# leading comment', 'apiVersion: v1');
  else lines.unshift('apiVersion: v1');
  const text = lines.join(pick(4) === 0 ? '\r\n' : '\n') + '\n';
  return pick(10) === 0 ? '\uFEFF' + text : text;
}

/** Every offset a cursor can take on a field: key, value start/middle/end, one after; item edges. */
function offsetsOf(doc: KubeconfigDocument): number[] {
  const offsets = new Set<number>([0, doc.text.length]);
  for (const entry of [...doc.clusters, ...doc.users, ...doc.contexts]) {
    offsets.add(entry.span.start);
    offsets.add(entry.span.start - 2);
    offsets.add(entry.span.end);
    for (const field of Object.values(entry.fields) as Field[]) {
      const { keySpan, span } = field;
      for (const o of [
        keySpan.start,
        keySpan.end,
        span.start,
        (span.start + span.end) >> 1,
        span.end,
        span.end + 1,
      ])
        offsets.add(o);
    }
  }
  return [...offsets].filter((o) => o >= 0 && o <= doc.text.length);
}

function filesFor(
  entries: Iterable<Parameters<typeof referencedFiles>[0] extends Iterable<infer E> ? E : never>,
  all: Map<string, Uint8Array | null>,
): Map<string, Uint8Array | null> {
  const out = new Map<string, Uint8Array | null>();
  for (const ref of referencedFiles(entries)) if (all.has(ref.path)) out.set(ref.path, all.get(ref.path)!);
  return out;
}

describe('kubeconfig parsed around an offset (hover)', () => {
  let pool: Pool;
  let files: Map<string, Uint8Array | null>;

  before(async () => {
    const long = { notBefore: addDays(NOW, -365), notAfter: addDays(NOW, 3000) };
    const cas = [
      await makeCa({ cn: 'kubernetes', ...long }),
      await makeCa({ cn: 'expired-ca', notBefore: addDays(NOW, -800), notAfter: addDays(NOW, -10) }),
      await makeCa({ cn: 'other', ...long }),
    ];
    const leaves = [
      await makeLeaf({ issuer: cas[0], cn: 'admin', eku: ['clientAuth'], ...long }),
      await makeLeaf({
        issuer: cas[1],
        cn: 'old',
        eku: ['clientAuth'],
        notBefore: addDays(NOW, -400),
        notAfter: addDays(NOW, -5),
      }),
      await makeLeaf({
        issuer: cas[2],
        cn: 'node',
        eku: ['clientAuth'],
        notBefore: addDays(NOW, -1),
        notAfter: addDays(NOW, 20),
      }),
    ];
    pool = { cas, leaves };
    const bytes = (pem: string): Uint8Array => new Uint8Array(Buffer.from(pem));
    files = new Map<string, Uint8Array | null>([
      ['/home/u/.kube/ca.crt', bytes(cas[0].certPem)],
      ['/etc/k/ca.crt', bytes(cas[1].certPem)],
      ['/home/u/.kube/missing.crt', null],
      ['/home/u/.kube/certs/leaf.crt', bytes(leaves[0].certPem + leaves[0].keyPem)],
      ['/home/u/.kube/missing-token', null],
    ]);
  });

  // Thousands of parses and analyses: seconds of CPU, more wall time on a shared machine.
  it('locates the same field and analyses the entry the same as the full parse', function () {
    this.timeout(120_000);
    let scanned = 0;
    let compared = 0;
    for (let seed = 1; seed <= 400; seed++) {
      const text = kubeconfig(seed, pool);
      const root = scanYaml(text);
      if (!root) continue;
      scanned++;
      const full = parseKubeconfig(text, FILE);
      const fullModel = mergeKubeconfigs([full]);
      const analysed = new Map<number, unknown>();
      for (const offset of offsetsOf(full)) {
        const partial = parseKubeconfigAround(text, FILE, root, offset);
        const expected = fieldAt(full, offset);
        const actual = fieldAt(partial, offset);
        assert.deepEqual(actual, expected, `seed ${seed}, offset ${offset}`);
        const entry = expected?.entry;
        if (!entry || entry.kind === 'context') continue;
        const options = { now: NOW, warnDays: 30 };
        if (!analysed.has(entry.span.start))
          analysed.set(entry.span.start, analyzeEntry(fullModel, entry, { ...options, files }));
        const partialFiles = filesFor([...partial.clusters, ...partial.users], files);
        const result = analyzeEntry(mergeKubeconfigs([partial]), actual!.entry as typeof entry, {
          ...options,
          files: partialFiles,
        });
        assert.deepEqual(result, analysed.get(entry.span.start), `seed ${seed}, offset ${offset}`);
        compared++;
      }
    }
    // The generator must exercise the scanned path on most seeds, with many entries.
    assert.ok(scanned > 300, `only ${scanned} generated kubeconfigs scanned`);
    assert.ok(compared > 2000, `only ${compared} entry analyses compared`);
  });
});
