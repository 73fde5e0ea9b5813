// The code-server tier: provision, package the extension, install it (and the test runner) into a fresh profile,
// start code-server and chromium, run the extension-host suite, then the Playwright UI tests.
// Every step has a timeout; every process started is stopped, on success, failure or Ctrl+C.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { openWorkbench, type Workbench } from './browser';
import { buildTestBundles, packageRunnerExtension } from './buildTests';
import { installExtension, QUIET_SETTINGS, startCodeServer, writeUserSettings, type CodeServer } from './codeServer';
import { withLock } from './lock';
import { installExitHandlers, runProcess } from './processes';
import { provision } from './provision';
import type { CodeServerTierReport, ExtensionHostReport, SuiteReport } from './report';
import { runUiTests, uiTestFiles } from './uiRunner';
import { startEmulator, type Emulator } from '../../emulator/emulator';
import { setTierEmulator } from './tierEmulator';
import { resetWorkbench } from '../ui/workbench';

/**
 * The tier starts the local emulator (demo data) and hands its ready file to both suites under this name. It is not
 * KEYVAULT_EMULATOR_READY_FILE on purpose: with that one the extension would connect by itself, and the suites
 * start from a signed-out extension (the welcome view); they connect with `Key Vault: Use Local Emulator…`.
 */
export const TEST_EMULATOR_READY_FILE_ENV = 'KEYVAULT_TEST_EMULATOR_READY_FILE';

export const ROOT = path.resolve(__dirname, '..', '..', '..');

export interface TierOptions {
  /** Added to code-server's environment, e.g. NODE_EXTRA_CA_CERTS and KEYVAULT_EMULATOR_READY_FILE. */
  readonly env?: Readonly<Record<string, string>>;
  /** Where everything goes; it is emptied first. */
  readonly resultsDir?: string;
  readonly runExtensionHost?: boolean;
  readonly runUi?: boolean;
  /** How long the extension-host suite may take, from the workbench appearing. */
  readonly extensionHostTimeoutMs?: number;
  /** Start the emulator for the suites (default true); see TEST_EMULATOR_READY_FILE_ENV. */
  readonly emulator?: boolean;
}

function step<T>(timings: Record<string, number>, name: string, fn: () => Promise<T>): Promise<T> {
  const started = Date.now();
  console.log(`[code-server tier] ${name}...`);
  return fn().finally(() => {
    timings[name] = Date.now() - started;
  });
}

function tail(file: string, lines = 40): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return `(no ${file})`;
  }
}

/** The extension host's own log, for when the suite never reports. */
function findExtensionHostLogs(userDataDir: string): string[] {
  const found: string[] = [];
  const walk = (dir: string, depth: number) => {
    if (depth > 5 || !existsSync(dir)) return;
    for (const entry of readdirSync(dir)) {
      const full = path.join(dir, entry);
      if (statSync(full).isDirectory()) walk(full, depth + 1);
      else if (/exthost|remoteagent/i.test(full) && full.endsWith('.log')) found.push(full);
    }
  };
  walk(path.join(userDataDir, 'logs'), 0);
  return found;
}

