// Signing in as a user does, with the local emulator the code-server tier started: the welcome view's actions, the
// file dialog, the discovered vaults in the tree, pinning by URL from the palette and unpinning from the context menu.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import type { UiTest } from '../harness/uiRunner';
import { activityBarItem, paletteRow, quickInput, runFromPalette, sideBar, waitUntil } from './workbench';

const READY_FILE_ENV = 'KEYVAULT_TEST_EMULATOR_READY_FILE';

function emulator(): { file: string; containers: { name: string; kind: string; url: string }[] } {
  const file = process.env[READY_FILE_ENV];
  if (!file) throw new Error(`${READY_FILE_ENV} is not set: the code-server tier starts the emulator and sets it`);
  return { file, ...(JSON.parse(readFileSync(file, 'utf8')) as { containers: { name: string; kind: string; url: string }[] }) };
}

const welcome = (page: Page): Locator => sideBar(page).locator('.welcome-view-content');
const welcomeButton = (page: Page, text: string): Locator => welcome(page).locator('a.monaco-button', { hasText: text });
/** A row of the Vaults tree by its label. */
const treeRow = (page: Page, label: string): Locator =>
  sideBar(page).locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) }).first();

/**
 * Picks a file in code-server's file dialog (a quick input holding a path) as a user does: enters the folder, waits
 * for the file to be listed, enters its path and accepts. Typing key by key races the dialog's own updates on a busy machine
 * (keys lost, or appended to the starting folder). Other UI tests use it (Key Vault: Use Local Emulator…).
 */
export async function chooseFileInDialog(page: Page, file: string): Promise<void> {
  const input = quickInput(page).locator('input');
  await input.waitFor({ state: 'visible' });
  // The dialog fills in its starting folder a moment after it shows: select-all before that selected nothing, and the
  // folder typed next was appended to it. Wait for it, then replace the whole value at once.
  await waitUntil('the dialog shows its starting folder', async () => (await input.inputValue()).length > 0, 10_000).catch(() => undefined);
  const folder = `${path.dirname(file)}/`;
  const row = quickInput(page).locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: path.basename(file) }) }).first();
  for (let attempt = 0; ; attempt++) {
    await input.fill(folder);
    await waitUntil('the dialog holds the folder', async () => (await input.inputValue()) === folder, 5_000).catch(() => undefined);
    const listed = await row
      .waitFor({ state: 'visible', timeout: 10_000 })
      .then(() => true)
      .catch(() => false);
    if (listed) break;
    if (attempt === 2) throw new Error(`the file dialog never listed ${file} (it holds ${await input.inputValue()})`);
  }
  // Accept by the whole path and Enter, not by clicking the row: the list re-renders as the dialog settles, and a
  // click aimed at the file landed on '..' once.
  for (let attempt = 0; ; attempt++) {
    await input.fill(file);
    await waitUntil(`the file dialog holds ${file}`, async () => (await input.inputValue()) === file, 5_000).catch(() => undefined);
    await input.press('Enter');
    const hidden = await quickInput(page)
      .waitFor({ state: 'hidden', timeout: 5_000 })
      .then(() => true)
      .catch(() => false);
    if (hidden) return;
    if (attempt === 2) throw new Error(`the file dialog did not take ${file} (it holds ${await input.inputValue()})`);
  }
}

async function openVaultsView(page: Page): Promise<void> {
  // Start from another container: clicking the active one would hide the side bar instead.
  await runFromPalette(page, 'View: Show Explorer');
  await activityBarItem(page, 'Key Vault').click();
  await sideBar(page).locator('.title-label h2', { hasText: 'Key Vault' }).waitFor({ state: 'visible' });
}

