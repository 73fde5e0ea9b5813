// Tokens go only where the user said, and TLS is never bypassed, through the UI: Add Vault or HSM by URL… with a
// custom https endpoint (not an Azure host) asks first whether to send it tokens, and declining contacts nothing.
// Accepting an endpoint whose certificate is not trusted (self-signed) ends in a clear TLS error and no pin: the
// server sees connection attempts but never a single HTTP request, so never a token.
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { UiTest } from '../harness/uiRunner';
import { closeToasts, connectEmulator, dialogButton, modalDialog, treeRow } from '../../support/hygiene-ui';
import { startUntrusted, type TlsServer } from '../../support/tls-server';
import { paletteRow, quickInput, quickInputRowLabels, waitUntil } from './workbench';

async function typeUrl(page: Page, url: string): Promise<void> {
  // The command's own input box replaces the palette at once: wait for its prompt, not for the palette to close.
  await (await paletteRow(page, 'Key Vault: Add Vault or HSM by URL…')).click();
  await quickInput(page).locator('.quick-input-message, .quick-input-title', { hasText: /Add Vault or HSM by URL|vault or Managed HSM URL/ }).first().waitFor({ state: 'visible' });
  const input = quickInput(page).locator('input');
  await input.waitFor({ state: 'visible' });
  await input.fill(url);
  await waitUntil('the box has the URL', async () => (await input.inputValue()) === url);
  await page.keyboard.press('Enter');
}

/** Waits for the quick input titled `title`, then picks its row whose label contains `text`. */
async function pickRow(page: Page, title: RegExp, text: string): Promise<void> {
  await quickInput(page).locator('.quick-input-title', { hasText: title }).waitFor({ state: 'visible', timeout: 15_000 });
  await waitUntil(`the picker offers "${text}"`, async () => (await quickInputRowLabels(page)).some((l) => l.includes(text)), 15_000);
  await quickInput(page).locator('.monaco-list-row', { hasText: text }).first().click();
}

let server: TlsServer | undefined;

export const tests: UiTest[] = [
  {
    name: 'Add Vault or HSM by URL… asks before sending tokens to a custom endpoint; Cancel contacts nothing and pins nothing',
    timeoutMs: 90_000,
    async run({ page, screenshot }) {
      await connectEmulator(page);
      await closeToasts(page);
      server = await startUntrusted();
      await typeUrl(page, server.origin);
      await modalDialog(page).waitFor({ state: 'visible', timeout: 20_000 });
      const text = await modalDialog(page).innerText();
      assert.match(text, /Send Azure access tokens to https:\/\/127\.0\.0\.1:\d+\?/);
      assert.match(text, /not an Azure Key Vault host/);
      await screenshot('security-endpoint-1-asks-before-tokens');
      await dialogButton(page, 'Cancel').click();
      await modalDialog(page).waitFor({ state: 'hidden' });
      await new Promise((r) => setTimeout(r, 1500));
      assert.equal(server.connections, 0, 'the endpoint was contacted before the user agreed');
      assert.equal(await treeRow(page, `127.0.0.1:${new URL(server.origin).port}`).isVisible(), false);
    },
  },
  {
    name: 'an endpoint with an untrusted certificate: a clear TLS error, no request ever reaches it (no token), nothing pinned',
    timeoutMs: 120_000,
    async run({ page, screenshot }) {
      assert.ok(server);
      await typeUrl(page, server.origin);
      await modalDialog(page).waitFor({ state: 'visible', timeout: 20_000 });
      await dialogButton(page, 'Trust and Add').click();
      await pickRow(page, /a vault or a Managed HSM\?/, 'Key Vault');
      await pickRow(page, /certificate from a private CA\?/, 'No: its certificate is publicly trusted');
      // The name shown in the tree: the suggestion is fine.
      await quickInput(page).locator('.quick-input-title', { hasText: /Name shown in the tree/ }).waitFor({ state: 'visible', timeout: 15_000 });
      await quickInput(page).locator('input').press('Enter');
      // With more than one session the command asks whose tokens may go there; then the reachability check.
      await waitUntil('the check ends in a dialog', async () => {
        if (await modalDialog(page).isVisible().catch(() => false)) return true;
        const whose = quickInput(page).locator('.quick-input-title', { hasText: /Whose tokens/ });
        if (await whose.isVisible().catch(() => false)) await quickInput(page).locator('.monaco-list-row').first().click();
        return false;
      }, 60_000);
      const text = await modalDialog(page).innerText();
      await screenshot('security-endpoint-2-tls-error');
      assert.match(text, /Could not reach https:\/\/127\.0\.0\.1:\d+/);
      assert.match(text, /TLS error talking to 127\.0\.0\.1:\d+/);
      assert.doesNotMatch(text, /Added/);
      await dialogButton(page, 'Cancel').click();
      await modalDialog(page).waitFor({ state: 'hidden' });
      assert.ok(server.connections >= 1, 'the extension did try to connect');
      assert.equal(server.requests.length, 0, 'an HTTP request (and with it a token) reached an endpoint whose certificate is not trusted');
      assert.equal(await treeRow(page, `127.0.0.1:${new URL(server.origin).port}`).isVisible(), false, 'pinned anyway');
      await server.close();
      server = undefined;
    },
  },
];
