/// <reference lib="dom" />
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchChromium, openOffline, type PageWatch } from './browser.js';
import { ensureBuilt, runCli } from './cli-harness.js';

/**
 * `run --html` in a real browser (issue 19 items 1 and 3): the page opens offline without a
 * console error, and what it draws sits at the times the scenario implies. Positions are read
 * from the SVG (bounding boxes) and turned into seconds through the y axis's own tick labels,
 * so the expectations below are times, derived from the scenario and Nacos's constants, never
 * from livesim's output. Screenshots go to the test's temporary directory.
 */

const DIR = mkdtempSync(join(tmpdir(), 'livesim-html-'));
const ARGS = ['run', '--model', 'nacos-v2', '--server-version', '2.2.3', '--fault', 'oneway:s2c@60s', '--until', '10m'];
const FAULT_S = 60;
const UNTIL_S = 600;

/** A drawn item: its Vega aria-label parsed into fields, and its box in page pixels. */
interface Item {
  readonly f: Readonly<Record<string, string>>;
  readonly top: number;
  readonly bottom: number;
  readonly left: number;
  readonly right: number;
}

/** The detail diagram's items of one layer (`lanes`, `bands`, `states`, `messages`, `heads`, `marks`). */
const items = (page: Page, layer: string): Promise<Item[]> =>
  page.evaluate((cls) => {
    const out: Item[] = [];
    for (const el of document.querySelectorAll(`svg g.${cls}_marks > *`)) {
      const f: Record<string, string> = {};
      for (const part of (el.getAttribute('aria-label') ?? '').split('; ')) {
        const i = part.indexOf(': ');
        if (i > 0) f[part.slice(0, i)] = part.slice(i + 2).replace('−', '-');
      }
      const r = el.getBoundingClientRect();
      out.push({ f, top: r.top, bottom: r.bottom, left: r.left, right: r.right });
    }
    return out;
  }, layer);

/** Seconds → page y, from the time axis's tick labels (their centres): a linear fit through the first and last. */
const timeAxis = async (page: Page): Promise<{ y: (s: number) => number; s: (y: number) => number; ticks: number[] }> => {
  const ticks = await page.evaluate(() => {
    const axis = [...document.querySelectorAll('svg g.role-axis')].find((g) => (g.getAttribute('aria-label') ?? '').includes('simulated time'));
    return [...(axis?.querySelectorAll('g.role-axis-label text') ?? [])].map((t) => {
      const r = t.getBoundingClientRect();
      return [Number(t.textContent?.replaceAll(',', '')), (r.top + r.bottom) / 2] as const;
    });
  });
  expect(ticks.length).toBeGreaterThanOrEqual(3);
  const [t0, y0] = ticks[0] as readonly [number, number];
  const [t1, y1] = ticks.at(-1) as readonly [number, number];
  const k = (y1 - y0) / (t1 - t0);
  return { y: (s) => y0 + (s - t0) * k, s: (y) => t0 + (y - y0) / k, ticks: ticks.map(([t]) => t) };
};

const showView = async (page: Page, which: 'focus' | 'whole'): Promise<void> => {
  if (which === 'whole') await page.click('button[data-view="whole"]');
  await page.waitForFunction((w) => document.body.dataset.view === w, { timeout: 30_000 }, which);
};

