// Probe run in a fresh process on the bench workspace: the whole-workspace audit's first scan (list
// the folder as findFiles would, read the candidates, audit them) and then one file changed on disk
// (what the file watcher hands over). Runs the extension's own engine. Prints one JSON line.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GitignoreRules, readTextFile, WorkspaceEngine } from '../../src/extension/workspace/engine';
import { printJsonLine } from './jsonLine';

const [dir, nowText, changed] = process.argv.slice(2);
const options = { now: new Date(nowText), warnDays: 30, disabled: new Set<string>() };

function list(folder: string, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) list(full, out);
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

async function main(): Promise<Record<string, unknown>> {
  const t0 = performance.now();
  const files = list(dir);
  const engine = new WorkspaceEngine();
  engine.setGitignore(
    await GitignoreRules.load(
      files.filter((f) => path.basename(f) === '.gitignore'),
      readTextFile,
    ),
  );
  await engine.sync(files, options);
  const problems = engine.problems();
  const t1 = performance.now();
  const initial = engine.counts;

  // An edit as a user would save it: new content, a later mtime.
  const original = fs.readFileSync(changed, 'utf8');
  fs.writeFileSync(changed, original.replace(/server: (\S+)/, 'server: $1/'));
  const later = new Date(fs.statSync(changed).mtimeMs + 2000);
  fs.utimesSync(changed, later, later);
  try {
    const t2 = performance.now();
    await engine.changed([changed], options);
    engine.problems();
    const t3 = performance.now();
    return {
      listed: files.length,
      initialMs: t1 - t0,
      matched: initial.matched,
      reads: initial.reads,
      filesWithProblems: problems.size,
      changeMs: t3 - t2,
      changeReads: engine.counts.reads - initial.reads,
    };
  } finally {
    fs.writeFileSync(changed, original);
  }
}

printJsonLine(main);
