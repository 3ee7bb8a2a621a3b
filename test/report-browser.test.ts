/// <reference lib="dom" />
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { V1_KEYS, V1_KNOBS } from '../src/models/nacos-v1/defaults.js';
import { V2_KEYS, V2_KNOBS } from '../src/models/nacos-v2/defaults.js';
import { HEALTH_SLEEP_MAX_MS } from '../src/models/nacos-v2/settings.js';
import { launchChromium, openOffline, type PageWatch } from './browser.js';
import { ensureBuilt, runCli } from './cli-harness.js';

/**
 * The sweep report in a real browser (issue 19 items 2 and 3): report.html opens without a console
 * error, and what its charts draw is read back from the SVG — tick positions, marker counts,
 * bounding boxes — and compared with what the sweeps' own inputs imply.
 *
 * SPAN: nacos-v2 server 2.2.3 under a cut. 2.2.0–2.2.4 have no idle-connection ejector; a silent
 * connection goes only when the gRPC server keep-alive PING (time `keep-alive-time`, timeout 20 s)
 * goes unanswered, so removal ≈ keep-alive-time + 20 s after the last message heard: ~25 s with
 * 5 s, ~7,220 s with 2 h — the 25 s … 7,200 s span — and never within a 130 min horizon with 3 h.
 * ZERO: nacos-v1 under a cut on a loss-free LAN: no false removal in any run (rate 0 everywhere);
 * delete timeouts 0.5 s apart put the settings' p99s close together, on one vertical line.
 * TRADE: nacos-v1 with half the datagrams lost and a 5 s heartbeat timeout: a short delete timeout
 * removes the live instance in many runs, a long one in few — a Pareto front with two dimensions.
 */
const DIR = mkdtempSync(join(tmpdir(), 'livesim-report-browser-'));
const RUNS = 4;
const HORIZON_S = 130 * 60;
const KEEP_ALIVES = ['5s', '2h', '3h'];
const SPAN = [
  'sweep',
  '--model',
  'nacos-v2',
  '--server-version',
  '2.2.3',
  '--fault',
  'cut',
  '--vary',
  `${V2_KEYS.serverKeepAlive}=${KEEP_ALIVES.join(',')}`,
  '--until',
  '130m',
  '--runs',
  String(RUNS),
  '-q',
];
const ZERO = [
  'sweep',
  '--model',
  'nacos-v1',
  '--fault',
  'cut',
  '--vary',
  'delete.timeout=20s,20.5s,21s,21.5s',
  '--vary',
  'beat.timeout=10s,15s',
  '--until',
  '2m',
  '--runs',
  '3',
  '-q',
];

const TRADE = [
  'sweep',
  '--model',
  'nacos-v1',
  '--set',
  'net.loss=0.5',
  '--set',
  'beat.timeout=5s',
  '--fault',
  'cut@100s',
  '--vary',
  'delete.timeout=6s,8s,10s,15s,20s',
  '--until',
  '150s',
  '--runs',
  '8',
  '-q',
];
const NAMES = ['span', 'zero', 'trade'] as const;
const SWEEPS = { span: SPAN, zero: ZERO, trade: TRADE };

const knobDefault = (knobs: typeof V2_KNOBS, key: string): number => knobs.find((k) => k.key === key)?.default as number;
const alias = (knobs: typeof V2_KNOBS, key: string): string => knobs.find((k) => k.key === key)?.aliases?.[0] ?? key;

/**
 * Runs of a SPAN point that cannot be detected within the horizon, from the 2.2.x bound
 * (src/analysis/bounds-v2.ts, silentMechanism without ejection): the last message heard is at
 * most one idle gap (keep-alive 5 s + the first health-check sleep + a latency) before the fault,
 * and removal comes keep-alive-time + min(PING timeout, kernel give-up) after it — at the earliest
 * keep-alive-time − idle gap after the fault. The onset is at least the plan's warm-up. If even
 * that earliest removal is past the horizon, every run is "never"; if the latest (keep-alive-time
 * + 20 s + 1 ms after a fault no later than warm-up + period) is before it, none is.
 */
const expectedNever = (keepAliveTimeS: number, onset: { warmupMs: number; periodMs: number }): number => {
  const idleGapS = (knobDefault(V2_KNOBS, V2_KEYS.keepAlive) + HEALTH_SLEEP_MAX_MS + 1) / 1000;
  const pingTimeoutS = knobDefault(V2_KNOBS, V2_KEYS.serverKeepAliveTimeout) / 1000;
  if (onset.warmupMs / 1000 + keepAliveTimeS - idleGapS > HORIZON_S) return RUNS;
  if ((onset.warmupMs + onset.periodMs) / 1000 + keepAliveTimeS + pingTimeoutS + 0.001 < HORIZON_S) return 0;
  throw new Error('the plan leaves this point undecided: pick another keep-alive time');
};
const seconds = (d: string): number => Number(d.slice(0, -1)) * { s: 1, m: 60, h: 3600 }[d.slice(-1) as 's' | 'm' | 'h'];

