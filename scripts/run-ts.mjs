// Runs a TypeScript entry point in this process with tsx's loader, as `node --import tsx FILE …`
// would, so signals reach the program directly: `node scripts/run-ts.mjs FILE [args…]`.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

const [file, ...args] = process.argv.slice(2);
if (!file) {
  console.error('usage: node scripts/run-ts.mjs FILE.ts [args…]');
  process.exit(2);
}
await import('tsx');
const entry = path.resolve(file);
process.argv = [process.argv[0], entry, ...args];
await import(pathToFileURL(entry).href);
