// @ts-check
// `npm run test:electron`: the same extension-host suite in desktop VS Code through @vscode/test-electron.
// It downloads a VS Code build from update.code.visualstudio.com, so it works only where that site is reachable —
// not on this project's build machines (no internet beyond npm and Debian); there the code-server tier
// (test/vscode/run.ts, part of `npm test`) runs the suite instead. Linux without a display needs xvfb-run.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { runTests } = require('@vscode/test-electron');

const root = path.resolve(__dirname, '..', '..');

async function main() {
  // The extension in development mode (dist/extension.js) and the suite bundle that exports run().
  for (const args of [['esbuild.js'], ['esbuild.js', '--tests']]) {
    const build = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
    if (build.status !== 0) throw new Error(`node ${args.join(' ')} failed`);
  }
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'keyvault-explorer-electron-'));
  try {
    await runTests({
      version: process.env.VSCODE_TEST_VERSION ?? 'stable',
      extensionDevelopmentPath: root,
      extensionTestsPath: path.join(root, 'out', 'test', 'suite', 'index.js'),
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
    });
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(`test:electron: ${err instanceof Error ? err.message : err}`);
  console.error('Desktop VS Code could not be downloaded or run here; use `npm test` (code-server tier) instead.');
  process.exit(1);
});
