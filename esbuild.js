// One build for every bundle (extension, CLI, their lazily loaded chunks, the integration suite),
// like vscode-eslint's client/server build. Type-checking is separate: `npm run typecheck`.
const esbuild = require('esbuild');
const path = require('node:path');

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

/**
 * Heavy modules that activation (and `kubecerts audit`) must not even parse: each one is its own
 * file in dist/, and every `await import()` of it in the source becomes `require('./<file>')` of
 * that file at run time. The source keeps ordinary, typed dynamic imports, so tests running the
 * TypeScript directly see no difference. Only modules whose callers share no classes or state
 * with them belong here: a chunk carries its own copy of whatever it imports (an `instanceof`
 * across the seam would compare two copies of a class).
 */
const LAZY_CHUNKS = [
  // 3 MB: the CSR view and `kubecerts csr` load it when they connect.
  { file: 'kubernetes-client.js', module: '@kubernetes/client-node' },
  // yaml and the certificate engine behind hover and diagnostics.
  { file: 'analysis.js', source: 'src/extension/kubeconfig/analysis.ts' },
  // @peculiar/x509 (issuance) behind the renew commands.
  { file: 'renew.js', source: 'src/extension/renew/flow.ts' },
  // The PKI scan (certificate engine, yaml for manifests), once the PKI view is shown.
  { file: 'pki.js', source: 'src/extension/views/pki/engine.ts' },
  // The whole-workspace audit (certificate engine, yaml, .gitignore rules), after activation.
  { file: 'workspace.js', source: 'src/extension/workspace/engine.ts' },
  // The Cluster Certificates view's list/watch, checks and redacted YAML, on its first connection.
  { file: 'cluster.js', source: 'src/extension/views/cluster/clusterEngine.ts' },
  // yaml alone, for the CSR view's "open as YAML".
  { file: 'yaml.js', module: 'yaml' },
];

/**
 * Turns dynamic imports of LAZY_CHUNKS into `require('./<file>')` run when the import runs (a
 * plain require, resolved next to the requiring bundle: the extension host loads CommonJS).
 * `dir` (the bench's probes) requires the chunks from that directory instead.
 */
const lazyChunksIn = (dir) => ({
  name: 'lazy-chunks',
  setup(build) {
    const bySource = new Map(
      LAZY_CHUNKS.filter((c) => c.source).map((c) => [path.resolve(__dirname, c.source), c]),
    );
    const byModule = new Map(LAZY_CHUNKS.filter((c) => c.module).map((c) => [c.module, c]));
    build.onResolve({ filter: /.*/ }, async (args) => {
      if (args.kind !== 'dynamic-import' || args.pluginData === LAZY_CHUNKS) return undefined;
      let chunk = byModule.get(args.path);
      if (!chunk && args.path.startsWith('.')) {
        const resolved = await build.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: LAZY_CHUNKS,
        });
        chunk = bySource.get(resolved.path);
      }
      return chunk ? { path: chunk.file, namespace: 'lazy-chunk' } : undefined;
    });
    build.onLoad({ filter: /.*/, namespace: 'lazy-chunk' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(dir ? path.join(dir, args.path) : './' + args.path)});`,
      loader: 'js',
    }));
    build.onResolve({ filter: /.*/, namespace: 'lazy-chunk' }, (args) => ({
      path: args.path,
      external: true,
    }));
  },
});

const lazyChunks = lazyChunksIn(undefined);

const shipped = { ...common, plugins: [lazyChunks], external: ['vscode'] };

const chunkBuilds = LAZY_CHUNKS.map((chunk) => ({
  ...shipped,
  outfile: `dist/${chunk.file}`,
  ...(chunk.source
    ? { entryPoints: [chunk.source] }
    : { stdin: { contents: `export * from '${chunk.module}';`, resolveDir: __dirname, loader: 'js' } }),
}));

const builds = [
  { ...shipped, entryPoints: ['src/extension/main.ts'], outfile: 'dist/extension.js' },
  {
    ...shipped,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    banner: { js: '#!/usr/bin/env node' },
  },
  ...chunkBuilds,
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

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}

module.exports = { LAZY_CHUNKS, lazyChunksIn };
