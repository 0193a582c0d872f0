import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { BUNDLE, expectedBundle, TRANSLATIONS } from '../../../scripts/l10n';

const placeholders = (s: string) => [...s.matchAll(/\{\w+\}/g)].map((m) => m[0]).sort();

describe('l10n bundles', () => {
  const expected = expectedBundle();

  it('l10n/bundle.l10n.json lists every message of the sources and catalog (run `npm run l10n`)', () => {
    assert.deepEqual(JSON.parse(fs.readFileSync(BUNDLE, 'utf8')), expected);
  });

  for (const file of TRANSLATIONS) {
    const name = path.basename(file);
    const translated: Record<string, string> = JSON.parse(fs.readFileSync(file, 'utf8'));

    it(`${name} translates every message`, () => {
      assert.deepEqual(
        Object.keys(expected).filter((k) => !(k in translated)),
        [],
      );
    });

    it(`${name} has no stale messages`, () => {
      assert.deepEqual(
        Object.keys(translated).filter((k) => !(k in expected)),
        [],
      );
    });

    it(`${name} keeps every {placeholder}`, () => {
      for (const [key, text] of Object.entries(translated)) {
        assert.deepEqual(placeholders(text), placeholders(key), key);
      }
    });
  }
});
