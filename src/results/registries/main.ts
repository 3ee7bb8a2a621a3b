import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compareChart } from '../../compare/chart.js';
import { compareRegistries } from '../../compare/compare.js';
import { formatCompareText } from '../../compare/text.js';
import { renderSvg } from '../../report/render.js';
import { describeMachine } from '../common/machine.js';

/**
 * `npm run results:registries`: results/registries/README.md, every registered registry at its
 * defaults on the same networks and faults (issue 18 item 4), each comparison as `livesim
 * compare` prints it and as its chart. The figures are the simulator's and depend only on the
 * tree (runs are seeded); the machine and date are stated for the wall time. A registry added to
 * src/models/registry.ts appears here with no change to this program.
 */
const NETWORKS = ['lan', 'cross-region', 'lossy-wifi'] as const;
const FAULTS = [
  { fault: 'cut@180s', what: 'a cut (every packet of c1 dropped, both ways, from 180 s)' },
  { fault: 'oneway:s2c@180s', what: 'a one-way partition (server → client lost: the half-open case)' },
  { fault: 'pause@180s-210s', what: "a 30 s GC pause of c1's process (its kernel still acknowledges)" },
  { fault: 'flap:2s/8s@180s-420s', what: 'a flapping link (up 2 s, down 8 s, from 180 s to 420 s)' },
] as const;
const RUNS = 3;
// At 180 s every registry's consumers list c1 (Eureka's first fetch sees it only after about a minute).
const UNTIL = '15m';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../../..');
const outDir = process.argv[2] ?? join(root, 'results/registries');

const atomicWrite = (path: string, text: string): void => {
  writeFileSync(`${path}.tmp-${process.pid}`, text);
  renameSync(`${path}.tmp-${process.pid}`, path);
};

const main = async (): Promise<void> => {
  mkdirSync(outDir, { recursive: true });
  const started = process.hrtime.bigint();
  const sections: string[] = [];
  let step = 0;
  for (const network of NETWORKS) {
    sections.push(`## ${network}\n`);
    for (const { fault, what } of FAULTS) {
      step++;
      process.stderr.write(`step ${step}/${NETWORKS.length * FAULTS.length}: ${network} · ${fault}\n`);
      const report = compareRegistries({ base: { model: 'nacos-v1', faults: [fault], network, until: UNTIL }, runs: RUNS });
      const chart = `${network}-${fault.replace(/[^a-z0-9]+/gi, '-').replace(/-$/, '')}.svg`;
      atomicWrite(join(outDir, chart), await renderSvg(compareChart(report, `${fault} · ${network}`) as never));
      const command = `livesim compare --fault ${fault} --network ${network} --runs ${RUNS} --until ${UNTIL}`;
      sections.push(`### ${what}\n\n![${fault} on ${network}](${chart})\n\n\`\`\`\n$ ${command}\n${formatCompareText(report)}\`\`\`\n`);
    }
  }
  const wallS = Number(process.hrtime.bigint() - started) / 1e9;
  const m = describeMachine(root, 'results/registries');
  const head = `# Registries compared on the same kernel and faults

Every registry livesim models (src/models/registry.ts), each at its own defaults, under the same
faults on three networks: when does it stop routing to a dead (or unreachable) instance, and how
often does it remove a live one. ${RUNS} seeds per registry, horizon ${UNTIL}, times from the
fault; the grey bar in each chart is the model's analytic window, the dot the median of the runs,
the tick their maximum; "never" means not within the horizon, and the text under each table says
why. Each model's constants and their sources: \`livesim models\`; what each model leaves out: its
page under docs/models/.

Regenerate: \`npm run results:registries\` (${wallS.toFixed(0)} s on the machine below).
Machine: ${m.cpu}, ${m.cores} cores, ${m.ramGiB} GiB, Node ${m.node}, ${m.os}; commit \`${m.commit}\`${m.dirty ? ' (with local changes)' : ''}; ${m.date}; load ${m.load}.

Reading it: "detection" is the registry dropping the instance, "stale" the last consumer
no longer routing to it; they differ where a consumer filters on health (Consul's passing checks,
a Kubernetes EndpointSlice's ready endpoints) before the registry deletes anything, or where the
registry keeps the instance for good (each such "never" has its reason under the table). The
faults start at 180 s, when every registry's consumers list c1 (Eureka's first fetch at its
defaults lists it only after about a minute).
`;
  atomicWrite(join(outDir, 'README.md'), `${head}\n${sections.join('\n')}`);
};

main().catch((e: unknown) => {
  process.stderr.write(`results:registries: ${(e as Error).message}\n`);
  process.exitCode = 1;
});
