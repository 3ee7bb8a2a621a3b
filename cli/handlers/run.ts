import { answerRemoval, mechanismsOf } from '../../src/diagnose/removal.js';
import { checkDeterminism } from '../../src/scenario/determinism.js';
import { replayCommand } from '../../src/scenario/replay.js';
import { type RunResult, resolveScenario, runScenario } from '../../src/scenario/run.js';
import type { TraceEvent } from '../../src/sim/trace.js';
import { formatRunText, runWarning } from '../format/run-text.js';
import { type ScenarioFlags, scenarioInput } from '../scenario-input.js';
import { note, styleFor } from '../style.js';
import { OutputClosed, SyncWriter } from '../sync-writer.js';
import { writeDiagram } from './run-html.js';

export interface RunFlags extends ScenarioFlags {
  readonly json?: boolean;
  readonly trace?: boolean;
  readonly 'check-determinism'?: boolean;
  readonly 'step-all'?: boolean;
  readonly html?: string;
  readonly follow?: readonly (string | number)[];
}

/** `livesim run` (flags: cli/commands/run.ts, which loads this module when the command runs). */
export const runHandler = async (argv: RunFlags): Promise<void> => {
  const input = scenarioInput(argv);
  let sc = resolveScenario(input);
  (await import('../limits.js')).checkRunResources(sc, argv); // issue 20 item 3: refuse up front what cannot fit in memory
  if (argv['check-determinism'] === true) {
    const v = checkDeterminism(sc);
    if (v.ok) process.stdout.write(`deterministic: two runs, ${v.events} identical events, trace ${v.traceHash}\n`);
    else {
      process.stdout.write(`NOT deterministic: first divergence at event ${v.index}\n  run 1: ${v.first}\n  run 2: ${v.second}\n`);
      process.exitCode = 1;
    }
    return;
  }
  if (argv.trace === true) {
    // Lines go out as they happen; memory stays flat however long the trace.
    const out = new SyncWriter(1);
    try {
      runScenario(sc, { trace: 'followed', onEvent: (_e, line) => out.write(`${line}\n`) });
      out.flush();
    } catch (e) {
      if (!(e instanceof OutputClosed)) throw e;
    }
    return;
  }
  // The metrics and the summary need only c1's events: the same result, in flat memory.
  // Quiet stepping (src/sim/quiet.ts) leaves the result as it is; --step-all shows that.
  // The text view answers when the instance is removed: with the horizon left at its default, a
  // removal the analytic bound puts past it extends it (said in one line), instead of a guess of --until.
  const extend = argv.html === undefined && argv.json !== true && input.until === undefined;
  let horizonNote: string | null = null;
  let out: { result: RunResult; trace: readonly TraceEvent[] };
  if (extend) {
    const answered = answerRemoval(input, { extend: true, quiet: argv['step-all'] !== true });
    sc = answered.scenario;
    horizonNote = answered.answer.horizonNote;
    out = answered.output;
  } else
    out =
      argv.html === undefined
        ? runScenario(sc, { trace: 'followed', quiet: argv['step-all'] !== true })
        : await writeDiagram(sc, argv.html, argv.follow, argv['step-all'] !== true);
  const { result, trace } = out;
  const warning = runWarning(result);
  if (warning !== null) note(warning);
  if (argv.json === true) process.stdout.write(`${JSON.stringify({ ...result, replay: replayCommand(sc) })}\n`);
  else
    process.stdout.write(
      formatRunText(result, trace, replayCommand(sc), styleFor(process.stdout), { horizonNote, mechanisms: mechanismsOf(sc)?.mechanisms ?? [] }),
    );
};
