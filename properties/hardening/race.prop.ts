import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usageProblem } from '../../test/cli-harness.js';
import { commandLine, ensureFreshBuild, envCount, firstDifference, livesim, PROPS_SEED } from './cli.js';
import { ok, sleep, start } from './kill-harness.js';

/**
 * Claim (issue 20 item 1): livesims started together on one `--out` — each with or without
 * --resume or --force, on 1 or 2 workers, some SIGKILLed part-way — never corrupt it. Each one
 * ends with exit 0 or a one-line refusal (exit 2: the output is in use, or exists); while they
 * run and after, OUT.partial is a byte prefix of the uninterrupted sweep and OUT, if present, is
 * the whole of it; a final --resume gives exactly the uninterrupted bytes. RACE_ROUNDS rounds
 * (CI 2, deep 30) of 2–3 processes each, drawn from PROPS_SEED.
 */
const ROUNDS = envCount('RACE_ROUNDS', 2);
const KNOBS = `PROPS_SEED=${PROPS_SEED} RACE_ROUNDS=${ROUNDS}`;
const SWEEP = ['sweep', '--model', 'nacos-v1', '--vary', 'clients=1,2', '--fault', 'cut', '--until', '30s', '--runs', '150', '-q'];

interface Racer {
  readonly delayMs: number;
  readonly mode: 'plain' | 'resume' | 'force';
  readonly workers: 1 | 2;
  /** SIGKILL this long after its start; null: let it finish. */
  readonly killAfterMs: number | null;
}
const racerArb: fc.Arbitrary<Racer> = fc.record({
  delayMs: fc.integer({ min: 0, max: 200 }),
  mode: fc.constantFrom('plain' as const, 'resume' as const, 'force' as const),
  workers: fc.constantFrom(1 as const, 2 as const),
  killAfterMs: fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.integer({ min: 50, max: 1500 }) }),
});
const rounds = fc.sample(fc.array(racerArb, { minLength: 2, maxLength: 3 }), { seed: PROPS_SEED, numRuns: ROUNDS });

let dir = '';
let reference = '';
beforeAll(async () => {
  ensureFreshBuild();
  dir = mkdtempSync(join(tmpdir(), 'livesim-race-'));
  const args = [...SWEEP, '--out', 'ref.jsonl'];
  ok(await livesim(args, dir), args);
  reference = readFileSync(join(dir, 'ref.jsonl'), 'utf8');
}, 120_000);
afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

const readIfThere = (path: string): string | null => {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
};

const checkFiles = (out: string, what: string): void => {
  // Read, not looked for first: a racer may rename OUT.partial to OUT between the two.
  const p = readIfThere(join(dir, `${out}.partial`));
  if (p !== null) {
    if (!reference.startsWith(p))
      throw new Error(`${what}\n    OUT.partial is not a prefix of the uninterrupted sweep: ${firstDifference(reference.slice(0, p.length), p)}`);
  }
  if (existsSync(join(dir, out))) expect(readFileSync(join(dir, out), 'utf8') === reference, `${what}\n    OUT exists and is not the whole sweep`).toBe(true);
};

describe(`hardening › livesims racing on one --out never corrupt it [${KNOBS}]`, () => {
  it(
    `${ROUNDS} rounds of 2–3 racing sweeps, some killed, then --resume gives the uninterrupted bytes`,
    async () => {
      let refusals = 0;
      let kills = 0;
      for (const [k, racers] of rounds.entries()) {
        const out = `race-${k}.jsonl`;
        const what = `round ${k} (${fc.stringify(racers)}); rerun: ${KNOBS} npx vitest run properties/hardening/race.prop.ts`;
        const ended = racers.map(async (r) => {
          await sleep(r.delayMs);
          const flags = r.mode === 'plain' ? [] : [`--${r.mode}`];
          const args = [...SWEEP, '--workers', String(r.workers), '--out', out, ...flags];
          const s = start(dir, args);
          if (r.killAfterMs !== null) {
            const timer = setTimeout(() => s.child.kill('SIGKILL'), r.killAfterMs);
            void s.exited.then(() => clearTimeout(timer));
          }
          const e = await s.exited;
          return { args, ...e };
        });
        const watching = (async () => {
          let running = true;
          void Promise.all(ended).then(() => {
            running = false;
          });
          while (running) {
            checkFiles(out, what);
            await sleep(20);
          }
        })();
        const results = await Promise.all(ended);
        await watching;
        for (const r of results) {
          if (r.signal === 'SIGKILL') {
            kills++;
            continue;
          }
          if (r.code === 0) continue;
          refusals++;
          expect(usageProblem({ code: r.code, stdout: '', stderr: r.stderr }), `${what}\n    ${commandLine(r.args)}`).toBeNull();
        }
        checkFiles(out, what);
        const final = [...SWEEP, '--out', out, '--resume'];
        ok(await livesim(final, dir), final);
        expect(firstDifference(reference, readFileSync(join(dir, out), 'utf8')), `${what}\n    ${commandLine(final)}`).toBeNull();
      }
      console.log(
        `race: ${ROUNDS} rounds; ${kills} racers killed, ${refusals} refused in one line, the rest finished; every final --resume gave the uninterrupted bytes`,
      );
    },
    Math.max(300_000, ROUNDS * 30_000),
  );
});
