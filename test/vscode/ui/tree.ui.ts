// The Vaults tree as a user meets it, in light and dark themes: vaults and an HSM expanded down to versions and the
// Deleted group (icons, descriptions, expiry and disabled marks), a hover tooltip, the inline Filter button and the
// palette filter, Load more on the 1,200-secret vault, Show Properties from the context menu (read-only), the error
// node of the firewalled vault with Retry and Learn more, Find Object and Open by Identifier.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import type { UiContext, UiTest } from '../harness/uiRunner';
import { activityBarItem, quickInput, quickInputRowLabels, runFromPalette, sideBar, waitUntil } from './workbench';

const READY_FILE_ENV = 'KEYVAULT_TEST_EMULATOR_READY_FILE';
type Theme = 'light' | 'dark';

function readyFile(): string {
  const file = process.env[READY_FILE_ENV];
  if (!file) throw new Error(`${READY_FILE_ENV} is not set: the code-server tier starts the emulator and sets it`);
  return file;
}
const containers = (): { name: string; url: string }[] => (JSON.parse(readFileSync(readyFile(), 'utf8')) as { containers: { name: string; url: string }[] }).containers;

/** The tier's results folder (…/test-results/vscode): the emulator's ready file is in its emulator/ folder. */
const userSettingsFile = (): string => path.join(path.dirname(path.dirname(readyFile())), 'user-data', 'User', 'settings.json');

function setUserSettings(changes: Record<string, unknown>): void {
  const file = userSettingsFile();
  const current = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined) delete current[k];
    else current[k] = v;
  }
  writeFileSync(file, `${JSON.stringify(current, null, 2)}\n`);
}

