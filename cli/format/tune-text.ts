import { stripVTControlCharacters } from 'node:util';
import type { ChalkInstance } from 'chalk';
import { bySpeed, type Candidate, meetsBoth, runsToResolve } from '../../src/tune/rank.js';
import { DETECTION_TITLES } from '../../src/tune/spaces.js';
import type { TuneResult } from '../../src/tune/tune.js';
import { seconds } from './units.js';

/** The terminal view of `livesim tune`: verdict, recommendation with runners-up, trade-off, caveats. */
const secs = (ms: number | null): string => (ms === null ? 'never' : seconds(ms, { trim: true }));
const pct = (x: number | null): string => (x === null ? '–' : `${Number((x * 100).toPrecision(3))} %`);
const rate = (x: number | null): string => (x === null ? '–' : x.toFixed(x >= 100 ? 0 : 2));
const ms = (x: number): string => seconds(x);

const setText = (r: TuneResult, c: Candidate): string => r.axes.map((a) => `${a.label}=${c.set[a.key]}`).join('  ');
const setFlags = (r: TuneResult, c: Candidate): string => r.axes.map((a) => `--set ${a.key}=${c.set[a.key]}`).join(' ');

interface Row {
  readonly mark: string;
  readonly c: Candidate;
  /** Per axis, the values of the rows merged into this one (a full cartesian block). */
  readonly values?: Readonly<Record<string, readonly string[]>>;
}

const sameNumbers = (a: Candidate, b: Candidate): boolean =>
  a.detectionMs.p50 === b.detectionMs.p50 &&
  a.detectionMs.p99 === b.detectionMs.p99 &&
  a.falseRemovalRate === b.falseRemovalRate &&
  a.messagesPerSec === b.messagesPerSec &&
  a.datagramsPerSec === b.datagramsPerSec;

/**
 * Adjacent rows that measure the same and together hold every combination of their differing
 * values become one row (`2h,5s,15s`): those settings made no difference there.
 */
const mergeRows = (r: TuneResult, rows: readonly Row[]): Row[] => {
  const out: Row[] = [];
  let k = 0;
  while (k < rows.length) {
    const first = rows[k] as Row;
    let end = k + 1;
    while (end < rows.length && (rows[end] as Row).mark === first.mark && sameNumbers(first.c, (rows[end] as Row).c)) end++;
    const block = rows.slice(k, end);
    const values: Record<string, string[]> = {};
    for (const a of r.axes) values[a.key] = a.values.filter((v) => block.some((x) => x.c.set[a.key] === v));
    const product = Object.values(values).reduce((n, v) => n * v.length, 1);
    if (block.length > 1 && product === block.length) out.push({ ...first, values });
    else out.push(...block);
    k = end;
  }
  return out;
};

