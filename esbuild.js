// @ts-check
// Builds the two shipped bundles, and (with --tests) the test bundles that never ship:
//   dist/extension.js          the extension host bundle (node, cjs, `vscode` external)
//   dist/webview/<name>.js     one browser bundle per media/webview/<name>.ts entry point
//   out/test/...               the extension-host mocha suite and its runner extension (only with --tests)
// Flags: --production (minify, no inlined sources), --watch (rebuild on change),
//        --tests (build the test bundles instead of the shipped ones; combine with --watch to rebuild both).
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

const root = __dirname;
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const withTests = process.argv.includes('--tests');

/** Every top-level .ts file in media/webview is a page script; shared modules live in subfolders. */
function webviewEntryPoints() {
  const dir = path.join(root, 'media', 'webview');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts'))
    .map((e) => path.join(dir, e.name));
}

/** The extension-host suite files, sorted so runs are reproducible. */
function suiteFiles() {
  const dir = path.join(root, 'test', 'vscode', 'suite');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.test.ts'))
    .sort()
    .map((f) => path.join(dir, f));
}

/**
 * `virtual:suite-tests` exports load(), which requires every suite file. Loading them lazily matters:
 * mocha's `describe`/`it` globals only exist once the runner has emitted 'pre-require'.
 * @type {esbuild.Plugin}
 */
const suiteFilesPlugin = {
  name: 'suite-files',
  setup(build) {
    build.onResolve({ filter: /^virtual:suite-tests$/ }, () => ({ path: 'suite-tests', namespace: 'suite-files' }));
    build.onLoad({ filter: /.*/, namespace: 'suite-files' }, () => {
      const files = suiteFiles();
      const body = files.map((f) => `  require(${JSON.stringify(f)});`).join('\n');
      return {
        contents: `exports.files = ${JSON.stringify(files.map((f) => path.basename(f)))};\nexports.load = function () {\n${body}\n};\n`,
        resolveDir: path.join(root, 'test', 'vscode', 'suite'),
        loader: 'js',
        watchFiles: files,
        watchDirs: [path.join(root, 'test', 'vscode', 'suite')],
      };
    });
  },
};

/**
 * Prints start/end lines in the shape the `$esbuild-watch`-style problem matcher in .vscode/tasks.json expects,
 * so F5 waits for the first build and errors land in the Problems view.
 * @param {string} label
 * @returns {esbuild.Plugin}
 */
function reportPlugin(label) {
  return {
    name: 'report',
    setup(build) {
      build.onStart(() => {
        if (watch) console.log(`[watch] build started (${label})`);
      });
      build.onEnd((result) => {
        for (const { text, location } of result.errors) {
          console.error(`✘ [ERROR] ${text}`);
          if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
        }
        if (watch) console.log(`[watch] build finished (${label})`);
      });
    },
  };
}

/**
 * Packages too big to parse during activation (about 600 KB of what was a 1 MB bundle). esbuild's cjs output has no
 * code splitting: an `import()` inside one bundle still compiles and evaluates everything at load. VS Code loads a
 * cjs `main` (no ESM splitting for it), so each package below ships as its own bundle, dist/lazy/<file>, that the
 * extension bundle `require`s at first use:
 * - `await import('pkg')` requires dist/lazy/<file> when that line first runs (a `require`, not a runtime `import()`:
 *   the extension host's module hooks, e.g. for `vscode`, apply to `require`);
 * - a static `import x from 'pkg'` is allowed only for packages marked `sync`: it gets a stand-in whose properties
 *   load the real bundle on first read (so code must not read them at module top level);
 * - any other static value import of these packages fails the build (use `import type` plus `await import()`).
 * The lazy bundles refer to each other the same way, so a package is never bundled twice.
 * @type {Record<string, { file: string; sync?: boolean }>}
 */
