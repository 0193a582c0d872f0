import { strict as assert } from 'node:assert';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { atomicWriteFile, type AtomicWriteStep } from '../../../../src/node/fs/atomicWrite';

const STEPS: readonly AtomicWriteStep[] = [
  'temp-created',
  'temp-written',
  'temp-synced',
  'renamed',
  'dir-synced',
];

describe('atomicWriteFile', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kubecerts-atomic-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('creates a new file with the given mode, whatever the umask', async () => {
    const target = path.join(dir, 'new.key');
    const previous = process.umask(0o077);
    try {
      await atomicWriteFile(target, 'secret', { mode: 0o640 });
    } finally {
      process.umask(previous);
    }
    assert.equal(await fs.readFile(target, 'utf8'), 'secret');
    if (process.platform !== 'win32') assert.equal((await fs.stat(target)).mode & 0o777, 0o640);
  });

  it('defaults new files to 0600', async function () {
    if (process.platform === 'win32') this.skip();
    const target = path.join(dir, 'default');
    await atomicWriteFile(target, new Uint8Array([1, 2, 3]));
    assert.equal((await fs.stat(target)).mode & 0o777, 0o600);
    assert.deepEqual([...(await fs.readFile(target))], [1, 2, 3]);
  });

  it('keeps the mode of the file it replaces', async function () {
    if (process.platform === 'win32') this.skip();
    const target = path.join(dir, 'ca.crt');
    await fs.writeFile(target, 'old');
    await fs.chmod(target, 0o644);
    await atomicWriteFile(target, 'new', { mode: 0o600 });
    assert.equal(await fs.readFile(target, 'utf8'), 'new');
    assert.equal((await fs.stat(target)).mode & 0o777, 0o644);
  });

  it('leaves no temporary file behind', async () => {
    const target = path.join(dir, 'state.json');
    await atomicWriteFile(target, '{}');
    await atomicWriteFile(target, '{"a":1}');
    assert.deepEqual(await fs.readdir(dir), ['state.json']);
  });

  it('reports every step in order, the temp file living in the target directory', async () => {
    const seen: string[] = [];
    await atomicWriteFile(path.join(dir, 'f'), 'x', {
      onStep: (step, temp) => {
        assert.equal(path.dirname(temp), dir);
        seen.push(step);
      },
    });
    assert.deepEqual(seen, STEPS);
  });

  for (const [index, failAt] of STEPS.entries()) {
    it(`a failure after "${failAt}" leaves the old or the new content, never a mix`, async () => {
      const target = path.join(dir, 'admin.conf');
      await fs.writeFile(target, 'old content');
      await assert.rejects(
        atomicWriteFile(target, 'new content', {
          onStep: (step) => {
            if (step === failAt) throw new Error(`killed at ${step}`);
          },
        }),
        /killed at/,
      );
      const renamedAlready = index >= STEPS.indexOf('renamed');
      assert.equal(await fs.readFile(target, 'utf8'), renamedAlready ? 'new content' : 'old content');
      assert.deepEqual(await fs.readdir(dir), ['admin.conf']);
    });
  }

  it('a failure before the rename of a new file creates nothing', async () => {
    const target = path.join(dir, 'fresh');
    await assert.rejects(
      atomicWriteFile(target, 'data', {
        onStep: (step) => {
          if (step === 'temp-synced') throw new Error('killed');
        },
      }),
    );
    assert.deepEqual(await fs.readdir(dir), []);
  });

  it('without fsync still replaces atomically and reports the same steps', async () => {
    const target = path.join(dir, 'bulk.json');
    await fs.writeFile(target, 'old');
    const seen: string[] = [];
    await atomicWriteFile(target, 'new', { fsync: false, onStep: (step) => void seen.push(step) });
    assert.equal(await fs.readFile(target, 'utf8'), 'new');
    assert.deepEqual(seen, STEPS);
  });

  it('fails when the directory does not exist', async () => {
    await assert.rejects(atomicWriteFile(path.join(dir, 'missing', 'f'), 'x'), { code: 'ENOENT' });
  });
});
