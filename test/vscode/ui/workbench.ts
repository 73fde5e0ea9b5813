// Playwright helpers for the VS Code workbench DOM (checked against code-server 4.139 / VS Code 1.139).
// Selectors live here so a workbench change is fixed in one place.
import type { Locator, Page } from 'playwright-core';

export const sideBar = (page: Page): Locator => page.locator('.part.sidebar');
export const panel = (page: Page): Locator => page.locator('.part.panel');
export const quickInput = (page: Page): Locator => page.locator('.quick-input-widget');

export function activityBarItem(page: Page, label: string): Locator {
  return page.locator(`.part.activitybar .action-item a.action-label[aria-label="${label}"]`);
}

/** Rows currently shown in the quick input, by their visible label. */
export async function quickInputRowLabels(page: Page): Promise<string[]> {
  const rows = quickInput(page).locator('.monaco-list-row .label-name');
  return (await rows.allInnerTexts()).map((t) => t.trim());
}

/** Opens the command palette and types `text` after the `>` prefix. */
export async function openCommandPalette(page: Page, text: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = quickInput(page).locator('input');
  await input.waitFor({ state: 'visible' });
  await page.keyboard.type(text, { delay: 10 });
  // Wait until the list has caught up with what was typed.
  await quickInput(page).locator('.monaco-list-row').first().waitFor({ state: 'visible' });
}

/**
 * Opens the palette with `title` typed and returns its row. The palette filters the commands it knew when it opened,
 * and extensions register theirs a moment after the workbench appears: so close and retype until the row shows up.
 */
export async function paletteRow(page: Page, title: string, timeoutMs = 20_000): Promise<Locator> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await openCommandPalette(page, title);
    const row = quickInput(page).locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: title }) }).first();
    try {
      await row.waitFor({ state: 'visible', timeout: 2000 });
      return row;
    } catch (err) {
      await page.keyboard.press('Escape');
      await quickInput(page).waitFor({ state: 'hidden' });
      if (Date.now() > deadline) throw new Error(`the command palette never listed "${title}"`, { cause: err });
    }
  }
}

/** Runs a command the way a user does: F1, type its full title, pick the exact match. */
export async function runFromPalette(page: Page, title: string): Promise<void> {
  const row = await paletteRow(page, title);
  await row.click();
  await quickInput(page).waitFor({ state: 'hidden' });
}

/** The output channel the Output view currently shows. */
export async function selectedOutputChannel(page: Page): Promise<string> {
  // The panel title's picker; the Output view keeps a second, hidden one in its own header.
  return panel(page).locator('.title-actions select[aria-label="Switch Output"]').inputValue();
}

/** Text of the editor in the panel (the Output view's content). */
export function panelEditorText(page: Page): Locator {
  return panel(page).locator('.monaco-editor .view-lines');
}

/** Hides the panel if it is open, so a test can see a command open it again. */
export async function hidePanel(page: Page): Promise<void> {
  const hide = panel(page).locator('a.action-label[aria-label^="Hide Panel"]');
  if (await hide.isVisible()) await hide.click();
  await panel(page).waitFor({ state: 'hidden' });
}

/** Polls `condition` until it holds; fails with `what` after timeoutMs. */
export async function waitUntil(what: string, condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** How many lines of the panel's editor contain `text`. */
export function countPanelLines(page: Page, text: string): Promise<number> {
  return panelEditorText(page).locator('.view-line', { hasText: text }).count();
}

/**
 * Puts the workbench back to where every UI test file starts: no quick input, menu or dialog open, no editors, no
 * panel, no notifications; the Key Vault view shown with no filter and every node collapsed. The tests share one
 * window (the extension host lives as long as the page), so a test that failed half-way must not leave its rows
 * expanded or its editors open for the next file (a tree expanded by the keys tests pushed the secrets out of view).
 */
export async function resetWorkbench(page: Page): Promise<void> {
  for (let i = 0; i < 3; i++) await page.keyboard.press('Escape').catch(() => undefined);
  const dialog = page.locator('.monaco-dialog-box');
  if (await dialog.isVisible().catch(() => false)) {
    await dialog.locator('.monaco-button', { hasText: /^Cancel$/ }).click().catch(() => undefined);
    await dialog.waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
  }
  await runFromPalette(page, 'View: Close All Editors').catch(() => undefined);
  await runFromPalette(page, 'Notifications: Clear All Notifications').catch(() => undefined);
  await hidePanel(page).catch(() => undefined);
  await runFromPalette(page, 'View: Show Explorer').catch(() => undefined);
  await activityBarItem(page, 'Key Vault').click().catch(() => undefined);
  await sideBar(page).locator('.title-label h2', { hasText: 'Key Vault' }).waitFor({ state: 'visible', timeout: 10_000 }).catch(() => undefined);
  const clear = sideBar(page).locator('a.action-label[aria-label="Clear All Filters"]');
  if (await clear.first().isVisible().catch(() => false)) await clear.first().click().catch(() => undefined);
  for (const button of await sideBar(page).locator('a.action-label[aria-label="Collapse All"]').all()) {
    if (await button.isVisible().catch(() => false)) {
      await button.click().catch(() => undefined);
      break;
    }
  }
  // The tree scrolls back to its top once collapsed; give it a frame to render.
  await page.waitForTimeout(300);
}
