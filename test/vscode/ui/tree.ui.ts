// The Vaults tree as a user meets it, in light and dark themes: vaults and an HSM expanded down to versions and the
// Deleted group (icons, descriptions, expiry and disabled marks), a hover tooltip, the inline Filter button and the
// palette filter, Load more on the 1,200-secret vault, Show Properties from the context menu (read-only), the error
// node of the firewalled vault with Retry and Learn more, Find Object and Open by Identifier.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import type { UiContext, UiTest } from '../harness/uiRunner';
import { chooseFileInDialog } from './accounts.ui';
import { activityBarItem, paletteRow, quickInput, quickInputRowLabels, runFromPalette, sideBar, waitUntil } from './workbench';

const READY_FILE_ENV = 'KEYVAULT_TEST_EMULATOR_READY_FILE';
type Theme = 'light' | 'dark';

function readyFile(): string {
  const file = process.env[READY_FILE_ENV];
  if (!file) throw new Error(`${READY_FILE_ENV} is not set: the code-server tier starts the emulator and sets it`);
  return file;
}
const containers = (): { name: string; url: string }[] => (JSON.parse(readFileSync(readyFile(), 'utf8')) as { containers: { name: string; url: string }[] }).containers;

/**
 * Switches the color theme as a user does (Preferences: Color Theme), to VS Code 1.139's default light and dark themes.
 * (Writing settings.json from outside is not picked up reliably by code-server while it runs.)
 */
