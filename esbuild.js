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
 * Heavy modules that activation (and `kubecerts audit`) must not even parse: each is bundled into
 * a file of dist/, and every `await import()` of it in the source becomes `require('./<file>')` of
 * that file at run time. The source keeps ordinary, typed dynamic imports, so tests running the
 * TypeScript directly see no difference. Only modules whose callers share no classes or state
 * with them belong here: a file carries its own copy of whatever it imports (an `instanceof`
 * across the seam would compare two copies of a class). Sources that need the same engine share
 * one file (one copy of it in the VSIX, and loaded once); a `shared` module's file is required by
 * the other files instead of each carrying its own copy (yaml).
 */
const LAZY_CHUNKS = [
  // 1.7 MB, the parts of @kubernetes/client-node kubecerts calls: the CSR and Cluster views and
  // `kubecerts csr|cluster` load it when they connect.
  { file: 'kubernetes-client.js', source: 'src/node/cluster/clientNode.ts' },
  // The certificate engine (decoding, chains, checks, kubeconfigs, manifests, PKI folders), first
  // loaded by the whole-workspace audit a few seconds after activation, or by whichever of these
  // comes first:
  // - the kubeconfig analysis behind hover and diagnostics;
  { file: 'engine.js', source: 'src/extension/kubeconfig/analysis.ts' },
  // - certificates in any other document (manifests, PEM) and the details text;
  { file: 'engine.js', source: 'src/extension/details/engine.ts' },
  // - the served-certificate check (TLS handshakes) behind the `server:` hover;
  { file: 'engine.js', source: 'src/extension/probe/engine.ts' },
  // - the PKI view's scan;
  { file: 'engine.js', source: 'src/extension/views/pki/engine.ts' },
  // - the whole-workspace audit (with .gitignore rules).
  { file: 'engine.js', source: 'src/extension/workspace/engine.ts' },
  // @peculiar/x509 (issuance) behind the renew commands. `preferModule`: its packages' ES module
  // builds (field `module`), which esbuild tree-shakes (595 KB minified from their CommonJS, 468 KB).
  { file: 'renew.js', source: 'src/extension/renew/flow.ts', preferModule: true },
  // The cluster client (kubeconfig loading) and certificate checks, on a cluster view's first
  // connection: the Cluster Certificates view's list/watch and redacted YAML,
  { file: 'cluster.js', source: 'src/extension/views/cluster/clusterEngine.ts' },
  // and the CSR view's review.
  { file: 'cluster.js', source: 'src/extension/views/csr/csrEngine.ts' },
  // yaml, for every file above and the CSR view's "open as YAML".
  { file: 'yaml.js', module: 'yaml', shared: true },
];

/** The files of LAZY_CHUNKS, each with its sources or module. */
const CHUNK_FILES = [...new Set(LAZY_CHUNKS.map((c) => c.file))].map((file) => ({
  file,
  chunks: LAZY_CHUNKS.filter((c) => c.file === file),
}));

/** Under which name a file with several sources exports each one's namespace. */
const exportName = (source) => source.replace(/\.ts$/, '').replace(/[^A-Za-z0-9]/g, '_');
const hasSeveral = (file) => LAZY_CHUNKS.filter((c) => c.file === file).length > 1;

/**
 * Turns dynamic imports of LAZY_CHUNKS into `require('./<file>')` run when the import runs (a
 * plain require, resolved next to the requiring bundle: the extension host loads CommonJS).
 * `dir` (the bench's probes) requires the chunks from that directory instead. With `shareStatic`
 * (the chunks' own builds) static imports of a `shared` chunk's module become that require too.
 */
