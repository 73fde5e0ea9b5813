// The Key Vault view as a user meets it: the activity bar icon, the view, its welcome content and title button.
import * as assert from 'node:assert/strict';
import type { UiTest } from '../harness/uiRunner';
import {
  activityBarItem,
  countPanelLines,
  hidePanel,
  panel,
  panelEditorText,
  runFromPalette,
  selectedOutputChannel,
  sideBar,
  waitUntil,
} from './workbench';

async function waitForChannel(page: Parameters<typeof selectedOutputChannel>[0]): Promise<void> {
  const deadline = Date.now() + 20_000;
  while ((await selectedOutputChannel(page)) !== 'Azure Key Vault') {
    if (Date.now() > deadline) assert.fail(`the Output view shows '${await selectedOutputChannel(page)}', not the Azure Key Vault log`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export const tests: UiTest[] = [
  {
    name: 'the Key Vault icon is in the activity bar',
    async run({ page, screenshot }) {
      const icon = activityBarItem(page, 'Key Vault');
      await icon.waitFor({ state: 'visible' });
      const box = await icon.boundingBox();
      assert.ok(box && box.width > 0 && box.height > 0, 'the icon has a size');
      await screenshot('activity-bar');
    },
  },
  {
    name: 'clicking the icon shows the Vaults view with its welcome content',
    async run({ page, screenshot }) {
      // Start from another container: clicking the active one would hide the side bar instead.
      await runFromPalette(page, 'View: Show Explorer');
      await activityBarItem(page, 'Key Vault').click();
      const bar = sideBar(page);
      await bar.locator('.title-label h2', { hasText: 'Key Vault' }).waitFor({ state: 'visible' });
      const welcome = bar.locator('.welcome-view-content');
      await welcome.waitFor({ state: 'visible' });
      const text = await welcome.innerText();
      assert.match(text, /browse and manage the keys, secrets and certificates/);
      assert.match(text, /your vaults will appear here/);
      await welcome.locator('a.monaco-button', { hasText: 'Show Log' }).waitFor({ state: 'visible' });
      await screenshot('vaults-view-welcome');
    },
  },
  {
    name: 'the welcome Show Log button opens the Azure Key Vault log',
    async run({ page, screenshot }) {
      await hidePanel(page);
      await sideBar(page).locator('.welcome-view-content a.monaco-button', { hasText: 'Show Log' }).click();
      await panel(page).waitFor({ state: 'visible' });
      await waitForChannel(page);
      // The channel's lines, whatever scrolled into view (the activation line scrolls away once the log is long).
      await panelEditorText(page).filter({ hasText: /\[(info|trace|debug)\]/ }).first().waitFor({ state: 'visible' });
      await screenshot('welcome-show-log');
    },
  },
  {
    name: 'the Refresh button in the view title reloads the view and says so in the log',
    async run({ page, screenshot }) {
      // Earlier tests may have refreshed already: look for one more line than before the click.
      const before = await countPanelLines(page, 'Refreshing all vaults');
      await sideBar(page).locator('a.action-label[aria-label="Refresh"]').first().click();
      await waitUntil('the log says it refreshed', async () => (await countPanelLines(page, 'Refreshing all vaults')) > before);
      // Still no vaults: the welcome content stays.
      await sideBar(page).locator('.welcome-view-content').waitFor({ state: 'visible' });
      await screenshot('view-title-refresh');
    },
  },
];
