import { writeFileSync } from 'node:fs';
import { runDiagram } from '../../src/diagram/diagram.js';
import { InputError } from '../../src/scenario/input-error.js';
import type { RunOutput, Scenario } from '../../src/scenario/run.js';
import { note } from '../style.js';

/** `--follow c7,c8` (or repeated): clients of this run, checked before the run starts. */
export const followedClients = (given: readonly (string | number)[] | undefined, clients: number): string[] => {
  const names = (given ?? []).flatMap((g) => String(g).split(',')).map((s) => s.trim());
  for (const name of names) {
    const m = /^c(\d+)$/.exec(name);
    if (m === null || Number(m[1]) < 1 || Number(m[1]) > clients)
      throw new InputError(`--follow '${name}': accepted: client names c1…c${clients} of this run, e.g. --follow c2`);
  }
  return names;
};

/** `run --html FILE`: the run with the diagram's listener, the page written to FILE. */
export const writeDiagram = async (sc: Scenario, file: string, follow: readonly (string | number)[] | undefined, quiet: boolean): Promise<RunOutput> => {
  const { output, html } = await runDiagram(sc, { follow: followedClients(follow, sc.clients), quiet });
  try {
    writeFileSync(file, html);
  } catch (e) {
    throw new InputError(`--html ${file}: cannot write it (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  note(`wrote ${file} (open it in a browser; it needs no network)`);
  return output;
};