const LAZY_PACKAGES = {
  '@azure/identity': { file: 'identity.js' },
  '@microsoft/vscode-azext-azureauth': { file: 'azureauth.js' },
  'node-forge': { file: 'node-forge.js', sync: true },
};
const lazyFilter = new RegExp(`^(${Object.keys(LAZY_PACKAGES).map((p) => p.replace(/[/.]/g, '\\$&')).join('|')})$`);

/**
 * @param {string} from the folder of the bundle that refers to the lazy packages, relative to dist/
 * @param {string} [self] set when building a lazy bundle: that package itself is bundled, the others required
 * @returns {esbuild.Plugin}
 */
function lazyPackagesPlugin(from, self) {
  const target = (/** @type {string} */ pkg) => {
    const rel = path.posix.relative(from, `lazy/${LAZY_PACKAGES[pkg].file}`);
    return rel.startsWith('.') ? rel : `./${rel}`;
  };
  return {
    name: 'lazy-packages',
    setup(build) {
      build.onResolve({ filter: lazyFilter }, (args) => {
        if (args.path === self) return undefined;
        // Bundled as a lazily initialised cjs module, so the require below runs at the first import() call.
        if (args.kind === 'dynamic-import' || self !== undefined) return { path: args.path, namespace: 'lazy-require' };
        if (LAZY_PACKAGES[args.path].sync) return { path: args.path, namespace: 'lazy-stand-in' };
        return {
          errors: [{ text: `${args.path} is loaded lazily (esbuild.js LAZY_PACKAGES): import its types with \`import type\` and its values with \`await import('${args.path}')\` at first use` }],
        };
      });
      // What these virtual modules require stays a runtime require of the lazy bundle.
      build.onResolve({ filter: /.*/, namespace: 'lazy-require' }, (args) => ({ path: args.path, external: true }));
      build.onResolve({ filter: /.*/, namespace: 'lazy-stand-in' }, (args) => ({ path: args.path, external: true }));
      build.onLoad({ filter: /.*/, namespace: 'lazy-require' }, (args) => ({
        contents: `module.exports = require(${JSON.stringify(target(args.path))});`,
        loader: 'js',
      }));
      build.onLoad({ filter: /.*/, namespace: 'lazy-stand-in' }, (args) => {
        // The property names come from the package itself, read once at build time.
        const keys = Object.keys(require(args.path));
        return {
          contents: [
            `let loaded;`,
            `const load = () => (loaded ??= require(${JSON.stringify(target(args.path))}));`,
            `for (const key of ${JSON.stringify(keys)}) Object.defineProperty(exports, key, { enumerable: true, get: () => load()[key] });`,
          ].join('\n'),
          loader: 'js',
        };
      });
    },
  };
}

/**
 * Every `import * as vscode from 'vscode'` of an external module becomes its own `__toESM(require('vscode'))` in
 * esbuild's cjs output, and each copies every property of the API object (75 modules × a few hundred getters: about
 * half of the bundle's evaluation time). One internal module re-exports the API once and every module shares it.
 * @type {esbuild.Plugin}
 */
const sharedVscodePlugin = {
  name: 'shared-vscode',
  setup(build) {
    build.onResolve({ filter: /^vscode$/ }, (args) => (args.namespace === 'shared-vscode' ? { path: 'vscode', external: true } : { path: 'vscode', namespace: 'shared-vscode' }));
    build.onLoad({ filter: /.*/, namespace: 'shared-vscode' }, () => ({ contents: `export * from 'vscode';`, loader: 'js' }));
  },
};

/** @returns {esbuild.BuildOptions[]} */
function lazyBuilds() {
  return Object.entries(LAZY_PACKAGES).map(([pkg, { file }]) => ({
    stdin: { contents: `module.exports = require(${JSON.stringify(pkg)});`, resolveDir: root, sourcefile: `lazy-${file}`, loader: 'js' },
    outfile: path.join(root, 'dist', 'lazy', file),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    minify: production,
    // Third-party code: maps stay out of the .vsix (see .vscodeignore).
    sourcemap: !production,
    logLevel: 'silent',
    plugins: [lazyPackagesPlugin('lazy', pkg), reportPlugin(`lazy ${file}`)],
  }));
}

