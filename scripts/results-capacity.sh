#!/usr/bin/env bash
# Regenerates results/capacity/: Nacos 1.x vs 2.x server load and false expiry of live instances
# as the client count grows, under the service rates of `sim.server.capacity=reference-8c` (one
# 8-core server; livesim assumptions, docs/models/nacos-v1.md#capacity and nacos-v2.md#capacity),
# and the push burst after a rack of clients is cut. Writes results/capacity/README.md (machine,
# date, commands, answers), its SVG charts, and one JSON file per run in results/capacity/data/.
#
#   scripts/results-capacity.sh [--clients LIST] [--burst-clients N] [--jobs N] [--out DIR]
#
# Steady runs, per model and client count N: N clients come up over RAMP (60 s), one subscriber;
# c1 (the followed client) is cut at 100 s so that its detection under load is measured too; the
# horizon is 3 min. Load is counted from RAMP + 30 s, false expiries over the whole run.
# Burst runs: BURST clients, 100 subscribers, the first 20 % of the clients cut at 90 s and healed
# at 150 s, 4 min; once with infinite capacity and once with the reference costs.
# Full scale (what the README answers are meant for):
#   scripts/results-capacity.sh --clients 1000,2000,5000,10000,20000,30000,40000,50000,70000,100000 --burst-clients 20000
set -euo pipefail

usage() {
  sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  cat <<'EOF'
Options:
  --clients LIST      client counts of the steady runs (default 1000,2000,5000,10000,20000,30000,40000,50000,70000,100000)
  --burst-clients N   clients of the push-burst runs (default 20000)
  --jobs N            runs at once, each one process (default: the number of cores; results do not depend on it)
  --out DIR           output directory (default results/capacity)
EOF
}

