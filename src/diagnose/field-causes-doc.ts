import { MODELS } from '../models/registry.js';
import { formatVersion } from '../models/version.js';
import { replayCommand } from '../scenario/replay.js';
import { resolveScenario } from '../scenario/run.js';
import type { Cause } from './cause.js';

/**
 * docs/field-causes.md, generated from the causes `livesim diagnose` knows (each model's
 * `analysis.causes`), so the catalogue in the docs is the one the program runs: each cause
 * with its source (file and issue numbers), the releases its scenario runs, the `livesim run`
 * line that reproduces it on the model's defaults, and its remedy with the line that simulates
 * it. test/field-causes-doc.test.ts keeps the file equal to this output.
 */
const causesOf = (modelId: string): readonly Cause[] => (MODELS.find((m) => m.id === modelId)?.analysis?.causes ?? []).filter((c) => c.model === modelId);

const section = (c: Cause): string => {
  const user = { model: c.model };
  const sc = resolveScenario(c.scenario(user));
  const fixed = resolveScenario(c.remedy.apply(c.scenario(user)));
  return [
    `### \`${c.id}\`: ${c.title}`,
    '',
    c.explanation,
    '',
    `- symptoms: ${c.symptoms.join(', ')}`,
    `- releases: client ${formatVersion(sc.clientVersion)}, server ${formatVersion(sc.serverVersion)}`,
    `- source: ${c.source}`,
    `- reproduce: \`${replayCommand(sc)}\``,
    `- remedy: ${c.remedy.change}`,
    `- remedy simulated: \`${replayCommand(fixed)}\``,
    '',
  ].join('\n');
};

export const fieldCausesMarkdown = (): string => {
  const parts = [
    '# Field causes: why an instance is not removed, or consumers still call it',
    '',
    'Every cause `livesim diagnose` knows, per registry: what operators report (with the issue',
    'numbers and the source files that explain it), the releases it lives in, the `livesim run`',
    "line that reproduces it on the model's defaults, and the remedy with the line that simulates",
    'it. `livesim diagnose` lays each cause over your own settings, runs it and its remedy, and',
    'ranks them: causes already in your settings (your versions, SDK, proxy, switches) first, then',
    'those that reproduce your symptom. This page is generated from the same table',
    '(src/diagnose/field-causes-doc.ts; test/field-causes-doc.test.ts keeps it equal).',
    '',
  ];
  for (const m of MODELS) {
    const causes = causesOf(m.id);
    if (causes.length === 0) continue;
    parts.push(`## ${m.id}: ${m.title}`, '', ...causes.map(section));
  }
  return `${parts.join('\n').trimEnd()}\n`;
};
