import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderSvg } from '../../report/render.js';
import { PipelineError } from '../common/livesim.js';
import { addSpent, cpuSeconds, describeMachine } from '../common/machine.js';
import { parsePipelineArgs, runMain } from '../common/main-args.js';
import { Progress } from '../common/progress.js';
import { capacityCharts } from './charts.js';
import { onsets, readRuns } from './facts.js';
import { planRuns, type RunSpec, readCapacityPlan, runName } from './plan.js';
import { capacityReadme } from './readme.js';

const USAGE = `npm run results:capacity [-- OPTIONS]   (node dist/src/results/capacity/main.js after npm run build)

Regenerates results/capacity/: Nacos 1.x vs 2.x server load and false expiry of live instances
as the client count grows, under the service rates of sim.server.capacity=reference-8c, and
the push burst after a rack of clients is cut. Writes README.md (machine, date, answers), its
SVG charts, and one JSON file per run in data/. An interrupted run, started again, resumes:
runs whose JSON file is there are not run again.

Options:
  --plan FILE   which runs (default results/capacity/plan.json, full scale: up to 100,000 clients;
                results/capacity/plan-small.json: a few minutes)
  --jobs N      runs at once, each one process (default: the number of cores; results do not depend on it)
  --out DIR     output directory (default results/capacity)
  --fresh       delete data/ first instead of resuming
`;

// dist/src/results/capacity/main.js → the repository root.
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const RUNNER = join(dirname(fileURLToPath(import.meta.url)), 'run.js');

/** One run in its own process; its JSON lands in DATA/NAME.json only when the run finished (a killed run leaves no file). */
const runOne = (planPath: string, data: string, spec: RunSpec, heapMb: number): Promise<number> => {
  const name = runName(spec);
  const tmp = join(data, `${name}.json.partial`);
  const log = join(data, `${name}.log`);
  const start = Date.now();
  const out = openSync(tmp, 'w');
  const err = openSync(log, 'w');
  return new Promise<number>((resolve, reject) => {
    const child = spawn(process.execPath, [`--max-old-space-size=${heapMb}`, RUNNER, planPath, JSON.stringify(spec)], { stdio: ['ignore', out, err] });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      closeSync(out);
      closeSync(err);
      if (code !== 0) {
        const tail = readFileSync(log, 'utf8').trimEnd().split('\n').slice(-20).join('\n');
        reject(new PipelineError(`capacity run ${name} failed (${code ?? signal}); last lines of ${log}:\n${tail}`));
        return;
      }
      renameSync(tmp, join(data, `${name}.json`));
      if (statSync(log).size === 0) unlinkSync(log);
      resolve((Date.now() - start) / 1000);
    });
  });
};

const main = async (): Promise<void> => {
  const args = parsePipelineArgs(process.argv.slice(2), ROOT, { plan: 'results/capacity/plan.json', out: 'results/capacity', parallelFlag: 'jobs' });
  if (args === 'help') {
    process.stdout.write(USAGE);
    return;
  }
  const plan = readCapacityPlan(args.plan);
  const jobs = args.parallel ?? availableParallelism();
  const data = join(args.out, 'data');
  if (args.fresh) rmSync(data, { recursive: true, force: true });
  mkdirSync(data, { recursive: true });
  const specs = planRuns(plan);
  const todo = specs.filter((s) => !existsSync(join(data, `${runName(s)}.json`)));
  const progress = new Progress(todo.length + 1);
  progress.say(
    `plan ${relative(ROOT, args.plan)}: ${specs.length} runs (steady ${plan.steady.clients.join(' ')} clients × 2 models, burst ${plan.burst.clients} clients × 2 models × ${plan.burst.capacities.length} capacities); ${specs.length - todo.length} already in ${data}, ${todo.length} to run, ${jobs} at once`,
  );
  // The pool: `jobs` processes at once, started in plan order.
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < todo.length) {
      const spec = todo[next++] as RunSpec;
      const s = await runOne(args.plan, data, spec, plan.maxOldSpaceMb);
      progress.next(`${runName(spec).padEnd(40)} ${Math.round(s).toString().padStart(5)}s`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, Math.max(1, todo.length)) }, worker));

  progress.next('README and charts');
  const runs = readRuns(data);
  const steady = (model: string) => runs.filter((r) => r.kind === 'steady' && r.model === model).sort((a, b) => a.clients - b.clients);
  const burst = (model: string, capacity: string) => runs.find((r) => r.kind === 'burst' && r.model === model && r.capacity === capacity);
  const input = {
    plan,
    runs,
    v1: steady('nacos-v1'),
    v2: steady('nacos-v2'),
    ns: [...new Set(runs.filter((r) => r.kind === 'steady').map((r) => r.clients))].sort((a, b) => a - b),
    onsets: onsets(),
    burst,
  };
  for (const [name, spec] of Object.entries(capacityCharts(input))) writeFileSync(join(args.out, `${name}.svg`), await renderSvg(spec));
  const machine = describeMachine(ROOT, args.outRel);
  const command = `npm run results:capacity${args.planGiven ? ` -- --plan ${relative(ROOT, args.plan)}` : ''}`;
  writeFileSync(join(args.out, 'README.md'), capacityReadme({ ...input, command, machine, jobs, spent: addSpent(data, progress.elapsedS(), cpuSeconds()) }));
  progress.say(`done: ${join(args.out, 'README.md')}`);
};

runMain(main, (e) => e instanceof PipelineError);