main() {
  ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  cd "$ROOT"
  CORES=$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN)
  JOBS=$CORES
  OUT=results/capacity
  CLIENTS=1000,2000,5000,10000,20000,30000,40000,50000,70000,100000
  BURST=20000
  while (($# > 0)); do
    case $1 in
    --clients) CLIENTS=${2:?--clients needs a list}; shift 2 ;;
    --clients=*) CLIENTS=${1#*=}; shift ;;
    --burst-clients) BURST=${2:?--burst-clients needs a number}; shift 2 ;;
    --burst-clients=*) BURST=${1#*=}; shift ;;
    --jobs) JOBS=${2:?--jobs needs a number}; shift 2 ;;
    --jobs=*) JOBS=${1#*=}; shift ;;
    --out) OUT=${2:?--out needs a directory}; shift 2 ;;
    --out=*) OUT=${1#*=}; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "results-capacity.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
    esac
  done
  [[ $CLIENTS =~ ^[1-9][0-9]*(,[1-9][0-9]*)*$ ]] || { echo "results-capacity.sh: --clients '$CLIENTS': expected whole numbers ≥ 1, comma-separated" >&2; exit 2; }
  [[ $BURST =~ ^[1-9][0-9]*$ ]] && ((BURST >= 5)) || { echo "results-capacity.sh: --burst-clients '$BURST': expected a whole number ≥ 5" >&2; exit 2; }
  [[ $JOBS =~ ^[1-9][0-9]*$ ]] || { echo "results-capacity.sh: --jobs '$JOBS': expected a whole number ≥ 1" >&2; exit 2; }
  for n in ${CLIENTS//,/ } $BURST; do ((n <= 100000)) || { echo "results-capacity.sh: $n clients: livesim runs at most 100,000" >&2; exit 2; }; done
  OUT=${OUT%/}
  [[ -n $OUT && $OUT != / && $OUT != . ]] || { echo "results-capacity.sh: --out '$OUT' is not a usable directory" >&2; exit 2; }

  DATA=$OUT/data
  START=$SECONDS
  say() { printf '[%4ds] %s\n' $((SECONDS - START)) "$*" >&2; }

  # Only what this script writes is removed: the data, the charts and the README.
  rm -rf -- "$DATA" "$OUT"/*.svg "$OUT/README.md"
  mkdir -p "$DATA"

  say "building livesim (npm run build)"
  npm run build --silent >"$DATA/build.log" 2>&1 || { cat "$DATA/build.log" >&2; exit 1; }

  # The scenario of every run (read by the runner and the README alike).
  export LC_ROOT=$ROOT LC_DATA=$DATA LC_OUT=$OUT LC_CLIENTS=$CLIENTS LC_BURST=$BURST
  export LC_UNTIL=3m LC_RAMP=60s LC_LOAD_FROM=90s LC_CUT_AT=100s LC_SEED=1
  export LC_BURST_SUBSCRIBERS=100 LC_BURST_AT=90s LC_BURST_HEAL=150s LC_BURST_UNTIL=4m

  # One run per process (memory goes back after each), JOBS at once; each writes DATA/<name>.json.
  specs=()
  for n in ${CLIENTS//,/ }; do for m in nacos-v1 nacos-v2; do specs+=("steady $m $n reference-8c"); done; done
  for m in nacos-v1 nacos-v2; do for c in infinite reference-8c; do specs+=("burst $m $BURST $c"); done; done
  say "${#specs[@]} runs, $JOBS at once: steady ${CLIENTS//,/ } clients × 2 models, burst $BURST clients × 2 models × 2 capacities"
  export RUNNER
  printf '%s\n' "${specs[@]}" | xargs -P "$JOBS" -I{} bash -c 'set -euo pipefail
    read -r kind model n cap <<<"{}"
    name="$kind-$model-$n-$cap"
    start=$SECONDS
    node --max-old-space-size=12288 --input-type=module -e "$RUNNER" "$kind" "$model" "$n" "$cap" >"$LC_DATA/$name.json" 2>"$LC_DATA/$name.log" ||
      { echo "results-capacity.sh: run $name failed:" >&2; tail -n 20 "$LC_DATA/$name.log" >&2; exit 255; }
    printf "[run] %-40s %5ds\n" "$name" $((SECONDS - start)) >&2'

  say "README and charts"
  LC_CPU=$( (lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n 1) || true)
  [[ -n $LC_CPU ]] || LC_CPU=$(sed -n 's/^model name[^:]*: *//p' /proc/cpuinfo 2>/dev/null | head -n 1 || true)
  LC_RAM_KB=$(sed -n 's/^MemTotal: *\([0-9]*\) kB/\1/p' /proc/meminfo 2>/dev/null || echo 0)
  LC_COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
  LC_DIRTY=$([[ -n $(git status --porcelain 2>/dev/null | grep -v -- " $OUT/" || true) ]] && echo 1 || echo 0)
  LC_COMMAND="scripts/results-capacity.sh --clients $CLIENTS --burst-clients $BURST"
  times >"$DATA/times.txt" # no pipe: a subshell would report its own (empty) children
  LC_CPU_S=$(tail -n 1 "$DATA/times.txt" | awk '{ s = 0; for (i = 1; i <= 2; i++) { split($i, a, /[ms]/); s += a[1] * 60 + a[2] } printf "%d", s }')
  export LC_CPU LC_RAM_KB LC_COMMIT LC_DIRTY LC_COMMAND LC_CPU_S LC_CORES=$CORES LC_JOBS=$JOBS
  export LC_NODE=$(node --version) LC_OS="$(uname -sr)" LC_DATE=$(date -u '+%Y-%m-%d %H:%M UTC') LC_RUNTIME_S=$((SECONDS - START))
  LC_LOAD=$(cut -d ' ' -f 1-3 /proc/loadavg 2>/dev/null || echo unknown)
  export LC_LOAD
  node --input-type=module -e "$REPORTER"
  # Keep what explains a run (its JSON, a non-empty log); drop the rest.
  find "$DATA" -name '*.log' -empty -delete
  rm -f -- "$DATA/times.txt" "$DATA/build.log"
  say "done: $OUT/README.md"
}

# One run: `node -e "$RUNNER" KIND MODEL CLIENTS CAPACITY` prints its JSON. The capacity metrics
# (src/analysis/capacity-metrics.ts) see every event as it happens; the run keeps only c1's.
read -r -d '' RUNNER <<'__RUNNER__' || true
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
const env = process.env;
const lib = (p) => import(pathToFileURL(join(env.LC_ROOT, 'dist/src', p)).href);
const { resolveScenario, runScenario } = await lib('scenario/run.js');
const { replayCommand } = await lib('scenario/replay.js');
const { CapacityObserver } = await lib('analysis/capacity-metrics.js');
const { parseDuration } = await lib('scenario/duration.js');
const [kind, model, clientsText, capacity] = process.argv.slice(-4);
const clients = Number(clientsText);
const steady = kind === 'steady';
const rack = Math.max(1, Math.floor(clients / 5));
const input = {
  model,
  seed: Number(env.LC_SEED),
  clients,
  subscribers: steady ? 1 : Number(env.LC_BURST_SUBSCRIBERS),
  until: steady ? env.LC_UNTIL : env.LC_BURST_UNTIL,
  set: { 'sim.server.capacity': capacity, 'sim.clientStartSpread': env.LC_RAMP },
  faults: steady ? [`cut@${env.LC_CUT_AT}`] : [`rack-cut:c1..c${rack}@${env.LC_BURST_AT}-${env.LC_BURST_HEAL}`],
};
const sc = resolveScenario(input);
const fromUs = steady ? parseDuration(env.LC_LOAD_FROM, 'load from') : 0;
const observer = new CapacityObserver({ faults: sc.faults, fromUs, untilUs: sc.untilUs });
// False expiries count over the whole run: a second observer without the load window.
const whole = new CapacityObserver({ faults: sc.faults, fromUs: 0, untilUs: sc.untilUs });
const started = process.hrtime.bigint();
const { result } = runScenario(sc, {
  trace: 'followed',
  onEvent: (e) => {
    observer.observe(e);
    whole.observe(e);
  },
});
const wallS = Number(process.hrtime.bigint() - started) / 1e9;
const load = observer.result();
const all = whole.result();
const { perSecond, loadPerSec: _l, fromMs: _f, untilMs: _u, ...expiry } = all;
process.stdout.write(
  `${JSON.stringify({
    kind,
    model,
    clients,
    capacity,
    subscribers: input.subscribers,
    faults: result.faults,
    rack: steady ? null : rack,
    loadFromMs: load.fromMs,
    untilMs: load.untilMs,
    loadPerSec: load.loadPerSec,
    ...expiry,
    perSecond: steady ? null : perSecond,
    c1: result.metrics,
    events: result.stop.events,
    wallS: Math.round(wallS * 10) / 10,
    traceHash: result.traceHash,
    replay: replayCommand(sc),
  })}\n`,
);
__RUNNER__

# The README and its charts, from the JSON files of the runs.
read -r -d '' REPORTER <<'__REPORTER__' || true
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
const env = process.env;
const lib = (p) => import(pathToFileURL(join(env.LC_ROOT, 'dist/src', p)).href);
const { renderSvg } = await lib('report/render.js');
const { v1OnsetClients, v2OnsetClients, pushRoundUs } = await lib('analysis/capacity-bounds.js');
const { V1_REFERENCE_COSTS_US, V1_KNOBS, V1_CONSTANTS, V1_CAPACITY_KNOBS } = await lib('models/nacos-v1/defaults.js');
const { V2_REFERENCE_COSTS_US, V2_KNOBS, V2_CONSTANTS, V2_CAPACITY_KNOBS } = await lib('models/nacos-v2/defaults.js');
const { v1Settings } = await lib('models/nacos-v1/settings.js');
const { v2Settings } = await lib('models/nacos-v2/settings.js');
const { resolveScenario } = await lib('scenario/run.js');

const DATA = env.LC_DATA;
const OUT = env.LC_OUT;
const runs = readdirSync(DATA)
  .filter((f) => f.endsWith('.json'))
  .map((f) => JSON.parse(readFileSync(join(DATA, f), 'utf8')));
const steady = (model) => runs.filter((r) => r.kind === 'steady' && r.model === model).sort((a, b) => a.clients - b.clients);
const burst = (model, capacity) => runs.find((r) => r.kind === 'burst' && r.model === model && r.capacity === capacity);
const V1 = steady('nacos-v1');
const V2 = steady('nacos-v2');

// ——— the analytic onsets, from the reference profile's resolved settings ———
const refConfig = (model) => resolveScenario({ model, set: { 'sim.server.capacity': 'reference-8c' } });
const sc1 = refConfig('nacos-v1');
const sc2 = refConfig('nacos-v2');
const cap1 = v1Settings(sc1.config, sc1.clientVersion).capacity;
const s2 = v2Settings(sc2.config, { client: sc2.clientVersion, server: sc2.serverVersion });
const cap2 = s2.capacity;
const knob = (knobs, key) => knobs.find((k) => k.key === key).default;
const HB = knob(V1_KNOBS, 'preserved.heart.beat.timeout');
const DEL = knob(V1_KNOBS, 'preserved.ip.delete.timeout');
const INTERVAL = knob(V1_KNOBS, 'preserved.heart.beat.interval');
const onsetUnhealthy = v1OnsetClients(cap1, HB);
const onsetRemoved = v1OnsetClients(cap1, DEL);
const onsetOverloaded = v1OnsetClients(cap1, INTERVAL);
const onsetV2 = v2OnsetClients(cap2, s2.keepAliveMs, s2.healthTimeoutMs);

// ——— formatting ———
const int = (x) => (x == null ? '—' : Math.round(x).toLocaleString('en-US'));
const num = (x, d = 1) => (x == null ? '—' : x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: 0 }));
const usText = (us) => (us < 1e6 ? `${num(us / 1000, 1)} ms` : `${num(us / 1e6, 1)} s`);
const sec = (ms) => (ms == null ? 'never' : `${num(ms / 1000, 1)} s`);
const waitText = (ms) => (ms == null ? '< 1 ms' : ms >= 1000 ? `≥ ${num(ms / 1000, 1)} s` : `≥ ${num(ms, 0)} ms`);
const pct = (k, n) => (n > 0 ? `${num((100 * k) / n, k > 0 && (100 * k) / n < 0.1 ? 3 : 1)} %` : '—');
const maxN = Math.max(...runs.filter((r) => r.kind === 'steady').map((r) => r.clients));
const ns = [...new Set(runs.filter((r) => r.kind === 'steady').map((r) => r.clients))].sort((a, b) => a - b);

