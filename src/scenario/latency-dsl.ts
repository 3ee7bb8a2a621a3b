import type { LatencySpec } from '../sim/latency.js';
import { parseDuration } from './duration.js';
import { InputError } from './input-error.js';

const FORMS = 'fixed:D | uniform:MIN..MAX | lognormal:MEDIAN/SIGMA/MAX (e.g. uniform:200us..1ms, lognormal:20ms/0.3/200ms)';

/** Parses the `net.latency` setting into a bounded latency distribution. */
export const parseLatency = (text: string, what = 'net.latency'): LatencySpec => {
  const raw = text.trim();
  const colon = raw.indexOf(':');
  const kind = colon < 0 ? raw : raw.slice(0, colon);
  const args = colon < 0 ? '' : raw.slice(colon + 1);
  if (colon < 0) throw new InputError(`${what}: '${raw}' is not a latency (accepted: ${FORMS})`);
  if (kind === 'fixed') return { kind, us: parseDuration(args, what) };
  if (kind === 'uniform') {
    const [lo, hi, ...rest] = args.split('..');
    if (lo === undefined || hi === undefined || rest.length > 0) throw new InputError(`${what}: '${raw}' is not a latency (accepted: ${FORMS})`);
    const minUs = parseDuration(lo, what);
    const maxUs = parseDuration(hi, what);
    if (maxUs < minUs) throw new InputError(`${what}: '${raw}': MAX must not be below MIN`);
    return { kind, minUs, maxUs };
  }
  if (kind === 'lognormal') {
    const [median, sigma, max, ...rest] = args.split('/');
    const s = Number(sigma);
    if (median === undefined || max === undefined || rest.length > 0 || !(s >= 0 && s <= 5)) {
      throw new InputError(`${what}: '${raw}' is not a latency (accepted: ${FORMS}; SIGMA in [0, 5])`);
    }
    const spec: LatencySpec = { kind, medianUs: parseDuration(median, what), sigma: s, maxUs: parseDuration(max, what) };
    if (spec.maxUs < spec.medianUs) throw new InputError(`${what}: '${raw}': MAX must not be below MEDIAN`);
    return spec;
  }
  throw new InputError(`${what}: '${raw}' is not a latency (accepted: ${FORMS})`);
};
