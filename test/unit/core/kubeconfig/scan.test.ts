import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseKubeconfig, parseWithYaml } from '../../../../src/core/kubeconfig/parse';
import { scanYaml } from '../../../../src/core/kubeconfig/scan';
import { kubeconfigYaml } from '../../../fixtures/kubeconfig';

/** Deterministic PRNG (mulberry32) so a failure names a reproducible case. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rng = () => number;
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)];

/** Scalars in every style the scanner claims, and a few it must hand over to `yaml`. */
const SCALARS = [
  'prod',
  'https://10.0.0.1:6443',
  'https://[::1]:6443',
  '"quoted value"',
  "'single ''quoted'''",
  '""',
  "''",
  'true',
  'False',
  '~',
  'null',
  '42',
  '0x1F',
  '1.5e3',
  '.inf',
  '-dash',
  'a#b',
  'a: b',
  'trailing:',
  '"esc\\"aped"',
  '&anchor x',
  '*alias',
  '!!str tagged',
  '|',
  '>-',
  '[a, b]',
  '{a: b}',
  '{}',
  '[]',
  '"open',
  'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUM=',
  'value # comment',
  '"q" # comment',
  'x:y',
  '@reserved',
  '? complex',
  '-',
];

function scalar(rng: Rng): string {
  return pick(rng, SCALARS);
}

/** A kubeconfig in one of the layouts tools write, with random odd-but-valid (and invalid) touches. */
function generate(rng: Rng, odd = 0.25): string {
  const dash = pick(rng, ['- ', '- ', '-   ']);
  const seqIndent = pick(rng, ['', '', '  ']);
  const inner = ' '.repeat(dash.length);
  const lines: string[] = [];
  const body = (prefix: string, fields: readonly [string, string][]): void => {
    for (const [k, v] of fields) lines.push(`${prefix}${k}: ${v}`);
  };
  const value = (fallback: string): string => (rng() < odd ? scalar(rng) : fallback);
  lines.push('apiVersion: v1', `kind: ${value('Config')}`);
  if (rng() < 0.5) lines.push(`current-context: ${value('ctx-0')}`);
  if (rng() < 0.3) lines.push(`preferences: ${pick(rng, ['{}', '', '[]'])}`);
  const n = Math.floor(rng() * 4);
  for (const list of ['clusters', 'users', 'contexts'] as const) {
    const inner1 = list.slice(0, -1);
    if (n === 0 || rng() < 0.1) {
      lines.push(`${list}: ${pick(rng, ['[]', '', '{}', '~', 'x'])}`);
      continue;
    }
    lines.push(`${list}:`);
    for (let i = 0; i < n; i++) {
      const p = seqIndent + inner;
      const name = `${list}-${rng() < 0.2 ? 0 : i}`;
      const fields: [string, string][] =
        list === 'clusters'
          ? [
              ['server', value('https://127.0.0.1:6443')],
              ['certificate-authority-data', value('LS0tLS1CRUdJTg==')],
              ['insecure-skip-tls-verify', value('false')],
            ]
          : list === 'users'
            ? [
                ['client-certificate-data', value('LS0tLS1CRUdJTg==')],
                ['client-key', value('../key.pem')],
                ['token', value('abc.def')],
              ]
            : [
                ['cluster', value('clusters-0')],
                ['user', value('users-0')],
                ['namespace', value('default')],
              ];
      const r = rng();
      if (r < 0.1) {
        lines.push(`${seqIndent}${dash}${scalar(rng)}`);
        continue;
      }
      const nameFirst = rng() < 0.5;
      if (nameFirst) lines.push(`${seqIndent}${dash}name: ${value(name)}`);
      else lines.push(`${seqIndent}${dash}${inner1}:`);
      if (!nameFirst || rng() < 0.9) {
        if (nameFirst) lines.push(`${p}${inner1}:${rng() < 0.1 ? ' # c' : ''}`);
        const shape = rng();
        if (shape < 0.1) lines[lines.length - 1] += ` ${pick(rng, ['{}', '[]', 'x', '~'])}`;
        else {
          body(p + '  ', fields.slice(0, 1 + Math.floor(rng() * fields.length)));
          if (list === 'users' && rng() < 0.3) {
            lines.push(`${p}  exec:`, `${p}    apiVersion: client.authentication.k8s.io/v1`);
            lines.push(`${p}    command: ${value('kubelogin')}`);
            if (rng() < 0.5) lines.push(`${p}    args:`, `${p}    - get-token`, `${p}    - --x`);
            if (rng() < 0.5) lines.push(`${p}    env: null`);
          }
          if (rng() < 0.2) lines.push(`${p}  extensions:`, `${p}  - name: e`, `${p}    extension: {}`);
          if (rng() < 0.1) lines.push(`${p}  unknown:`);
        }
      }
      if (!nameFirst) lines.push(`${p}name: ${value(name)}`);
      if (rng() < 0.05) lines.push(`${p}name: again`);
    }
  }
  if (rng() < 0.2) lines.push('');
  let text = lines.join('\n') + (rng() < 0.8 ? '\n' : '');
  if (rng() < 0.15) text = text.replaceAll('\n', '\r\n');
  if (rng() < 0.1) text = '\ufeff' + text;
  if (rng() < 0.1) text = '# generated\n' + text;
  return text;
}