/** The smallest client count with a false expiry of this kind, and the largest below it without. */
const firstWith = (rows, count) => {
  const i = rows.findIndex((r) => count(r) > 0);
  if (i < 0) return { at: null, below: rows.at(-1)?.clients ?? null };
  return { at: rows[i].clients, below: i > 0 ? rows[i - 1].clients : null };
};
const v1Marked = firstWith(V1, (r) => r.instancesFalselyUnhealthy);
const v1Removed = firstWith(V1, (r) => r.instancesFalselyRemoved);
const v2Disc = firstWith(V2, (r) => r.clientsFalselyDisconnected);
const v2Removed = firstWith(V2, (r) => r.instancesFalselyRemoved);
/** The smallest count at which c1, really cut, was not removed within the run (the server too busy to notice). */
const missed = (rows, label) => {
  const r = rows.find((x) => x.c1.detectionMs === null);
  if (r === undefined) return `In every ${label} run the server removed c1, really cut at ${env.LC_CUT_AT}, within the run.`;
  return `From **${int(r.clients)}** clients on, the ${label} server did not remove c1 — really cut at ${env.LC_CUT_AT} — before the run ended (${sec(r.untilMs - r.c1.faultAtMs)} later): a real failure goes unnoticed.`;
};
const bracket = (f, what) =>
  f.at === null
    ? `no ${what} in any run, up to ${int(f.below)} clients`
    : f.below === null
      ? `${what} already at ${int(f.at)} clients, the smallest count run`
      : `${what} first at **${int(f.at)} clients** (none at ${int(f.below)})`;

