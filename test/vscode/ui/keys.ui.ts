// Keys as a user meets them: Sign / Verify opened from a key in the tree, a signature made and copied to the
// clipboard (read back in the browser), a digest of the wrong length refused with the length expected, the signature
// verified locally, and the Create Key form with a field error — in light and dark themes.
import * as assert from 'node:assert/strict';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import type { UiTest } from '../harness/uiRunner';
import { connectToEmulator } from './connect';
import { paletteRow, quickInput, runFromPalette, sideBar, waitUntil } from './workbench';

const KEY = 'app-signing-key';
const NEW_KEY = `ui-key-${Math.random().toString(36).slice(2, 7)}`;

const isTheme = async (page: Page, which: 'light' | 'dark'): Promise<boolean> => {
  const cls = (await page.locator('.monaco-workbench').getAttribute('class')) ?? '';
  return which === 'light' ? /\bvs\b/.test(cls) && !/vs-dark/.test(cls) : /vs-dark/.test(cls);
};

/** Switches the color theme the way a user does: Preferences: Color Theme, type its name, Enter. */
async function theme(page: Page, which: 'light' | 'dark'): Promise<void> {
  if (await isTheme(page, which)) return;
  const name = which === 'light' ? 'Light Modern' : 'Dark Modern';
  await (await paletteRow(page, 'Preferences: Color Theme')).click();
  await quickInput(page).locator('.monaco-list-row', { hasText: 'Modern' }).first().waitFor({ state: 'visible' });
  await page.keyboard.type(name, { delay: 5 });
  await quickInput(page).locator('.monaco-list-row.focused', { hasText: name }).waitFor({ state: 'visible' });
  await page.keyboard.press('Enter');
  await quickInput(page).waitFor({ state: 'hidden' });
  await waitUntil(`the ${which} theme applies`, () => isTheme(page, which), 15_000);
}