const table = (r: TuneResult, rows: readonly Row[], ch: ChalkInstance): string[] => {
  const head = ['', ...r.axes.map((a) => a.label), 'p50 det', 'p99 det', 'false rm', 'msg/s', 'pkts/s'];
  const body = mergeRows(r, rows).map(({ mark, c, values }) => [
    mark,
    ...r.axes.map((a) => values?.[a.key]?.join(',') ?? c.set[a.key] ?? ''),
    secs(c.detectionMs.p50),
    c.meetsDetection ? secs(c.detectionMs.p99) : ch.red(secs(c.detectionMs.p99)),
    c.falseRemovalRate === null ? ch.dim('not run') : c.meetsFalseRemoval ? pct(c.falseRemovalRate) : ch.red(pct(c.falseRemovalRate)),
    rate(c.messagesPerSec),
    rate(c.datagramsPerSec),
  ]);
  const plain = stripVTControlCharacters;
  const widths = head.map((h, k) => Math.max(h.length, ...body.map((row) => plain(row[k] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, k) => {
        const pad = (widths[k] ?? 0) - plain(cell).length;
        return k <= r.axes.length ? cell + ' '.repeat(pad) : ' '.repeat(pad) + cell;
      })
      .join('  ')
      .trimEnd();
  return [ch.underline(line(head)), ...body.map(line)];
};

const headerLines = (r: TuneResult, ch: ChalkInstance): string[] => {
  const t = r.targets;
  const onset = r.onset === null ? '' : ` (onset ${ms(r.onset.warmupMs)} + U[0, ${ms(r.onset.periodMs)}) per seed)`;
  const grid = r.axes.map((a) => `${a.label} ${a.values.join(',')}`).join(' × ');
  const illegal = r.points.illegal === 0 ? '' : `, ${r.points.illegal} rejected by Nacos (e.g. ${r.illegalExample})`;
  const out = [
    ch.bold(
      `livesim tune · ${r.model} (client ${r.clientVersion}, server ${r.serverVersion}) · fault ${r.faults.join(' ')}${onset} · network ${r.network ?? 'lan'} · ${r.runs} seeds per point · until ${r.until}`,
    ),
    `targets: ${DETECTION_TITLES[t.detection].split(' (')[0]} p99 ≤ ${secs(t.detectionMs)} · false removals in ≤ ${pct(t.maxFalseRemovalRate)} of fault-free runs · then the fewest ${t.load}/s at the server`,
    ch.dim(`searched ${grid} = ${r.points.total} combinations, ${r.points.legal} legal${illegal}`),
  ];
  for (const f of r.fixed) out.push(ch.dim(`not searched: ${f.key} (${f.why})`));
  return out;
};

const recommendationLines = (r: TuneResult, c: Candidate, ch: ChalkInstance): string[] => {
  const t = r.targets;
  const d = r.defaults;
  const vsDefaults =
    d === null || d.point === c.point
      ? d === null
        ? ''
        : ' (these are the defaults)'
      : ` · defaults: p99 ${secs(d.detectionMs.p99)}, false rm ${pct(d.falseRemovalRate)}, ${rate(d.messagesPerSec)} msg/s`;
  return [
    `${ch.green.bold('✔ recommended')}  ${ch.bold(setText(r, c))}`,
    `  p99 detection ${secs(c.detectionMs.p99)} (≤ ${secs(t.detectionMs)}) · false removals in ${c.falseRemovalRuns} of ${c.steadyRuns} fault-free runs = ${pct(c.falseRemovalRate)} (≤ ${pct(t.maxFalseRemovalRate)}) · ${rate(c.messagesPerSec)} msg/s, ${rate(c.datagramsPerSec)} pkts/s${vsDefaults}`,
    `  ${setFlags(r, c)}`,
    ch.dim(`  slowest detection: ${c.slowestReplay}`),
  ];
};

const noneLines = (r: TuneResult, ch: ChalkInstance): string[] => {
  const t = r.targets;
  const out = [`${ch.red.bold('✘ no setting meets both targets')} (${r.points.legal} legal combinations searched)`];
  const n = r.nearest;
  const fastest = [...r.candidates].sort(bySpeed(t.load))[0];
  if (!r.candidates.some((c) => c.meetsDetection))
    out.push(
      `  none reaches p99 ${DETECTION_TITLES[t.detection].split(' (')[0]} ≤ ${secs(t.detectionMs)}; the fastest: ${fastest === undefined ? '–' : `${setText(r, fastest)} (p99 ${secs(fastest.detectionMs.p99)})`}`,
    );
  if (n?.fastestAccurate)
    out.push(
      `  fastest with false removals ≤ ${pct(t.maxFalseRemovalRate)}: ${setText(r, n.fastestAccurate)} (p99 ${secs(n.fastestAccurate.detectionMs.p99)})`,
    );
  if (n?.mostAccurateFast)
    out.push(
      `  fewest false removals with p99 ≤ ${secs(t.detectionMs)}: ${setText(r, n.mostAccurateFast)} (${pct(n.mostAccurateFast.falseRemovalRate)}${n.mostAccurateFast.falseRemovalReplay === null ? '' : `; replay: ${n.mostAccurateFast.falseRemovalReplay}`})`,
    );
  out.push(ch.dim('  relax a target, widen a grid with --space KEY=SPEC, or try another network or release'));
  return out;
};

const noteLines = (r: TuneResult, ch: ChalkInstance): string[] => {
  const notes = [
    `p99 = nearest rank over ${r.runs} runs${r.runs < 100 ? ' (fewer than 100: the slowest run)' : ''}; never = not within ${r.until}; false rm = share of ${r.until} fault-free runs with a live instance removed`,
    `fault-free runs made for ${r.points.measuredFaultFree} of ${r.points.legal} points: those meeting the detection target, the defaults and the 3 fastest`,
  ];
  const rec = r.recommendation;
  const need = runsToResolve(r.targets.maxFalseRemovalRate);
  if (rec !== null && rec.falseRemovalUpper95 !== null && rec.falseRemovalUpper95 > r.targets.maxFalseRemovalRate) {
    notes.push(
      `${rec.falseRemovalRuns} false removals in ${rec.steadyRuns} runs vouch for a rate below ${pct(rec.falseRemovalUpper95)} only (95 %, Wilson)${need === null ? '' : `; ≥ ${need} runs per point (--runs) resolve ${pct(r.targets.maxFalseRemovalRate)}`}`,
    );
  }
  return notes.map((n) => ch.dim(n));
};

export const formatTuneText = (r: TuneResult, ch: ChalkInstance): string => {
  const out = [...headerLines(r, ch), ''];
  const rec = r.recommendation;
  if (rec !== null) {
    out.push(...recommendationLines(r, rec, ch), '');
    out.push(`meeting both: ${r.feasible} · the cheapest ${1 + r.runnersUp.length}, least ${r.targets.load}/s first:`);
    const rows = [rec, ...r.runnersUp].map((c, k) => ({ mark: String(k + 1), c }));
    if (r.defaults !== null && !rows.some((x) => x.c.point === r.defaults?.point)) rows.push({ mark: 'D', c: r.defaults });
    out.push(...table(r, rows, ch));
  } else {
    out.push(...noneLines(r, ch));
  }
  const front = r.pareto;
  out.push('', `trade-off (Pareto front of the points run fault-free: none is beaten on p99, false removals and load at once), fastest first:`);
  const shown = front.slice(0, 20);
  out.push(
    ...table(
      r,
      shown.map((c) => ({ mark: meetsBoth(c) ? '✔' : c.point === r.defaults?.point ? 'D' : '', c })),
      ch,
    ),
  );
  if (front.length > shown.length) out.push(ch.dim(`… ${front.length - shown.length} more (--json lists every point)`));
  out.push('', ...noteLines(r, ch));
  if (r.defaults !== null) out.push(ch.dim('D = the defaults; ✔ = meets both targets'));
  return `${out.join('\n')}\n`;
};
