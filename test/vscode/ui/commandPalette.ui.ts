// The commands as a user finds them: typed into the command palette.
import * as assert from 'node:assert/strict';
import type { UiTest } from '../harness/uiRunner';
import { hidePanel, openCommandPalette, panel, panelEditorText, quickInputRowLabels, runFromPalette, selectedOutputChannel } from './workbench';

export const tests: UiTest[] = [
  {
    name: 'the command palette lists exactly the Key Vault commands that work today',
    async run({ page, screenshot }) {
      await openCommandPalette(page, 'Key Vault:');
      await page.waitForFunction(() => document.querySelectorAll('.quick-input-widget .monaco-list-row').length >= 2);
      // VS Code adds "Focus on <view> View" for every view itself; everything else is ours and must work.
      const labels = (await quickInputRowLabels(page)).filter((l) => l.startsWith('Key Vault:') && !/^Key Vault: Focus on .* View$/.test(l));
      await screenshot('command-palette-key-vault');
      assert.deepEqual(labels.sort(), ['Key Vault: Refresh', 'Key Vault: Show Log']);
      await page.keyboard.press('Escape');
    },
  },
  {
    name: 'Key Vault: Show Log typed in the command palette opens the log',
    async run({ page, screenshot }) {
      await hidePanel(page);
      await runFromPalette(page, 'Key Vault: Show Log');
      await panel(page).waitFor({ state: 'visible' });
      assert.equal(await selectedOutputChannel(page), 'Azure Key Vault');
      await panelEditorText(page).filter({ hasText: 'Azure Key Vault Explorer' }).waitFor({ state: 'visible' });
      await screenshot('palette-show-log');
    },
  },
];
