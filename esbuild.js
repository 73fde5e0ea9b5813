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
      plugins: [reportPlugin('extension')],
    },
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

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
