import type { Knob } from './knob.js';

/**
 * livesim's own network settings, shared by every model. The default is a LAN: one-way latency
 * uniform in [0.2 ms, 1 ms] (same-datacenter RTTs of a few hundred µs to ~2 ms), no loss.
 */
export const NETWORK_KNOBS: readonly Knob[] = [
  {
    key: 'net.latency',
    type: 'text',
    default: 'uniform:200us..1ms',
    format: 'fixed:D | uniform:MIN..MAX | lognormal:MEDIAN/SIGMA/MAX',
    description: 'one-way latency of every link direction',
    source: 'livesim LAN preset: same-datacenter one-way latency 0.2-1 ms',
  },
  {
    key: 'net.loss',
    type: 'number',
    default: 0,
    min: 0,
    max: 1,
    description: 'probability that a datagram is lost, per datagram, on every link',
    source: 'livesim LAN preset: no loss',
  },
];
