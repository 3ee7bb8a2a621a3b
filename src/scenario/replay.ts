import { formatVersion } from '../models/version.js';
import { formatDuration } from './duration.js';
import type { Scenario } from './run.js';

/** Settings that differ from the model's defaults, in table order: what a replay must repeat. */
export const changedSettings = (sc: Scenario): [string, string][] =>
  sc.model.knobs.filter((k) => sc.config[k.key] !== k.default).map((k) => [k.key, formatSetting(sc.config[k.key])]);

const formatSetting = (v: unknown): string => (typeof v === 'number' ? `${v}` : String(v));

const quote = (s: string): string => (/^[\w.,:@/=+-]+$/.test(s) ? s : `'${s.replaceAll("'", "'\\''")}'`);

/** One line that reproduces a run exactly: paste it into a shell. */
export const replayCommand = (sc: Scenario): string => {
  const parts = ['livesim', 'run', '--model', sc.model.id, '--seed', String(sc.seed), '--until', formatDuration(sc.untilUs)];
  if (sc.clients !== 1) parts.push('--clients', String(sc.clients));
  if (sc.subscribers !== 1) parts.push('--subscribers', String(sc.subscribers));
  if (sc.servers !== 1) parts.push('--servers', String(sc.servers));
  if (formatVersion(sc.clientVersion) !== sc.model.defaultVersion) parts.push('--client-version', formatVersion(sc.clientVersion));
  if (formatVersion(sc.serverVersion) !== sc.model.defaultVersion) parts.push('--server-version', formatVersion(sc.serverVersion));
  for (const [k, v] of changedSettings(sc)) parts.push('--set', `${k}=${v}`);
  for (const f of sc.faults) parts.push('--fault', f.text);
  return parts.map(quote).join(' ');
};
