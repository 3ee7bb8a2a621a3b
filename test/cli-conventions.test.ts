import { stripVTControlCharacters } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { MODEL_IDS } from '../cli/commands/run.js';
import { colorLevel } from '../cli/style.js';
import { MODELS } from '../src/models/registry.js';
import { type CliResult, ensureBuilt, expectUsageError, runCliBatch } from './cli-harness.js';

/**
 * Issue 16 item 4: the CLI behaves as users of hyperfine, ripgrep and kubectl expect. Help on
 * every command in every spelling, "did you mean" for commands, flags and choices, required
 * flags and number types marked in --help, one-line errors for yargs' own failures, colour and
 * --quiet, shell completion, warnings for a run with nothing to detect. The scripted terminal
 * session (Ctrl-C, cursor, colour on a TTY) is test/terminal-session.test.ts.
 */
const CASES: Record<string, readonly string[]> = {
  h: ['-h'],
  help: ['--help'],
  runH: ['run', '-h'],
  helpRun: ['help', 'run'],
  helpSweepMerge: ['help', 'sweep', 'merge'],
  sweepMergeHelp: ['sweep', 'merge', '--help'],
  helpTypo: ['help', 'runn'],
  commandTypo: ['runn', '--model', 'nacos-v1'],
  flagTypo: ['run', '--modle', 'nacos-v1'],
  twoTypos: ['run', '--model', 'nacos-v1', '--untill', '5m', '--sed', '2'],
  modelTypo: ['run', '--model', 'nacos-v3'],
  symptom: ['diagnose', '--model', 'nacos-v2', '--symptom', 'gone'],
  reportNoFile: ['report'],
  reportNoOut: ['report', 'x.jsonl'],
  mergeNoFile: ['sweep', 'merge'],
  subTypo: ['sweep', 'merg'],
  stray: ['run', '--model', 'nacos-v1', 'extra'],
  noValue: ['run', '--model', 'nacos-v1', '--seed'],
  color: ['run', '--model', 'nacos-v1', '--color', 'blue'],
  noModel: ['run'],
  completion: ['completion'],
  completeCommands: ['--get-yargs-completions', 'livesim', 'ru'],
  noFault: ['run', '--model', 'nacos-v1', '--until', '1m'],
  faultPastHorizon: ['run', '--model', 'nacos-v1', '--until', '1m', '--fault', 'cut@5m'],
  quietNoFault: ['run', '--model', 'nacos-v1', '--until', '1m', '--quiet'],
  colorAlways: ['run', '--model', 'nacos-v1', '--until', '1m', '--fault', 'cut@30s', '--color=always'],
  colorNeverForced: ['run', '--model', 'nacos-v1', '--until', '1m', '--fault', 'cut@30s', '--color=never'],
};
const NAMES = Object.keys(CASES);
const r: Record<string, CliResult> = {};

beforeAll(async () => {
  ensureBuilt();
  const results = await runCliBatch(NAMES.map((n) => CASES[n] as readonly string[]));
  NAMES.forEach((n, i) => {
    r[n] = results[i] as CliResult;
  });
});

const ok = (name: string): CliResult => {
  const res = r[name] as CliResult;
  expect(res.code, `${name}: ${res.stderr}`).toBe(0);
  return res;
};
const bad = (name: string, ...parts: string[]): void => expectUsageError(r[name] as CliResult, CASES[name] as readonly string[], ...parts);

describe('livesim CLI conventions › help', () => {
  it('-h, --help, run -h and help run all print help and exit 0', () => {
    expect(ok('h').stdout).toContain('Commands:');
    expect(ok('h').stdout).toBe(ok('help').stdout);
    expect(ok('runH').stdout).toContain('--model');
    expect(ok('helpRun').stdout).toBe(ok('runH').stdout);
    expect(ok('helpSweepMerge').stdout).toBe(ok('sweepMergeHelp').stdout);
  });

  it('marks --model required and shows whole-number flags as numbers, with their defaults', () => {
    const help = ok('runH').stdout;
    const line = (flag: string): string => help.slice(help.indexOf(`--${flag} `), help.indexOf('\n      --', help.indexOf(`--${flag} `) + 1));
    expect(line('model')).toContain('[required]');
    // yargs wraps a long choices list onto the next line: compare with the whitespace folded.
    expect(line('model').replace(/\s+/g, ' ')).toContain('[choices: "nacos-v1", "nacos-v2", "eureka", "zookeeper", "consul", "etcd", "kubernetes"]');
    expect(line('seed')).toMatch(/\[number\] \[default: 1\]/);
    expect(help).not.toMatch(/--seed[^\n]*\[string\]/);
  });

  it('sweep merge --help lists only the flags that apply to merging', () => {
    const help = ok('sweepMergeHelp').stdout;
    const listed = [...help.matchAll(/^ {2}(?:-\w, )? *(--[\w-]+)/gm)].map((m) => m[1]);
    expect(listed.sort()).toEqual(['--color', '--force', '--help', '--json', '--out', '--quiet', '--version']);
  });

  it('the models the CLI lists are the registry', () => {
    expect([...MODEL_IDS]).toEqual(MODELS.map((m) => m.id));
  });
});

