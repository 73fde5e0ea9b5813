// A tiny extension installed beside ours only in the code-server tier: code-server ignores extensionTestsPath, so
// this runs the extension-host suite on activation and writes the JSON report the outer script waits for.
// It never ships: esbuild.js bundles it into out/test/runner-extension, and the harness packages it separately.
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { runSuite } from '../suite/index';
import type { ExtensionHostReport } from '../harness/report';

async function runAndReport(reportFile: string): Promise<void> {
  let report: ExtensionHostReport;
  try {
    report = await runSuite();
  } catch (err) {
    // The suite itself could not load: report it as one failure rather than leave the outer script waiting.
    const error = err instanceof Error ? (err.stack ?? err.message) : String(err);
    report = {
      passed: 0,
      failed: 1,
      pending: 0,
      durationMs: 0,
      tests: [{ title: 'extension-host suite loads', state: 'failed', error }],
      vscodeVersion: 'unknown',
      appName: 'unknown',
    };
  }
  // Write then rename, so the outer script never reads half a file.
  writeFileSync(`${reportFile}.tmp`, JSON.stringify(report, null, 2));
  renameSync(`${reportFile}.tmp`, reportFile);
}

export function activate(): void {
  const reportFile = process.env.KEYVAULT_EXT_TESTS_REPORT;
  // No report path: installed by mistake, do nothing. A report already there: a reloaded window, do not run twice.
  if (!reportFile || existsSync(reportFile)) return;
  // Let activation finish first; the suite activates the extension under test itself.
  setTimeout(() => void runAndReport(reportFile), 0);
}

export function deactivate(): void {}