/** @returns {esbuild.BuildOptions[]} */
function shippedBuilds() {
  /** @type {esbuild.BuildOptions[]} */
  const builds = [
    {
      entryPoints: [path.join(root, 'src', 'extension.ts')],
      outfile: path.join(root, 'dist', 'extension.js'),
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: ['vscode'],
      minify: production,
      sourcemap: true,
      // Release maps keep line mapping for stack traces but not the whole source: smaller .vsix.
      sourcesContent: !production,
      logLevel: 'silent',
      // bench/bundle-size.ts reads it to name the largest parts.
      metafile: true,
      plugins: [lazyPackagesPlugin('.'), sharedVscodePlugin, reportPlugin('extension'), metafilePlugin(path.join(root, 'dist', 'meta.json'))],
    },
    ...lazyBuilds(),
  ];
  const pages = webviewEntryPoints();
  if (pages.length > 0) {
    builds.push({
      entryPoints: pages,
      outdir: path.join(root, 'dist', 'webview'),
      bundle: true,
      platform: 'browser',
      format: 'iife',
      target: ['chrome120'],
      minify: production,
      sourcemap: true,
      sourcesContent: !production,
      logLevel: 'silent',
      plugins: [reportPlugin('webview')],
    });
  } else if (fs.existsSync(path.join(root, 'dist', 'webview'))) {
    // No pages any more: do not ship stale ones.
    fs.rmSync(path.join(root, 'dist', 'webview'), { recursive: true, force: true });
  }
  return builds;
}

/**
 * Writes esbuild's metafile (which inputs went into which output, and their bytes) next to the bundle.
 * @param {string} file
 * @returns {esbuild.Plugin}
 */
function metafilePlugin(file) {
  return {
    name: 'metafile',
    setup(build) {
      build.onEnd((result) => {
        if (result.metafile) fs.writeFileSync(file, JSON.stringify(result.metafile));
      });
    },
  };
}

/** @returns {esbuild.BuildOptions[]} */
function testBuilds() {
  const common = /** @type {const} */ ({
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    sourcemap: 'inline',
    logLevel: 'silent',
    plugins: [suiteFilesPlugin, reportPlugin('tests')],
  });
  return [
    // For @vscode/test-electron: extensionTestsPath must export run().
    {
      ...common,
      entryPoints: [path.join(root, 'test', 'vscode', 'suite', 'index.ts')],
      outfile: path.join(root, 'out', 'test', 'suite', 'index.js'),
    },
    // For code-server: a tiny extension that runs the same suite on activation (see test/vscode/runner/).
    {
      ...common,
      entryPoints: [path.join(root, 'test', 'vscode', 'runner', 'extension.ts')],
      outfile: path.join(root, 'out', 'test', 'runner-extension', 'extension.js'),
    },
  ];
}

async function main() {
  // Watching with --tests keeps the shipped bundles fresh too: F5 runs the extension and its tests.
  const builds = withTests ? (watch ? [...shippedBuilds(), ...testBuilds()] : testBuilds()) : shippedBuilds();
  if (watch) {
    const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
    await Promise.all(contexts.map((c) => c.watch()));
    const stop = () => {
      void Promise.all(contexts.map((c) => c.dispose())).then(() => process.exit(0));
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    return;
  }
  const started = Date.now();
  const results = await Promise.allSettled(builds.map((b) => esbuild.build(b)));
  const failed = results.filter((r) => r.status === 'rejected');
  if (failed.length > 0) {
    // Errors were already printed by reportPlugin.
    console.error(`esbuild: ${failed.length} bundle(s) failed`);
    process.exit(1);
  }
  console.log(`esbuild: ${builds.length} bundle(s) built in ${Date.now() - started} ms${production ? ' (production)' : ''}`);
}

// Required (not run) by test/unit/build-lazy.test.ts, which checks the lazy-package rules on small fixtures.
if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
} else {
  module.exports = { lazyPackagesPlugin, sharedVscodePlugin, LAZY_PACKAGES };
}
