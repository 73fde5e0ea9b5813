// Debian's chromium driven by playwright-core (no browser download: the registry has none for us here).
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export interface Workbench {
  readonly browser: Browser;
  readonly context: BrowserContext;
  readonly page: Page;
  close(): Promise<void>;
}

export const VIEWPORT = { width: 1440, height: 900 } as const;

export async function openWorkbench(executablePath: string, url: string, timeoutMs = 90_000): Promise<Workbench> {
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    // We stop the browser ourselves (processes.ts handlers), with the rest of the run.
    handleSIGINT: false,
    handleSIGTERM: false,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
    timeout: 60_000,
  });
  try {
    const context = await browser.newContext({ viewport: VIEWPORT });
    // Lets tests read what the extension put on the clipboard, and the reverse.
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(url).origin });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await page.goto(url, { timeout: timeoutMs });
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: timeoutMs });
    return {
      browser,
      context,
      page,
      close: async () => {
        await browser.close().catch(() => undefined);
      },
    };
  } catch (err) {
    await browser.close().catch(() => undefined);
    throw err;
  }
}
