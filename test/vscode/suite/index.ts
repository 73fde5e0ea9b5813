// The extension-host suite: mocha inside a running VS Code. Two entry points use it:
//   run()       for @vscode/test-electron (extensionTestsPath), which expects a rejection on failure;
//   runSuite()  for the code-server runner extension (test/vscode/runner), which writes the result as JSON.
import Mocha from 'mocha';
import * as vscode from 'vscode';
import { summarize, type ExtensionHostReport, type TestResult } from '../harness/report';
import { files, load } from 'virtual:suite-tests';

function errorText(err: unknown): string {
  if (err instanceof Error) return err.stack ?? `${err.name}: ${err.message}`;
  return String(err);
}

export function runSuite(): Promise<ExtensionHostReport> {
  // KEYVAULT_TEST_GREP (given to code-server, e.g. run.ts --env KEYVAULT_TEST_GREP=Keys) runs only matching tests.
  const grep = process.env.KEYVAULT_TEST_GREP;
  const mocha = new Mocha({ ui: 'bdd', timeout: 20_000, color: false, reporter: 'spec', ...(grep ? { grep } : {}) });
  // Defines describe/it/before... for the suite files, which a bundle cannot hand to mocha as paths.
  mocha.suite.emit(Mocha.Suite.constants.EVENT_FILE_PRE_REQUIRE, globalThis, 'bundle', mocha);
  load();
  console.log(`[suite] ${files.length} file(s) in ${vscode.env.appName} ${vscode.version}`);

  const started = Date.now();
  const tests: TestResult[] = [];
  const { EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING } = Mocha.Runner.constants;
  return new Promise((resolve) => {
    const runner = mocha.run(() => {
      resolve({ ...summarize(tests, Date.now() - started), vscodeVersion: vscode.version, appName: vscode.env.appName });
    });
    runner.on(EVENT_TEST_PASS, (test) => tests.push({ title: test.fullTitle(), state: 'passed', durationMs: test.duration ?? 0 }));
    runner.on(EVENT_TEST_PENDING, (test) => tests.push({ title: test.fullTitle(), state: 'pending' }));
    // Also fires for failing hooks, which then count as failures too.
    runner.on(EVENT_TEST_FAIL, (test, err: unknown) =>
      tests.push({ title: test.fullTitle(), state: 'failed', durationMs: test.duration ?? 0, error: errorText(err) }),
    );
  });
}

export async function run(): Promise<void> {
  const report = await runSuite();
  if (report.failed > 0) throw new Error(`${report.failed} extension-host test(s) failed`);
}
