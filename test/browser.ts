import { accessSync, constants } from 'node:fs';
import type { Browser, Page } from 'puppeteer-core';

/**
 * Headless Chromium for the browser tests: Debian's `chromium` package (`.ci/run` installs it
 * when missing), driven by puppeteer-core, which downloads nothing. `CHROMIUM` overrides the path.
 */
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

/** One line saying what is missing, or null. */
export const chromiumMissing = (): string | null => {
  try {
    accessSync(CHROMIUM, constants.X_OK);
    return null;
  } catch {
    return `headless Chromium missing: no executable ${CHROMIUM} (install Debian's package: apt-get install -y chromium, or set CHROMIUM=/path)`;
  }
};

export const launchChromium = async (): Promise<Browser> => {
  const missing = chromiumMissing();
  if (missing !== null) throw new Error(missing);
  const { launch } = await import('puppeteer-core');
  // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
  return launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--font-render-hinting=none'] });
};

/** What a page did that a self-contained, error-free page must not: console errors, uncaught errors, requests leaving the file. */
export interface PageWatch {
  readonly errors: string[];
  readonly requests: string[];
}

/** Opens a local file with every request but the file itself refused and recorded, and every console error recorded. */
export const openOffline = async (browser: Browser, file: string, viewport = { width: 1500, height: 1000 }): Promise<{ page: Page; watch: PageWatch }> => {
  const page = await browser.newPage();
  await page.setViewport(viewport);
  const watch: PageWatch = { errors: [], requests: [] };
  const url = `file://${file}`;
  page.on('console', (m) => {
    if (m.type() === 'error') watch.errors.push(m.text());
  });
  page.on('pageerror', (e) => watch.errors.push(String(e)));
  await page.setRequestInterception(true);
  page.on('request', (r) => {
    if (r.url() === url) void r.continue();
    else {
      watch.requests.push(r.url());
      void r.abort();
    }
  });
  await page.goto(url, { waitUntil: 'load' });
  return { page, watch };
};
