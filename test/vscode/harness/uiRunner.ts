// A small runner for the Playwright UI tests: they share one workbench page (the extension host lives as long as the
// page does), run one at a time in file order, each with a timeout, and a failure leaves a screenshot behind.
import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { summarize, type SuiteReport, type TestResult } from './report';

export interface UiContext {
  readonly page: Page;
  /** Saves test-results/screenshots/<name>.png and returns its path. */
  screenshot(name: string): Promise<string>;
}

export interface UiTest {
  /** A sentence: what the user sees. */
  readonly name: string;
  readonly timeoutMs?: number;
  run(ctx: UiContext): Promise<void>;
}

/** What a test/vscode/ui/*.ui.ts module exports. */
export interface UiTestModule {
  readonly tests: readonly UiTest[];
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 80);
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Every *.ui.ts in dir, in name order; KEYVAULT_UI_FILTER (a substring of the file name) runs only matching files. */
export function uiTestFiles(dir: string): string[] {
  const only = process.env.KEYVAULT_UI_FILTER;
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ui.ts') && (!only || f.includes(only)))
    // *.last.ui.ts run after all others (the final hygiene scan must see what every other test left behind).
    .sort((a, b) => Number(a.endsWith('.last.ui.ts')) - Number(b.endsWith('.last.ui.ts')) || (a < b ? -1 : a > b ? 1 : 0))
    .map((f) => path.join(dir, f));
}

/**
 * Runs the files in order. `reset` (if given) runs before each file: it brings the shared window back to a known
 * state, so one file's failure does not become the next file's. (Not before a retry: tests of a file build on the
 * state the earlier ones left, such as an expanded category.)
 */
export async function runUiTests(page: Page, files: readonly string[], screenshotDir: string, reset?: (page: Page) => Promise<void>): Promise<SuiteReport> {
  mkdirSync(screenshotDir, { recursive: true });
  const ctx: UiContext = {
    page,
    async screenshot(name) {
      const file = path.join(screenshotDir, `${slug(name)}.png`);
      await page.screenshot({ path: file });
      return file;
    },
  };
  const started = Date.now();
  const results: TestResult[] = [];
  for (const file of files) {
    let tests: readonly UiTest[];
    try {
      ({ tests } = (await import(pathToFileURL(file).href)) as UiTestModule);
    } catch (err) {
      results.push({ title: `${path.basename(file)} loads`, state: 'failed', error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
      continue;
    }
    await reset?.(page).catch((err: unknown) => console.log(`  (workbench reset before ${path.basename(file)} failed: ${err instanceof Error ? err.message.split('\n')[0] : String(err)})`));
    for (const test of tests) {
      const title = `${path.basename(file, '.ui.ts')}: ${test.name}`;
      const t0 = Date.now();
      try {
        try {
          await withTimeout(test.run(ctx), test.timeoutMs ?? 60_000, title);
        } catch (first) {
          // One retry, as Playwright's own runner offers: the workbench under a loaded machine sometimes drops a
          // keystroke or a dialog update. The first failure is printed, so a flaky test is seen, not hidden.
          const message = first instanceof Error ? first.message.split('\n')[0] : String(first);
          console.log(`  ↻ ${title}: retrying once after: ${message}`);
          await ctx.screenshot(`RETRIED-${title}`).catch(() => undefined);
          for (let i = 0; i < 3; i++) await page.keyboard.press('Escape').catch(() => undefined);
          await page.waitForTimeout(1000);
          await withTimeout(test.run(ctx), test.timeoutMs ?? 60_000, title);
        }
        results.push({ title, state: 'passed', durationMs: Date.now() - t0 });
        console.log(`  ✔ ${title} (${Date.now() - t0} ms)`);
      } catch (err) {
        const screenshot = await ctx.screenshot(`FAILED-${title}`).catch(() => undefined);
        const error = err instanceof Error ? (err.stack ?? err.message) : String(err);
        results.push({ title, state: 'failed', durationMs: Date.now() - t0, error, ...(screenshot ? { screenshot } : {}) });
        console.log(`  ✘ ${title}\n${error.replace(/^/gm, '      ')}${screenshot ? `\n      screenshot: ${screenshot}` : ''}`);
      }
      // Leave no quick pick or menu open for the next test.
      await page.keyboard.press('Escape').catch(() => undefined);
    }
  }
  return summarize(results, Date.now() - started);
}