// ——— charts ———
const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const CONFIG = { background: 'white', font: 'Helvetica, Arial, sans-serif', view: { stroke: '#ddd' } };
const xClients = { field: 'clients', type: 'quantitative', title: 'clients', scale: { type: 'log' } };
const lineChart = (title, rows, y, extra = []) => ({
  $schema: SCHEMA,
  title,
  width: 560,
  height: 300,
  config: CONFIG,
  layer: [
    { data: { values: rows }, mark: { type: 'line', point: true }, encoding: { x: xClients, y, color: { field: 'series', type: 'nominal', title: null } } },
    ...extra,
  ],
});
const rule = (clients, label) => ({
  data: { values: [{ clients, label }] },
  layer: [
    { mark: { type: 'rule', strokeDash: [4, 4], color: '#888' }, encoding: { x: { field: 'clients', type: 'quantitative' } } },
    { mark: { type: 'text', angle: 270, dx: -6, align: 'right', baseline: 'bottom', color: '#555', fontSize: 10, y: 4 }, encoding: { x: { field: 'clients', type: 'quantitative' }, text: { field: 'label' } } },
  ],
});
const inRange = (n) => n !== null && n >= ns[0] && n <= ns.at(-1);
const charts = {};
{
  const rows = [];
  const total = (r) => Object.entries(r.loadPerSec).filter(([k]) => !['registrations', 'removals'].includes(k)).reduce((s, [, v]) => s + v, 0);
  for (const r of V1) rows.push({ clients: r.clients, rate: r.loadPerSec.beats, series: '1.x beats' }, { clients: r.clients, rate: total(r), series: '1.x every message' });
  for (const r of V2) rows.push({ clients: r.clients, rate: r.loadPerSec.healthChecks, series: '2.x health checks' }, { clients: r.clients, rate: total(r), series: '2.x every message' });
  charts.load = lineChart('Server messages per second (steady, reference-8c)', rows.filter((x) => x.rate > 0), { field: 'rate', type: 'quantitative', title: 'messages per second', scale: { type: 'log' } });
}
{
  const rows = [];
  for (const r of V1) rows.push({ clients: r.clients, share: (100 * r.instancesFalselyUnhealthy) / r.clients, series: '1.x marked unhealthy' }, { clients: r.clients, share: (100 * r.instancesFalselyRemoved) / r.clients, series: '1.x removed' });
  for (const r of V2) rows.push({ clients: r.clients, share: (100 * r.clientsFalselyDisconnected) / r.clients, series: '2.x disconnected' }, { clients: r.clients, share: (100 * r.instancesFalselyRemoved) / r.clients, series: '2.x removed' });
  const extra = [];
  if (inRange(onsetUnhealthy)) extra.push(rule(onsetUnhealthy, '1.x unhealthy onset (analytic)'));
  if (inRange(onsetRemoved)) extra.push(rule(onsetRemoved, '1.x removal onset (analytic)'));
  if (inRange(onsetV2)) extra.push(rule(onsetV2, '2.x disconnection onset (analytic)'));
  charts.expiry = lineChart('Live instances falsely expired in a 3-minute run (%)', rows, { field: 'share', type: 'quantitative', title: '% of live instances' }, extra);
}
{
  const rows = [];
  for (const [label, rs] of [['1.x', V1], ['2.x', V2]])
    for (const r of rs) for (const [pool, ms] of Object.entries(r.peakWaitMs)) rows.push({ clients: r.clients, wait: ms / 1000, series: `${label} ${pool}` });
  charts.wait = lineChart('Longest queue wait per pool (s; ≥ 1 ms recorded, true peak < 2× this)', rows, { field: 'wait', type: 'quantitative', title: 'seconds', scale: { type: 'log' } });
}
const series = (kind) => {
  const rows = [];
  for (const model of ['nacos-v1', 'nacos-v2'])
    for (const cap of ['infinite', 'reference-8c']) {
      const b = burst(model, cap);
      if (b === undefined) continue;
      b.perSecond[kind].forEach((n, s) => rows.push({ t: s, n, series: `${model === 'nacos-v1' ? '1.x' : '2.x'} ${cap}` }));
    }
  return rows;
};
const timeChart = (title, kind, yTitle) => ({
  $schema: SCHEMA,
  title,
  width: 640,
  height: 260,
  config: CONFIG,
  data: { values: series(kind).filter((r) => r.t >= 80) },
  mark: { type: 'line', interpolate: 'step-after' },
  encoding: {
    x: { field: 't', type: 'quantitative', title: 'simulated time (s)' },
    y: { field: 'n', type: 'quantitative', title: yTitle },
    color: { field: 'series', type: 'nominal', title: null },
  },
});
if (runs.some((r) => r.kind === 'burst')) {
  charts['burst-pushes'] = timeChart(`Pushes per second: ${int(Number(env.LC_BURST))} clients, ${env.LC_BURST_SUBSCRIBERS} subscribers, 20 % cut ${env.LC_BURST_AT}-${env.LC_BURST_HEAL}`, 'pushes', 'pushes sent per second');
  charts['burst-churn'] = timeChart('Removals per second (the rack expiring, then any false expiry)', 'removals', 'instances removed per second');
  charts['burst-registrations'] = timeChart('Registrations per second (the rack coming back after the heal)', 'registrations', 'registrations per second');
}
for (const [name, spec] of Object.entries(charts)) writeFileSync(join(OUT, `${name}.svg`), await renderSvg(spec));

