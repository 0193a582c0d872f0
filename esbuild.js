// One build for both bundles (extension and CLI), like vscode-eslint's client/server build.
// Type-checking is separate: `npm run typecheck`.
const esbuild = require('esbuild');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  // keepNames so stack traces in the log channel stay readable.
  keepNames: true,
};

const builds = [
  { ...common, entryPoints: ['src/extension/main.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  { ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  // The integration suite runs inside the extension host; it is never part of the VSIX.
  {
    ...common,
    sourcemap: true,
    minify: false,
    entryPoints: ['test/integration/index.ts'],
    outfile: 'out/integration/index.js',
    external: ['vscode', 'mocha', 'playwright-core'],
  },
];

async function main() {
  if (watch) {
    const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
    await Promise.all(contexts.map((c) => c.watch()));
    return;
  }
  await Promise.all(builds.map((b) => esbuild.build(b)));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
