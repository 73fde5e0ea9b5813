// The commands as a user finds them: typed into the command palette.
import * as assert from 'node:assert/strict';
import type { UiTest } from '../harness/uiRunner';
import {
  hidePanel,
  panel,
  paletteRow,
  panelEditorText,
  quickInputRowLabels,
  runFromPalette,
  selectedOutputChannel,
} from './workbench';

export const tests: UiTest[] = [
  {
    // Which commands exist is checked against the code in test/unit/manifest.test.ts; here: a user finds them.
    name: 'the command palette finds Key Vault: Show Log and Key Vault: Refresh',
    async run({ page, screenshot }) {
      for (const title of ['Key Vault: Show Log', 'Key Vault: Refresh']) {
        await paletteRow(page, title);
        assert.ok((await quickInputRowLabels(page)).includes(title), `${title} is listed`);
        await screenshot(`command-palette-${title}`);
        await page.keyboard.press('Escape');
      }
    },
  },
  {
    name: 'Key Vault: Show Log typed in the command palette opens the log',
    async run({ page, screenshot }) {
      await hidePanel(page);
      await runFromPalette(page, 'Key Vault: Show Log');
      await panel(page).waitFor({ state: 'visible' });
      assert.equal(await selectedOutputChannel(page), 'Azure Key Vault');
      // The channel's lines, whatever scrolled into view (the first line scrolls away once the log is long).
      await panelEditorText(page).filter({ hasText: /\[(info|trace|debug)\]/ }).first().waitFor({ state: 'visible' });
      await screenshot('palette-show-log');
    },
  },
];
