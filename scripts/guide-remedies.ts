/**
 * Regenerates docs/guide/remedies.svg, the chart of the guide's §3: `npm run guide:chart` (builds
 * first). It is what `livesim diagnose --model nacos-v2 --server-version 2.2.3 --chart FILE`
 * writes: the same remedies, simulations and spec (src/diagnose/chart.ts).
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { remedyChart } from '../src/diagnose/chart.js';
import { diagnoseRemedies } from '../src/diagnose/diagnose-remedies.js';
import { renderSvg } from '../src/report/render.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const OUT = join(ROOT, 'docs', 'guide', 'remedies.svg');

const main = async (): Promise<void> => {
  const report = await diagnoseRemedies({ model: 'nacos-v2', serverVersion: '2.2.3' }, { workers: 2 });
  const svg = await renderSvg(remedyChart(report, 'nacos-v2 2.2.3: remedies') as unknown as Parameters<typeof renderSvg>[0]);
  writeFileSync(OUT, svg);
  process.stdout.write(`wrote ${OUT}\n`);
};

await main();
