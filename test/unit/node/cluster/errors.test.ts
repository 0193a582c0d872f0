import * as assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { build } from 'esbuild';
import type * as Errors from '../../../../src/node/cluster/errors';
import { ClusterError, toClusterError } from '../../../../src/node/cluster/errors';

const root = path.resolve(__dirname, '../../../..');

/** Another copy of errors.ts, as a lazily loaded bundle (LAZY_CHUNKS in esbuild.js) carries one. */
async function otherCopy(): Promise<typeof Errors> {
  const result = await build({
    entryPoints: [path.join(root, 'src/node/cluster/errors.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    write: false,
    logLevel: 'silent',
  });
  const module = { exports: {} };
  vm.runInThisContext(`(function (module, exports, require) {${result.outputFiles[0]!.text}\n})`)(
    module,
    module.exports,
    createRequire(path.join(root, 'package.json')),
  );
  return module.exports as typeof Errors;
}

describe('ClusterError across bundles', () => {
  it('instanceof recognises a copy of the class by its name and kind, and nothing else', async () => {
    const copy = await otherCopy();
    assert.notEqual(copy.ClusterError, ClusterError);
    const gone = new copy.ClusterError('gone', 'watch expired');
    assert.ok(gone instanceof ClusterError);
    assert.equal(toClusterError(gone, 'watch CSRs'), gone, 'kept with its kind, not wrapped');
    assert.ok(new ClusterError('forbidden', 'no') instanceof copy.ClusterError);
    assert.ok(!(new Error('plain') instanceof ClusterError));
    const named = Object.assign(new Error('named'), { name: 'ClusterError' });
    assert.ok(!(named instanceof ClusterError), 'no kind');
    assert.ok(!({ name: 'ClusterError', kind: 'gone' } instanceof ClusterError), 'not an Error');
  });
});
