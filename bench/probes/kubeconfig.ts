// Probe run in a fresh process on the big kubeconfig: `hover` (cold = the first hover, once
// activation is idle, then warm repeats), `diagnostics` (open → published), or `yaml` (yaml.parseDocument alone).
// Drives the bundled extension through the vscode stand-in. Prints one JSON line.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as Yaml from 'yaml';
import { extensionContext, installVscodeStub, recorded, TextDocument } from './vscodeStub';
import { printJsonLine } from './jsonLine';

const [root, mode, file, offsetText] = process.argv.slice(2);
const text = fs.readFileSync(file, 'utf8');
const token = { isCancellationRequested: false, onCancellationRequested: () => ({ dispose() {} }) };

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function main(): Promise<Record<string, unknown>> {
  if (mode === 'yaml') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const yaml = require(path.join(root, 'node_modules', 'yaml')) as typeof Yaml;
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      yaml.parseDocument(text, { keepSourceTokens: false, uniqueKeys: true });
      times.push(performance.now() - t0);
    }
    return { firstMs: times[0], medianMs: median(times) };
  }
  installVscodeStub(root);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const extension = require(path.join(root, 'dist', 'extension.js')) as { activate(ctx: unknown): void };
  extension.activate(extensionContext(root, '0.0.0'));
  const doc = new TextDocument(file, text);
  if (mode === 'hover') {
    // A user hovers after the file is open and the host idle: activation's idle-time warm-up (the
    // analysis bundle, ICU data) is done by then, and no pass over the file has run (no open event).
    await new Promise((resolve) => setTimeout(resolve, 300));
    const provider = recorded.hoverProviders[0];
    const position = doc.positionAt(Number(offsetText));
    const hover = async () => {
      const t0 = performance.now();
      const result = (await provider.provideHover(doc, position, token)) as
        { contents: { value: string } } | undefined;
      return { ms: performance.now() - t0, markdown: result?.contents.value ?? '' };
    };
    const cold = await hover();
    const warm: number[] = [];
    for (let i = 0; i < 20; i++) warm.push((await hover()).ms);
    return {
      coldMs: cold.ms,
      warmMs: median(warm),
      markdownChars: cold.markdown.length,
      mentionsCa: cold.markdown.includes('cluster-'),
    };
  }
  const uri = doc.uri.toString();
  const t0 = performance.now();
  for (const listener of recorded.openListeners) listener(doc);
  while (!recorded.diagnostics.has(uri)) await new Promise((resolve) => setImmediate(resolve));
  return { firstPassMs: performance.now() - t0, diagnostics: recorded.diagnostics.get(uri)?.length ?? 0 };
}

printJsonLine(main);
