import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../../..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { LAZY_CHUNKS } = require(path.join(root, 'esbuild.js')) as {
  LAZY_CHUNKS: { file: string; source?: string; module?: string }[];
};

describe('lazily loaded bundles', () => {
  it('ship in the VSIX: .vscodeignore allows each chunk file', () => {
    const allowed = fs.readFileSync(path.join(root, '.vscodeignore'), 'utf8').split('\n');
    for (const chunk of LAZY_CHUNKS) assert.ok(allowed.includes(`!dist/${chunk.file}`), chunk.file);
  });

  it('name sources that exist and are reached only through await import()', () => {
    for (const chunk of LAZY_CHUNKS.filter((c) => c.source)) {
      const source = path.join(root, chunk.source as string);
      assert.ok(fs.existsSync(source), chunk.source);
      const stem = path.basename(source, '.ts');
      // A static import would put the chunk's code back into the bundle that imports it.
      const staticImport = new RegExp(`^import [^;]*from '[./]*[^']*/${stem}';`, 'm');
      for (const file of walk(path.join(root, 'src'))) {
        if (file === source || !file.endsWith('.ts')) continue;
        const text = fs.readFileSync(file, 'utf8').replace(/^import type [^;]*;/gm, '');
        assert.ok(
          !staticImport.test(text),
          `${path.relative(root, file)} imports ${chunk.source} statically`,
        );
      }
    }
  });
});

function walk(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}
