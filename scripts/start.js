// @ts-check
// `npm start`: build, then a real VS Code with the extension in it.
//   - desktop VS Code when a `code` binary is on PATH: `code --extensionDevelopmentPath=<repo>`;
//   - otherwise code-server (provisioned like the test harness), with the packaged extension installed; open the URL.
// Beside it, the local Key Vault emulator with demo data when test/emulator/cli.ts exists; VS Code gets
// NODE_EXTRA_CA_CERTS (the emulator's CA) and KEYVAULT_EMULATOR_READY_FILE. Runs until Ctrl+C, then stops everything.
// Environment: KEYVAULT_START_PORT (default 8080, or a free port), KEYVAULT_START_NO_EMULATOR=1 to skip the emulator.
const fs = require('node:fs');
const path = require('node:path');
const { register } = require('tsx/cjs/api');

// The harness is TypeScript; one copy of it serves the tests and this script.
register();
/** @type {typeof import('../test/vscode/harness/processes')} */
const processes = require('../test/vscode/harness/processes.ts');
/** @type {typeof import('../test/vscode/harness/provision')} */
const { provision, CODE_SERVER_VERSION } = require('../test/vscode/harness/provision.ts');
/** @type {typeof import('../test/vscode/harness/codeServer')} */
const codeServer = require('../test/vscode/harness/codeServer.ts');

const root = path.resolve(__dirname, '..');
const state = path.join(root, 'test-results', 'start');

/** @param {string} name */
function onPath(name) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts the emulator with demo data and returns the environment VS Code needs to reach it, or {} without one.
 * @returns {Promise<Record<string, string>>}
 */
async function startEmulator() {
  const cli = path.join(root, 'test', 'emulator', 'cli.ts');
  if (process.env.KEYVAULT_START_NO_EMULATOR === '1') {
    console.log('emulator: skipped (KEYVAULT_START_NO_EMULATOR=1)');
    return {};
  }
  if (!fs.existsSync(cli)) {
    console.log('emulator: test/emulator/cli.ts does not exist yet; starting without it');
    return {};
  }
  const readyFile = path.join(state, 'emulator', 'ready.json');
  fs.rmSync(readyFile, { force: true });
  const tsx = path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  const emulator = processes.startProcess('emulator', process.execPath, [tsx, cli, '--ready-file', readyFile, '--seed', 'demo'], {
    cwd: root,
    echo: true,
    logFile: path.join(state, 'logs', 'emulator.log'),
  });
  const deadline = Date.now() + 60_000;
  while (!fs.existsSync(readyFile)) {
    if (emulator.hasExited() || Date.now() > deadline) {
      await emulator.stop();
      console.log(`emulator: did not become ready (see ${path.join(state, 'logs', 'emulator.log')}); starting without it`);
      return {};
    }
    await sleep(250);
  }
  /** @type {{ caCertFile?: unknown }} */
  const ready = JSON.parse(fs.readFileSync(readyFile, 'utf8'));
  /** @type {Record<string, string>} */
  const env = { KEYVAULT_EMULATOR_READY_FILE: readyFile };
  if (typeof ready.caCertFile === 'string') env.NODE_EXTRA_CA_CERTS = ready.caCertFile;
  void emulator.exited.then((code) => console.log(`emulator exited (${code})`));
  return env;
}

async function withDesktopCode(/** @type {string} */ code) {
  await processes.runProcess('build', process.execPath, [path.join(root, 'esbuild.js')], { cwd: root, echo: true, timeoutMs: 120_000 });
  const env = await startEmulator();
  console.log(`starting ${code} --extensionDevelopmentPath=${root}`);
  const vscode = processes.startProcess('code', code, [`--extensionDevelopmentPath=${root}`, '--new-window', root], {
    env: { ...process.env, ...env },
    echo: true,
  });
  await vscode.exited;
  if (Object.keys(env).length === 0) return;
  // The `code` launcher returns at once; keep the emulator up for the window it opened.
  console.log('VS Code is open; press Ctrl+C here to stop the emulator.');
  await new Promise(() => undefined);
}

async function withCodeServer() {
  const provisioned = await provision({ browser: false });
  const vsix = path.join(state, 'azure-keyvault-explorer.vsix');
  await processes.runProcess('package', process.execPath, [path.join(root, 'scripts', 'package.js'), '--out', vsix], {
    cwd: root,
    logFile: path.join(state, 'logs', 'package.log'),
    timeoutMs: 180_000,
  });
  // The profile persists between runs (your layout and settings stay); the extension is reinstalled every time.
  const profile = { userDataDir: path.join(state, 'user-data'), extensionsDir: path.join(state, 'extensions') };
  if (!fs.existsSync(path.join(profile.userDataDir, 'User', 'settings.json'))) codeServer.writeUserSettings(profile, codeServer.QUIET_SETTINGS);
  await codeServer.installExtension(provisioned, profile, vsix, path.join(state, 'logs', 'install.log'));
  const env = await startEmulator();
  const server = await codeServer.startCodeServer(provisioned, {
    profile,
    folder: root,
    env,
    logFile: path.join(state, 'logs', 'code-server.log'),
    port: Number(process.env.KEYVAULT_START_PORT ?? 8080),
  });
  console.log('');
  console.log(`code-server ${CODE_SERVER_VERSION} is running with the extension installed.`);
  console.log(`Open: ${server.url(root)}`);
  console.log('(loopback only, no password; press Ctrl+C to stop it)');
  const code = await server.process.exited;
  console.log(`code-server exited (${code})`);
  process.exitCode = 1;
}

async function main() {
  processes.installExitHandlers();
  const code = process.env.KEYVAULT_START_CODE_SERVER === '1' ? undefined : onPath('code');
  if (code) await withDesktopCode(code);
  else await withCodeServer();
}

main()
  .catch((err) => {
    console.error(`start: ${err instanceof Error ? err.message : err}`);
    process.exitCode = 1;
  })
  .finally(() => processes.stopAll());