// ——— README ———
const L = [];
const ramKb = Number(env.LC_RAM_KB);
L.push('# Capacity report: Nacos 1.x vs 2.x server load and false expiry vs clients', '');
L.push(
  `Generated by \`${env.LC_COMMAND}\` on ${env.LC_DATE}, in ${num(Number(env.LC_RUNTIME_S) / 60, 1)} min of wall time (${num(Number(env.LC_CPU_S) / 60, 1)} min of CPU time in all its processes; load average ${env.LC_LOAD} at the end) on this machine:`,
  '',
  `- CPU: ${env.LC_CPU || 'unknown'}, ${env.LC_CORES} cores (${env.LC_JOBS} runs at once); RAM ${num(ramKb / 1048576, 1)} GiB`,
  `- Node ${env.LC_NODE}, ${env.LC_OS}`,
  `- livesim at commit \`${env.LC_COMMIT}\`${env.LC_DIRTY === '1' ? ' (the working tree had uncommitted changes)' : ''}`,
  '',
  'Regenerate everything here with that command from the repository root (it builds livesim first; `--jobs N` sets how',
  'many runs go at once, which changes nothing in the results). All times are simulated; every run replays exactly from',
  'its `livesim run …` line in `data/` (add `--json`; the capacity figures come from `src/analysis/capacity-metrics.ts`).',
  '',
);
if (maxN < 100000)
  L.push(
    `> **Small-scale run.** The steady runs here stop at ${int(maxN)} clients. The full-scale command (client counts up to`,
    '> 100,000) is `scripts/results-capacity.sh --clients 1000,2000,5000,10000,20000,30000,40000,50000,70000,100000 --burst-clients 20000`.',
    '',
  );

