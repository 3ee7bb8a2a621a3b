import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, ensureBuilt, expectUsageError, runCli, runCliBatch } from './cli-harness.js';

/**
 * The CLI's contract as a user meets it: exit 0 for a valid run, exit 2 with exactly one line on
 * stderr (no stack trace) for bad input, `--json` is one object, and the same command gives the
 * same bytes. Uses the compiled CLI (`npm test` builds first; built here if missing). The main
 * paths and a few errors run as real processes; the full table of bad inputs runs batched in one
 * child (see cli-harness.ts), and one case of it is checked against a real process.
 */
const RUN = ['run', '--model', 'nacos-v1', '--until', '2m'];
let scDir = '';

beforeAll(() => {
  ensureBuilt();
  scDir = mkdtempSync(join(tmpdir(), 'livesim-cli-ok-'));
});
afterAll(() => {
  if (scDir !== '') rmSync(scDir, { recursive: true, force: true });
});

describe.concurrent('livesim CLI: valid input', () => {
  it('run exits 0 and prints a timeline', async () => {
    const r = await runCli([...RUN, '--fault', 'cut@60s']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('nacos-v1');
  });

  it('run --json prints exactly one JSON object with the contract fields', async () => {
    const r = await runCli(['run', '--model', 'nacos-v1', '--fault', 'cut@60s', '--until', '5m', '--seed', '1', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.endsWith('\n')).toBe(true);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(1);
    const o = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(o).toMatchObject({ model: 'nacos-v1', seed: 1, faults: ['cut@60s'] });
    for (const k of ['config', 'metrics', 'traceHash']) expect(o).toHaveProperty(k);
    expect(o.traceHash).toMatch(/^[0-9a-f]{64}$/);
    expect((o.config as Record<string, unknown>)['preserved.ip.delete.timeout']).toBe(30_000);
  });

  it('the same command twice gives byte-identical stdout (json, text and trace)', async () => {
    const base = [...RUN, '--fault', 'cut@60s', '--seed', '7', '--set', 'net.latency=lognormal:2ms/0.5/50ms'];
    for (const extra of [['--json'], [], ['--trace']]) {
      const [a, b] = await Promise.all([runCli([...base, ...extra]), runCli([...base, ...extra])]);
      expect(a.code).toBe(0);
      expect(a.stdout.length).toBeGreaterThan(0);
      expect(b.stdout).toBe(a.stdout);
    }
  });

  it('a different seed with random latency changes the trace hash', async () => {
    const [a, b] = await Promise.all([runCli([...RUN, '--seed', '1', '--json']), runCli([...RUN, '--seed', '2', '--json'])]);
    expect(JSON.parse(a.stdout).traceHash).not.toBe(JSON.parse(b.stdout).traceHash);
  });

  it('run --check-determinism exits 0', async () => {
    const r = await runCli([...RUN, '--fault', 'cut@60s', '--check-determinism']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^deterministic/);
  });

  it('a scenario file gives the same run as the same flags, and flags override it', async () => {
    const sc = join(scDir, 'ok.json');
    writeFileSync(sc, JSON.stringify({ model: 'nacos-v1', seed: 3, until: '2m', faults: ['cut@60s'], set: { 'preserved.ip.delete.timeout': '40s' } }));
    const [viaFile, viaFlags, overridden] = await Promise.all([
      runCli(['run', '--scenario', sc, '--json']),
      runCli(['run', '--model', 'nacos-v1', '--seed', '3', '--until', '2m', '--fault', 'cut@60s', '--set', 'preserved.ip.delete.timeout=40s', '--json']),
      runCli(['run', '--scenario', sc, '--seed', '4', '--json']),
    ]);
    expect(viaFile.code, viaFile.stderr).toBe(0);
    expect(viaFile.stdout).toBe(viaFlags.stdout);
    expect(JSON.parse(overridden.stdout).seed).toBe(4);
  });

  it('models and schema exit 0; schema is valid JSON Schema of the scenario file', async () => {
    const [models, schema, help] = await Promise.all([runCli(['models']), runCli(['schema']), runCli(['--help'])]);
    expect(models.code).toBe(0);
    expect(models.stdout).toContain('preserved.heart.beat.interval');
    expect(schema.code).toBe(0);
    const s = JSON.parse(schema.stdout) as { type?: string; properties?: Record<string, unknown> };
    expect(s.type).toBe('object');
    expect(Object.keys(s.properties ?? {})).toEqual(expect.arrayContaining(['model', 'seed', 'until', 'faults', 'set']));
    expect(help.code).toBe(0);
  });
});

describe('livesim CLI: bad input exits 2 with one line and no stack trace', () => {
  const cases: [string, string[], string[]][] = [
    ['unknown model', ['run', '--model', 'nacos-v9'], ["--model 'nacos-v9' is not accepted", 'nacos-v1']],
    ['missing --model', ['run'], ['--model is required']],
    ['bad duration', ['run', '--model', 'nacos-v1', '--until', '5x'], ["'5x' is not a duration"]],
    ['negative duration', ['run', '--model', 'nacos-v1', '--until', '-5s'], ['negative']],
    ['zero horizon', ['run', '--model', 'nacos-v1', '--until', '0'], ['positive']],
    ['--until twice', [...RUN, '--until', '3m'], ['--until given more than once']],
    ['too long a horizon', ['run', '--model', 'nacos-v1', '--until', '400d'], ['too long']],
    ['unknown --set key', [...RUN, '--set', 'preserved.heart.beat.intervl=5s'], ['unknown setting', 'did you mean preserved.heart.beat.interval']],
    ['--set without =', [...RUN, '--set', 'ephemeral'], ['KEY=VALUE']],
    ['bad --set value', [...RUN, '--set', 'ephemeral=yes'], ['not a boolean', 'true, false']],
    ['illegal config (Nacos rule)', [...RUN, '--set', 'preserved.heart.beat.interval=20s'], ['heart beat interval']],
    ['malformed fault', [...RUN, '--fault', 'cut@sixty'], ["fault 'cut@sixty'"]],
    ['unknown fault kind', [...RUN, '--fault', 'meteor@60s'], ["unknown kind 'meteor'"]],
    ['fault without start', [...RUN, '--fault', 'cut'], ['needs @START']],
    ['--seed -1', [...RUN, '--seed', '-1'], ['--seed', '0 to 4294967295']],
    ['--seed 1.5', [...RUN, '--seed', '1.5'], ['--seed', 'whole number']],
    ['--seed abc', [...RUN, '--seed', 'abc'], ['--seed', 'whole number']],
    ['--seed empty', [...RUN, '--seed='], ['--seed', 'whole number']],
    ['--seed hex', [...RUN, '--seed', '0x10'], ['--seed', 'whole number']],
    ['--seed too big', [...RUN, '--seed', '4294967296'], ['--seed', '0 to 4294967295']],
    ['--clients 0', [...RUN, '--clients', '0'], ['--clients', '1 to 100000']],
    ['--clients huge', [...RUN, '--clients', '99999999999'], ['--clients', '1 to 100000']],
    ['--clients NaN', [...RUN, '--clients', 'NaN'], ['--clients', 'whole number']],
    ['--servers too many', [...RUN, '--servers', '50'], ['--servers']],
    ['--seed without a value', [...RUN, '--seed'], ['seed']],
    ['--seed twice', [...RUN, '--seed', '1', '--seed', '2'], ['--seed given more than once']],
    ['unknown flag', [...RUN, '--frobnicate'], ['frobnicate']],
    ['unknown command', ['fly'], []],
    ['no command', [], ['command']],
    ['--json with --trace', [...RUN, '--json', '--trace'], ['json', 'trace']],
    ['unknown client version', [...RUN, '--client-version', '9.9.9'], ['--client-version']],
  ];
  let dir = '';
  const file = (name: string, content: string | Buffer): string => {
    const p = join(dir, name);
    writeFileSync(p, content);
    return p;
  };
  let results: CliResult[] = [];
  let fileCases: [string, string[], string[]][] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'livesim-cli-'));
    fileCases = [
      ['missing file', ['--scenario', join(dir, 'missing.json')], ['cannot read it']],
      ['not JSON', ['--scenario', file('notjson.json', '{"model": "nacos-v1",\n oops}')], ['not JSON']],
      ['unknown field', ['--scenario', file('unknown.json', '{"model":"nacos-v1","sed":1}')], ["unknown field 'sed'", 'accepted:']],
      ['wrong type', ['--scenario', file('type.json', '{"model":"nacos-v1","clients":"many"}')], ['clients', '1 to 100000']],
      ['not an object', ['--scenario', file('array.json', '[1,2]')], ['expected object']],
      ['no model', ['--scenario', file('nomodel.json', '{}')], ['model is required']],
      ['non-UTF-8', ['--scenario', file('latin1.json', Buffer.from([0x7b, 0x22, 0x6d, 0xe9, 0x22, 0x3a, 0x31, 0x7d]))], ['not UTF-8']],
      ['deep nesting', ['--scenario', file('deep.json', `{"model":"nacos-v1","set":{"a":${'['.repeat(20000)}${']'.repeat(20000)}}}`)], ['set']],
      ['a directory', ['--scenario', dir], ['not a regular file']],
      ['too large', ['--scenario', file('huge.json', `{"model":"nacos-v1","$schema":"${'x'.repeat(1_100_000)}"}`)], ['larger than 1048576 bytes']],
      ['bad fault in a file', ['--scenario', file('fault.json', '{"model":"nacos-v1","faults":["cut@-1s"]}')], ['negative']],
    ].map(([name, args, parts]) => [name as string, ['run', ...(args as string[])], parts as string[]]);
    results = await runCliBatch([...cases, ...fileCases].map(([, args]) => args));
  }, 120_000);
  afterAll(() => {
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  for (const [i, [name]] of cases.entries()) {
    it(name, () => {
      const [, args, parts] = cases[i] as [string, string[], string[]];
      expectUsageError(results[i] as CliResult, args, ...parts);
    });
  }
  it('scenario files: missing, not JSON, unknown field, wrong type, non-UTF-8, deep nesting, not a regular file', () => {
    for (const [k, [name, args, parts]] of fileCases.entries()) {
      expect(name).not.toBe('');
      expectUsageError(results[cases.length + k] as CliResult, args, ...parts);
    }
  });

  it('a real process gives the same: exit 2, the same single line', async () => {
    for (const i of [0, 2, 14]) {
      const [, args] = cases[i] as [string, string[], string[]];
      const real = await runCli(args);
      expectUsageError(real, args);
      expect(real.stderr).toBe((results[i] as CliResult).stderr);
    }
  });
});
