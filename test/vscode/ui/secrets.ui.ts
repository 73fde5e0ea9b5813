// Secrets as a user meets them: the Create Secret wizard from the palette, the Reveal panel (masked, shown, hidden
// again) in light and dark themes, Copy Value read back from the browser's clipboard and cleared after the delay
// (but not when something else was copied since), then a search for the values used in everything on disk.
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import type { UiTest } from '../harness/uiRunner';
import { activityBarItem, openCommandPalette, quickInput, quickInputRowLabels, runFromPalette, sideBar, waitUntil } from './workbench';

const READY_FILE_ENV = 'KEYVAULT_TEST_EMULATOR_READY_FILE';
const suffix = Math.random().toString(36).slice(2, 7);
// Early in the alphabet: the tree lists 25 per page, and other suites add secrets to this vault too.
const NAME = `a-ui-secret-${suffix}`;
const JSON_NAME = `a-ui-json-${suffix}`;
/** Every value typed here; the last test searches for them on disk. */
const VALUE = `ui-${Math.random().toString(36).slice(2)}-${Math.random().toString(36).slice(2)}-VALUE`;
const JSON_VALUE = `{"user":"svc-${suffix}","password":"ui-json-${Math.random().toString(36).slice(2)}-VALUE","retries":3}`;
const EDITED_VALUE = `ui-edited-${Math.random().toString(36).slice(2)}-VALUE`;
const UNSAVED_VALUE = `ui-unsaved-${Math.random().toString(36).slice(2)}-VALUE`;

function readyFile(): string {
  const file = process.env[READY_FILE_ENV];
  if (!file) throw new Error(`${READY_FILE_ENV} is not set: the code-server tier starts the emulator and sets it`);
  return file;
}

/** The tier's results folder (…/test-results/vscode): the emulator's ready file is in its emulator/ folder. */
const resultsDir = (): string => path.dirname(path.dirname(readyFile()));
const userSettingsFile = (): string => path.join(resultsDir(), 'user-data', 'User', 'settings.json');

/**
 * Changes user settings the way a user does: Preferences: Open User Settings (JSON), replace the text, save. (Writing
 * the file from outside is picked up by code-server only once, so the editor it is.) The text goes in by paste, so
 * the JSON editor's auto-closing brackets and quotes do not double anything.
 */
async function setUserSettings(page: Page, changes: Record<string, unknown>): Promise<void> {
  const file = userSettingsFile();
  const current = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined) delete current[k];
    else current[k] = v;
  }
  const text = `${JSON.stringify(current, null, 2)}\n`;
  await runFromPalette(page, 'Preferences: Open User Settings (JSON)');
  // VS Code 1.139 opens settings.json in a modal editor; older ones in the editor area.
  const modal = page.locator('.modal-editor-part');
  await page.locator('.modal-editor-part .monaco-editor, .editor-instance .monaco-editor').first().waitFor({ state: 'visible' });
  const isModal = await modal.isVisible();
  const editor = isModal ? modal.locator('.monaco-editor').first() : page.locator('.editor-instance .monaco-editor').first();
  await editor.locator('.view-lines', { hasText: '"workbench.startupEditor"' }).waitFor({ state: 'visible' });
  await editor.click();
  await page.evaluate((t) => navigator.clipboard.writeText(t), text);
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Control+V');
  await page.keyboard.press('Control+S');
  await waitUntil('settings.json is saved', async () => {
    try {
      return JSON.stringify(JSON.parse(readFileSync(file, 'utf8'))) === JSON.stringify(current);
    } catch {
      return false;
    }
  });
  if (isModal) {
    await page.keyboard.press('Escape');
    await modal.waitFor({ state: 'hidden', timeout: 3_000 }).catch(async () => {
      await modal.locator('.modal-editor-action-container .action-label').last().click();
      await modal.waitFor({ state: 'hidden' });
    });
  } else {
    await runFromPalette(page, 'View: Close Editor');
  }
  await page.evaluate(() => navigator.clipboard.writeText(''));
}

async function useTheme(page: Page, theme: 'light' | 'dark'): Promise<void> {
  await setUserSettings(page, { 'workbench.colorTheme': theme === 'light' ? 'Default Light Modern' : 'Default Dark Modern' });
  await waitUntil(`the ${theme} theme applies`, async () => {
    const cls = (await page.locator('.monaco-workbench').getAttribute('class')) ?? '';
    return theme === 'light' ? /\bvs\b/.test(cls) && !/vs-dark/.test(cls) : /vs-dark/.test(cls);
  }, 15_000);
}

