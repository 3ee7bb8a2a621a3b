import fc from 'fast-check';
import { describe, it } from 'vitest';
import type { FaultKind } from '../../src/sim/faults.js';
import { assertProperty, propsRuns, suiteTitle, timeoutFor } from '../harness.js';
import { type SwarmModel, swarmCaseArb } from './arbitraries.js';
import { checkSwarmCase } from './checks.js';

/**
 * Swarm faults (TigerBeetle style): random scenarios with several overlapping faults — cut,
 * one-way, loss, delay, pause, flap, crash, rst, NAT idle, server pause / crash / cut, peer cut,
 * rack cut — on Nacos 1.x and 2.x, one server or three. Each case runs three times (the whole
 * trace with every event in the kernel; c1's trace with quiet stepping, twice) and must: end
 * without an exception or a livelock, be deterministic, give the same run quiet and step-all,
 * and report metrics its own trace bears out (properties/swarm/checks.ts). What the suite found
 * is in properties/swarm/README.md. CI runs a few cases per suite; `npm run props:deep` many.
 */
const RANDOM_RUNS = propsRuns(10, 2000);
const PINNED_RUNS = propsRuns(3, 300);
/** A case is three runs of 6 simulated minutes with a handful of hosts. */
const MS_PER_CASE = 1500;

const MODELS: readonly SwarmModel[] = ['nacos-v1', 'nacos-v2'];
/** The interactions the suite must cover: each pair overlaps in every case of its suite. */
const PINNED: readonly (readonly [FaultKind, FaultKind])[] = [
  ['cut', 'pause'],
  ['flap', 'server-crash'],
  ['loss', 'oneway'],
  ['pause', 'cut'],
  ['server-crash', 'flap'],
  ['oneway', 'loss'],
];

for (const model of MODELS) {
  describe(suiteTitle(`swarm › ${model} › 2-4 overlapping faults: no exception, deterministic, quiet ≡ step-all, metrics from the trace`, RANDOM_RUNS), () => {
    it(
      'random overlapping faults',
      () => {
        assertProperty(fc.property(swarmCaseArb(model), checkSwarmCase), RANDOM_RUNS);
      },
      timeoutFor(RANDOM_RUNS, MS_PER_CASE),
    );
  });
  describe(suiteTitle(`swarm › ${model} › pinned interactions (${PINNED.map((p) => p.join(' + ')).join(', ')})`, PINNED_RUNS), () => {
    for (const pair of PINNED)
      it(
        `${pair[0]} with ${pair[1]} inside it`,
        () => {
          assertProperty(fc.property(swarmCaseArb(model, pair), checkSwarmCase), PINNED_RUNS);
        },
        timeoutFor(PINNED_RUNS, MS_PER_CASE),
      );
  });
}