export const tests: UiTest[] = [
  {
    name: 'signed out, the Vaults view welcome offers Sign In, Add Vault or HSM by URL and Use Local Emulator',
    async run({ page, screenshot }) {
      await openVaultsView(page);
      await welcome(page).waitFor({ state: 'visible' });
      for (const button of ['Sign In', 'Add Vault or HSM by URL…', 'Use Local Emulator…', 'Show Log']) {
        await welcomeButton(page, button).waitFor({ state: 'visible' });
      }
      assert.match(await welcome(page).innerText(), /Sign in to Azure and your vaults will appear here/);
      await screenshot('accounts-welcome-signed-out');
    },
  },
  {
    name: 'Use Local Emulator… picks the ready file in the file dialog, and the discovered vaults and the HSM appear in the tree',
    timeoutMs: 90_000,
    async run({ page, screenshot }) {
      const emu = emulator();
      await welcomeButton(page, 'Use Local Emulator…').click();
      await chooseFileInDialog(page, emu.file);
      for (const c of emu.containers) await treeRow(page, c.name).waitFor({ state: 'visible', timeout: 30_000 });
      assert.equal(await welcome(page).isVisible(), false, 'the welcome content is gone');
      await sideBar(page).locator('.title-label h2', { hasText: 'Local emulator' }).waitFor({ state: 'visible' });
      await screenshot('accounts-emulator-discovered-vaults');
    },
  },
  {
    name: 'Key Vault: Add Vault or HSM by URL… from the palette pins a vault typed as host:port, marked pinned in the tree',
    async run({ page, screenshot }) {
      const vault = emulator().containers.find((c) => c.name === 'kv-tenant2')!;
      // The command opens an input box in the same quick input, so it never hides in between (no runFromPalette).
      await (await paletteRow(page, 'Key Vault: Add Vault or HSM by URL…')).click();
      const input = quickInput(page).filter({ hasText: 'Add Vault or HSM by URL' }).locator('input');
      await input.waitFor({ state: 'visible' });
      // fill(), not typed keys: keys typed while the palette turns into the input box can be lost (127.0.0.1 became
      // 7.0.0.1, a custom endpoint, on a loaded machine).
      const host = new URL(vault.url).host;
      await input.fill(host);
      await waitUntil('the input holds the host', async () => (await input.inputValue()) === host);
      await input.press('Enter');
      await quickInput(page).waitFor({ state: 'hidden' });
      await page.locator('.notifications-toasts', { hasText: `Added ${vault.name}.` }).waitFor({ state: 'visible', timeout: 20_000 });
      await treeRow(page, vault.name).locator('.label-description', { hasText: 'pinned' }).waitFor({ state: 'visible', timeout: 20_000 });
      await screenshot('accounts-pinned-by-url');
    },
  },
  {
    name: 'Remove Pinned Vault in the pinned vault\'s context menu unpins it',
    async run({ page, screenshot }) {
      const row = treeRow(page, 'kv-tenant2');
      await row.click({ button: 'right' });
      const item = page.locator('.context-view .monaco-menu .action-label', { hasText: 'Remove Pinned Vault' });
      await item.waitFor({ state: 'visible' });
      await screenshot('accounts-remove-pinned-menu');
      await item.click();
      await page.locator('.context-view .monaco-menu').waitFor({ state: 'hidden' });
      await waitUntil('the vault is no longer marked pinned', async () => !(await treeRow(page, 'kv-tenant2').locator('.label-description', { hasText: 'pinned' }).isVisible()), 20_000);
      await treeRow(page, 'kv-tenant2').waitFor({ state: 'visible' });
    },
  },
  {
    name: 'Key Vault: Sign Out from the palette returns to the welcome view',
    async run({ page, screenshot }) {
      await runFromPalette(page, 'Key Vault: Sign Out');
      await welcomeButton(page, 'Sign In').waitFor({ state: 'visible', timeout: 20_000 });
      await screenshot('accounts-signed-out-again');
      // Leave the workbench as the next files expect it: no toasts over the view.
      await runFromPalette(page, 'Notifications: Clear All Notifications');
    },
  },
];