const treeRow = (page: Page, label: string): Locator =>
  sideBar(page).locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) }).first();

async function expand(page: Page, label: string): Promise<void> {
  const row = treeRow(page, label);
  await row.waitFor({ state: 'visible', timeout: 30_000 });
  if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
  await waitUntil(`${label} is expanded`, async () => (await row.getAttribute('aria-expanded')) === 'true');
}

async function contextMenu(page: Page, rowLabel: string, item: string): Promise<void> {
  const row = treeRow(page, rowLabel);
  // A failed test before may have collapsed the tree: the row is under kv-demo › Secrets.
  if (!(await row.isVisible())) {
    await expand(page, 'kv-demo');
    await expand(page, 'Secrets');
  }
  await row.waitFor({ state: 'visible', timeout: 20_000 });
  const menu = page.locator('.context-view .monaco-menu');
  await row.click({ button: 'right' });
  await menu.locator('.action-label', { hasText: new RegExp(`^${item}$`) }).waitFor({ state: 'visible' });
  // Chosen with the keyboard, as a keyboard user does: a mouse click while the menu fades in can be lost.
  const entries = (await menu.locator('li.action-item:not(.disabled) .action-label').allInnerTexts()).map((t) => t.trim());
  const index = entries.indexOf(item);
  assert.ok(index >= 0, `${item} is in the menu: ${entries.join(', ')}`);
  for (let i = 0; i <= index; i++) await page.keyboard.press('ArrowDown');
  await waitUntil(`${item} is focused`, async () => ((await menu.locator('li.action-item.focused .action-label').innerText().catch(() => '')).trim() === item), 5_000);
  await page.keyboard.press('Enter');
  await menu.waitFor({ state: 'hidden' });
}

/** The Reveal panel's page: the webview iframe, then its active frame. */
const revealFrame = (page: Page): FrameLocator => page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');

const readClipboard = (page: Page): Promise<string> => page.evaluate(() => navigator.clipboard.readText());

const toast = (page: Page, text: string | RegExp): Locator => page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();

/** Runs a palette command that opens its own quick input: waits for that input's title, not for the palette to close. */
async function startFromPalette(page: Page, command: string, inputTitle: string): Promise<void> {
  await openCommandPalette(page, command);
  const row = quickInput(page).locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: command }) }).first();
  await row.waitFor({ state: 'visible' });
  await row.click();
  await quickInput(page).locator('.quick-input-title', { hasText: inputTitle }).waitFor({ state: 'visible' });
}

async function closeToasts(page: Page): Promise<void> {
  await runFromPalette(page, 'Notifications: Clear All Notifications').catch(() => undefined);
}

