import { wilsonUpper95 } from '../../tune/rank.js';
import { TUNING_KEYS as K, V1_DEFAULT, V2_DEFAULT } from './plan.js';
import {
  comparedSettings,
  compareRows,
  flapText,
  lanFailures,
  MODELS,
  pointStats,
  presetDescription,
  type ReadmeContext,
  verifications,
  verifyRows,
} from './readme-context.js';
import { count, dur, falseRemoval, falseUnhealthy, faultName, frac, int, pct, rate, reconnect, sec, v1False, v2Label } from './rows.js';

/**
 * The second half of results/tuning/README.md: what the figures rest on, what counts as a false
 * disconnection, defaults vs tuned under each fault, the grids, the verifications and the commands.
 */
export const readmeDetails = (ctx: ReadmeContext, L: string[]): void => {
  const plan = ctx.plan;
  const gr = ctx.grids;
  const { grid: G, screen: S, verify: V, compare: C } = plan.runs;
  const FAULTS = plan.faults.map((f) => [f, faultName(f)] as const);
  const rule3 = (n: number): string => pct(wilsonUpper95(0, n));
  const v2 = plan['nacos-v2'];
  const v1 = plan['nacos-v1'];
  /** A grid's values as `first–last` (one value: itself). */
  const span = (xs: readonly string[]): string => (xs.length === 1 ? `${xs[0]}` : `${xs[0]}–${xs.at(-1)}`);
  // ——— what the numbers rest on ———
  L.push('## What these figures rest on, and what they cannot show', '');
  L.push(
    `- **p99 detection** of a grid setting rests on ${int(G)} runs (seeds 1–${G}; the fault onset drawn per seed over one timer period after a warm-up, the same for every setting: common random numbers, so settings are compared on the same onsets and latency draws). With nearest-rank percentiles the p99 of ${int(G)} runs is its ${Math.ceil(0.99 * G)}th smallest value: it says where the slowest ~1 % lie on these runs, not a guaranteed worst case. The analytic windows (\`livesim bound\`, \`docs/bounds.md\`) give the worst case.`,
    `- **False disconnections** are rare events, and a run count bounds a rate only so far. A setting passes the *screen* (${int(S)} fault-free runs) only if its rate there is below ${pct(plan.target)}${S <= 1 / plan.target ? ` — with ${int(S)} runs that means none at all` : ''}; 0 in ${int(S)} still allows a rate up to ${rule3(S)} (95 %, Wilson). The fastest setting that passed is then *verified* on ${int(V)} more fault-free runs with new seeds (${plan.runs.screen + 1} onwards); for 2.x the screen runs of the same pair are added. Only 0 events in at least ${int(Math.ceil(3.8415 / plan.target - 3.8415))} runs shows a rate below ${pct(plan.target)} with 95 % confidence; where fewer runs or a few events leave the upper bound above the target, the answer says "consistent with", not "below".`,
    `- **The unit** is one ${plan.until.steady} run of one instance. ${pct(plan.target)} per run is about one false disconnection per ${int(Math.round(10 / plan.target / 60 / 24))} days per instance, or ${int(Math.round(1000 * 6 * 24 * plan.target))} a day in a fleet of 1,000 instances: the target in the question is loose for large fleets, and ${int(V)} runs cannot resolve rates of one in a million.`,
    `- **On \`lan\`** nothing is lost and a round trip takes at most 2 ms, so a health check or a beat fails only when a setting leaves no slack at all; the settings that failed a lan screen: ${lanFailures(ctx, frac)}. Zero events on lan are the model's assumption (no GC pauses, no server load, one client), not a measurement of a real LAN.`,
    `- **Presets** (livesim assumptions; sources in \`src/scenario/presets/*.json\`): ${plan.presets.map((p) => `\`${p}\`: ${presetDescription(p)}`).join('; ')}. TCP retransmits lost segments (RTO ≥ 200 ms), so a loss costs a retransmission, not a whole timeout.`,
    `- The grids are coarse (2.x: timeout ${v2.healthTimeout.join(', ')} × retry ${span(v2.healthRetry.map(String))}; 1.x: interval ${v1.beatInterval.join(', ')} × beat timeout ${span(v1.beatTimeout)} × delete timeout ${span(v1.deleteTimeout)}): "lowest" means lowest *on these grids*.`,
    '',
  );

  // ——— what counts ———
  L.push('## What counts as a false disconnection', '');
  let v2Rec = 0;
  let v2Rem = 0;
  let v2SubOnly = 0;
  let v2C1Kept = 0;
  let v2N = 0;
  let v1Unh = 0;
  let v1Rem = 0;
  let v1UnhOnly = 0;
  let v1Any = 0;
  let v1NoSlack = 0;
  let v1N = 0;
  for (const p of plan.presets) {
    const rows2 = [...gr.data.runsOf(`v2-${p}-steady.jsonl`), ...verifyRows(ctx, 'v2', p)];
    v2N += rows2.length;
    v2Rec += count(rows2, reconnect);
    v2Rem += count(rows2, falseRemoval);
    // client.detected is recorded on c1 only: a reconnect without it was the subscriber's.
    v2SubOnly += count(rows2, (r) => reconnect(r) && !falseRemoval(r) && r.metrics.clientDetectedAtMs === null);
    v2C1Kept += count(rows2, (r) => reconnect(r) && !falseRemoval(r) && r.metrics.clientDetectedAtMs !== null);
    const rows1 = [...gr.data.runsOf(`v1-${p}-steady-delete.jsonl`), ...gr.data.runsOf(`v1-${p}-steady-beat.jsonl`), ...verifyRows(ctx, 'v1', p)];
    v1N += rows1.length;
    v1Unh += count(rows1, falseUnhealthy);
    v1Rem += count(rows1, falseRemoval);
    v1UnhOnly += count(rows1, (r) => falseUnhealthy(r) && !falseRemoval(r));
    v1Any += count(rows1, v1False);
    // A timeout equal to the beat interval leaves no slack: the next beat always comes a little late.
    v1NoSlack += count(rows1, (r) => v1False(r) && (r.config[K.h] === r.config[K.i] || r.config[K.d] === r.config[K.i]));
  }
  L.push(
    "livesim's run metric `falseRemovals` counts the server's removals of `c1`'s instance (`instance.remove`) at moments when `c1` was reachable (`clientReachable` in `src/sim/faults.ts`: no cut, one-way partition, pause or down phase of a flap active). It does not count everything a user would call a false disconnection, so this report counts, in fault-free runs:",
    '',
    `- **2.x**: a run with a false removal **or** any client reconnect (\`client.reconnect\`, metric \`messages.reconnectAttempts\`: \`c1\` or the subscriber dropped a healthy connection after failed health checks). Over all ${int(v2N)} fault-free 2.x runs here: ${int(v2Rem)} with a false removal of \`c1\`; ${int(v2Rec)} with a reconnect, among them ${int(v2SubOnly)} where only the subscriber reconnected (it re-subscribes; \`c1\` stays listed), and ${int(v2C1Kept)} where \`c1\` reconnected but its new connection re-registered before the server released the old one, so the instance was never removed (\`instance.publish\` then \`instance.unpublish\`). \`falseRemovals\` alone would count only the first kind.`,
    `- **1.x**: a run with a false removal **or** a false unhealthy mark (\`instance.unhealthy\` while the network is up): consumers drop an unhealthy instance from their usable list whenever another instance of the service is healthy, so for them it is a disconnection although \`falseRemovals\` does not count it. Over all ${int(v1N)} fault-free 1.x runs here: ${int(v1Rem)} with a false removal, ${int(v1Unh)} with a false unhealthy mark (${int(v1UnhOnly)} of these without a false removal). ${int(v1NoSlack)} of the ${int(v1Any)} runs with either come from settings without slack (a beat or delete timeout equal to the beat interval: the next beat is always a little late).`,
    '- Under a **flap** fault `falseRemovals` counts removals that happen to fall in an up phase of the link; these are consequences of the down phases, not false disconnections in the sense of the question, which is answered from fault-free runs only. The flap rows below report removals and re-registrations as such.',
    '- A false unhealthy mark in 1.x, and any 2.x reconnect, is counted whether or not a consumer would notice: with a single 1.x instance the protect threshold hides the mark from consumers, and a 2.x client that reconnects re-registers within a round trip or two.',
    '',
  );

  // ——— defaults vs tuned ———
  L.push('## Defaults vs tuned under each fault', '');
  L.push(
    `${int(C)} seeds per setting; cut and one-way runs last ${plan.until.fault}, flap runs ${plan.until.flap} (${FAULTS.filter(([f]) => f.startsWith('flap:'))
      .map(([f]) => `\`${f}\`: ${flapText(f)}`)
      .join(
        '; ',
      )}; \`flap:UP/DOWN\` starts each cycle with the down phase and lasts to the end of the run). The 1.x runs have a second, healthy client (\`--clients 2\`, metrics follow \`c1\`) so that consumers can drop an unhealthy \`c1\`. "removed" = runs in which the server removed the instance (from the fault on); "re-reg./run" = mean re-registrations per run (each one follows a removal). The reports also show the mixed combinations (each key at its default or tuned value), the Pareto front, the server load, the slowest run of each setting with its replay line, and the Chen–Toueg–Aguilera QoS.`,
    '',
  );
  const sweepMap = FAULTS.map(([f], k) => `sweep ${k + 1} = \`${f}\``).join(', ');
  for (const model of MODELS) {
    L.push(`### Nacos ${model === 'v2' ? '2.x' : '1.x'}`, '');
    L.push(`Reports: ${plan.presets.map((p) => `[${p}](${model}-${p}/README.md)`).join(' · ')} (${sweepMap}).`, '');
    L.push(
      model === 'v2'
        ? '| preset | fault | setting | removed | removal p50 | removal p99 | consumers p99 | client detection p99 | re-reg./run |'
        : '| preset | fault | setting | removed | removal p50 | removal p99 | consumers p99 | re-reg./run |',
      model === 'v2' ? '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |' : '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |',
    );
    for (const p of plan.presets) {
      const settings = comparedSettings(ctx, model, p);
      for (const [f, fname] of FAULTS)
        for (const [label, match] of settings) {
          const s = pointStats(compareRows(ctx, model, p, fname, match));
          if (s.n === 0) continue;
          const cells = [p, `\`${f}\``, label, `${s.removed} / ${s.n}`, sec(s.det.p50), sec(s.det.p99), sec(s.stale.p99)];
          if (model === 'v2') cells.push(sec(s.client.p99));
          cells.push(s.reReg === null ? '—' : s.reReg.toFixed(2));
          L.push(`| ${cells.join(' | ')} |`);
        }
    }
    L.push('');
  }
  L.push('Times in seconds from the fault onset; "never": not within the run (a percentile that lands on such a run is "never" too).', '');
  L.push('Detection time, defaults vs tuned, `oneway:s2c` (2.x) and `cut` (1.x), per preset:', '');
  for (const p of plan.presets) L.push(`![nacos-v2 ${p}, oneway:s2c: detection per setting](v2-${p}/sweep-2-detection.svg)`, '');
  for (const p of plan.presets) L.push(`![nacos-v1 ${p}, cut: detection per setting](v1-${p}/sweep-1-detection.svg)`, '');

  // ——— grids ———
  L.push('## The grids behind the answers', '');
  L.push(
    `Fault grids: ${int(G)} seeds per setting; screens: ${int(S)} fault-free seeds of ${plan.until.steady} per setting; "screen" = the false-disconnection rate is below ${pct(plan.target)} there. Charts for every grid: [2.x](v2-grid/README.md) (per preset: sweep 2k−1 = half-open cut, 2k = oneway:s2c; presets in the order ${plan.presets.join(', ')}), [1.x](v1-grid/README.md) (per preset: delete-timeout grid, then beat-timeout grid, both under a cut).`,
    '',
  );
  L.push('### 2.x: health timeout × retry', '');
  plan.presets.forEach((p, k) => {
    L.push(`#### ${p}`, '', `![nacos-v2 ${p}: server removal under oneway:s2c per timeout · retry](v2-grid/sweep-${2 * k + 2}-detection.svg)`, '');
    L.push(
      '| timeout / retry | client p99, cut | server p99, cut | server p99, oneway:s2c | fault-free runs | false removals | reconnects | screen | messages/s |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |',
    );
    for (const g of gr.v2Grid(p).sort((a, b) => a.t - b.t || a.r - b.r))
      L.push(
        `| ${v2Label(g.t, g.r)}${g.t === V2_DEFAULT.t && g.r === V2_DEFAULT.r ? ' (defaults)' : ''} | ${sec(g.client.p99)} | ${sec(g.serverCut.p99)} | ${sec(g.serverS2c.p99)} | ${int(g.n)} | ${int(g.kRemoval)} | ${int(g.kReconnect)} | ${g.pass ? 'pass' : '**fail**'} | ${rate(g.msgs)} |`,
      );
    L.push('');
  });
  L.push('### 1.x: beat interval × delete timeout, beat interval × beat timeout', '');
  plan.presets.forEach((p, k) => {
    const { del, beat } = gr.v1Grids(p);
    L.push(`#### ${p}`, '', `![nacos-v1 ${p}: removal under a cut per beat interval · delete timeout](v1-grid/sweep-${2 * k + 1}-detection.svg)`, '');
    L.push(
      `Delete timeout (beat timeout ${dur(V1_DEFAULT.h)}): removal under a cut, false removals fault-free.`,
      '',
      '| interval / delete timeout | removal p50, cut | removal p99, cut | fault-free runs | false removals | screen | messages/s |',
      '| --- | ---: | ---: | ---: | ---: | --- | ---: |',
    );
    for (const g of del.sort((a, b) => a.i - b.i || a.d - b.d))
      L.push(
        `| ${dur(g.i)} / ${dur(g.d)} | ${sec(g.removal.p50)} | ${sec(g.removal.p99)} | ${int(g.n)} | ${int(g.kRemoval)} | ${g.pass ? 'pass' : '**fail**'} | ${rate(g.msgs)} |`,
      );
    L.push(
      '',
      `Beat timeout (delete timeout ${dur(V1_DEFAULT.d)}): consumers stop seeing the instance under a cut, false unhealthy marks fault-free.`,
      '',
      '| interval / beat timeout | consumers p50, cut | consumers p99, cut | fault-free runs | false unhealthy | screen | messages/s |',
      '| --- | ---: | ---: | ---: | ---: | --- | ---: |',
    );
    for (const g of beat.sort((a, b) => a.i - b.i || a.h - b.h))
      L.push(
        `| ${dur(g.i)} / ${dur(g.h)} | ${sec(g.stale.p50)} | ${sec(g.stale.p99)} | ${int(g.n)} | ${int(g.kUnhealthy)} | ${g.pass ? 'pass' : '**fail**'} | ${rate(g.msgs)} |`,
      );
    L.push('');
  });

  L.push('### Verification runs', '');
  L.push(
    `Candidates in the order tried; 2.x counts the pair's screen runs and its ${int(V)} verification runs, 1.x the verification runs of the combination. The verdict compares the rate with ${pct(plan.target)}; the upper bound says how far the runs can vouch for it.`,
    '',
    '| model | preset | candidate | fault-free runs | false disconnections | rate | 95 % upper bound | verdict |',
    '| --- | --- | --- | ---: | ---: | ---: | ---: | --- |',
  );
  for (const model of MODELS)
    for (const p of plan.presets)
      for (const v of verifications(ctx, model, p))
        L.push(
          `| ${model === 'v2' ? '2.x' : '1.x'} | ${p} | ${v.label} | ${int(v.n)} | ${int(v.k)} | ${pct(v.k / v.n)} | ${pct(wilsonUpper95(v.k, v.n))} | ${v.pass ? 'rate below target' : 'rate not below target'} |`,
        );
  L.push('');

  // ——— commands ———
  const cmds = ctx.commands;
  L.push('## Commands', '');
  L.push(
    `The pipeline ran these ${cmds.length} commands (\`npx livesim\` is \`node dist/cli/main.js\`); the fastest candidate and the tuned values in the later commands were chosen by the pipeline from the earlier sweeps, as described above.`,
    '',
    '<details><summary>all commands</summary>',
    '',
    '```',
    ...cmds,
    '```',
    '',
    '</details>',
    '',
  );
};