/** Moves the pointer off the tree (no hover tooltip) and clears notifications before a screenshot. */
async function tidy(page: Page): Promise<void> {
  await page.mouse.move(1200, 880);
  await clearToasts(page);
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function row(page: Page, label: string): Locator {
  return sideBar(page)
    .locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${escape(label)}$`) }) })
    .first();
}

async function expand(page: Page, label: string): Promise<void> {
  const r = row(page, label);
  await r.waitFor({ state: 'visible', timeout: 30_000 });
  if ((await r.getAttribute('aria-expanded')) !== 'true') await r.click();
  await waitUntil(`${label} is expanded`, async () => (await r.getAttribute('aria-expanded')) === 'true');
}

async function menu(page: Page, label: string, item: string): Promise<void> {
  const r = row(page, label);
  await r.waitFor({ state: 'visible', timeout: 20_000 });
  await r.click({ button: 'right' });
  const entry = page.locator('.context-view .monaco-menu .action-label', { hasText: new RegExp(`^${escape(item)}$`) });
  await entry.waitFor({ state: 'visible' });
  await entry.click();
  // A click during the menu's opening animation can be lost: the item is highlighted then, and Enter runs it.
  const open = page.locator('.context-view .monaco-menu');
  try {
    await open.waitFor({ state: 'hidden', timeout: 2000 });
  } catch {
    await entry.hover();
    await page.keyboard.press('Enter');
    await open.waitFor({ state: 'hidden' });
  }
  // Off the tree: a hover tooltip there would cover the editor.
  await page.mouse.move(1200, 880);
}

/** The newest webview page (its iframe, then the page's active frame); tests close other editors first. */
function webview(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
}

async function closeEditors(page: Page): Promise<void> {
  await runFromPalette(page, 'View: Close All Editors').catch(() => undefined);
}

async function clearToasts(page: Page): Promise<void> {
  await runFromPalette(page, 'Notifications: Clear All Notifications').catch(() => undefined);
}

export const tests: UiTest[] = [
  {
    name: 'shows the keys of kv-demo in the tree',
    timeoutMs: 90_000,
    async run({ page }) {
      await connectToEmulator(page);
      await expand(page, 'kv-demo');
      await expand(page, 'Keys');
      await row(page, KEY).waitFor({ state: 'visible', timeout: 30_000 });
      await closeEditors(page);
    },
  },
  {
    name: 'Sign / Verify from a key in the tree: sign text, copy the signature, read it from the clipboard (light and dark)',
    timeoutMs: 90_000,
    async run({ page, screenshot }) {
      await theme(page, 'light');
      await menu(page, KEY, 'Sign / Verify…');
      const frame = webview(page);
      await frame.locator('h1', { hasText: KEY }).waitFor({ state: 'visible', timeout: 20_000 });
      await frame.locator('#meta', { hasText: /RSA 2048-bit/ }).waitFor({ state: 'visible' });
      const algorithms = await frame.locator('#sign-algorithm option').allTextContents();
      assert.deepEqual(algorithms, ['PS256', 'PS384', 'PS512', 'RS256', 'RS384', 'RS512', 'RSNULL'], 'RSA algorithms only');
      await frame.locator('#sign-algorithm').selectOption('RS256');
      await frame.locator('#sign-input').fill('Ship order 4711 to Contoso');
      await frame.locator('#sign-input-hint', { hasText: /SHA-256 digest of the UTF-8 text is computed here/ }).waitFor({ state: 'visible' });
      await frame.locator('#sign-run').click();
      const result = frame.locator('#sign-result');
      await result.locator('.summary', { hasText: 'Signed with RS256 by Key Vault' }).waitFor({ state: 'visible', timeout: 20_000 });
      await result.locator('.note', { hasText: /only the 32-byte digest was sent to Key Vault/ }).waitFor({ state: 'visible' });
      const signature = (await result.locator('[data-field="signature"] .field-value').textContent()) ?? '';
      assert.match(signature, /^[A-Za-z0-9+/]+=*$/, 'base64 by default');
      assert.equal(Buffer.from(signature, 'base64').length, 256, 'a 2048-bit RSA signature');
      await tidy(page);
      await screenshot('keys-sign-1-signed-light');
      await result.locator('[data-field="signature"] button.copy').click();
      await frame.locator('#status', { hasText: /Signature \(base64\) copied/ }).waitFor({ state: 'visible' });
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), signature, 'the clipboard holds the signature');
      // Hex view of the same signature.
      await result.locator('[data-field="signature"] .segment', { hasText: 'Hex' }).click();
      assert.equal(await result.locator('[data-field="signature"] .field-value').textContent(), Buffer.from(signature, 'base64').toString('hex'));
      await theme(page, 'dark');
      await result.locator('.summary', { hasText: 'Signed with RS256' }).waitFor({ state: 'visible' });
      await tidy(page);
      await screenshot('keys-sign-2-signed-dark');
    },
  },
  {
    name: 'a digest of the wrong length is flagged while typing and refused with the length expected',
    timeoutMs: 60_000,
    async run({ page, screenshot }) {
      const frame = webview(page);
      await frame.locator('input[name="sign-kind"][value="digestHex"]').check();
      await frame.locator('#sign-input').fill('9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a');
      await frame.locator('#sign-input-hint', { hasText: 'RS256 needs a 32-byte SHA-256 digest; this is 31 bytes.' }).waitFor({ state: 'visible' });
      await frame.locator('#sign-run').click();
      const error = frame.locator('#sign-error');
      await error.waitFor({ state: 'visible', timeout: 20_000 });
      assert.match((await error.textContent()) ?? '', /RS256 signs a SHA-256 digest of 32 bytes; this one has 31/);
      assert.equal(await frame.locator('#sign-input').getAttribute('aria-invalid'), 'true');
      await tidy(page);
      await screenshot('keys-sign-3-digest-error-dark');
      await theme(page, 'light');
      await error.waitFor({ state: 'visible' });
      await tidy(page);
      await screenshot('keys-sign-4-digest-error-light');
    },
  },
  {
    name: 'Verify this signature carries it to the Verify tab, where it verifies locally with the public key',
    timeoutMs: 60_000,
    async run({ page, screenshot }) {
      const frame = webview(page);
      await frame.locator('input[name="sign-kind"][value="text"]').check();
      await frame.locator('#sign-input').fill('Ship order 4711 to Contoso');
      await frame.locator('#sign-run').click();
      await frame.locator('#sign-result .summary', { hasText: 'Signed with RS256' }).waitFor({ state: 'visible', timeout: 20_000 });
      await frame.locator('#sign-result button', { hasText: 'Verify this signature' }).click();
      await frame.locator('#tab-verify[aria-selected="true"]').waitFor({ state: 'visible' });
      await frame.locator('input[name="verify-by"][value="local"]').check();
      await frame.locator('#verify-run').click();
      const summary = frame.locator('#verify-result .summary.valid');
      await summary.waitFor({ state: 'visible', timeout: 20_000 });
      assert.match((await summary.textContent()) ?? '', /Signature valid \(RS256\)/);
      await frame.locator('#verify-result .note', { hasText: /locally with the public key \(no request was sent\)/ }).waitFor({ state: 'visible' });
      await tidy(page);
      await screenshot('keys-verify-local-light');
      await closeEditors(page);
    },
  },
  {
    name: 'the Create Key form shows a field error, then creates the key (light and dark)',
    timeoutMs: 90_000,
    async run({ page, screenshot }) {
      await theme(page, 'dark');
      await closeEditors(page);
      await menu(page, 'Keys', 'Create Key (All Options)…');
      const frame = webview(page);
      await frame.locator('h1', { hasText: 'Create Key kv-demo' }).waitFor({ state: 'visible', timeout: 20_000 });
      await frame.locator('#name').fill('bad name');
      await frame.locator('#name-error', { hasText: /Only letters, digits and dashes/ }).waitFor({ state: 'visible' });
      await frame.locator('input[name="family"][value="EC"]').check();
      await frame.locator('#curve').selectOption('P-384');
      await frame.locator('#create').click();
      await frame.locator('#form-error', { hasText: 'Fix the highlighted fields.' }).waitFor({ state: 'visible', timeout: 20_000 });
      await tidy(page);
      await screenshot('keys-create-form-error-dark');
      await frame.locator('#name').fill(NEW_KEY);
      await frame.locator('.tag-name').first().fill('owner');
      await frame.locator('.tag-value').first().fill('ui-test');
      await theme(page, 'light');
      await tidy(page);
      await screenshot('keys-create-form-filled-light');
      await frame.locator('#create').click();
      await page.locator('.notifications-toasts .notification-toast', { hasText: `Created key ${NEW_KEY} (EC P-384)` }).first().waitFor({ state: 'visible', timeout: 20_000 });
      // The Keys listing reloads; with more than a page of keys (the extension-host suite made many) the new one may
      // be on a later page: Load more until it shows.
      await waitUntil(
        `${NEW_KEY} shows in the tree`,
        async () => {
          if (await row(page, NEW_KEY).isVisible()) return true;
          const more = sideBar(page).locator('.monaco-list-row', { hasText: 'Load more…' }).first();
          if (await more.isVisible()) await more.click();
          return false;
        },
        30_000,
      );
      await screenshot('keys-create-form-created-light');
      await clearToasts(page);
    },
  },
  {
    name: 'Encrypt / Decrypt with an HSM AES key: AES-GCM round trip, the plaintext masked until Show (dark and light)',
    timeoutMs: 90_000,
    async run({ page, screenshot }) {
      await theme(page, 'dark');
      await closeEditors(page);
      await expand(page, 'hsm-demo');
      await sideBar(page).locator('.monaco-list-row', { hasText: 'Role assignments' }).first().waitFor({ state: 'visible' });
      // hsm-demo sorts before kv-demo, so its Keys row is the first one.
      await expand(page, 'Keys');
      await row(page, 'hsm-aes-key').waitFor({ state: 'visible', timeout: 30_000 });
      await menu(page, 'hsm-aes-key', 'Encrypt / Decrypt…');
      const frame = webview(page);
      await frame.locator('h1', { hasText: 'hsm-aes-key' }).waitFor({ state: 'visible', timeout: 20_000 });
      // The algorithms follow the key's type, which the panel may still be reading when its heading shows.
      const algorithms = async () => (await frame.locator('#encrypt-algorithm option').allTextContents()).join(',');
      await waitUntil('the AES algorithms are offered', async () => (await algorithms()) === 'A256GCM,A256CBC,A256CBCPAD', 15_000).catch(() => undefined);
      assert.deepEqual((await algorithms()).split(','), ['A256GCM', 'A256CBC', 'A256CBCPAD']);
      await frame.locator('#encrypt-input').fill('card 4111 1111 1111 1111');
      await frame.locator('#encrypt-aad').fill('6f726465722d34373131');
      await frame.locator('#encrypt-aad-encoding').selectOption('hex');
      await frame.locator('#encrypt-run').click();
      const result = frame.locator('#encrypt-result');
      await result.locator('.summary', { hasText: 'Encrypted with A256GCM by Key Vault' }).waitFor({ state: 'visible', timeout: 20_000 });
      for (const f of ['ciphertext', 'iv', 'tag']) await result.locator(`[data-field="${f}"]`).waitFor({ state: 'visible' });
      await tidy(page);
      await screenshot('keys-encrypt-gcm-dark');
      await result.locator('button', { hasText: 'Decrypt this' }).click();
      await frame.locator('#tab-decrypt[aria-selected="true"]').waitFor({ state: 'visible' });
      await frame.locator('#decrypt-run').click();
      const plaintext = frame.locator('#decrypt-result [data-field="plaintext"] .field-value');
      await plaintext.waitFor({ state: 'visible', timeout: 20_000 });
      assert.equal(await plaintext.textContent(), '••••••••••••••••', 'masked until Show');
      await theme(page, 'light');
      await tidy(page);
      await screenshot('keys-decrypt-masked-light');
      await frame.locator('#decrypt-result [data-field="plaintext"] button', { hasText: 'Show' }).click();
      assert.equal(await plaintext.textContent(), 'card 4111 1111 1111 1111');
      await screenshot('keys-decrypt-shown-light');
      await closeEditors(page);
    },
  },
];