export const tests: UiTest[] = [
  {
    name: 'connects to the local emulator and shows the Secrets of kv-demo',
    timeoutMs: 90_000,
    async run({ page }) {
      await setUserSettings(page, { 'keyVault.clipboard.clearAfterSeconds': 30, 'keyVault.reveal.autoHideSeconds': 0 });
      await runFromPalette(page, 'View: Show Explorer');
      await activityBarItem(page, 'Key Vault').click();
      await sideBar(page).locator('.title-label h2', { hasText: 'Key Vault' }).waitFor({ state: 'visible' });
      // Connect the way settings.json does (Use Local Emulator writes these two): no file dialog to drive.
      if (!(await treeRow(page, 'kv-demo').isVisible())) await setUserSettings(page, { 'keyVault.credential': 'emulator', 'keyVault.emulator.readyFile': readyFile() });
      await expand(page, 'kv-demo');
      await expand(page, 'Secrets');
      await treeRow(page, 'database-password').waitFor({ state: 'visible', timeout: 30_000 });
    },
  },
  {
    name: 'Key Vault: Create Secret… from the palette: vault, name checked as it is typed, hidden value, Create',
    timeoutMs: 90_000,
    async run({ page, screenshot }) {
      await useTheme(page, 'light');
      await startFromPalette(page, 'Key Vault: Create Secret…', 'Create Secret');
      await waitUntil('the vault picker lists kv-demo', async () => (await quickInputRowLabels(page)).some((l) => l.includes('kv-demo')));
      await screenshot('secrets-create-1-vault-light');
      await page.keyboard.type('kv-demo', { delay: 5 });
      await page.keyboard.press('Enter');
      // Name: an invalid character is flagged at once.
      const input = quickInput(page).locator('input');
      await quickInput(page).locator('.quick-input-message', { hasText: /Secret name/ }).waitFor({ state: 'visible' });
      await page.keyboard.type('my secret', { delay: 10 });
      await quickInput(page).locator('.quick-input-message', { hasText: 'Only letters, digits and dashes' }).waitFor({ state: 'visible' });
      await screenshot('secrets-create-2-name-invalid-light');
      await input.fill(NAME);
      await quickInput(page).locator('.quick-input-message', { hasText: /Secret name/ }).waitFor({ state: 'visible' });
      await page.keyboard.press('Enter');
      // Value: a password box.
      await quickInput(page).locator('.quick-input-message', { hasText: `Value of ${NAME}` }).waitFor({ state: 'visible' });
      assert.equal(await input.getAttribute('type'), 'password');
      await page.keyboard.type(VALUE, { delay: 2 });
      await screenshot('secrets-create-3-value-masked-light');
      await page.keyboard.press('Enter');
      // Options: Create is first.
      await waitUntil('the options step shows', async () => (await quickInputRowLabels(page)).some((l) => l.includes('Create Secret')));
      await screenshot('secrets-create-4-options-light');
      await page.keyboard.press('Enter');
      await quickInput(page).waitFor({ state: 'hidden' });
      await toast(page, `Created secret ${NAME}`).waitFor({ state: 'visible', timeout: 20_000 });
      await treeRow(page, NAME).waitFor({ state: 'visible', timeout: 20_000 });
      await screenshot('secrets-create-5-created-light');
      await closeToasts(page);
    },
  },
  {
    name: 'Reveal Secret Value shows the panel masked; Show reveals the value, Hide masks it again; a hidden panel forgets it (light and dark)',
    timeoutMs: 90_000,
    async run({ page, screenshot }) {
      await contextMenu(page, NAME, 'Reveal Secret Value');
      const frame = revealFrame(page);
      await frame.locator('h1', { hasText: NAME }).waitFor({ state: 'visible', timeout: 20_000 });
      await frame.locator('#masked').waitFor({ state: 'visible' });
      assert.equal(await frame.locator('#value').isVisible(), false);
      assert.ok(!(await frame.locator('body').innerText()).includes(VALUE), 'no value on the page before Show');
      await screenshot('secrets-reveal-1-masked-light');
      await frame.locator('#show').click();
      await frame.locator('#value', { hasText: VALUE }).waitFor({ state: 'visible', timeout: 20_000 });
      await screenshot('secrets-reveal-2-shown-light');
      // Another editor over the panel hides it: a hidden panel is torn down with its value and comes back masked.
      await runFromPalette(page, 'File: New Untitled Text File');
      await frame.locator('#value').waitFor({ state: 'detached', timeout: 10_000 }).catch(() => undefined);
      await runFromPalette(page, 'View: Revert and Close Editor');
      await frame.locator('#masked').waitFor({ state: 'visible', timeout: 20_000 });
      assert.ok(!(await frame.locator('body').innerText()).includes(VALUE), 'the value did not survive the panel being hidden');
      await screenshot('secrets-reveal-3-masked-again-light');
      await useTheme(page, 'dark');
      if (!(await frame.locator('#value', { hasText: VALUE }).isVisible())) await frame.locator('#show').click();
      await frame.locator('#value', { hasText: VALUE }).waitFor({ state: 'visible', timeout: 20_000 });
      await screenshot('secrets-reveal-4-shown-dark');
      await frame.locator('#hide').click();
      await frame.locator('#masked').waitFor({ state: 'visible' });
      assert.equal(await frame.locator('#value').textContent(), '', 'the value is gone from the page');
      await screenshot('secrets-reveal-5-masked-dark');
    },
  },
  {
    name: 'a JSON value is shown formatted in monospace, and hides itself after reveal.autoHideSeconds',
    timeoutMs: 90_000,
    async run({ page, screenshot }) {
      await setUserSettings(page, { 'keyVault.reveal.autoHideSeconds': 4 });
      await startFromPalette(page, 'Key Vault: Create Secret…', 'Create Secret');
      await waitUntil('the vault picker lists kv-demo', async () => (await quickInputRowLabels(page)).some((l) => l.includes('kv-demo')));
      await page.keyboard.type('kv-demo', { delay: 5 });
      await page.keyboard.press('Enter');
      await quickInput(page).locator('.quick-input-message', { hasText: /Secret name/ }).waitFor({ state: 'visible' });
      await page.keyboard.type(JSON_NAME, { delay: 5 });
      await page.keyboard.press('Enter');
      await quickInput(page).locator('.quick-input-message', { hasText: new RegExp(`Value of (the new version of )?${JSON_NAME}`) }).waitFor({ state: 'visible' });
      await quickInput(page).locator('input').fill(JSON_VALUE);
      await page.keyboard.press('Enter');
      await waitUntil('the options step shows', async () => (await quickInputRowLabels(page)).some((l) => l.includes('Create Secret')));
      await page.keyboard.press('Enter');
      await quickInput(page).waitFor({ state: 'hidden' });
      await treeRow(page, JSON_NAME).waitFor({ state: 'visible', timeout: 20_000 });
      await closeToasts(page);

      await contextMenu(page, JSON_NAME, 'Reveal Secret Value');
      const frame = revealFrame(page);
      await frame.locator('h1', { hasText: JSON_NAME }).waitFor({ state: 'visible', timeout: 20_000 });
      await frame.locator('#show').click();
      const shown = frame.locator('#value');
      await shown.waitFor({ state: 'visible', timeout: 20_000 });
      const text = (await shown.textContent()) ?? '';
      assert.deepEqual(JSON.parse(text), JSON.parse(JSON_VALUE));
      assert.ok(text.includes('\n  "password"'), 'formatted on several lines');
      const font = await shown.evaluate((el) => getComputedStyle(el).fontFamily);
      assert.match(font, /mono|courier|consolas|menlo/i);
      await frame.locator('#countdown', { hasText: /Hides in \d s/ }).waitFor({ state: 'visible' });
      await screenshot('secrets-reveal-6-json-dark');
      await frame.locator('#masked').waitFor({ state: 'visible', timeout: 10_000 });
      assert.equal(await shown.textContent(), '');
      await frame.locator('#status', { hasText: 'Hidden again automatically.' }).waitFor({ state: 'visible' });
      await useTheme(page, 'light');
      await frame.locator('#show').click();
      await shown.waitFor({ state: 'visible', timeout: 20_000 });
      await screenshot('secrets-reveal-7-json-light');
      await runFromPalette(page, 'View: Close All Editors');
      await setUserSettings(page, { 'keyVault.reveal.autoHideSeconds': 0 });
    },
  },
  {
    name: 'Copy Secret Value: the browser clipboard holds the value, the status bar counts down, the toast never shows it',
    timeoutMs: 60_000,
    async run({ page, screenshot }) {
      await contextMenu(page, NAME, 'Copy Secret Value');
      await waitUntil('the clipboard holds the value', async () => (await readClipboard(page)) === VALUE);
      const note = toast(page, `Copied the value of ${NAME}`);
      await note.waitFor({ state: 'visible' });
      assert.ok(!(await note.innerText()).includes(VALUE));
      const countdown = page.locator('.statusbar-item', { has: page.locator('.codicon-clippy') }).first();
      await countdown.waitFor({ state: 'visible' });
      assert.match(await countdown.innerText(), /\d+s/);
      await screenshot('secrets-copy-1-countdown-light');
      await closeToasts(page);
    },
  },
  {
    name: 'with clipboard.clearAfterSeconds = 2 the copied value is gone from the clipboard after two seconds',
    timeoutMs: 60_000,
    async run({ page, screenshot }) {
      await setUserSettings(page, { 'keyVault.clipboard.clearAfterSeconds': 2 });
      await contextMenu(page, NAME, 'Copy Secret Value');
      // The notification says the delay in force.
      await toast(page, 'cleared in 2 s').waitFor({ state: 'visible' });
      assert.equal(await readClipboard(page), VALUE);
      await waitUntil('the clipboard is cleared', async () => (await readClipboard(page)) === '', 6_000);
      await page.locator('.statusbar-item .codicon-clippy').first().waitFor({ state: 'hidden' });
      await screenshot('secrets-copy-2-cleared-light');
      await closeToasts(page);
    },
  },
  {
    name: 'copy, then copy something else: the later copy is not cleared',
    timeoutMs: 60_000,
    async run({ page }) {
      await contextMenu(page, NAME, 'Copy Secret Value');
      await waitUntil('the clipboard holds the value', async () => (await readClipboard(page)) === VALUE);
      await page.evaluate(() => navigator.clipboard.writeText('copied by the user afterwards'));
      await new Promise((r) => setTimeout(r, 3500));
      assert.equal(await readClipboard(page), 'copied by the user afterwards');
      await setUserSettings(page, { 'keyVault.clipboard.clearAfterSeconds': undefined, 'keyVault.reveal.autoHideSeconds': undefined, 'workbench.colorTheme': undefined });
      await closeToasts(page);
    },
  },
  {
    name: 'Edit Secret Value: warned once, the value in an editor, a ● on the tab for staged edits, Ctrl+S saves a new version',
    timeoutMs: 90_000,
    async run({ page, screenshot }) {
      await contextMenu(page, NAME, 'Edit Secret Value');
      // Warned once per profile: the extension-host suite, when it ran first in this profile, has seen it already.
      const dialog = page.locator('.monaco-dialog-box');
      const editor = page.locator('.editor-instance .monaco-editor').first();
      await Promise.race([dialog.waitFor({ state: 'visible', timeout: 20_000 }), editor.locator('.view-lines', { hasText: /ui-.*-VALUE/ }).waitFor({ state: 'visible', timeout: 20_000 })]);
      if (await dialog.isVisible()) {
        assert.match(await dialog.innerText(), /will be visible in an editor/);
        await screenshot('secrets-edit-1-warning-light');
        await dialog.locator('a.monaco-button', { hasText: 'Open Value' }).click();
      }
      await editor.locator('.view-lines', { hasText: /ui-.*-VALUE/ }).waitFor({ state: 'visible', timeout: 20_000 });
      const tab = page.locator('.tabs-container .tab', { hasText: NAME }).first();
      await tab.waitFor({ state: 'visible' });
      await editor.click();
      await page.keyboard.press('Control+A');
      await page.keyboard.type(EDITED_VALUE, { delay: 2 });
      // Staged a moment after typing stops: the tab is clean (nothing for auto save or backups), marked ● instead.
      await waitUntil('the edit is staged', async () => !(((await tab.getAttribute('class')) ?? '').includes('dirty')), 5_000);
      await tab.locator('.label-description, .monaco-icon-label', { hasText: '●' }).first().waitFor({ state: 'visible', timeout: 5_000 }).catch(() => undefined);
      await screenshot('secrets-edit-2-staged-light');
      await page.keyboard.press('Control+S');
      await toast(page, `Saved ${NAME} as a new version`).waitFor({ state: 'visible', timeout: 20_000 });
      await screenshot('secrets-edit-3-saved-light');
      // An edit that is never saved: closing discards it.
      await page.keyboard.press('Control+A');
      await page.keyboard.type(UNSAVED_VALUE, { delay: 2 });
      await new Promise((r) => setTimeout(r, 2500));
      await runFromPalette(page, 'View: Close Editor');
      await toast(page, `Closed ${NAME} without saving`).waitFor({ state: 'visible', timeout: 20_000 });
      await closeToasts(page);
      // The saved value is the current one: copy it back.
      await contextMenu(page, NAME, 'Copy Secret Value');
      await waitUntil('the clipboard holds the edited value', async () => (await readClipboard(page)) === EDITED_VALUE);
      await page.evaluate(() => navigator.clipboard.writeText(''));
      await closeToasts(page);
    },
  },
  {
    name: 'the values typed here appear nowhere on disk: test-results (logs, user data, state, reports)',
    timeoutMs: 60_000,
    async run({ page }) {
      await setUserSettings(page, { 'keyVault.credential': undefined, 'keyVault.emulator.readyFile': undefined });
      await page.waitForTimeout(1000);
      const root = path.dirname(resultsDir());
      const needles = [VALUE, JSON.parse(JSON_VALUE).password as string, EDITED_VALUE, UNSAVED_VALUE].map((v) => Buffer.from(v));
      const hits: string[] = [];
      let files = 0;
      const walk = (dir: string) => {
        for (const entry of readdirSync(dir)) {
          const full = path.join(dir, entry);
          let st;
          try {
            st = statSync(full);
          } catch {
            continue;
          }
          if (st.isDirectory()) walk(full);
          else if (st.isFile() && st.size < 50 * 1024 * 1024 && !full.endsWith('.png')) {
            files++;
            let bytes: Buffer;
            try {
              bytes = readFileSync(full);
            } catch {
              continue;
            }
            for (const n of needles) if (bytes.includes(n)) hits.push(full);
          }
        }
      };
      walk(root);
      // The browser's own profile too (IndexedDB, caches): the workbench runs there.
      const recent = Date.now() - 3_600_000;
      for (const entry of readdirSync(tmpdir())) {
        const full = path.join(tmpdir(), entry);
        if (entry.startsWith('playwright_chromiumdev_profile-') && statSync(full).mtimeMs > recent) walk(full);
      }
      console.log(`    secret hygiene: ${needles.length} values searched in ${files} files under test-results/ and the browser profile`);
      assert.deepEqual(hits, []);
    },
  },
];