async function useTheme(page: Page, theme: Theme): Promise<void> {
  const applied = async () => {
    const cls = (await page.locator('.monaco-workbench').getAttribute('class')) ?? '';
    return theme === 'light' ? /\bvs\b/.test(cls) && !/vs-dark/.test(cls) : /vs-dark/.test(cls);
  };
  if (await applied()) return;
  const name = theme === 'light' ? 'Light 2026' : 'Dark 2026';
  await (await paletteRow(page, 'Preferences: Color Theme')).click();
  // The theme picker has no title: wait for its rows, then filter to the one theme.
  await quickInput(page).locator('.monaco-list-row', { hasText: 'Dark 2026' }).first().waitFor({ state: 'visible' });
  await page.keyboard.type(name, { delay: 10 });
  await waitUntil(`${name} is the only theme left`, async () => (await quickInputRowLabels(page)).filter((l) => l.includes('2026')).length === 1);
  await page.keyboard.press('Enter');
  await quickInput(page).waitFor({ state: 'hidden' });
  await waitUntil(`the ${theme} theme applies`, applied, 15_000);
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const treeRow = (page: Page, label: string): Locator =>
  sideBar(page).locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${escape(label)}$`) }) }).first();
const description = (row: Locator): Locator => row.locator('.label-description');

/**
 * The row at a path of labels (['kv-firewalled', 'Secrets']): rows are flat in the DOM, so this walks them in list
 * order (data-index) by their aria-level. The path's rows must be rendered (collapse others first).
 */
async function rowAt(page: Page, pathLabels: readonly string[]): Promise<Locator> {
  const index = await waitUntilValue(`the row ${pathLabels.join(' › ')}`, async () => {
    const rows = await sideBar(page)
      .locator('.monaco-list-row')
      .evaluateAll((els) => els.map((e) => ({ index: Number(e.getAttribute('data-index')), level: Number(e.getAttribute('aria-level')), label: (e.querySelector('.label-name')?.textContent ?? '').trim() })));
    rows.sort((a, b) => a.index - b.index);
    let from = 0;
    let level = 0;
    let found: number | undefined;
    for (const label of pathLabels) {
      found = undefined;
      for (let i = from; i < rows.length; i++) {
        const r = rows[i]!;
        if (level > 0 && r.level <= level) break;
        if ((level === 0 || r.level === level + 1) && r.label === label) {
          found = i;
          break;
        }
      }
      if (found === undefined) return undefined;
      level = rows[found]!.level;
      from = found + 1;
    }
    return rows[found!]!.index;
  });
  return sideBar(page).locator(`.monaco-list-row[data-index="${index}"]`);
}

async function waitUntilValue<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Expands the rows along a path, each under the one before. */
async function expandPath(page: Page, ...pathLabels: string[]): Promise<Locator> {
  let row: Locator | undefined;
  for (let i = 1; i <= pathLabels.length; i++) row = await expand(page, pathLabels[i - 1]!, await rowAt(page, pathLabels.slice(0, i)));
  return row!;
}

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

/** Collapses every tree node (the view title's Collapse All), after clearing any filter a failed test left. */
async function collapseAll(page: Page): Promise<void> {
  const clear = sideBar(page).locator('a.action-label[aria-label="Clear All Filters"]');
  if (await clear.first().isVisible().catch(() => false)) await clear.first().click();
  // The view's title bar and the side bar's own header both carry one; click the one shown.
  for (const button of await sideBar(page).locator('a.action-label[aria-label="Collapse All"]').all()) {
    if (await button.isVisible()) {
      await button.click();
      return;
    }
  }
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

/** Runs a palette command that opens its own quick input, and waits for that one (its title). */
async function startFromPalette(page: Page, command: string, nextTitle: RegExp): Promise<void> {
  await (await paletteRow(page, command)).click();
  await quickInput(page).locator('.quick-input-title', { hasText: nextTitle }).waitFor({ state: 'visible' });
}

/** Scrolls the tree down (mouse wheel over it) until the row is rendered and in view. */
async function scrollUntilVisible(page: Page, row: Locator): Promise<void> {
  const box = (await sideBar(page).boundingBox())!;
  for (let i = 0; i < 40 && !(await row.isVisible()); i++) {
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, 400);
    await page.waitForTimeout(100);
  }
  await row.waitFor({ state: 'visible' });
  // One more notch, so the row is not cut by the bottom edge.
  await page.mouse.wheel(0, 200);
  await page.waitForTimeout(100);
}

/**
 * Brings a row of an expanded category into view: scrolls the tree from its top and clicks Load more… as a user
 * would, since other suites add objects to kv-demo and a seeded one may be on the second page or below the fold.
 */
async function findRow(page: Page, label: string): Promise<Locator> {
  const row = treeRow(page, label);
  // The category's first page may still be on its way.
  await row.waitFor({ state: 'visible', timeout: 5_000 }).catch(() => undefined);
  if (await row.isVisible()) return row;
  const box = (await sideBar(page).boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, -100_000);
  await page.waitForTimeout(150);
  for (let i = 0; i < 60; i++) {
    if (await row.isVisible()) {
      await row.scrollIntoViewIfNeeded();
      return row;
    }
    const more = treeRow(page, 'Load more…');
    if (await more.isVisible()) {
      await more.click();
      await waitUntil('the next page loads', async () => (await row.isVisible()) || !(await more.isVisible()) || (await description(more).innerText().catch(() => '')) === '', 20_000).catch(() => undefined);
      continue;
    }
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, 300);
    await page.waitForTimeout(150);
  }
  await row.waitFor({ state: 'visible', timeout: 5_000 });
  return row;
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

/**
 * Clicks a row's inline action. The row re-renders when its count arrives (the button is replaced under the
 * pointer), so hover and click again a few times with short waits rather than one long one.
 */
async function clickInlineAction(row: Locator, action: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await (await inlineAction(row, action)).click({ timeout: 3_000 });
      return;
    } catch (err) {
      if (attempt === 4) throw err;
    }
  }
}

export const tests: UiTest[] = [
  {
    name: 'connects to the emulator and shows every vault and the HSM',
    timeoutMs: 90_000,
    async run({ page }) {
      await openView(page);
      if (!(await treeRow(page, 'kv-demo').isVisible())) {
        await startFromPalette(page, 'Key Vault: Use Local Emulator…', /emulator/i);
        // The last used ready file is offered in a quick pick; else the file dialog opens.
        const known = quickInput(page).locator('.monaco-list-row', { hasText: readyFile() }).first();
        if (await known.isVisible().catch(() => false)) {
          await known.click();
          await quickInput(page).waitFor({ state: 'hidden' });
        } else {
          await chooseFileInDialog(page, readyFile());
        }
      }
      for (const c of containers()) await treeRow(page, c.name).waitFor({ state: 'visible', timeout: 30_000 });
      await closeToasts(page);
      // A side bar a user would widen to read descriptions: drag its edge (the sash) to about 480 px.
      const box = (await sideBar(page).boundingBox())!;
      if (box.width < 460) {
        await page.mouse.move(box.x + box.width + 1, box.y + box.height / 2);
        await page.mouse.down();
        await page.mouse.move(box.x + 480, box.y + box.height / 2, { steps: 8 });
        await page.mouse.up();
      }
      await collapseAll(page);
    },
  },
  ...(['light', 'dark'] as const).map(
    (theme): UiTest => ({
      name: `expanding a vault shows its categories, objects with icons and descriptions, versions and the Deleted group (${theme})`,
      timeoutMs: 90_000,
      async run(ctx) {
        const { page } = ctx;
        await collapseAll(page);
        await useTheme(page, theme);
        await collapseAll(page);
        await expand(page, 'kv-demo');
        for (const category of ['Keys', 'Secrets', 'Certificates', 'Storage accounts']) await treeRow(page, category).waitFor({ state: 'visible' });
        await expand(page, 'Secrets');
        const db = treeRow(page, 'database-password');
        await db.waitFor({ state: 'visible', timeout: 30_000 });
        assert.match(await description(db).innerText(), /password/);
        assert.match(await description(await findRow(page, 'legacy-token-disabled')).innerText(), /disabled/);
        assert.match(await description(await findRow(page, 'api-key-expiring')).innerText(), /expires in \d+ days/);
        assert.match(await description(await findRow(page, 'future-secret')).innerText(), /valid from/);
        await findRow(page, 'database-password');
        await expand(page, 'database-password');
        await waitUntil('two versions show', async () => (await sideBar(page).locator('.monaco-list-row .codicon-versions').count()) >= 2);
        await expand(page, 'Deleted', await findRow(page, 'Deleted'));
        assert.match(await description(await findRow(page, 'old-service-password')).innerText(), /purge \d{4}-/);
        await shot(ctx, `tree-vault-secrets-${theme}`);
        await collapse(page, 'Secrets');
        await expand(page, 'Keys');
        // Key types arrive a moment after the page (each key is read once).
        await waitUntil('key types show', async () => (await sideBar(page).locator('.monaco-list-row .label-description', { hasText: /^(RSA|EC|oct)/ }).count()) >= 2, 20_000);
        await expand(page, 'Certificates');
        await sideBar(page).locator('.monaco-list-row .codicon-verified').nth(1).waitFor({ state: 'visible' });
        await shot(ctx, `tree-vault-keys-certificates-${theme}`);
        await collapse(page, 'kv-demo');
        await expand(page, 'hsm-demo');
        await expand(page, 'Keys');
        await waitUntil('HSM key types show', async () => (await sideBar(page).locator('.monaco-list-row .label-description', { hasText: /-HSM/ }).count()) >= 1, 20_000);
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
        await collapseAll(page);
        await useTheme(page, theme);
        await expandPath(page, 'kv-demo', 'Secrets');
        const row = await findRow(page, 'database-password');
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
      await collapseAll(page);
      await useTheme(page, 'light');
      const secrets = await expandPath(page, 'kv-demo', 'Secrets');
      await findRow(page, 'database-password');
      await clickInlineAction(secrets, 'Filter');
      const input = quickInput(page).locator('input');
      await quickInput(page).locator('.quick-input-title', { hasText: /Filter Secrets/ }).waitFor({ state: 'visible' });
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
      await clickInlineAction(treeRow(page, 'Secrets'), 'Clear Filter');
      await findRow(page, 'legacy-token-disabled');
      await collapseAll(page);
    },
  },
  {
    name: 'Key Vault: Filter… from the palette filters a whole vault (dark)',
    async run(ctx) {
      const { page } = ctx;
      await collapseAll(page);
      await useTheme(page, 'dark');
      await expandPath(page, 'kv-demo', 'Secrets');
      await startFromPalette(page, 'Key Vault: Filter…', /Key Vault: Filter/);
      await waitUntil('the target picker lists kv-demo', async () => (await quickInputRowLabels(page)).some((l) => l.includes('kv-demo')));
      await ctx.screenshot('tree-filter-palette-target-dark');
      await quickInput(page).locator('.monaco-list-row', { hasText: 'every category' }).filter({ hasText: 'kv-demo' }).first().click();
      // The same widget turns from the pick into the input box: type only once it has.
      await quickInput(page).locator('.quick-input-title', { hasText: /Filter kv-demo/ }).waitFor({ state: 'visible' });
      await page.keyboard.type('is:expiring', { delay: 10 });
      await page.keyboard.press('Enter');
      await quickInput(page).waitFor({ state: 'hidden' });
      await description(treeRow(page, 'kv-demo')).filter({ hasText: 'filter: is:expiring' }).waitFor({ state: 'visible' });
      await waitUntil('only expiring secrets show', async () => !(await treeRow(page, 'database-password').isVisible()));
      await treeRow(page, 'api-key-expiring').waitFor({ state: 'visible' });
      await shot(ctx, 'tree-filtered-vault-dark');
      await sideBar(page).locator('a.action-label[aria-label="Clear All Filters"]').first().click();
      await findRow(page, 'database-password');
      await collapseAll(page);
    },
  },
  {
    name: 'the 1,200-secret vault shows 25 secrets and Load more…; clicking it shows 25 more (light and dark)',
    timeoutMs: 90_000,
    async run(ctx) {
      const { page } = ctx;
      await collapseAll(page);
      await useTheme(page, 'light');
      await collapseAll(page);
      await expandPath(page, 'kv-scale', 'Secrets');
      await treeRow(page, 'billing-setting-0000').waitFor({ state: 'visible', timeout: 30_000 });
      // The list renders only the rows in view: scroll down to the Load more row.
      const more = treeRow(page, 'Load more…');
      await scrollUntilVisible(page, more);
      assert.match(await description(more).innerText(), /25 loaded/);
      await shot(ctx, 'tree-load-more-before-light');
      await more.click();
      await description(await rowAt(page, ['kv-scale', 'Secrets'])).filter({ hasText: /^50\+ loaded/ }).waitFor({ state: 'visible', timeout: 20_000 });
      await useTheme(page, 'dark');
      await scrollUntilVisible(page, treeRow(page, 'Load more…'));
      await shot(ctx, 'tree-load-more-after-dark');
      await collapseAll(page);
    },
  },
  {
    name: 'the firewalled vault shows an error node with the reason, Retry and Learn more (light and dark)',
    async run(ctx) {
      const { page } = ctx;
      await collapseAll(page);
      for (const theme of ['light', 'dark'] as const) {
        await useTheme(page, theme);
        await expandPath(page, 'kv-firewalled', 'Secrets');
        const error = sideBar(page).locator('.monaco-list-row', { hasText: /Blocked by the vault's firewall/ }).first();
        await error.waitFor({ state: 'visible', timeout: 30_000 });
        await inlineAction(error, 'Retry');
        await inlineAction(error, 'Learn More');
        // The tooltip carries the service's message and the hint.
        await error.locator('.label-name').hover();
        await page.locator('.monaco-hover, .workbench-hover').filter({ hasText: 'Click to retry' }).first().waitFor({ state: 'visible', timeout: 15_000 });
        await ctx.screenshot(`tree-error-tooltip-${theme}`);
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
      await collapseAll(page);
      await useTheme(page, 'light');
      await expandPath(page, 'kv-demo', 'Secrets');
      await findRow(page, 'database-password');
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
      await collapseAll(page);
      await useTheme(page, 'light');
      await expandPath(page, 'kv-demo', 'Secrets');
      // Find Object offers what is loaded: load the pages down to the one sought.
      await findRow(page, 'storage-connection-string');
      await collapseAll(page);
      await startFromPalette(page, 'Key Vault: Find Object…', /Key Vault: Find Object/);
      await waitUntil('loaded objects are listed', async () => (await quickInputRowLabels(page)).length > 5);
      await page.keyboard.type('storage-conn', { delay: 10 });
      await waitUntil('the typed name narrows the list', async () => (await quickInputRowLabels(page)).some((l) => l.includes('storage-connection-string')));
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
      await collapseAll(page);
      await useTheme(page, 'dark');
      const vault = containers().find((c) => c.name === 'kv-demo')!;
      await startFromPalette(page, 'Key Vault: Open by Identifier…', /Key Vault: Open by Identifier/);
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
    },
  },
  {
    name: 'leaves the extension signed out and the theme light, for the next UI tests',
    async run({ page }) {
      await page.keyboard.press('Escape');
      await useTheme(page, 'light');
      if (!(await sideBar(page).locator('.welcome-view-content').isVisible())) {
        await runFromPalette(page, 'Key Vault: Sign Out');
        await sideBar(page).locator('.welcome-view-content').waitFor({ state: 'visible', timeout: 20_000 });
      }
    },
  },
];
