import type { Knob } from '../../src/models/knob.js';
import type { ModelDefinition } from '../../src/models/model.js';
import { MODELS } from '../../src/models/registry.js';
import { styleFor } from '../style.js';

const defaultText = (k: Knob): string => (k.type === 'duration' && typeof k.default === 'number' ? `${k.default}ms` : String(k.default));

/** A model whose servers reach past its clients' releases (a 1.x client against 2.x/3.x servers). */
const serverReleases = (m: ModelDefinition): string =>
  m.serverVersionRange === undefined ? '' : `, servers ${m.serverVersionRange.min}..${m.serverVersionRange.max}`;

/** `livesim models` (flags: cli/commands/models.ts). */
export const modelsHandler = (argv: { json?: boolean }): void => {
  if (argv.json === true) {
    process.stdout.write(`${JSON.stringify({ models: MODELS.map(({ build: _b, validate: _v, validateRun: _r, analysis: _a, ...data }) => data) })}\n`);
    return;
  }
  const c = styleFor(process.stdout);
  const out: string[] = [];
  for (const m of MODELS) {
    out.push(
      c.bold(`${m.id} — ${m.title}`),
      `  releases ${m.versionRange.min}..${m.versionRange.max}${serverReleases(m)} (default ${m.defaultVersion}); faults: ${m.faultKinds.join(', ')}`,
      '',
    );
    out.push(c.underline('  settings (--set KEY=VALUE)'));
    for (const k of m.knobs) {
      const alias = k.aliases === undefined ? '' : c.dim(` (alias ${k.aliases.join(', ')})`);
      out.push(`  ${c.cyan(k.key)}${alias} = ${c.bold(defaultText(k))}  ${k.description}`, c.dim(`      source: ${k.source}`));
    }
    out.push('', c.underline('  constants (not configurable in Nacos)'));
    for (const k of m.constants)
      out.push(`  ${k.name} = ${c.bold(`${k.value}${k.unit === 'ms' ? 'ms' : ''}`)}  ${k.description}`, c.dim(`      source: ${k.source}`));
    out.push('', c.underline('  behaviour by release'));
    for (const n of m.versionNotes) out.push(`  ${n.side} ${n.range}: ${n.behaviour}`, c.dim(`      source: ${n.source}`));
    out.push('');
  }
  process.stdout.write(`${out.join('\n')}`);
};
