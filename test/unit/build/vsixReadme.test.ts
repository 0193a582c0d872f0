import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../../..');

/** Relative targets of images and links in a Markdown text (http(s), mailto and #anchors excluded). */
function localTargets(markdown: string): { images: string[]; links: string[] } {
  const images = new Set<string>();
  const links = new Set<string>();
  for (const m of markdown.matchAll(/(!?)\[[^\]]*\]\(([^)\s]+)[^)]*\)/g)) {
    const target = m[2].split('#')[0];
    if (target === '' || /^[a-z]+:/i.test(target)) continue;
    (m[1] === '!' ? images : links).add(target);
  }
  for (const m of markdown.matchAll(/<img[^>]*\ssrc="([^"]+)"/g)) {
    if (!/^[a-z]+:/i.test(m[1])) images.add(m[1]);
  }
  return { images: [...images], links: [...links] };
}

describe('the packaged README', () => {
  // The Marketplace, Open VSX and VS Code's extension page render the README from the VSIX:
  // a relative image or link that is not packaged shows as broken. The package script keeps
  // relative links as they are (no `repository` to rewrite them against), so the documents the
  // README links to (CONTRIBUTING.md, ARCHITECTURE.md, docs/) ship too, and their links in turn.
  it('finds every image and linked file it references in the VSIX (vsce ls), and those of the documents it links to', function () {
    this.timeout(60_000);
    const vsce = path.join(root, 'node_modules', '.bin', 'vsce');
    const packaged = new Set(
      execFileSync(vsce, ['ls', '--no-dependencies'], { cwd: root, encoding: 'utf8' })
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean),
    );
    const readme = localTargets(fs.readFileSync(path.join(root, 'README.md'), 'utf8'));
    assert.ok(readme.images.length > 0, 'the README shows screenshots');
    for (const doc of ['CONTRIBUTING.md', 'ARCHITECTURE.md'])
      assert.ok(readme.links.includes(doc), `the README links to ${doc}`);
    const seen = new Set<string>();
    const pending = ['README.md'];
    while (pending.length > 0) {
      const doc = pending.pop() as string;
      if (seen.has(doc)) continue;
      seen.add(doc);
      const { images, links } = localTargets(fs.readFileSync(path.join(root, doc), 'utf8'));
      for (const relative of [...images, ...links]) {
        const target = path.posix.normalize(path.posix.join(path.posix.dirname(doc), relative));
        assert.ok(
          fs.existsSync(path.join(root, target)),
          `${doc} references ${target}, which does not exist`,
        );
        assert.ok(packaged.has(target), `${doc} references ${target}, which is not in the VSIX`);
        if (target.endsWith('.md')) pending.push(target);
      }
    }
    assert.ok(seen.has('CONTRIBUTING.md') && seen.has('docs/fleet.md'), [...seen].join(' '));
  });
});
