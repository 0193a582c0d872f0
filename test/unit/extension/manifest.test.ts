// package.json stays consistent with its translations and with the findings catalog.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { FINDING_CODES } from '../../../src/core/findings/catalog';

const root = path.resolve(__dirname, '../../..');
const read = (file: string) => JSON.parse(fs.readFileSync(path.join(root, file), 'utf8'));
const manifest = read('package.json');

function placeholders(value: unknown): string[] {
  if (typeof value === 'string') return [...value.matchAll(/^%(.+)%$/g)].map((m) => m[1]);
  if (Array.isArray(value)) return value.flatMap(placeholders);
  if (value && typeof value === 'object') return Object.values(value).flatMap(placeholders);
  return [];
}

describe('package.json', () => {
  const nls = read('package.nls.json');

  it('defines every %placeholder% in package.nls.json', () => {
    assert.deepEqual(
      placeholders(manifest).filter((k) => !(k in nls)),
      [],
    );
  });

  it('has no unused package.nls.json entries', () => {
    const used = new Set(placeholders(manifest));
    assert.deepEqual(
      Object.keys(nls).filter((k) => !used.has(k)),
      [],
    );
  });

  it('translates every package.nls.json entry into Simplified Chinese', () => {
    const zh = read('package.nls.zh-cn.json');
    assert.deepEqual(Object.keys(zh).sort(), Object.keys(nls).sort());
    for (const [key, text] of Object.entries(zh)) {
      const links = (s: string) => [...s.matchAll(/\(command:[\w.]+\)/g)].map((m) => m[0]);
      assert.deepEqual(links(text as string), links(nls[key]), `command links of ${key}`);
    }
  });

  it('offers exactly the catalog codes in kubecerts.disabledFindings', () => {
    const items = manifest.contributes.configuration.properties['kubecerts.disabledFindings'].items;
    assert.deepEqual([...items.enum].sort(), [...FINDING_CODES].sort());
  });

  it('declares the three views in the Kube Certs container', () => {
    assert.deepEqual(
      manifest.contributes.views.kubecerts.map((v: { id: string }) => v.id),
      ['kubecerts.pkiView', 'kubecerts.csrView', 'kubecerts.clusterView'],
    );
  });

  it('runs on VS Code 1.100, the version CI tests with (code-server 4.100.3)', () => {
    assert.equal(manifest.engines.vscode, '^1.100.0');
    assert.equal(manifest.devDependencies['@types/vscode'], '1.100.0');
  });
});

describe('.vscodeignore', () => {
  const lines = fs.readFileSync(path.join(root, '.vscodeignore'), 'utf8').split('\n');
  const allowed = lines.filter((l) => l.startsWith('!'));

  it('is an allow-list that never ships sources, tests or maps', () => {
    assert.equal(lines[0], '**');
    assert.ok(allowed.includes('!dist/extension.js'));
    assert.ok(!allowed.some((l) => /src|test|\.map|\.ts$/.test(l)), allowed.join(' '));
  });

  it('leaves the CLI bundle out of the VSIX', () => {
    assert.ok(!allowed.some((l) => /dist\/(cli|\*)/.test(l)), allowed.join(' '));
  });
});
