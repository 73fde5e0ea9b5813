// Certificates as a user meets them: the Create Certificate form from the palette (a SAN typo flagged as it is typed,
// the request body previewed, Create, progress, issued), the Unknown-issuer next steps, the details view, and a
// storage account expanded to its SAS definitions — in light and dark themes, with screenshots.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import type { UiTest } from '../harness/uiRunner';
import { connectToEmulator } from './connect';
import { paletteRow, quickInput, quickInputRowLabels, runFromPalette, sideBar, waitUntil } from './workbench';

const READY_FILE_ENV = 'KEYVAULT_TEST_EMULATOR_READY_FILE';
const suffix = Math.random().toString(36).slice(2, 7);
const NAME = `ui-cert-${suffix}`;
const PENDING = `ui-csr-${suffix}`;

function readyFile(): string {
  const file = process.env[READY_FILE_ENV];
  if (!file) throw new Error(`${READY_FILE_ENV} is not set: the code-server tier starts the emulator and sets it`);
  return file;
}

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

const isTheme = async (page: Page, theme: 'light' | 'dark'): Promise<boolean> => {
  const cls = (await page.locator('.monaco-workbench').getAttribute('class')) ?? '';
  return theme === 'light' ? /\bvs\b/.test(cls) && !/vs-dark/.test(cls) : /vs-dark/.test(cls);
};

/** Switches the colour theme as a user does: Preferences: Color Theme, type the theme, Enter. */
async function useTheme(page: Page, theme: 'light' | 'dark'): Promise<void> {
  if (await isTheme(page, theme)) return;
  const label = theme === 'light' ? 'Light Modern' : 'Dark Modern';
  await (await paletteRow(page, 'Preferences: Color Theme')).click();
  const input = quickInput(page).locator('input');
  await input.waitFor({ state: 'visible' });
  await page.keyboard.type(label, { delay: 10 });
  await quickInput(page).locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${label}$`) }) }).first().waitFor({ state: 'visible' });
  await page.keyboard.press('Enter');
  await quickInput(page).waitFor({ state: 'hidden' });
  await waitUntil(`the ${theme} theme applies`, () => isTheme(page, theme), 15_000);
  // Give the webviews a moment to take the new --vscode-* colours.
  await page.waitForTimeout(400);
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const treeRow = (page: Page, label: string): Locator =>
  sideBar(page).locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRe(label)}$`) }) }).first();

async function expand(page: Page, label: string): Promise<void> {
  const row = treeRow(page, label);
  await row.waitFor({ state: 'visible', timeout: 30_000 });
  if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
  await waitUntil(`${label} is expanded`, async () => (await row.getAttribute('aria-expanded')) === 'true');
}

/** The newest webview panel's page (the webview iframe, then its active frame). */
const newestPanel = (page: Page): FrameLocator => page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');


async function closeToasts(page: Page): Promise<void> {
  await runFromPalette(page, 'Notifications: Clear All Notifications').catch(() => undefined);
}

async function openCreateForm(page: Page): Promise<FrameLocator> {
  // The command opens a quick pick at once, so click the palette row instead of waiting for the palette to close.
  await (await paletteRow(page, 'Key Vault: Create Certificate…')).click();
  await waitUntil('the vault picker lists kv-demo', async () => (await quickInputRowLabels(page)).some((l) => l.includes('kv-demo')));
  await page.keyboard.type('kv-demo', { delay: 5 });
  await page.keyboard.press('Enter');
  await quickInput(page).waitFor({ state: 'hidden' });
  const form = newestPanel(page);
  await form.locator('h1', { hasText: 'New certificate' }).waitFor({ state: 'visible', timeout: 20_000 });
  return form;
}

