// Builds the test bundles (esbuild.js --tests) and packages the runner extension that carries the
// extension-host suite into code-server. Nothing here goes into the shipped .vsix.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runProcess } from './processes';

export const RUNNER_EXTENSION_ID = 'keyvault-explorer.keyvault-explorer-test-runner';

export async function buildTestBundles(root: string, logFile: string): Promise<void> {
  await runProcess('esbuild --tests', process.execPath, [path.join(root, 'esbuild.js'), '--tests'], { cwd: root, logFile, timeoutMs: 120_000 });
}

/** Packages out/test/runner-extension into a .vsix and returns its path. */
export async function packageRunnerExtension(root: string, logFile: string): Promise<string> {
  const dir = path.join(root, 'out', 'test', 'runner-extension');
  mkdirSync(dir, { recursive: true });
  const manifest = {
    name: 'keyvault-explorer-test-runner',
    displayName: 'Key Vault Explorer test runner',
    description: 'Runs the Key Vault Explorer extension-host tests in code-server. Test-only; never published.',
    publisher: 'keyvault-explorer',
    version: '0.0.1',
    private: true,
    license: 'MIT',
    engines: { vscode: '^1.105.0' },
    activationEvents: ['onStartupFinished'],
    main: './extension.js',
  };
  writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(path.join(dir, 'README.md'), `# ${manifest.displayName}\n\n${manifest.description}\n`);
  writeFileSync(path.join(dir, '.vscodeignore'), '*.vsix\n');
  const packagePath = path.join(root, 'out', 'test', 'keyvault-explorer-test-runner.vsix');
  // The CLI in a child process keeps vsce's file listing in the log instead of the test output.
  const vsce = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
  const args = ['package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--no-rewrite-relative-links', '--out', packagePath];
  await runProcess('vsce package (test runner)', process.execPath, [vsce, ...args], { cwd: dir, logFile, timeoutMs: 120_000 });
  return packagePath;
}
