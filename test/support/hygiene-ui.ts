// Playwright helpers for the security UI tests (test/vscode/ui/security-*.ui.ts): the emulator the tier started, the
// Vaults tree, context menus, modal dialogs, webview frames, and the extension's log file as written to disk.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Frame, Locator, Page } from 'playwright-core';
import { runFromPalette, sideBar, waitUntil } from '../vscode/ui/workbench';

export const READY_FILE_ENV = 'KEYVAULT_TEST_EMULATOR_READY_FILE';

export function readyFile(): string {
  const file = process.env[READY_FILE_ENV];
  if (!file) throw new Error(`${READY_FILE_ENV} is not set: the code-server tier starts the emulator and sets it`);
  return file;
}

/** test-results/vscode of this run: the ready file is in its emulator/ folder. */
export const tierResults = (): string => path.dirname(path.dirname(readyFile()));

export function setUserSettings(changes: Record<string, unknown>): void {
  const file = path.join(tierResults(), 'user-data', 'User', 'settings.json');
  const current = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined) delete current[k];
    else current[k] = v;
  }
  writeFileSync(file, `${JSON.stringify(current, null, 2)}\n`);
}

export const treeRow = (page: Page, label: string): Locator =>
  sideBar(page).locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) }).first();

export async function expand(page: Page, label: string): Promise<void> {
  const row = treeRow(page, label);
  await row.waitFor({ state: 'visible', timeout: 30_000 });
  if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
  await waitUntil(`${label} is expanded`, async () => (await row.getAttribute('aria-expanded')) === 'true');
}

export async function collapse(page: Page, label: string): Promise<void> {
  const row = treeRow(page, label);
  if (!(await row.isVisible().catch(() => false))) return;
  if ((await row.getAttribute('aria-expanded')) === 'true') await row.click();
  await waitUntil(`${label} is collapsed`, async () => (await row.getAttribute('aria-expanded')) !== 'true');
}

export async function contextMenu(page: Page, rowLabel: string, item: string): Promise<void> {
  const row = treeRow(page, rowLabel);
  await row.waitFor({ state: 'visible', timeout: 20_000 });
  await row.click({ button: 'right' });
  const entry = page.locator('.context-view .monaco-menu .action-label', { hasText: new RegExp(`^${item.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`) });
  await entry.waitFor({ state: 'visible' });
  await entry.click();
  await page.locator('.context-view .monaco-menu').waitFor({ state: 'hidden' });
}

/** One way to the tier's emulator for every UI test: the welcome view and the file dialog (see connect.ts). */
export { connectToEmulator as connectEmulator } from '../vscode/ui/connect';

export async function closeToasts(page: Page): Promise<void> {
  await runFromPalette(page, 'Notifications: Clear All Notifications').catch(() => undefined);
}

/** VS Code's modal dialog (a message with modal: true). */
export const modalDialog = (page: Page): Locator => page.locator('.monaco-dialog-box');
export const dialogButton = (page: Page, label: string): Locator => modalDialog(page).locator('.monaco-button', { hasText: new RegExp(`^${label}$`) });

/** The page frames of webview panels (each webview iframe's active frame), with their document titles. */
export async function webviewFrames(page: Page): Promise<{ frame: Frame; title: string }[]> {
  const out: { frame: Frame; title: string }[] = [];
  for (const frame of page.frames()) {
    if (frame === page.mainFrame() || frame.isDetached()) continue;
    const id = await frame
      .frameElement()
      .then((e) => e.getAttribute('id'))
      .catch(() => null);
    if (id !== 'active-frame') continue;
    const title = await frame.evaluate(() => document.title).catch(() => undefined);
    if (title !== undefined) out.push({ frame, title });
  }
  return out;
}

export async function waitForWebview(page: Page, title: RegExp, timeoutMs = 30_000): Promise<Frame> {
  let found: Frame | undefined;
  await waitUntil(`a webview titled ${title} is loaded`, async () => {
    const frames = await webviewFrames(page);
    found = frames.find((f) => title.test(f.title))?.frame;
    if (!found) return false;
    // Loaded: its page script ran (the bundled script sets up the page; the body is there).
    return found.evaluate(() => document.readyState === 'complete').catch(() => false);
  }, timeoutMs);
  return found!;
}

/** The extension's log as written to disk (every window session of this run). */
export function extensionLog(): string {
  const out: string[] = [];
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir)) {
      const full = path.join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      // Rolled-over parts too: the Azure SDK's verbose lines make the log grow fast at Trace.
      else if (/^Azure Key Vault.*\.log$/.test(entry)) out.push(readFileSync(full, 'utf8'));
    }
  };
  walk(path.join(tierResults(), 'user-data', 'logs'));
  return out.join('\n');
}