L.push('## Answers', '');
L.push(
  `**At what client count does each protocol's server start false-expiring live instances, under the stated service rates?**`,
  `(One server, \`sim.server.capacity=reference-8c\`; every client registers one ephemeral instance in the same service, one`,
  'subscriber; clients come up over 60 s; a 3-minute run per count. *False* = the client was alive and reachable.)',
  '',
);
L.push(
  `- **Nacos 1.x:** ${bracket(v1Marked, 'false unhealthy marks')}; ${bracket(v1Removed, 'false removals')}. The analytic onsets for these`,
  `  rates: unhealthy from **${int(onsetUnhealthy)}** clients, removed from **${int(onsetRemoved)}** — where one round of beats through the`,
  `  naming health executor (${cap1.healthThreads} threads; ${cap1.beatProcessUs} µs + ${cap1.scanPer1000Us} µs per 1,000 instances per beat: each ClientBeatProcessor`,
  `  walks the whole service) outlasts the ${HB / 1000} s heartbeat timeout, then the ${DEL / 1000} s delete timeout. From **${int(onsetOverloaded)}** clients that round`,
  `  outlasts the ${INTERVAL / 1000} s beat interval: the executor's queue grows without end, and the beat check, queued in it, runs rarer and rarer.`,
  `  ${missed(V1, '1.x')}`,
  `- **Nacos 2.x:** ${bracket(v2Disc, 'false disconnections')}; ${bracket(v2Removed, 'false removals')}. The analytic onset for these`,
  `  rates is **${onsetV2 === null ? 'beyond 100 million' : int(onsetV2)}** clients: one round of health checks through the gRPC pool (${cap2.threads} workers × ${cap2.healthUs} µs)`,
  `  would have to outlast keep-alive + health timeout (${(s2.keepAliveMs + s2.healthTimeoutMs) / 1000} s). A 2.x health check touches one connection; a 1.x beat walks`,
  '  the whole service, so 1.x work grows with N² and 2.x work with N.',
  `  ${missed(V2, '2.x')}`,
  '',
);
const b1i = burst('nacos-v1', 'infinite');
const b1r = burst('nacos-v1', 'reference-8c');
const b2i = burst('nacos-v2', 'infinite');
const b2r = burst('nacos-v2', 'reference-8c');
if (b1r && b2r && b1i && b2i) {
  const busiest = (b) => Math.max(...b.perSecond.pushes);
  const staleText = (bi, br) => `${sec(br.c1.staleMs)} (infinite capacity: ${sec(bi.c1.staleMs)})`;
  L.push(
    `**The push burst of a mass disconnect.** ${int(b1r.clients)} clients and ${b1r.subscribers} subscribers; clients c1…c${int(b1r.rack)} (20 %) cut at ${env.LC_BURST_AT}`,
    `and healed at ${env.LC_BURST_HEAL}. Each change of the service is pushed to every subscriber, one push after another from one thread: a`,
    `round costs ${b1r.subscribers} × (push + serializing ${int(b1r.clients)} instances) = ${usText(pushRoundUs(b1r.subscribers, b1r.clients, cap1.pushUs, cap1.serializePer1000Us))} in 1.x (JSON + gzip) and`,
    `${usText(pushRoundUs(b2r.subscribers, b2r.clients, cap2.pushUs, cap2.serializePer1000Us))} in 2.x. The last subscriber stopped listing c1 (cut) after ${staleText(b1i, b1r)} in 1.x and`,
    `${staleText(b2i, b2r)} in 2.x. Busiest second: ${int(busiest(b1r))} pushes in 1.x, ${int(busiest(b2r))} in 2.x; false expiries`,
    `during the burst: 1.x ${int(b1r.instancesFalselyUnhealthy)} marked / ${int(b1r.instancesFalselyRemoved)} removed, 2.x ${int(b2r.clientsFalselyDisconnected)} disconnected / ${int(b2r.instancesFalselyRemoved)} removed.`,
    '',
  );
}