const lazyChunksIn = (dir, { shareStatic = false } = {}) => ({
  name: 'lazy-chunks',
  setup(build) {
    const bySource = new Map(
      LAZY_CHUNKS.filter((c) => c.source).map((c) => [path.resolve(__dirname, c.source), c]),
    );
    const byModule = new Map(LAZY_CHUNKS.filter((c) => c.module).map((c) => [c.module, c]));
    build.onResolve({ filter: /.*/ }, async (args) => {
      if (args.pluginData === LAZY_CHUNKS) return undefined;
      if (args.kind !== 'dynamic-import') {
        // '<stdin>' is a module chunk's own entry (`export * from 'yaml'`), which bundles it.
        const shared = shareStatic && args.importer !== '<stdin>' && byModule.get(args.path);
        return shared?.shared ? { path: shared.file, namespace: 'lazy-chunk' } : undefined;
      }
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
      if (!chunk) return undefined;
      // esbuild takes one path for one module: `<file>#<export>` for a source sharing its file.
      const name = hasSeveral(chunk.file) ? `#${exportName(chunk.source)}` : '';
      return { path: chunk.file + name, namespace: 'lazy-chunk' };
    });
    build.onLoad({ filter: /.*/, namespace: 'lazy-chunk' }, (args) => {
      const [file, name] = args.path.split('#');
      const required = JSON.stringify(dir ? path.join(dir, file) : './' + file);
      return { contents: `module.exports = require(${required})${name ? `.${name}` : ''};`, loader: 'js' };
    });
    build.onResolve({ filter: /.*/, namespace: 'lazy-chunk' }, (args) => ({
      path: args.path,
      external: true,
    }));
  },
});

const lazyChunks = lazyChunksIn(undefined);

/**
 * node-fetch 2 (under @kubernetes/client-node) takes Node's own URL class and falls back to
 * whatwg-url (290 KB minified, Unicode tables) only where Node has none: never on Node 20.
 */
const withoutUrlFallback = {
  name: 'without-url-fallback',
  setup(build) {
    build.onResolve({ filter: /^whatwg-url$/ }, () => ({ path: 'whatwg-url', namespace: 'unused' }));
    build.onLoad({ filter: /.*/, namespace: 'unused' }, () => ({ contents: 'module.exports = {};' }));
  },
};

/**
 * `import * as vscode from 'vscode'` in each of some thirty modules would each copy the whole API
 * object into a namespace object of its own (esbuild's interop for an external CommonJS module), at
 * require time. One ES module re-exports it instead, so a bundle copies it once.
 */
const vscodeOnce = {
  name: 'vscode-once',
  setup(build) {
    build.onResolve({ filter: /^vscode$/ }, (args) =>
      args.namespace === 'vscode-once'
        ? { path: 'vscode', external: true }
        : { path: 'vscode', namespace: 'vscode-once' },
    );
    build.onLoad({ filter: /.*/, namespace: 'vscode-once' }, () => ({
      contents: "export * from 'vscode';",
      loader: 'js',
    }));
  },
};

const shipped = { ...common, plugins: [lazyChunks, withoutUrlFallback, vscodeOnce], external: ['vscode'] };

const chunkBuilds = CHUNK_FILES.map(({ file, chunks }) => ({
  ...shipped,
  plugins: [lazyChunksIn(undefined, { shareStatic: true }), withoutUrlFallback, vscodeOnce],
  outfile: `dist/${file}`,
  ...(chunks.some((c) => c.preferModule) ? { mainFields: ['module', 'main'] } : {}),
  ...(chunks.length > 1
    ? {
        stdin: {
          contents: chunks.map((c) => `export * as ${exportName(c.source)} from './${c.source}';`).join('\n'),
          resolveDir: __dirname,
          loader: 'ts',
        },
      }
    : chunks[0].source
      ? { entryPoints: [chunks[0].source] }
      : { stdin: { contents: `export * from '${chunks[0].module}';`, resolveDir: __dirname, loader: 'js' } }),
}));

/** What VS Code loads at activation (test/unit/build/activationBundle.test.ts builds it again). */
const extensionBuild = { ...shipped, entryPoints: ['src/extension/main.ts'], outfile: 'dist/extension.js' };

const builds = [
  extensionBuild,
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

module.exports = { LAZY_CHUNKS, lazyChunksIn, extensionBuild };
