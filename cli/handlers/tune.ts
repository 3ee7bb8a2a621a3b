import { InputError } from '../../src/scenario/input-error.js';
import { parseTargets } from '../../src/tune/targets.js';
import { commandWith } from '../command-line.js';
import { progressBar } from '../format/sweep-progress.js';
import { formatTuneText } from '../format/tune-text.js';
import { onInterrupt } from '../interrupt.js';
import { type ScenarioFlags, scenarioInput } from '../scenario-input.js';
import { note, styleFor } from '../style.js';
import { wholeFlag as whole } from '../whole-flag.js';

export interface TuneFlags extends ScenarioFlags {
  readonly 'target-detection'?: string;
  readonly 'max-false-removal-rate'?: string;
  readonly detection?: string;
  readonly load?: string;
  readonly space?: readonly (string | number)[];
  readonly runs?: number | string;
  readonly workers?: number | string;
  readonly top?: number | string;
  readonly json?: boolean;
  readonly 'max-memory'?: string;
}

const single = (flag: string, v: unknown): string | undefined => {
  if (Array.isArray(v)) throw new InputError(`--${flag} given more than once (give it once)`);
  return v === undefined ? undefined : String(v);
};

/** `livesim tune` (flags: cli/commands/tune.ts). */
export const tuneHandler = async (argv: TuneFlags): Promise<void> => {
  const base = scenarioInput(argv);
  // Without --detection: server where the model records it, else the first it records (Consul: subscriber).
  const { findTuneSpace } = await import('../../src/tune/spaces.js');
  const detections = findTuneSpace(base.model)?.detections ?? [];
  const targets = parseTargets(
    {
      targetDetection: single('target-detection', argv['target-detection']),
      maxFalseRemovalRate: single('max-false-removal-rate', argv['max-false-removal-rate']),
      detection: single('detection', argv.detection),
      load: single('load', argv.load),
    },
    detections.includes('server') ? 'server' : (detections[0] ?? 'server'),
  );
  const { DEFAULT_TUNE_RUNS, runTune } = await import('../../src/tune/tune.js');
  const runs = whole('runs', argv.runs) ?? DEFAULT_TUNE_RUNS;
  const { cappedWorkers, checkRunResources } = await import('../limits.js');
  const { resolveScenario } = await import('../../src/scenario/run.js');
  checkRunResources(resolveScenario({ ...base, faults: [] }), argv, 'a tune run');
  // One bar per stage, each started by its first update (bars exist only on a terminal).
  const bars = { detection: await progressBar(process.stderr, 'under the fault'), 'false-removals': await progressBar(process.stderr, 'fault-free') };
  let progress = bars.detection;
  // Ctrl-C: tune keeps nothing on disk, so the way to continue is to run it again.
  const dispose = onInterrupt({ cleanup: () => progress.stop(), hint: () => `tune keeps no partial results; run it again with: ${commandWith()}` });
  try {
    const result = await runTune({
      base,
      targets,
      runs,
      workers: cappedWorkers(whole('workers', argv.workers), Number.MAX_SAFE_INTEGER),
      top: whole('top', argv.top),
      space: (argv.space ?? []).map(String),
      onStage: (s) => {
        progress.stop();
        progress = bars[s.name];
        if (process.stderr.isTTY === true)
          note(`tune: ${s.name === 'detection' ? 'under the fault' : 'fault-free'}: ${s.points} points × ${runs} seeds = ${s.runs} runs`);
      },
      onProgress: (done, total) => progress.update(done, total),
    });
    progress.stop();
    if (argv.json === true) process.stdout.write(`${JSON.stringify(result)}\n`);
    else process.stdout.write(formatTuneText(result, styleFor(process.stdout)));
    // Exit 1: the check "some setting meets both targets" failed (0 success, 2 bad input).
    if (result.verdict === 'none') process.exitCode = 1;
  } finally {
    progress.stop();
    dispose();
  }
};