L.push('## The stated service rates (assumptions)', '');
L.push(
  '`sim.server.capacity=reference-8c` stands for one 8-core server (the machine of the Nacos benchmark reports, 8 cores / 16 GB).',
  'The costs are **livesim assumptions, not measurements of Nacos**: CPU time per unit of work, derived as described in',
  '[docs/models/nacos-v1.md](../../docs/models/nacos-v1.md#capacity) and [docs/models/nacos-v2.md](../../docs/models/nacos-v2.md#capacity). **Every result here',
  'scales with them**: the onsets move to where N · cost / workers crosses the same timeouts (for 1.x: N · (c + s · N) / k). Set any',
  'of them with `--set sim.server.cost.…=DURATION` to ask about another server.',
  '',
  '| model | pool (workers) | work | cost |',
  '| --- | --- | --- | ---: |',
  `| 1.x | Tomcat HTTP workers (\`sim.server.threads\` = ${cap1.threads}) | a beat request (the reply leaves when it ends) | ${V1_REFERENCE_COSTS_US.beat} µs |`,
  `| 1.x | 〃 | register / deregister (also the beat check's self-DELETE) | ${V1_REFERENCE_COSTS_US.register} µs |`,
  `| 1.x | 〃 | list query, + serializing the instances | ${V1_REFERENCE_COSTS_US.query} µs |`,
  `| 1.x | naming health executor (\`com.alibaba.nacos.naming.health.thread.num\` = ${cap1.healthThreads}) | ClientBeatProcessor: lastBeat := now | ${V1_REFERENCE_COSTS_US.beatProcess} µs + ${V1_REFERENCE_COSTS_US.scanPer1000} µs per 1,000 instances |`,
  `| 1.x | 〃 | ClientBeatCheckTask | ${V1_REFERENCE_COSTS_US.scanPer1000} µs per 1,000 instances |`,
  `| 1.x | UDP push sender (${V1_CONSTANTS.udpSenderThreads} thread) | one push to one subscriber | ${V1_REFERENCE_COSTS_US.push} µs + ${V1_REFERENCE_COSTS_US.serializePer1000} µs per 1,000 instances |`,
  `| 2.x | gRPC executor (\`sim.server.threads\` = ${cap2.threads}) | HealthCheckRequest, ServerCheckRequest | ${V2_REFERENCE_COSTS_US.health} µs |`,
  `| 2.x | 〃 | register / deregister, ConnectionSetupRequest | ${V2_REFERENCE_COSTS_US.register} µs |`,
  `| 2.x | 〃 | subscribe / query, + serializing the instances | ${V2_REFERENCE_COSTS_US.query} µs |`,
  `| 2.x | 〃 | a push ack or probe answer (on the bi-stream; a late one finds its request timed out) | ${V2_REFERENCE_COSTS_US.ack} µs |`,
  `| 2.x | the service's push worker (${V2_CONSTANTS.pushWorkerThreads} thread) | one push to one subscriber | ${V2_REFERENCE_COSTS_US.push} µs + ${V2_REFERENCE_COSTS_US.serializePer1000} µs per 1,000 instances |`,
  `| 2.x | ejector (${V2_CONSTANTS.ejectorThreads} thread) | one ClientDetectionRequest | ${V2_REFERENCE_COSTS_US.probe} µs |`,
  '',
  'Not modelled: CPU shared between pools (each pool has its cores to itself, which flatters 1.x, whose HTTP and health pools',
  'together get 12 "cores" on 8), garbage collection, Tomcat\'s connection limits and the gRPC executor\'s 16,384-task queue bound',
  '(queues here are unbounded), cluster traffic (one server), and the cost of 1.x\'s UDP push acks (its push receiver',
  'thread). Work is served first come first served; its effect (lastBeat, the connection\'s active time, the reply, the ack)',
  'happens when its service ends.',
  '',
);