/** Small edits that land on the scanner's decisions: indentation, indicators, comments, breaks. */
const INSERTS = [
  ' ',
  '  ',
  '-',
  '- ',
  ':',
  ': ',
  '#',
  ' #',
  '\n',
  '\r',
  '\t',
  '"',
  "'",
  '{',
  '}',
  '[',
  ']',
  '&a ',
  '*a',
  '!',
  '|',
  '>',
  '%',
  '---\n',
  '...\n',
  '?',
  ',',
  '\ufeff',
  '\n  # c\n',
  '~',
];

function mutate(rng: Rng, text: string): string {
  const edits = 1 + Math.floor(rng() * 3);
  let out = text;
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(rng() * (out.length + 1));
    const r = rng();
    if (r < 0.4) out = out.slice(0, at) + pick(rng, INSERTS) + out.slice(at);
    else if (r < 0.7) out = out.slice(0, at) + out.slice(at + 1 + Math.floor(rng() * 3));
    else {
      // Re-indent or duplicate one whole line.
      const start = out.lastIndexOf('\n', at - 1) + 1;
      const end = out.indexOf('\n', at);
      const line = out.slice(start, end === -1 ? out.length : end);
      out =
        rng() < 0.5
          ? out.slice(0, start) +
            pick(rng, ['', ' ', '  ', '    ']) +
            line.trimStart() +
            out.slice(start + line.length)
          : out.slice(0, start) + line + '\n' + out.slice(start);
    }
  }
  return out;
}

function sameAsYaml(text: string, label: string): boolean {
  const fast = parseKubeconfig(text, '/home/u/.kube/config');
  const reference = parseWithYaml(text, '/home/u/.kube/config');
  assert.deepEqual(fast, reference, `${label}: ${JSON.stringify(text)}`);
  return scanYaml(text) !== undefined;
}

describe('kubeconfig scanner', () => {
  it('builds the same document as the yaml parser on generated kubeconfigs', function () {
    this.timeout(120_000);
    const rng = random(20260301);
    let scanned = 0;
    const total = 1500;
    for (let i = 0; i < total; i++) if (sameAsYaml(generate(rng), `case ${i}`)) scanned++;
    // The fast path must really be taken for most of them, or this test checks nothing.
    assert.ok(scanned > total / 4, `only ${scanned} of ${total} scanned`);
  });

  it('builds the same document, or defers to yaml, on mutated kubeconfigs', function () {
    this.timeout(120_000);
    const rng = random(7);
    let scanned = 0;
    const total = 6000;
    for (let i = 0; i < total; i++)
      if (sameAsYaml(mutate(rng, generate(rng, 0.02)), `mutant ${i}`)) scanned++;
    assert.ok(scanned > total / 10, `only ${scanned} of ${total} scanned`);
  });

  it('reads the layout kubectl writes, including every field kind', () => {
    const text = kubeconfigYaml({
      clusters: [{ name: 'prod', server: 'https://prod:6443', caPath: 'pki/ca.crt', insecure: true }],
      users: [
        { name: 'admin', certPath: '../certs/admin.crt', token: 'abc', execCommand: 'kubelogin' },
        { name: 'with space', password: 'p@ss: word', username: 'true' },
      ],
      contexts: [{ name: 'prod-admin', cluster: 'prod', user: 'admin', namespace: 'kube-system' }],
      currentContext: 'prod-admin',
    });
    assert.ok(scanYaml(text), 'kubectl layout must take the fast path');
    sameAsYaml(text, 'kubectl layout');
    sameAsYaml(text.replaceAll('\n', '\r\n'), 'CRLF');
    sameAsYaml('\ufeff' + text, 'BOM');
  });

  it('defers to yaml for what it cannot reproduce exactly', () => {
    for (const text of [
      'a: &x 1\nb: *x\n',
      'a: !!str 1\n',
      'a: |\n  x\n',
      'a: >\n  x\n',
      'a: [x]\n',
      'a: 1\na: 2\n',
      '%YAML 1.2\n---\na: 1\n',
      'a: 1\n---\nb: 2\n',
      'a:\n\tb: 1\n',
      'a: x\n  y\n',
      'a:\n  # c\n  b: 1\n',
      'a: "x\\ty"\n',
      'a: .inf\n',
      'a:\n  <<: {}\n',
      'on: x\n',
      '- a\n',
    ]) {
      assert.equal(scanYaml(text), undefined, JSON.stringify(text));
      sameAsYaml(text, 'deferred');
    }
  });

  it('agrees with yaml on the fuzz corpus', function () {
    const dir = path.join(__dirname, '../../../fuzz/corpus/kubeconfig');
    if (!fs.existsSync(dir)) this.skip();
    for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.json'))) {
      const cases = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as unknown;
      for (const text of (Array.isArray(cases) ? cases : [cases]).filter((c) => typeof c === 'string'))
        sameAsYaml(text as string, name);
    }
  });
});