export const tests: UiTest[] = [
  {
    name: 'connects to the local emulator and shows the Certificates of kv-demo',
    timeoutMs: 90_000,
    async run({ page }) {
      await connectToEmulator(page);
      await expand(page, 'kv-demo');
      await expand(page, 'Certificates');
      // The expiry watch reports the demo's expiring certificate: not what these screenshots are about.
      await closeToasts(page);
    },
  },
  {
    name: 'Create Certificate…: a SAN typo is flagged as it is typed, the request body is previewed, Create issues it',
    timeoutMs: 120_000,
    async run({ page, screenshot }) {
      await useTheme(page, 'light');
      const form = await openCreateForm(page);
      await form.locator('#name').fill(NAME);
      await form.locator('#subject').fill(`CN=${NAME}.contoso.com, O=Contoso, C=US`);
      await form.locator('#dnsNames').fill(`${NAME}.contoso.com\nweb..contoso.com`);
      await form.locator('#dnsNames-error', { hasText: "'web..contoso.com' is not a valid DNS name" }).waitFor({ state: 'visible', timeout: 10_000 });
      assert.equal(await form.locator('#dnsNames').getAttribute('aria-invalid'), 'true');
      await form.locator('#preview', { hasText: 'Fix the fields marked in red' }).waitFor({ state: 'visible' });
      await screenshot('certificates-create-1-san-error-light');

      await form.locator('#dnsNames').fill(`${NAME}.contoso.com\ncontoso.com`);
      await form.locator('#keyType').selectOption('EC');
      await form.locator('#curve').selectOption('P-384');
      await form.locator('#validityMonths').fill('6');
      await form.locator('#add-tag').click();
      await form.locator('.tag-key').first().fill('env');
      await form.locator('.tag-value').first().fill('ui-test');
      const preview = form.locator('#preview');
      type Body = { policy: { key_props: unknown; x509_props: { sans: unknown; validity_months: number } }; tags: unknown };
      const previewBody = async (): Promise<Body | undefined> => {
        try {
          return JSON.parse((await preview.textContent()) ?? '') as Body;
        } catch {
          return undefined;
        }
      };
      // The preview follows each field as the page re-renders it: wait until it has caught up with the last one (the
      // tag), then check all of it.
      await waitUntil('the preview shows the request body with every field filled in', async () => JSON.stringify((await previewBody())?.tags) === '{"env":"ui-test"}', 15_000).catch(() => undefined);
      const body = (await previewBody()) ?? ({} as Body);
      assert.deepEqual(body.policy.key_props, { kty: 'EC', crv: 'P-384', exportable: true, reuse_key: false });
      assert.deepEqual(body.policy.x509_props.sans, { dns_names: [`${NAME}.contoso.com`, 'contoso.com'] });
      assert.equal(body.policy.x509_props.validity_months, 6);
      assert.deepEqual(body.tags, { env: 'ui-test' });
      assert.equal(await form.locator('#field-keySize').isVisible(), false, 'no key size for an EC key');
      await screenshot('certificates-create-2-preview-light');
      await useTheme(page, 'dark');
      await screenshot('certificates-create-3-preview-dark');

      await form.locator('#create').click();
      await form.locator('#status-title', { hasText: 'Certificate issued' }).waitFor({ state: 'visible', timeout: 60_000 });
      await form.locator('#status-text', { hasText: `Certificate ${NAME} was issued.` }).waitFor({ state: 'visible' });
      await treeRow(page, NAME).waitFor({ state: 'visible', timeout: 20_000 });
      await screenshot('certificates-create-4-issued-dark');
      await form.locator('button[data-action="showDetails"]').click();
    },
  },
  {
    name: 'the details view shows subject, SANs, validity, thumbprints, key usage and chain; Copy puts the thumbprint on the clipboard',
    timeoutMs: 90_000,
    async run({ page, screenshot }) {
      const details = newestPanel(page);
      await details.locator('h1', { hasText: NAME }).waitFor({ state: 'visible', timeout: 20_000 });
      await details.locator('#health', { hasText: /^Valid for \d+ more days$/ }).waitFor({ state: 'visible', timeout: 20_000 });
      const text = await details.locator('#content').innerText();
      assert.match(text, new RegExp(`CN=${escapeRe(NAME)}\\.contoso\\.com, O=Contoso, C=US`));
      assert.match(text, /DNS\s+contoso\.com/);
      assert.match(text, /SHA-1/);
      assert.match(text, /EC P-384/);
      assert.match(text, /Self-signed: the chain is this certificate alone\./);
      assert.match(text, /Renew automatically at 80% of the lifetime/);
      await screenshot('certificates-details-1-dark');
      await details.locator('button[aria-label="Copy SHA-1"]').click();
      await details.locator('#status', { hasText: 'SHA-1 thumbprint copied' }).waitFor({ state: 'visible' });
      const copied = await page.evaluate(() => navigator.clipboard.readText());
      const shown = (await details.locator('dd', { has: page.locator('button[aria-label="Copy SHA-1"]') }).locator('.value').textContent()) ?? '';
      assert.match(copied, /^[0-9A-F]{40}$/);
      assert.equal(copied, shown.trim());
      await useTheme(page, 'light');
      await screenshot('certificates-details-2-light');
      await runFromPalette(page, 'View: Close All Editors');
    },
  },
  {
    name: 'issuer Unknown: after Create the form says what comes next (download the CSR, merge the signed certificate)',
    timeoutMs: 90_000,
    async run({ page, screenshot }) {
      const form = await openCreateForm(page);
      await form.locator('#name').fill(PENDING);
      await form.locator('#subject').fill(`CN=${PENDING}.contoso.com`);
      await form.locator('#issuer').selectOption('Unknown');
      // AutoRenew cannot work without an issuer that signs: flagged until another action is chosen.
      await form.locator('#lifetimeAction-error', { hasText: 'cannot renew itself' }).waitFor({ state: 'visible', timeout: 10_000 });
      await form.locator('#lifetimeAction').selectOption('EmailContacts');
      await waitUntil('the preview names the Unknown issuer', async () => ((await form.locator('#preview').textContent()) ?? '').includes('"Unknown"'));
      await form.locator('#create').click();
      await form.locator('#status-title', { hasText: 'Waiting for your CA' }).waitFor({ state: 'visible', timeout: 30_000 });
      assert.equal(await form.locator('button[data-action="downloadCsr"]').isVisible(), true);
      assert.equal(await form.locator('button[data-action="merge"]').isVisible(), true);
      await screenshot('certificates-create-5-unknown-issuer-light');
      await treeRow(page, PENDING).waitFor({ state: 'visible', timeout: 20_000 });
      await runFromPalette(page, 'View: Close All Editors');
      await closeToasts(page);
    },
  },
  {
    name: 'storage accounts expand to their SAS definitions (dark)',
    timeoutMs: 60_000,
    async run({ page, screenshot }) {
      await useTheme(page, 'dark');
      await expand(page, 'Storage accounts');
      await expand(page, 'contosostorage');
      await treeRow(page, 'fullaccess').waitFor({ state: 'visible', timeout: 20_000 });
      await treeRow(page, 'reportsread').waitFor({ state: 'visible' });
      await screenshot('storage-sas-definitions-dark');
    },
  },
  {
    name: 'leaves the extension signed out and the theme as it was, for the next UI tests',
    timeoutMs: 60_000,
    async run({ page }) {
      await runFromPalette(page, 'View: Close All Editors');
      await runFromPalette(page, 'Key Vault: Sign Out');
      await sideBar(page).locator('.welcome-view-content').waitFor({ state: 'visible', timeout: 30_000 });
      setUserSettings({ 'keyVault.emulator.readyFile': undefined, 'workbench.colorTheme': undefined });
      await runFromPalette(page, 'Notifications: Clear All Notifications');
    },
  },
];