L.push('## Steady load: 1.x vs 2.x', '');
L.push(`![messages per second vs clients](load.svg)`, '', `![falsely expired live instances vs clients](expiry.svg)`, '', `![longest queue wait vs clients](wait.svg)`, '');
L.push(
  `Load is counted from ${env.LC_LOAD_FROM} to the end (after the 60 s ramp); false expiries over the whole run. c1 is cut at ${env.LC_CUT_AT}: its`,
  '*detection* column is how long the server took to remove a really dead instance under that load (never = not within the run).',
  '',
  '| clients | 1.x beats/s | 1.x all msgs/s | HTTP wait | health-executor wait | falsely unhealthy | falsely removed | first false mark | c1 detection | 2.x health checks/s | 2.x all msgs/s | gRPC wait | falsely disconnected | falsely removed | c1 detection |',
  '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
);
const totalMsgs = (r) => Object.entries(r.loadPerSec).filter(([k]) => !['registrations', 'removals'].includes(k)).reduce((s, [, v]) => s + v, 0);
for (const n of ns) {
  const a = V1.find((r) => r.clients === n);
  const b = V2.find((r) => r.clients === n);
  const v1c = a === undefined ? Array(8).fill('—') : [num(a.loadPerSec.beats, 0), num(totalMsgs(a), 0), waitText(a.peakWaitMs.http), waitText(a.peakWaitMs.health), pct(a.instancesFalselyUnhealthy, n), pct(a.instancesFalselyRemoved, n), sec(a.firstFalseUnhealthyAtMs), sec(a.c1.detectionMs)];
  const v2c = b === undefined ? Array(6).fill('—') : [num(b.loadPerSec.healthChecks, 0), num(totalMsgs(b), 0), waitText(b.peakWaitMs.grpc), pct(b.clientsFalselyDisconnected, n), pct(b.instancesFalselyRemoved, n), sec(b.c1.detectionMs)];
  L.push(`| ${int(n)} | ${v1c.join(' | ')} | ${v2c.join(' | ')} |`);
}
L.push(
  '',
  `Waits are the longest recorded (\`server.queue\` samples at each doubling: the true peak is below twice the figure). With no`,
  'capacity limits (`sim.server.capacity=infinite`, the default) no run here expires a live instance.',
  '',
);

if (b1r && b2r) {
  L.push('## The push burst after a rack cut', '');
  L.push('![pushes per second](burst-pushes.svg)', '', '![removals per second](burst-churn.svg)', '', '![registrations per second](burst-registrations.svg)', '');
  L.push('| model | capacity | c1 removed (s after the cut) | last subscriber updated (s after the cut) | busiest second (pushes) | push wait | falsely unhealthy | falsely removed | falsely disconnected | re-registrations |', '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const b of [b1i, b1r, b2i, b2r])
    L.push(`| ${b.model} | ${b.capacity} | ${sec(b.c1.detectionMs)} | ${sec(b.c1.staleMs)} | ${int(Math.max(...b.perSecond.pushes))} | ${waitText(b.peakWaitMs.push)} | ${int(b.instancesFalselyUnhealthy)} | ${int(b.instancesFalselyRemoved)} | ${int(b.clientsFalselyDisconnected)} | ${int(b.reRegistrations)} |`);
  L.push('');
}

L.push('## Runs', '', '<details><summary>every run: its replay line, events and wall time</summary>', '', '| run | events | wall (s) | replay |', '| --- | ---: | ---: | --- |');
for (const r of [...runs].sort((a, b) => a.kind.localeCompare(b.kind) || a.model.localeCompare(b.model) || a.clients - b.clients || a.capacity.localeCompare(b.capacity)))
  L.push(`| ${r.kind} ${r.model} ${int(r.clients)} ${r.capacity} | ${int(r.events)} | ${num(r.wallS, 1)} | \`${r.replay}\` |`);
L.push('', '</details>', '');
writeFileSync(join(OUT, 'README.md'), L.join('\n'));
__REPORTER__

main "$@"
