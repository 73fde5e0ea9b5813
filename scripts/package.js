// @ts-check
// `npm run package`: release build, then a .vsix with everything bundled (no node_modules), checked before it is
// written: nothing from src/, test/, bench/, scripts/ or node_modules/ inside, and under 2 MB.
// Usage: node scripts/package.js [--out <file.vsix>]
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { createVSIX, listFiles, PackageManager } = require('@vscode/vsce');

const root = path.resolve(__dirname, '..');
const MAX_BYTES = 2 * 1024 * 1024;
const FORBIDDEN = ['src/', 'test/', 'bench/', 'scripts/', 'node_modules/', 'out/', 'test-results/', '.vscode/', '.ci/'];

function outPath() {
  const i = process.argv.indexOf('--out');
  if (i !== -1 && process.argv[i + 1]) return path.resolve(process.argv[i + 1]);
  const { name, version } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  return path.join(root, `${name}-${version}.vsix`);
}

async function main() {
  const build = spawnSync(process.execPath, [path.join(root, 'esbuild.js'), '--production'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('the production build failed');

  const files = await listFiles({ cwd: root, packageManager: PackageManager.None });
  const forbidden = files.filter((f) => FORBIDDEN.some((prefix) => f.startsWith(prefix)));
  if (forbidden.length > 0) throw new Error(`.vscodeignore lets these into the .vsix:\n  ${forbidden.join('\n  ')}`);
  if (!files.includes('dist/extension.js')) throw new Error('dist/extension.js is missing from the package');
  // The bundles the extension requires at first use (esbuild.js LAZY_PACKAGES).
  const lazy = fs.existsSync(path.join(root, 'dist', 'lazy')) ? fs.readdirSync(path.join(root, 'dist', 'lazy')).filter((f) => f.endsWith('.js')) : [];
  const missingLazy = lazy.map((f) => `dist/lazy/${f}`).filter((f) => !files.includes(f));
  if (missingLazy.length > 0) throw new Error(`.vscodeignore leaves out bundles the extension loads at first use: ${missingLazy.join(', ')}`);

  const packagePath = outPath();
  await createVSIX({
    cwd: root,
    packagePath,
    dependencies: false,
    // No public repository yet; relative README links stay relative instead of failing the package.
    allowMissingRepository: true,
    rewriteRelativeLinks: false,
  });
  const { size } = fs.statSync(packagePath);
  if (size > MAX_BYTES) throw new Error(`${packagePath} is ${size} bytes, over the 2 MB budget`);
  console.log(`packaged ${path.relative(process.cwd(), packagePath) || packagePath}: ${files.length} files, ${(size / 1024).toFixed(1)} KB`);
}

main().catch((err) => {
  console.error(`package: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
});
