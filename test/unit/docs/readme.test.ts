import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import { README, renderReadme } from '../../../scripts/readme';

describe('README', () => {
  it('documents every finding and CSR risk code of the catalogs (npm run readme)', () => {
    const text = fs.readFileSync(README, 'utf8');
    assert.equal(text, renderReadme(text), 'README.md is stale: run `npm run readme`');
  });

  it('starts with the two set-up commands: the demo and the tests', () => {
    const text = fs.readFileSync(README, 'utf8');
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(text)?.[1] ?? '';
    assert.match(firstBlock, /^npm ci && npm run demo\b/m);
    assert.match(firstBlock, /^npm ci && npm test\b/m);
  });
});
