// Provisions a real VS Code for this machine, as ../shared/notes/real-vscode.md describes: Debian's chromium and
// libkrb5-dev, Node 24 from the npm registry, and code-server into a cache outside the repo. Every step is skipped
// when already done, so the second run costs a few checks.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { withLock } from './lock';
import { capture, runProcess } from './processes';

export const CODE_SERVER_VERSION = '4.139.1';
const NODE_MAJOR = 24;

export interface Provisioned {
  /** Node 24 binary that runs code-server. */
  readonly node: string;
  /** code-server's out/node/entry.js. */
  readonly codeServerEntry: string;
  /** Chromium for Playwright. */
  readonly chromium: string;
  /** Environment for code-server processes: Node 24 first on PATH and its headers for native modules. */
  readonly env: NodeJS.ProcessEnv;
}

/** The cache outside the repo; KEYVAULT_EXPLORER_CACHE overrides it. */
export function cacheDir(): string {
  return process.env.KEYVAULT_EXPLORER_CACHE ?? path.join(os.homedir(), '.cache', 'keyvault-explorer');
}

function say(message: string): void {
  console.log(`[provision] ${message}`);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function debianPackageInstalled(name: string): boolean {
  return (capture('dpkg-query', ['-W', '-f=${Status}', name]) ?? '').includes('install ok installed');
}

function chromiumPath(): string {
  return process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
}

/** Installs the Debian packages that are missing when root; otherwise stops with a message naming them. */
async function ensureDebianPackages(packages: readonly string[]): Promise<void> {
  const missing = packages.filter((p) => (p === 'chromium' ? !existsSync(chromiumPath()) : !debianPackageInstalled(p)));
  if (missing.length === 0) return;
  const command = `apt-get update && apt-get install -y ${missing.join(' ')}`;
  if (process.getuid?.() !== 0) {
    throw new Error(`Missing Debian packages: ${missing.join(', ')}. Install them as root: ${command}`);
  }
  if (!existsSync('/usr/bin/apt-get')) throw new Error(`Missing packages ${missing.join(', ')} and no apt-get to install them`);
  say(`installing Debian packages: ${missing.join(' ')}`);
  const logFile = path.join(cacheDir(), 'apt-install.log');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // Wait for another apt (an unattended upgrade) instead of failing on its lock.
  const lock = ['-o', 'DPkg::Lock::Timeout=600'];
  await runProcess('apt-get update', 'apt-get', [...lock, 'update'], { env, logFile, timeoutMs: 15 * 60_000 });
  await runProcess('apt-get install', 'apt-get', [...lock, 'install', '-y', ...missing], { env, logFile, timeoutMs: 30 * 60_000 });
}

function nodePackageDir(): string {
  return path.join(cacheDir(), `node${NODE_MAJOR}`, 'node_modules', `node-${process.platform}-${process.arch}`);
}

async function ensureNode(): Promise<string> {
  const node = path.join(nodePackageDir(), 'bin', 'node');
  if (existsSync(node) && (capture(node, ['--version']) ?? '').startsWith(`v${NODE_MAJOR}.`)) return node;
  say(`installing Node ${NODE_MAJOR} into ${path.dirname(nodePackageDir())}`);
  await runProcess(
    'npm install node',
    'npm',
    ['install', '--prefix', path.join(cacheDir(), `node${NODE_MAJOR}`), '--no-audit', '--no-fund', `node-${process.platform}-${process.arch}@${NODE_MAJOR}`],
    { logFile: path.join(cacheDir(), 'node-install.log'), timeoutMs: 10 * 60_000 },
  );
  if (!(capture(node, ['--version']) ?? '').startsWith(`v${NODE_MAJOR}.`)) throw new Error(`Node ${NODE_MAJOR} did not install at ${node}`);
  return node;
}

function codeServerEnv(node: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PATH: `${path.dirname(node)}${path.delimiter}${process.env.PATH ?? ''}`,
    // The machine's npm config points nodedir at Node 20's headers; native modules must build against Node 24's.
    npm_config_nodedir: nodePackageDir(),
  };
}

