import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GitignoreRules } from '../../../../src/extension/workspace/gitignore';
import { excludeGlob, isCandidateFile } from '../../../../src/extension/workspace/scanPolicy';

describe('workspace scan policy', () => {
  it('reads names that may hold a kubeconfig or certificates, not sources or images', () => {
    for (const file of [
      '/w/config',
      '/w/admin.conf',
      '/w/a.kubeconfig',
      '/w/s.yaml',
      '/w/ca.crt',
      '/w/x.pem',
      '/w/k.json',
    ])
      assert.ok(isCandidateFile(file), file);
    for (const file of ['/w/main.ts', '/w/logo.png', '/w/archive.tar.gz', '/w/notes.md'])
      assert.ok(!isCandidateFile(file), file);
  });

  it('repeats the enabled files.exclude patterns in the exclude glob, with node_modules', () => {
    assert.equal(
      excludeGlob({
        '**/.git': true,
        '**/tmp': false,
        '**/*.{bak,old}': true,
        '**/x': { when: '$(basename).ts' },
      }),
      '{**/.git,**/*.\\{bak\\,old\\},**/node_modules/**}',
    );
    assert.equal(excludeGlob(undefined), '{**/node_modules/**}');
  });

  describe('.gitignore rules', () => {
    let root: string;
    before(() => {
      root = mkdtempSync(join(tmpdir(), 'kubecerts-gitignore-'));
      mkdirSync(join(root, 'deploy'));
      writeFileSync(join(root, '.gitignore'), 'build/\n*.log\n/secrets\n');
      // A deeper file has the last word: it takes one log file back.
      writeFileSync(join(root, 'deploy', '.gitignore'), '!keep.log\nlocal/\n');
    });
    after(() => rmSync(root, { recursive: true, force: true }));

    it('skips ignored folders and files, a deeper .gitignore overriding a shallower one', async () => {
      const rules = await GitignoreRules.load(
        [join(root, 'deploy', '.gitignore'), join(root, '.gitignore')],
        (f) => readFile(f, 'utf8'),
      );
      const ignored = (p: string) => rules.ignores(join(root, p));
      assert.ok(ignored('build/admin.conf'));
      assert.ok(ignored('deploy/build/x/admin.conf'), 'build/ at any depth');
      assert.ok(ignored('secrets/ca.crt'));
      assert.ok(!ignored('deploy/secrets/ca.crt'), '/secrets is anchored at its .gitignore');
      assert.ok(ignored('a.log'));
      assert.ok(!ignored('deploy/keep.log'));
      assert.ok(ignored('deploy/local/kubeconfig'));
      assert.ok(!ignored('local/kubeconfig'), 'deploy/.gitignore says nothing outside deploy/');
      assert.ok(!ignored('admin.conf'));
    });

    it('ignores nothing without rules, and skips unreadable files', async () => {
      assert.ok(!GitignoreRules.none.ignores(join(root, 'build/x')));
      const rules = await GitignoreRules.load([join(root, 'missing', '.gitignore')], async () => undefined);
      assert.equal(rules.size, 0);
    });
  });
});
