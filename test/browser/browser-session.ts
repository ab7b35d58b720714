// Launches Debian's Chromium through playwright-core and saves what a failing step left on screen.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

const RESULTS_DIR = fileURLToPath(new URL('../../test-results', import.meta.url));

/**
 * Flags that work on this kind of machine: tests run as root (no sandbox), there is no GPU, and no network
 * beyond loopback, so Chromium's background connections are turned off instead of failing many times a start.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];

/** Each launch gets a fresh temporary profile (user-data dir) from playwright, removed when the browser closes. */
export function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS, timeout: 30_000 });
}

/**
 * A fresh context (its own cookies: one person). bypassCSP lets the accessibility audit inject axe-core
 * as an inline script, which the app's Content-Security-Policy (script-src 'self') rightly refuses;
 * the journey checks separately that the policy header is sent.
 */
export async function openPersonContext(browser: Browser, baseUrl: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: baseUrl, bypassCSP: true, viewport: { width: 1200, height: 900 } });
  context.setDefaultTimeout(15_000);
  context.setDefaultNavigationTimeout(20_000);
  const page = await context.newPage();
  return { context, page };
}

/** Writes a screenshot and the HTML of every open page, and the server's output, under test-results/<name>/. */
export async function saveFailureArtifacts(
  name: string,
  pages: Readonly<Record<string, Page | undefined>>,
  serverOutput?: string,
): Promise<string> {
  const dir = join(RESULTS_DIR, name.replace(/[^a-zA-Z0-9_-]+/g, '-').slice(0, 120));
  mkdirSync(dir, { recursive: true });
  if (serverOutput !== undefined) writeFileSync(join(dir, 'server.log'), serverOutput);
  for (const [who, page] of Object.entries(pages)) {
    if (!page || page.isClosed()) continue;
    try {
      await page.screenshot({ path: join(dir, `${who}.png`), fullPage: true, timeout: 10_000 });
      writeFileSync(join(dir, `${who}.html`), `<!-- ${page.url()} -->\n${await page.content()}`);
    } catch (error) {
      writeFileSync(join(dir, `${who}.error.txt`), String(error));
    }
  }
  return dir;
}
