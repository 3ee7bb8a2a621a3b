/// <reference lib="dom" />
/**
 * Regenerates docs/images/run-diagram.png, the run diagram the README shows:
 * `npm run readme:diagram` (builds first). The page is the one `livesim run --html` writes for
 * the README's example; headless Chromium (Debian's package at /usr/bin/chromium, or CHROMIUM)
 * draws it offline and the diagram element is captured.
 */
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch } from 'puppeteer-core';
import { runDiagram } from '../src/diagram/diagram.js';
import { resolveScenario } from '../src/scenario/run.js';

/** The README's example: `--fault oneway:s2c@60s` against a 2.2.3 server (the client gives up; the server keeps the old connection). */
const SCENARIO = { model: 'nacos-v2', serverVersion: '2.2.3', faults: ['oneway:s2c@60s'], until: '10m' };
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const OUT = join(ROOT, 'docs', 'images', 'run-diagram.png');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

const main = async (): Promise<void> => {
  try {
    accessSync(CHROMIUM, constants.X_OK);
  } catch {
    process.stderr.write(`headless Chromium missing: no executable ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM=/path)\n`);
    process.exitCode = 1;
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'livesim-readme-'));
  const browser = await launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const file = join(dir, 'run.html');
    writeFileSync(file, (await runDiagram(resolveScenario(SCENARIO))).html);
    const page = await browser.newPage();
    await page.setViewport({ width: 1500, height: 1000 });
    await page.goto(`file://${file}`, { waitUntil: 'load' });
    await page.waitForFunction(() => document.body.dataset.view === 'focus', { timeout: 30_000 });
    const diagram = await page.$('#diagram');
    if (diagram === null) throw new Error('the page has no #diagram');
    await diagram.screenshot({ path: OUT as `${string}.png` });
    process.stdout.write(`wrote ${OUT}\n`);
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
};

await main();