describe('livesim CLI conventions › mistakes get one line, with what was meant', () => {
  it('a mistyped command or subcommand', () => {
    bad('commandTypo', "unknown command 'runn'", 'did you mean run?');
    bad('helpTypo', "unknown command 'runn'", 'did you mean run?');
    bad('subTypo', "'merg'", 'did you mean merge?');
  });
  it('a mistyped flag', () => {
    bad('flagTypo', 'unknown flag --modle', 'did you mean --model?');
    bad('twoTypos', '--untill', 'did you mean --until?', '--sed');
  });
  it('a value outside the choices lists every choice', () => {
    bad('modelTypo', "'nacos-v3'", 'did you mean nacos-v1?', 'accepted: nacos-v1, nacos-v2');
    bad('symptom', "--symptom 'gone'", 'accepted: never-removed, slow-removal, false-removal, consumers-still-call');
    bad('color', 'accepted: auto, always, never');
  });
  it("yargs' own failures are rewritten: no positional, no value, a stray argument, a required flag", () => {
    bad('reportNoFile', 'report: name at least one sweep file', 'livesim report FILE.jsonl… --out DIR');
    bad('reportNoOut', '--out is required');
    bad('mergeNoFile', 'sweep merge: name the shard files');
    bad('noValue', '--seed needs a value');
    bad('stray', "unexpected argument 'extra'");
    bad('noModel', '--model is required', 'nacos-v1, nacos-v2', '--scenario');
    for (const n of NAMES) expect((r[n] as CliResult).stderr, n).not.toMatch(/Not enough non-option|Invalid values|Unknown argument|Did you mean/);
  });
});

describe('livesim CLI conventions › output', () => {
  it('a run without a fault, or with one past the horizon, warns and prints no subscriber line', () => {
    expect(ok('noFault').stderr).toMatch(/^warning: no fault given/);
    expect(ok('faultPastHorizon').stderr).toMatch(/^warning: no fault starts within the horizon \(until 60s\): cut@5m/);
    for (const n of ['noFault', 'faultPastHorizon']) {
      expect(ok(n).stdout).not.toContain('stops seeing');
      expect(ok(n).stdout).toContain('detection – · stale –');
    }
    expect(ok('quietNoFault').stderr).toBe('');
  });

  it('--color=always colours a pipe, --color=never does not (the harness sets FORCE_COLOR=0)', () => {
    expect(ok('colorAlways').stdout).toContain('\x1b[');
    expect(ok('colorNeverForced').stdout).not.toContain('\x1b');
    expect(ok('colorNeverForced').stdout).toBe(stripVTControlCharacters(ok('colorAlways').stdout));
  });

  it('colour levels follow --color, then NO_COLOR, then FORCE_COLOR, then the terminal', () => {
    const tty = { isTTY: true };
    const pipe = { isTTY: false };
    expect(colorLevel(tty, {}, 'auto')).toBe(1);
    expect(colorLevel(pipe, {}, 'auto')).toBe(0);
    expect(colorLevel(tty, { NO_COLOR: '1' }, 'auto')).toBe(0);
    expect(colorLevel(tty, { NO_COLOR: '' }, 'auto')).toBe(1);
    expect(colorLevel(pipe, { FORCE_COLOR: '1' }, 'auto')).toBe(1);
    expect(colorLevel(pipe, { FORCE_COLOR: '3' }, 'auto')).toBe(3);
    expect(colorLevel(tty, { FORCE_COLOR: '0' }, 'auto')).toBe(0);
    expect(colorLevel(tty, { NO_COLOR: '1', FORCE_COLOR: '1' }, 'auto')).toBe(0);
    expect(colorLevel(pipe, { NO_COLOR: '1' }, 'always')).toBe(1);
    expect(colorLevel(tty, { FORCE_COLOR: '1' }, 'never')).toBe(0);
  });

  it('livesim completion prints a bash completion script that asks livesim for completions', () => {
    expect(ok('completion').stdout).toContain('livesim --get-yargs-completions');
    expect(ok('completeCommands').stdout.split('\n')).toContain('run');
  });
});
