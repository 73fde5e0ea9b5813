// The JSON the code-server tier writes, and the one the extension-host runner writes for it.

export type TestState = 'passed' | 'failed' | 'pending';

export interface TestResult {
  readonly title: string;
  readonly state: TestState;
  readonly durationMs?: number;
  /** Message and stack of the failure. */
  readonly error?: string;
  /** Screenshot taken when a UI test failed. */
  readonly screenshot?: string;
}

export interface SuiteReport {
  readonly passed: number;
  readonly failed: number;
  readonly pending: number;
  readonly tests: readonly TestResult[];
  readonly durationMs: number;
}

/** Written by the runner extension inside the extension host. */
export interface ExtensionHostReport extends SuiteReport {
  readonly vscodeVersion: string;
  readonly appName: string;
}

/** Written by test/vscode/run.ts for scripts/test.js. */
export interface CodeServerTierReport {
  readonly vscodeVersion?: string;
  readonly extensionHost?: SuiteReport;
  readonly ui?: SuiteReport;
  /** Set when the tier could not run to the end (provisioning, startup, a timeout). */
  readonly error?: string;
  readonly timingsMs: Readonly<Record<string, number>>;
}

export function summarize(tests: readonly TestResult[], durationMs: number): SuiteReport {
  return {
    passed: tests.filter((t) => t.state === 'passed').length,
    failed: tests.filter((t) => t.state === 'failed').length,
    pending: tests.filter((t) => t.state === 'pending').length,
    tests,
    durationMs,
  };
}