describe('run --html in headless Chromium', () => {
  let browser: Browser;
  let page: Page;
  let watch: PageWatch;
  let plain: string;
  let withHtml: string;

  beforeAll(async () => {
    ensureBuilt();
    const file = join(DIR, 'run.html');
    const [a, b] = await Promise.all([runCli(ARGS), runCli([...ARGS, '--html', file])]);
    expect(b.code, b.stderr).toBe(0);
    plain = a.stdout;
    withHtml = b.stdout;
    browser = await launchChromium();
    ({ page, watch } = await openOffline(browser, file));
    await showView(page, 'focus');
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    // Left for a person to look at: the directory is named in the test output.
    console.log(`screenshots in ${DIR}`);
  });

  test('drawing the page changes nothing in the run: the same summary and trace hash', () => {
    expect(withHtml).toBe(plain);
  });

  test('opens offline, without a console error, and draws three host lanes with their names', async () => {
    await page.screenshot({ path: join(DIR, 'focus.png'), fullPage: true });
    expect(watch.errors).toEqual([]);
    expect(watch.requests).toEqual([]);
    const lanes = await items(page, 'lanes');
    expect(lanes).toHaveLength(3);
    const xs = lanes.map((l) => l.left);
    expect([...xs].sort((p, q) => p - q)).toEqual(xs);
    const labels = await page.evaluate(() => [...document.querySelectorAll('svg g.role-axis-label text')].map((t) => t.textContent));
    for (const host of ['c1', 's1', 'sub1']) expect(labels).toContain(host);
    expect(await page.$eval('#replay', (e) => e.textContent)).toContain('--fault oneway:s2c@60s');
    expect(await page.$eval('#trace-hash', (e) => e.textContent)).toMatch(/^[0-9a-f]{64}$/);
  });

  test('the fault band starts at 60 s', async () => {
    const axis = await timeAxis(page);
    const bands = (await items(page, 'bands')).filter((b) => b.f.kind === 'fault');
    expect(bands).toHaveLength(1);
    expect(axis.s((bands[0] as Item).top)).toBeCloseTo(FAULT_S, 0);
  });

  test('arrows sit at their send times; only server-to-client datagrams are lost, and only after 60 s', async () => {
    const axis = await timeAxis(page);
    const arrows = await items(page, 'messages');
    const visible = arrows.filter((a) => Number(a.f.t) >= (axis.ticks[0] as number) && Number(a.f.t) <= (axis.ticks.at(-1) as number));
    expect(visible.length).toBeGreaterThan(20);
    for (const a of visible) {
      // An arrow goes down from its send time: its top edge is there (within a pixel: line width).
      expect(Math.abs(a.top - axis.y(Number(a.f['sent (s)'])))).toBeLessThan(1.5);
    }
    const lost = arrows.filter((a) => a.f.fate === 'lost');
    expect(lost.length).toBeGreaterThan(0);
    for (const a of lost) {
      expect(a.f.from).toBe('s1');
      expect(a.f.to).toBe('c1');
      expect(Number(a.f['sent (s)'])).toBeGreaterThanOrEqual(FAULT_S);
    }
    // The first health check after the fault reaches s1; its reply is lost (a cross), and c1 retransmits (dashed).
    expect(lost.some((a) => a.f.label === 'health check reply')).toBe(true);
    expect(arrows.some((a) => a.f.from === 'c1' && a.f.sending === 'retransmission' && Number(a.f['sent (s)']) > FAULT_S)).toBe(true);
    const crosses = (await items(page, 'marks')).filter((m) => m.f.event === 'message lost');
    expect(crosses).toHaveLength(lost.length);
  });

  test('health checks before the fault are answered, those after it are not; the client gives up in (72 s, 77.5 s]', async () => {
    const marks = await items(page, 'marks');
    const checks = marks.filter((m) => m.f.host === 'c1' && m.f.event?.startsWith('health check'));
    expect(checks.length).toBeGreaterThan(4);
    for (const m of checks) expect(m.f.event).toBe(Number(m.f['at (s)']) < FAULT_S ? 'health check answered' : 'health check unanswered');
    // nacos-client RpcClient: a health check after 5 s idle (keepAliveTime) plus up to 0.5 s,
    // 3 s timeout, 3 retries: 4 lost checks after the last answered one, 12 s to 17.5 s after the fault.
    const axis = await timeAxis(page);
    const gaveUp = marks.filter((m) => m.f.event === 'gave up (cut off)');
    expect(gaveUp).toHaveLength(1);
    const atS = axis.s(((gaveUp[0] as Item).top + (gaveUp[0] as Item).bottom) / 2);
    expect(atS).toBeGreaterThan(FAULT_S + 12 - 0.2);
    expect(atS).toBeLessThanOrEqual(FAULT_S + 17.5 + 0.2);
    const cutOff = (await items(page, 'states')).filter((s) => s.f.state === 'cut off, reconnecting');
    expect(cutOff).toHaveLength(1);
    expect(axis.s((cutOff[0] as Item).top)).toBeCloseTo(atS, 0);
    expect(marks.filter((m) => m.f.event === 'reconnect attempt').length).toBeGreaterThan(1);
  });

  test('over the whole run, the server keeps the old connection and the instance to the horizon', async () => {
    await showView(page, 'whole');
    await page.screenshot({ path: join(DIR, 'whole.png'), fullPage: true });
    const axis = await timeAxis(page);
    expect(axis.ticks.at(-1)).toBe(UNTIL_S);
    const states = await items(page, 'states');
    const held = states.filter((s) => s.f.lane === "s1: c1's connections");
    expect(held).toHaveLength(1);
    expect(axis.s((held[0] as Item).top)).toBeLessThan(1);
    expect(axis.s((held[0] as Item).bottom)).toBeCloseTo(UNTIL_S, 0);
    const view = states.filter((s) => s.f.lane === 's1: c1');
    expect(view.map((s) => s.f.state)).toEqual(['not registered', 'registered, healthy']);
    expect(axis.s((view[1] as Item).bottom)).toBeCloseTo(UNTIL_S, 0);
    expect(watch.errors).toEqual([]);
  });

  test('the wheel zooms the time axis', async () => {
    const before = (await timeAxis(page)).ticks;
    const box = await page.$eval('svg g.states_marks', (g) => {
      const r = g.getBoundingClientRect();
      return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
    });
    await page.mouse.move(box.x, box.y);
    await page.mouse.wheel({ deltaY: -600 });
    // Vega re-renders on its next animation frame.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const after = (await timeAxis(page)).ticks;
    expect((after.at(-1) as number) - (after[0] as number)).toBeLessThan((before.at(-1) as number) - (before[0] as number));
    await page.screenshot({ path: join(DIR, 'zoomed.png'), fullPage: true });
    expect(watch.errors).toEqual([]);
  });
});