interface Box {
  readonly text: string;
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

/** Every visible text of the page's figure `index` (chart order), with its box. */
const texts = (page: Page, figure: number): Promise<Box[]> =>
  page.evaluate((i) => {
    const svg = document.querySelectorAll('figure svg')[i];
    return [...(svg?.querySelectorAll('text') ?? [])].flatMap((t) => {
      const style = getComputedStyle(t);
      let hidden = style.visibility === 'hidden' || style.display === 'none' || t.textContent?.trim() === '';
      for (let e: Element | null = t; e !== null && e !== svg; e = e.parentElement) if (Number(getComputedStyle(e).opacity) === 0) hidden = true;
      if (hidden) return [];
      const r = t.getBoundingClientRect();
      return [{ text: t.textContent ?? '', left: r.left, right: r.right, top: r.top, bottom: r.bottom }];
    });
  }, figure);

/** The tick labels and tick lines of the axis of figure `index` whose title contains `title`. */
const axis = (page: Page, figure: number, title: string) =>
  page.evaluate(
    (i, t) => {
      const svg = document.querySelectorAll('figure svg')[i];
      const g = [...(svg?.querySelectorAll('g.role-axis') ?? [])].find((a) => (a.getAttribute('aria-label') ?? '').includes(t));
      const box = (e: Element) => {
        const r = e.getBoundingClientRect();
        return { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
      };
      const domain = g?.querySelector('g.role-axis-domain line, g.role-axis-domain path');
      return {
        found: g !== undefined,
        horizontal: (g?.getAttribute('aria-label') ?? '').startsWith('X-axis'),
        labels: [...(g?.querySelectorAll('g.role-axis-label text') ?? [])].map((e) => ({
          value: Number((e.textContent ?? '').replaceAll(',', '')),
          ...box(e),
        })),
        ticks: [...(g?.querySelectorAll('g.role-axis-tick line') ?? [])].map(box),
        domain: domain ? box(domain) : null,
      };
    },
    figure,
    title,
  );

/** Items of mark group `name` in figure `index`: their aria-label (the `description`) and box. */
const marks = (page: Page, figure: number, name: string) =>
  page.evaluate(
    (i, n) => {
      const svg = document.querySelectorAll('figure svg')[i];
      return [...(svg?.querySelectorAll(`g.${n}_marks > *`) ?? [])].map((e) => {
        const r = e.getBoundingClientRect();
        return { label: e.getAttribute('aria-label') ?? '', left: r.left, right: r.right, top: r.top, bottom: r.bottom };
      });
    },
    figure,
    name,
  );

const overlapping = (boxes: readonly Box[]): string[] => {
  const out: string[] = [];
  for (let a = 0; a < boxes.length; a++)
    for (let b = a + 1; b < boxes.length; b++) {
      const p = boxes[a] as Box;
      const q = boxes[b] as Box;
      // Half a pixel of slack: anti-aliased glyph boxes of neighbours may touch.
      if (p.left < q.right - 0.5 && q.left < p.right - 0.5 && p.top < q.bottom - 0.5 && q.top < p.bottom - 0.5) out.push(`'${p.text}' × '${q.text}'`);
    }
  return out;
};

describe('the sweep report in headless Chromium', () => {
  let browser: Browser;
  const pages: Record<(typeof NAMES)[number], { page: Page; watch: PageWatch; figures: number }> = {} as never;
  let onset = { warmupMs: 0, periodMs: 0 };

  beforeAll(async () => {
    ensureBuilt();
    const sweeps = await Promise.all(NAMES.map((n) => runCli([...SWEEPS[n], '--out', join(DIR, `${n}.jsonl`)], 120_000)));
    for (const r of sweeps) expect(r.code, r.stderr).toBe(0);
    onset = JSON.parse(readFileSync(join(DIR, 'span.jsonl'), 'utf8').split('\n')[0] as string).onset;
    for (const name of NAMES) {
      const r = await runCli(['report', join(DIR, `${name}.jsonl`), '--out', join(DIR, name)], 120_000);
      expect(r.code, r.stderr).toBe(0);
    }
    browser = await launchChromium();
    for (const name of NAMES) {
      const { page, watch } = await openOffline(browser, join(DIR, name, 'report.html'));
      const figures = await page.$$eval('figure', (f) => f.length);
      for (let i = 0; i < figures; i++) await (await page.$$('figure'))[i]?.screenshot({ path: join(DIR, `${name}-figure-${i}.png`) });
      pages[name] = { page, watch, figures };
    }
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    console.log(`report screenshots in ${DIR}`);
  });

  test('both reports open without a console error or a request leaving the file', () => {
    for (const { watch } of Object.values(pages)) {
      expect(watch.errors).toEqual([]);
      expect(watch.requests).toEqual([]);
    }
  });

  test('detection times over 25 s … 7,200 s lie on a logarithmic axis: tick positions follow log(value), not value', async () => {
    const a = await axis(pages.span.page, 0, 'detection time');
    expect(a.found).toBe(true);
    // Positions from the tick lines (labels at the ends are set flush, off their tick), values from the labels, in order.
    expect(a.ticks).toHaveLength(a.labels.length);
    const at = a.labels.map((l, k) => {
      const t = a.ticks[k] as { left: number; right: number; top: number; bottom: number };
      return { v: l.value, px: a.horizontal ? (t.left + t.right) / 2 : (t.top + t.bottom) / 2 };
    });
    expect(at.length).toBeGreaterThanOrEqual(4);
    const first = at[0] as { v: number; px: number };
    const last = at.at(-1) as { v: number; px: number };
    // The axis reaches from below 25 s to past the horizon, and starts above 0 (a log axis cannot hold 0).
    expect(first.v).toBeGreaterThan(0);
    expect(first.v).toBeLessThanOrEqual(25);
    expect(last.v).toBeGreaterThanOrEqual(HORIZON_S);
    const logPx = (v: number) => first.px + ((Math.log(v) - Math.log(first.v)) / (Math.log(last.v) - Math.log(first.v))) * (last.px - first.px);
    const linPx = (v: number) => first.px + ((v - first.v) / (last.v - first.v)) * (last.px - first.px);
    for (const t of at) expect(Math.abs(t.px - logPx(t.v))).toBeLessThan(1.5);
    expect(at.some((t) => Math.abs(t.px - linPx(t.v)) > 20)).toBe(true);
  });

  test('never-detected runs have a marker at the horizon with their count, as many as the bound says', async () => {
    const page = pages.span.page;
    const never = await marks(page, 0, 'never');
    const want = KEEP_ALIVES.map((k) => expectedNever(seconds(k), onset));
    expect(want).toEqual([0, 0, RUNS]);
    expect(never).toHaveLength(want.filter((n) => n > 0).length);
    // On the 3h row, at the horizon.
    const a = await axis(page, 0, 'detection time');
    const [t0, t1] = [a.ticks[0], a.ticks.at(-1)] as { left: number; right: number }[];
    const v0 = a.labels[0]?.value ?? 1;
    const v1 = a.labels.at(-1)?.value ?? 1;
    const x0 = ((t0?.left ?? 0) + (t0?.right ?? 0)) / 2;
    const x1 = ((t1?.left ?? 0) + (t1?.right ?? 0)) / 2;
    const px = (v: number) => x0 + (Math.log(v / v0) / Math.log(v1 / v0)) * (x1 - x0);
    const m = never[0] as { label: string; left: number; right: number; top: number; bottom: number };
    expect(m.label).toContain(`never: ${RUNS} of ${RUNS}`);
    expect(Math.abs((m.left + m.right) / 2 - px(HORIZON_S))).toBeLessThan(2);
    const text = await page.evaluate(
      (y) => {
        const svg = document.querySelectorAll('figure svg')[0];
        const g = [...(svg?.querySelectorAll('g.role-axis') ?? [])].find((e) => (e.getAttribute('aria-label') ?? '').startsWith('Y-axis'));
        return [...(g?.querySelectorAll('g.role-axis-label text') ?? [])]
          .map((t) => [t.textContent, t.getBoundingClientRect()] as const)
          .find(([, r]) => r.top < y && y < r.bottom)?.[0];
      },
      (m.top + m.bottom) / 2,
    );
    expect(text).toBe(`${V2_KEYS.serverKeepAlive}=3h`);
    const cell = await page.$$eval('table', (ts) => ts[0]?.querySelector('tbody tr:last-child')?.textContent ?? '');
    expect(cell).toContain(String(RUNS));
  });

  test('every tick lies within its axis, and every p99 tick and box within the plot', async () => {
    for (const { page, figures } of Object.values(pages)) {
      for (let i = 0; i < figures; i++) {
        const problems = await page.evaluate((k) => {
          const svg = document.querySelectorAll('figure svg')[k];
          const out: string[] = [];
          for (const g of svg?.querySelectorAll('g.role-axis') ?? []) {
            const d = g.querySelector('g.role-axis-domain line, g.role-axis-domain path')?.getBoundingClientRect();
            if (d === undefined) continue;
            const horizontal = (g.getAttribute('aria-label') ?? '').startsWith('X-axis');
            for (const t of g.querySelectorAll('g.role-axis-tick line')) {
              const r = t.getBoundingClientRect();
              const c = horizontal ? (r.left + r.right) / 2 : (r.top + r.bottom) / 2;
              const [lo, hi] = horizontal ? [d.left, d.right] : [d.top, d.bottom];
              if (c < lo - 0.5 || c > hi + 0.5) out.push(`${g.getAttribute('aria-label')}: tick at ${c} outside [${lo}, ${hi}]`);
            }
          }
          // Each mark against the plot it is drawn in: the background of its nearest enclosing group that has one.
          for (const m of svg?.querySelectorAll('g[class*="p99_marks"] > *, g[class*="spread"] > *') ?? []) {
            let bg: DOMRect | undefined;
            for (let e = m.parentElement; e !== null && bg === undefined; e = e.parentElement) {
              const r = e.querySelector(':scope > g > path.background')?.getBoundingClientRect();
              if (r !== undefined && r.width > 0) bg = r;
            }
            if (bg === undefined) continue;
            const r = m.getBoundingClientRect();
            if (r.left < bg.left - 1.5 || r.right > bg.right + 1.5 || r.top < bg.top - 1.5 || r.bottom > bg.bottom + 1.5)
              out.push(`mark ${m.getAttribute('aria-label')} outside the plot`);
          }
          return out;
        }, i);
        expect(problems).toEqual([]);
      }
    }
  });

  test('no two labels overlap, in any chart of any report (the all-0 % Pareto and a real front included)', async () => {
    for (const [name, { page, figures }] of Object.entries(pages)) {
      for (let i = 0; i < figures; i++) expect(overlapping(await texts(page, i)), `${name} figure ${i}`).toEqual([]);
    }
    // Every false-removal rate 0: the front is stated in a sentence, not a vertical line of dots.
    const html = readFileSync(join(DIR, 'zero', 'report.html'), 'utf8');
    expect(html).toContain('same share of runs with a false removal, 0 %');
    // With rates that differ, the chart is drawn: one dot per setting, labels placed clear of each other.
    const { page } = pages.trade;
    const i = await page.evaluate(() => [...document.querySelectorAll('figure svg')].findIndex((s) => s.querySelector('g.spots_marks') !== null));
    expect(i).toBeGreaterThanOrEqual(0);
    expect((await marks(page, i, 'spots')).length).toBeGreaterThan(1);
    const frr = await axis(page, i, 'false removal');
    expect(frr.labels.every((l) => l.value <= 100)).toBe(true);
    expect(frr.labels.map((l) => l.value)).not.toContain(Number.NaN);
  });

  test('setting labels name their keys, by the short alias of the model table where there is one', async () => {
    const want = [alias(V1_KNOBS, V1_KEYS.deleteTimeout), alias(V1_KNOBS, V1_KEYS.beatTimeout)];
    const { page } = pages.zero;
    const rowTexts = await page.evaluate(() => {
      const svg = document.querySelectorAll('figure svg')[0];
      const g = [...(svg?.querySelectorAll('g.role-axis') ?? [])].find((e) => (e.getAttribute('aria-label') ?? '').startsWith('Y-axis'));
      return [...(g?.querySelectorAll('g.role-axis-label text') ?? [])].map((t) => t.textContent ?? '');
    });
    expect(rowTexts).toHaveLength(8);
    for (const l of rowTexts) expect(l).toMatch(new RegExp(`^${want[0]}=\\d+m?s · ${want[1]}=\\d+s$`));
    // The tables say the same.
    const cells = await page.$$eval('table tbody tr td:first-child', (tds) => tds.map((t) => t.textContent ?? ''));
    expect(cells.length).toBeGreaterThan(0);
    for (const c of cells) expect(c).toMatch(/=/);
  });

  test('the failure-detector QoS is a chart: T_D, mistake rate, mistake duration and query accuracy, one row per setting', async () => {
    for (const [name, settings] of [
      ['span', KEEP_ALIVES.length],
      ['zero', 8],
    ] as const) {
      const { page } = pages[name];
      const i = await page.evaluate(() => [...document.querySelectorAll('figure svg')].findIndex((s) => s.querySelector('g.td_p50_marks') !== null));
      expect(i, name).toBeGreaterThanOrEqual(0);
      for (const layer of ['mistake_rate_value', 'mistake_duration_value', 'query_accuracy'])
        expect((await marks(page, i, layer)).length, layer).toBe(settings);
      // Loss-free runs: no mistake, so P_A is 1 for every setting.
      for (const m of await marks(page, i, 'query_accuracy')) expect(m.label).toContain('query accuracy P_A: 1');
    }
  });
});