async function useTheme(page: Page, theme: Theme): Promise<void> {
  setUserSettings({ 'workbench.colorTheme': theme === 'light' ? 'Default Light Modern' : 'Default Dark Modern' });
  await waitUntil(
    `the ${theme} theme applies`,
    async () => {
      const cls = (await page.locator('.monaco-workbench').getAttribute('class')) ?? '';
      return theme === 'light' ? /\bvs\b/.test(cls) && !/vs-dark/.test(cls) : /vs-dark/.test(cls);
    },
    15_000,
  );
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const treeRow = (page: Page, label: string): Locator =>
  sideBar(page).locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${escape(label)}$`) }) }).first();
const description = (row: Locator): Locator => row.locator('.label-description');

async function expand(page: Page, label: string, within?: Locator): Promise<Locator> {
  const row = within ? within : treeRow(page, label);
  await row.waitFor({ state: 'visible', timeout: 30_000 });
  if ((await row.getAttribute('aria-expanded')) !== 'true') await row.locator('.monaco-tl-twistie').click();
  await waitUntil(`${label} is expanded`, async () => (await row.getAttribute('aria-expanded')) === 'true');
  return row;
}

async function collapse(page: Page, label: string): Promise<void> {
  const row = treeRow(page, label);
  if ((await row.isVisible()) && (await row.getAttribute('aria-expanded')) === 'true') await row.locator('.monaco-tl-twistie').click();
}

/** Collapses every tree node (the view title's Collapse All). */
async function collapseAll(page: Page): Promise<void> {
  const button = sideBar(page).locator('a.action-label[aria-label^="Collapse All"]');
  if (await button.isVisible()) await button.click();
}

/** A full-window screenshot and one of the side bar alone (where the tree's details are readable). */
async function shot(ctx: UiContext, name: string): Promise<void> {
  await ctx.page.mouse.move(1400, 880); // no accidental hover
  const full = await ctx.screenshot(name);
  await sideBar(ctx.page).screenshot({ path: full.replace(/\.png$/, '-sidebar.png') });
}

async function openView(page: Page): Promise<void> {
  await runFromPalette(page, 'View: Show Explorer');
  await activityBarItem(page, 'Key Vault').click();
  await sideBar(page).locator('.title-label h2', { hasText: 'Key Vault' }).waitFor({ state: 'visible' });
}

async function closeToasts(page: Page): Promise<void> {
  await runFromPalette(page, 'Notifications: Clear All Notifications').catch(() => undefined);
}

async function contextMenuEntry(page: Page, rowLabel: string, entry: string): Promise<Locator> {
  const row = treeRow(page, rowLabel);
  await row.waitFor({ state: 'visible', timeout: 20_000 });
  await row.click({ button: 'right' });
  const item = page.locator('.context-view .monaco-menu .action-label', { hasText: new RegExp(`^${escape(entry)}$`) });
  await item.waitFor({ state: 'visible' });
  return item;
}

/** Hovers a row and waits for its inline action (aria-label starts with `action`). */
async function inlineAction(row: Locator, action: string): Promise<Locator> {
  await row.hover();
  const button = row.locator(`.actions a.action-label[aria-label^="${action}"]`);
  await button.waitFor({ state: 'visible' });
  return button;
}

export const tests: UiTest[] = [
  {
    name: 'connects to the emulator and shows every vault and the HSM',
    timeoutMs: 90_000,
    async run({ page }) {
      setUserSettings({ 'keyVault.expiry.notify': false });
      await openView(page);
      if (!(await treeRow(page, 'kv-demo').isVisible())) {
        await runFromPalette(page, 'Key Vault: Use Local Emulator…');
        const input = quickInput(page).locator('input');
        await input.waitFor({ state: 'visible' });
        // A quick pick of known ready files when there is one, else the file dialog: either takes the path.
        const known = quickInput(page).locator('.monaco-list-row', { hasText: readyFile() }).first();
        if (await known.isVisible().catch(() => false)) await known.click();
        else {
          await input.fill(readyFile());
          await waitUntil('the dialog has taken the path', async () => (await input.inputValue()) === readyFile());
          await page.keyboard.press('Enter');
        }
        await quickInput(page).waitFor({ state: 'hidden' });
      }
      for (const c of containers()) await treeRow(page, c.name).waitFor({ state: 'visible', timeout: 30_000 });
      await closeToasts(page);
      await collapseAll(page);
    },
  },
  ...(['light', 'dark'] as const).map(
    (theme): UiTest => ({
      name: `expanding a vault shows its categories, objects with icons and descriptions, versions and the Deleted group (${theme})`,
      timeoutMs: 90_000,
      async run(ctx) {
        const { page } = ctx;
        await useTheme(page, theme);
        await collapseAll(page);
        await expand(page, 'kv-demo');
        for (const category of ['Keys', 'Secrets', 'Certificates', 'Storage accounts']) await treeRow(page, category).waitFor({ state: 'visible' });
        await expand(page, 'Secrets');
        const db = treeRow(page, 'database-password');
        await db.waitFor({ state: 'visible', timeout: 30_000 });
        assert.match(await description(db).innerText(), /password/);
        assert.match(await description(treeRow(page, 'legacy-token-disabled')).innerText(), /disabled/);
        assert.match(await description(treeRow(page, 'api-key-expiring')).innerText(), /expires in \d+ days/);
        assert.match(await description(treeRow(page, 'future-secret')).innerText(), /valid from/);
        await expand(page, 'database-password');
        await waitUntil('two versions show', async () => (await sideBar(page).locator('.monaco-list-row .codicon-versions').count()) >= 2);
        await expand(page, 'Deleted');
        await treeRow(page, 'old-service-password').waitFor({ state: 'visible' });
        assert.match(await description(treeRow(page, 'old-service-password')).innerText(), /purge \d{4}-/);
        await shot(ctx, `tree-vault-secrets-${theme}`);
        await collapse(page, 'Secrets');
        await expand(page, 'Keys');
        // Key types arrive a moment after the page (each key is read once).
        await waitUntil('key types show', async () => (await sideBar(page).locator('.monaco-list-row .label-description', { hasText: /^(RSA|EC|oct)/ }).count()) >= 2, 20_000);
        await expand(page, 'Certificates');
        await sideBar(page).locator('.monaco-list-row .codicon-workspace-trusted').nth(1).waitFor({ state: 'visible' });
        await shot(ctx, `tree-vault-keys-certificates-${theme}`);
        await collapse(page, 'kv-demo');
        await expand(page, 'hsm-demo');
        await expand(page, 'Role assignments');
        await expand(page, 'Settings');
        await sideBar(page).locator('.monaco-list-row .label-name', { hasText: / = / }).first().waitFor({ state: 'visible' });
        await shot(ctx, `tree-hsm-${theme}`);
        await collapseAll(page);
      },
    }),
  ),
  ...(['light', 'dark'] as const).map(
    (theme): UiTest => ({
      name: `hovering a secret shows its markdown tooltip: id, dates, tags, recovery level, never a value (${theme})`,
      async run(ctx) {
        const { page } = ctx;
        await useTheme(page, theme);
        await expand(page, 'kv-demo');
        await expand(page, 'Secrets');
        const row = treeRow(page, 'database-password');
        await row.waitFor({ state: 'visible', timeout: 30_000 });
        await row.hover();
        const hover = page.locator('.monaco-hover, .workbench-hover').filter({ hasText: 'Recovery level' }).first();
        await hover.waitFor({ state: 'visible', timeout: 15_000 });
        const text = await hover.innerText();
        assert.match(text, /database-password/);
        assert.match(text, /owner/);
        assert.doesNotMatch(text, /P@ss-/, 'no value in the tooltip');
        await ctx.screenshot(`tree-tooltip-${theme}`);
        await page.mouse.move(1400, 880);
        await collapseAll(page);
      },
    }),
  ),
  {
    name: 'the inline Filter button on Secrets filters by tag; the description shows it; Clear Filter restores the list',
    async run(ctx) {
      const { page } = ctx;
      await useTheme(page, 'light');
      await expand(page, 'kv-demo');
      const secrets = await expand(page, 'Secrets');
      await treeRow(page, 'database-password').waitFor({ state: 'visible', timeout: 30_000 });
      await (await inlineAction(secrets, 'Filter')).click();
      const input = quickInput(page).locator('input');
      await input.waitFor({ state: 'visible' });
      await page.keyboard.type('/[/', { delay: 10 });
      await quickInput(page).locator('.quick-input-message', { hasText: /Invalid regular expression/ }).waitFor({ state: 'visible' });
      await ctx.screenshot('tree-filter-invalid-light');
      await input.fill('tag:app=orders');
      await page.keyboard.press('Enter');
      await quickInput(page).waitFor({ state: 'hidden' });
      await description(treeRow(page, 'Secrets')).filter({ hasText: 'filter: tag:app=orders' }).waitFor({ state: 'visible' });
      await waitUntil('only the orders secrets show', async () => !(await treeRow(page, 'legacy-token-disabled').isVisible()));
      await treeRow(page, 'database-password').waitFor({ state: 'visible' });
      await shot(ctx, 'tree-filtered-light');
      await (await inlineAction(treeRow(page, 'Secrets'), 'Clear Filter')).click();
      await treeRow(page, 'legacy-token-disabled').waitFor({ state: 'visible' });
      await collapseAll(page);
    },
  },
  {
    name: 'Key Vault: Filter… from the palette filters a whole vault (dark)',
    async run(ctx) {
      const { page } = ctx;
      await useTheme(page, 'dark');
      await expand(page, 'kv-demo');
      await expand(page, 'Secrets');
      await runFromPalette(page, 'Key Vault: Filter…');
      await waitUntil('the target picker lists kv-demo', async () => (await quickInputRowLabels(page)).some((l) => l.includes('kv-demo')));
      await ctx.screenshot('tree-filter-palette-target-dark');
      await quickInput(page).locator('.monaco-list-row', { hasText: 'every category' }).filter({ hasText: 'kv-demo' }).first().click();
      await quickInput(page).locator('input').waitFor({ state: 'visible' });
      await page.keyboard.type('is:expiring', { delay: 10 });
      await page.keyboard.press('Enter');
      await quickInput(page).waitFor({ state: 'hidden' });
      await description(treeRow(page, 'kv-demo')).filter({ hasText: 'filter: is:expiring' }).waitFor({ state: 'visible' });
      await waitUntil('only expiring secrets show', async () => !(await treeRow(page, 'database-password').isVisible()));
      await treeRow(page, 'api-key-expiring').waitFor({ state: 'visible' });
      await shot(ctx, 'tree-filtered-vault-dark');
      await sideBar(page).locator('a.action-label[aria-label^="Clear Filter"]').first().click();
      await treeRow(page, 'database-password').waitFor({ state: 'visible' });
      await collapseAll(page);
    },
  },
  {
    name: 'the 1,200-secret vault shows 25 secrets and Load more…; clicking it shows 25 more (light and dark)',
    timeoutMs: 90_000,
    async run(ctx) {
      const { page } = ctx;
      await useTheme(page, 'light');
      await expand(page, 'kv-scale');
      await expand(page, 'Secrets');
      const more = treeRow(page, 'Load more…');
      await more.waitFor({ state: 'visible', timeout: 30_000 });
      assert.match(await description(treeRow(page, 'Secrets')).innerText(), /^25\+ loaded/);
      assert.match(await description(more).innerText(), /25 loaded/);
      await more.scrollIntoViewIfNeeded();
      await shot(ctx, 'tree-load-more-before-light');
      await more.click();
      await description(treeRow(page, 'Secrets')).filter({ hasText: /^50\+ loaded/ }).waitFor({ state: 'visible', timeout: 20_000 });
      await useTheme(page, 'dark');
      await treeRow(page, 'Load more…').scrollIntoViewIfNeeded();
      await shot(ctx, 'tree-load-more-after-dark');
      await collapseAll(page);
    },
  },
  {
    name: 'the firewalled vault shows an error node with the reason, Retry and Learn more (light and dark)',
    async run(ctx) {
      const { page } = ctx;
      for (const theme of ['light', 'dark'] as const) {
        await useTheme(page, theme);
        await expand(page, 'kv-firewalled');
        await expand(page, 'Secrets');
        const error = sideBar(page).locator('.monaco-list-row', { hasText: /firewall/i }).first();
        await error.waitFor({ state: 'visible', timeout: 30_000 });
        await inlineAction(error, 'Retry');
        await inlineAction(error, 'Learn More');
        const full = await ctx.screenshot(`tree-error-node-${theme}`);
        await sideBar(page).screenshot({ path: full.replace(/\.png$/, '-sidebar.png') });
        await collapseAll(page);
      }
    },
  },
  {
    name: 'Show Properties in a secret\'s context menu opens its metadata as read-only JSON (light and dark)',
    async run(ctx) {
      const { page } = ctx;
      await useTheme(page, 'light');
      await expand(page, 'kv-demo');
      await expand(page, 'Secrets');
      const entry = await contextMenuEntry(page, 'database-password', 'Show Properties');
      await ctx.screenshot('tree-context-menu-secret-light');
      await entry.click();
      const tab = page.locator('.tabs-container .tab', { hasText: 'database-password · kv-demo.json' });
      await tab.waitFor({ state: 'visible' });
      const editor = page.locator('.editor-instance .monaco-editor').first();
      await editor.locator('.view-lines', { hasText: '"name": "database-password"' }).waitFor({ state: 'visible' });
      // Read-only: typing changes nothing.
      await editor.locator('.view-lines').click();
      await page.keyboard.type('typed', { delay: 10 });
      assert.doesNotMatch(await editor.locator('.view-lines').innerText(), /typed/);
      await shot(ctx, 'tree-properties-light');
      await useTheme(page, 'dark');
      await shot(ctx, 'tree-properties-dark');
      await runFromPalette(page, 'View: Close All Editors');
      await collapseAll(page);
    },
  },
  {
    name: 'Key Vault: Find Object… lists loaded objects and reveals the one picked',
    async run(ctx) {
      const { page } = ctx;
      await useTheme(page, 'light');
      await expand(page, 'kv-demo');
      await expand(page, 'Secrets');
      await treeRow(page, 'database-password').waitFor({ state: 'visible', timeout: 30_000 });
      await collapseAll(page);
      await runFromPalette(page, 'Key Vault: Find Object…');
      await waitUntil('loaded objects are listed', async () => (await quickInputRowLabels(page)).some((l) => l.includes('storage-connection-string')));
      await page.keyboard.type('storage-conn', { delay: 10 });
      await ctx.screenshot('tree-find-object-light');
      await page.keyboard.press('Enter');
      await quickInput(page).waitFor({ state: 'hidden' });
      const row = treeRow(page, 'storage-connection-string');
      await waitUntil('it is revealed and selected', async () => (await row.getAttribute('aria-selected')) === 'true', 15_000);
      await collapseAll(page);
    },
  },
  {
    name: 'Key Vault: Open by Identifier… reveals a pasted secret id in the tree (dark)',
    async run(ctx) {
      const { page } = ctx;
      await useTheme(page, 'dark');
      const vault = containers().find((c) => c.name === 'kv-demo')!;
      await runFromPalette(page, 'Key Vault: Open by Identifier…');
      const input = quickInput(page).locator('input');
      await input.waitFor({ state: 'visible' });
      await page.keyboard.type('https://not a url', { delay: 5 });
      await quickInput(page).locator('.quick-input-message').filter({ hasText: /./ }).waitFor({ state: 'visible' });
      await input.fill(`${vault.url}/secrets/api-key-expiring`);
      await ctx.screenshot('tree-open-by-id-dark');
      await page.keyboard.press('Enter');
      await quickInput(page).waitFor({ state: 'hidden' });
      const row = treeRow(page, 'api-key-expiring');
      await waitUntil('it is revealed and selected', async () => (await row.getAttribute('aria-selected')) === 'true', 15_000);
      await shot(ctx, 'tree-open-by-id-revealed-dark');
      await useTheme(page, 'light');
      await collapseAll(page);
      setUserSettings({ 'keyVault.expiry.notify': undefined });
    },
  },
];
