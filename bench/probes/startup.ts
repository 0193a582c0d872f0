// Probe run in a fresh process: time to require dist/extension.js with the vscode stand-in and
// run activate(). Prints one JSON line.
import * as path from 'node:path';
import { extensionContext, installVscodeStub } from './vscodeStub';

const root = process.argv[2];
installVscodeStub(root);
const t0 = performance.now();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const extension = require(path.join(root, 'dist', 'extension.js')) as { activate(ctx: unknown): void };
const t1 = performance.now();
extension.activate(extensionContext(root, '0.0.0'));
const t2 = performance.now();
process.stdout.write(JSON.stringify({ requireMs: t1 - t0, activateMs: t2 - t1, totalMs: t2 - t0 }) + '\n');
// Timers and watchers the features start must not keep the probe alive.
process.exit(0);
