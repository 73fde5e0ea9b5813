// One way for every UI test to reach the emulator the code-server tier started: the welcome view's "Use Local
// Emulator…" and the file dialog, driven as in accounts.ui.ts (the flow that holds up on a busy machine). Writing
// settings.json from outside is picked up by code-server only once, and typing the whole path races the dialog.
import { readFileSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { chooseFileInDialog } from './accounts.ui';
import { activityBarItem, runFromPalette, sideBar } from './workbench';

const READY_FILE_ENV = 'KEYVAULT_TEST_EMULATOR_READY_FILE';

export function emulatorReadyFile(): string {
  const file = process.env[READY_FILE_ENV];
  if (!file) throw new Error(`${READY_FILE_ENV} is not set: the code-server tier starts the emulator and sets it`);
  return file;
}

const treeRow = (page: Page, label: string): Locator =>
  sideBar(page).locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) }).first();

/** Shows the Vaults view connected to the emulator (connecting when it is not yet), with kv-demo listed. */
export async function connectToEmulator(page: Page): Promise<void> {
  await runFromPalette(page, 'View: Show Explorer');
  await activityBarItem(page, 'Key Vault').click();
  await sideBar(page).locator('.title-label h2', { hasText: 'Key Vault' }).waitFor({ state: 'visible' });
  const names = (JSON.parse(readFileSync(emulatorReadyFile(), 'utf8')) as { containers: { name: string }[] }).containers.map((c) => c.name);
  if (!names.includes('kv-demo')) throw new Error('the emulator has no kv-demo');
  if (await treeRow(page, 'kv-demo').isVisible()) return;
  const button = sideBar(page).locator('.welcome-view-content a.monaco-button', { hasText: 'Use Local Emulator…' });
  await button.waitFor({ state: 'visible', timeout: 30_000 });
  await button.click();
  await chooseFileInDialog(page, emulatorReadyFile());
  await treeRow(page, 'kv-demo').waitFor({ state: 'visible', timeout: 30_000 });
}