function codeServerDir(): string {
  return path.join(cacheDir(), 'code-server');
}

function codeServerEntry(): string {
  return path.join(codeServerDir(), 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

/** Installed and its postinstall finished: the version matches, VS Code's native modules are built, it starts. */
function codeServerComplete(node: string): boolean {
  const pkg = path.join(codeServerDir(), 'node_modules', 'code-server', 'package.json');
  if (!existsSync(pkg) || !existsSync(codeServerEntry())) return false;
  const { version } = JSON.parse(readFileSync(pkg, 'utf8')) as { version?: string };
  if (version !== CODE_SERVER_VERSION) return false;
  const vscodeModules = path.join(codeServerDir(), 'node_modules', 'code-server', 'lib', 'vscode', 'node_modules');
  if (!existsSync(path.join(vscodeModules, '@vscode', 'spdlog', 'build', 'Release', 'spdlog.node'))) return false;
  return (capture(node, [codeServerEntry(), '--version'], codeServerEnv(node), 60_000) ?? '').includes(CODE_SERVER_VERSION);
}

/**
 * An install started outside this script (by hand, following the notes) logs to <cache>/cs.log and ends it with
 * "cs-done <code>". Wait for it rather than installing over it.
 */
async function waitForManualInstall(): Promise<void> {
  const log = path.join(cacheDir(), 'cs.log');
  const deadline = Date.now() + 30 * 60_000;
  let said = false;
  while (existsSync(log) && !readFileSync(log, 'utf8').includes('cs-done')) {
    // A log untouched for 15 minutes belongs to an install that died.
    if (Date.now() - statSync(log).mtimeMs > 15 * 60_000) return;
    if (Date.now() > deadline) throw new Error(`code-server install logging to ${log} did not finish in 30 minutes`);
    if (!said) say(`waiting for the code-server install logging to ${log}`);
    said = true;
    await sleep(5000);
  }
}

async function ensureCodeServer(node: string): Promise<string> {
  const marker = path.join(codeServerDir(), `.provisioned-${CODE_SERVER_VERSION}`);
  if (existsSync(marker) && existsSync(codeServerEntry())) return codeServerEntry();
  await waitForManualInstall();
  if (!codeServerComplete(node)) {
    // libkrb5-dev only matters for building code-server's native modules.
    await ensureDebianPackages(['libkrb5-dev']);
    mkdirSync(codeServerDir(), { recursive: true });
    const logFile = path.join(cacheDir(), 'code-server-install.log');
    say(`installing code-server@${CODE_SERVER_VERSION} into ${codeServerDir()} (about 3 minutes; log: ${logFile})`);
    await runProcess('npm install code-server', 'npm', ['install', '--no-audit', '--no-fund', `code-server@${CODE_SERVER_VERSION}`], {
      cwd: codeServerDir(),
      env: codeServerEnv(node),
      logFile,
      timeoutMs: 30 * 60_000,
    });
    if (!codeServerComplete(node)) throw new Error(`code-server did not install completely; see ${logFile}`);
  }
  writeFileSync(marker, `${new Date().toISOString()}\n`);
  return codeServerEntry();
}

/** Everything the code-server tier needs; idempotent. `browser: false` skips chromium (npm start needs none). */
export async function provision(options: { browser?: boolean } = {}): Promise<Provisioned> {
  if (process.platform !== 'linux') throw new Error('The code-server harness supports Linux only (see README.md)');
  mkdirSync(cacheDir(), { recursive: true });
  return withLock(path.join(cacheDir(), '.provision.lock'), 'provision', 45 * 60_000, async () => {
    const started = Date.now();
    if (options.browser !== false) await ensureDebianPackages(['chromium']);
    const node = await ensureNode();
    const entry = await ensureCodeServer(node);
    say(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s: code-server ${CODE_SERVER_VERSION}, ${capture(node, ['--version'])?.trim() ?? 'node ?'}, ${chromiumPath()}`);
    return { node, codeServerEntry: entry, chromium: chromiumPath(), env: codeServerEnv(node) };
  });
}
