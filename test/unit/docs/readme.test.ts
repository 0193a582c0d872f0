import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import path from 'node:path';
import { README, renderReadme } from '../../../scripts/readme';

const root = path.dirname(README);
const CONTRIBUTING = path.join(root, 'CONTRIBUTING.md');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  contributes: {
    commands: { command: string }[];
    configuration: { properties: Record<string, unknown> };
  };
};

/** The text of a Markdown section: from its heading to the next heading of the same or a higher level. */
function section(text: string, heading: string): string {
  const level = /^#+/.exec(heading)?.[0].length ?? 0;
  const start = text.indexOf(`\n${heading}\n`);
  assert.ok(start >= 0, `missing section "${heading}"`);
  const rest = text.slice(start + heading.length + 2);
  const next = new RegExp(`^#{1,${level}} `, 'm').exec(rest);
  return next ? rest.slice(0, next.index) : rest;
}

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

  it('lists every command and setting of package.json, in English and in Chinese', () => {
    const text = fs.readFileSync(README, 'utf8');
    const tables: [string, string, string[]][] = [
      ['## Commands', '### 命令', manifest.contributes.commands.map((c) => c.command)],
      ['## Settings', '### 设置', Object.keys(manifest.contributes.configuration.properties)],
    ];
    for (const [english, chinese, ids] of tables) {
      const en = section(text, english);
      const zh = section(section(text, '## 中文'), chinese);
      for (const id of ids) {
        assert.ok(en.includes(`\`${id}\``), `README "${english}" lacks ${id}`);
        assert.ok(zh.includes(`\`${id}\``), `README "${chinese}" lacks ${id}`);
      }
    }
  });

  it('is for users: development lives in CONTRIBUTING.md, which the README links to', () => {
    const text = fs.readFileSync(README, 'utf8');
    for (const heading of ['## Development', '## Benchmark'])
      assert.ok(!text.includes(`\n${heading}\n`), `README still has "${heading}"`);
    assert.match(section(text, '## Contributing'), /\]\(CONTRIBUTING\.md\)/);
    assert.match(section(section(text, '## 中文'), '### 参与开发'), /\]\(CONTRIBUTING\.md\)/);
  });
});

describe('CONTRIBUTING.md', () => {
  const text = fs.readFileSync(CONTRIBUTING, 'utf8');

  it('documents every npm script', () => {
    for (const name of Object.keys(manifest.scripts)) {
      const documented =
        text.includes(`\`npm run ${name}`) ||
        (name === 'test' && text.includes('`npm test')) ||
        text.includes(`\`${name}\``);
      assert.ok(documented, `CONTRIBUTING.md does not mention the script ${name}`);
    }
  });

  it('tells how to run part of the real-VS-Code suite and points to ARCHITECTURE.md', () => {
    assert.match(text, /KUBECERTS_E2E_ONLY=\S+ npm run test:e2e/);
    assert.match(text, /\]\(ARCHITECTURE\.md\)/);
  });

  it('keeps the benchmark: its workloads, the latest figures and the targets', () => {
    const bench = section(text, '## Benchmark');
    assert.match(bench, /`npm run bench`/);
    assert.match(
      bench,
      /\| Workload \| Measure \| kubecerts \| Anchor \| Anchor figure \| Ratio \| Target \| Result \|/,
    );
    for (const workload of ['1. bulk audit', '2. kubeconfig', '3. CSR view', '4. start-up', '5. memory'])
      assert.ok(bench.includes(`| ${workload}`), `the benchmark table lacks ${workload}`);
  });
});