async function waitForFile(file: string, timeoutMs: number, alive: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(file)) {
    if (!alive()) throw new Error('code-server exited while waiting for the extension-host suite');
    if (Date.now() > deadline) throw new Error(`the extension-host suite wrote no report in ${Math.round(timeoutMs / 1000)} s`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

function printSuite(name: string, suite: SuiteReport, eachTest: boolean): void {
  for (const t of eachTest ? suite.tests : []) {
    const mark = t.state === 'passed' ? '✔' : t.state === 'failed' ? '✘' : '-';
    console.log(`  ${mark} ${t.title}${t.durationMs !== undefined ? ` (${t.durationMs} ms)` : ''}`);
    if (t.error) console.log(t.error.replace(/^/gm, '      '));
  }
  console.log(`[code-server tier] ${name}: ${suite.passed} passed, ${suite.failed} failed${suite.pending ? `, ${suite.pending} pending` : ''}`);
}

/**
 * Runs the tier. One at a time per working tree: the tier empties test-results/vscode and rebuilds dist/ and out/test,
 * so a second `npm test` started meanwhile (another engineer, same tree) waits instead of breaking both.
 */
export function runCodeServerTier(options: TierOptions = {}): Promise<CodeServerTierReport> {
  return withLock(path.join(ROOT, 'test-results', '.code-server-tier.lock'), 'code-server tier', 20 * 60_000, () => runUnlocked(options));
}

async function runUnlocked(options: TierOptions): Promise<CodeServerTierReport> {
  const results = options.resultsDir ?? path.join(ROOT, 'test-results', 'vscode');
  const timings: Record<string, number> = {};
  const started = Date.now();
  let server: CodeServer | undefined;
  let workbench: Workbench | undefined;
  let emulator: Emulator | undefined;
  const cleanup = async () => {
    await workbench?.close();
    await server?.stop();
    await emulator?.close();
    workbench = undefined;
    server = undefined;
    emulator = undefined;
    setTierEmulator(undefined);
  };
  installExitHandlers(cleanup);

  const screenshots = path.join(ROOT, 'test-results', 'screenshots');
  rmSync(results, { recursive: true, force: true });
  rmSync(screenshots, { recursive: true, force: true });
  const profile = { userDataDir: path.join(results, 'user-data'), extensionsDir: path.join(results, 'extensions') };
  const workspace = path.join(results, 'workspace');
  const logs = path.join(results, 'logs');
  for (const dir of [profile.userDataDir, profile.extensionsDir, workspace, logs]) mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(workspace, 'README.md'), '# Key Vault Explorer test workspace\n');
  const exthostReportFile = path.join(results, 'extension-host-report.json');

  let vscodeVersion: string | undefined;
  let extensionHost: SuiteReport | undefined;
  let ui: SuiteReport | undefined;
  try {
    const provisioned = await step(timings, 'provision', () => provision());
    const vsix = path.join(results, 'azure-keyvault-explorer.vsix');
    await step(timings, 'package', async () => {
      await runProcess('npm run package', process.execPath, [path.join(ROOT, 'scripts', 'package.js'), '--out', vsix], {
        cwd: ROOT,
        logFile: path.join(logs, 'package.log'),
        timeoutMs: 180_000,
      });
    });
    const runnerVsix = await step(timings, 'build tests', async () => {
      await buildTestBundles(ROOT, path.join(logs, 'build-tests.log'));
      return packageRunnerExtension(ROOT, path.join(logs, 'build-tests.log'));
    });
    await step(timings, 'install', async () => {
      writeUserSettings(profile, QUIET_SETTINGS);
      await installExtension(provisioned, profile, vsix, path.join(logs, 'install.log'));
      if (options.runExtensionHost !== false) await installExtension(provisioned, profile, runnerVsix, path.join(logs, 'install.log'));
    });
    const emulatorEnv: Record<string, string> = {};
    if (options.emulator !== false) {
      await step(timings, 'start emulator', async () => {
        emulator = await startEmulator({ seed: 'demo', warmDemoKeys: true, readyFile: path.join(results, 'emulator', 'ready.json') });
        // Every exchange is kept: the final hygiene scan (test/vscode/ui/*.last.ui.ts) searches for every value sent or read.
        emulator.recordExchanges = true;
        setTierEmulator(emulator);
        emulatorEnv[TEST_EMULATOR_READY_FILE_ENV] = path.join(results, 'emulator', 'ready.json');
        emulatorEnv.NODE_EXTRA_CA_CERTS = emulator.ready.caCertFile;
        // The UI tests run in this process and read it too.
        process.env[TEST_EMULATOR_READY_FILE_ENV] = emulatorEnv[TEST_EMULATOR_READY_FILE_ENV];
      });
    }
    const started2 = await step(timings, 'start code-server', () =>
      startCodeServer(provisioned, {
        profile,
        folder: workspace,
        env: { ...emulatorEnv, ...options.env, KEYVAULT_EXT_TESTS_REPORT: exthostReportFile },
        logFile: path.join(logs, 'code-server.log'),
      }),
    );
    server = started2;
    const url = started2.url(workspace);
    console.log(`[code-server tier] ${url}`);
    // The extension host starts only once a browser window is connected.
    workbench = await step(timings, 'open workbench', () => openWorkbench(provisioned.chromium, url));

    if (options.runExtensionHost !== false) {
      extensionHost = await step(timings, 'extension-host suite', async () => {
        try {
          await waitForFile(exthostReportFile, options.extensionHostTimeoutMs ?? 600_000, () => !started2.process.hasExited());
        } catch (err) {
          for (const log of findExtensionHostLogs(profile.userDataDir)) console.log(`--- ${log}\n${tail(log)}`);
          throw err;
        }
        const report = JSON.parse(readFileSync(exthostReportFile, 'utf8')) as ExtensionHostReport;
        vscodeVersion = report.vscodeVersion;
        console.log(`[code-server tier] extension host: ${report.appName} ${report.vscodeVersion}`);
        return report;
      });
      printSuite('extension host', extensionHost, true);
    }

    if (options.runUi !== false) {
      const page = workbench.page;
      ui = await step(timings, 'UI tests', () =>
        runUiTests(page, uiTestFiles(path.join(ROOT, 'test', 'vscode', 'ui')), screenshots, resetWorkbench),
      );
      printSuite('UI', ui, false); // the UI runner printed each test as it ran
    }
    timings.total = Date.now() - started;
    return { vscodeVersion, extensionHost, ui, timingsMs: timings };
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    console.log(`[code-server tier] could not run to the end: ${error}`);
    if (server) console.log(`--- code-server log (last lines)\n${tail(path.join(logs, 'code-server.log'))}`);
    timings.total = Date.now() - started;
    return { vscodeVersion, extensionHost, ui, error, timingsMs: timings };
  } finally {
    await cleanup();
  }
}
