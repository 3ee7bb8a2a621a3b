import { describe, expect, it } from 'vitest';
import { shows } from '../src/diagnose/cause.js';
import { diagnose } from '../src/diagnose/diagnose.js';
import { MODELS } from '../src/models/registry.js';
import { resolveScenario, runScenario } from '../src/scenario/run.js';
import type { ScenarioFile } from '../src/scenario/scenario.js';

const user: ScenarioFile = { model: 'nacos-v1', until: '5m' };
const run = (s: ScenarioFile) => runScenario(resolveScenario(s)).result;
const HORIZON_MS = 300_000;

describe('diagnose › every cause reproduces its symptom and its remedy removes it', () => {
  // The Nacos models' causes; the other registries' are held to their own done-when tests.
  for (const cause of MODELS.filter((m) => m.id.startsWith('nacos-')).flatMap((m) => m.analysis?.causes ?? [])) {
    it(`${cause.model} › ${cause.id}`, () => {
      const user: ScenarioFile = { model: cause.model, until: '5m' };
      // "Slow" means later than the analytic window of a plain cut under the same settings.
      const plain = run({ ...user, faults: ['cut@60s'] }).bounds?.removedFromFault;
      const slowAfterMs = plain?.kind === 'within' ? plain.interval.upperMs : undefined;
      const seen = run(cause.scenario(user));
      for (const symptom of cause.symptoms) expect(shows(symptom, seen, slowAfterMs), `${cause.id} shows ${symptom}`).toBe(true);
      // The bounds module agrees with the simulation about what the cause does to removal: a
      // never-removed cause is one whose analytic expectation is "never", or a window that opens
      // only after the horizon (2.2.x: the 2 h gRPC keep-alive).
      if (cause.symptoms.includes('never-removed')) {
        const e = seen.bounds?.removedFromFault;
        // Through a proxy there is no analytic window, and the bound says so in words.
        const saysProxy = e?.kind === 'no-bound' && e.why.includes('a proxy between client and server');
        expect(e?.kind === 'never' || (e?.kind === 'within' && e.interval.lowerMs > HORIZON_MS) || saysProxy, `${cause.id}: ${JSON.stringify(e)}`).toBe(true);
      }
      const fixed = run(cause.remedy.apply(cause.scenario(user)));
      for (const symptom of cause.symptoms) expect(shows(symptom, fixed, slowAfterMs), `${cause.id} remedy cures ${symptom}`).toBe(false);
      // After the remedy, removal (if the fault calls for one) lies inside the analytic window.
      const window = fixed.bounds?.removedFromFault;
      if (window?.kind === 'within' && fixed.metrics.detectionMs !== null) {
        expect(fixed.metrics.detectionMs).toBeGreaterThan(window.interval.lowerMs);
        expect(fixed.metrics.detectionMs).toBeLessThanOrEqual(window.interval.upperMs);
      }
    });
  }
});

describe('nacos-v1 › diagnose › ranking', () => {
  it('names the persistent instance first when the user registered ephemeral=false', () => {
    const d = diagnose({ ...user, set: { ephemeral: 'false' } }, 'never-removed');
    expect(d.causes[0]?.id).toBe('v1-persistent-instance');
    expect(d.causes[0]?.inYourSettings).toBe(true);
    expect(d.causes[0]?.reproduces).toBe(true);
    expect(d.baseline.detectionMs).toBeNull();
  });

  it('judges hypotheses with the present causes cured, so each stands on its own', () => {
    const d = diagnose({ ...user, set: { ephemeral: 'false' } }, 'never-removed');
    const expire = d.causes.find((c) => c.id === 'v1-expire-instance-off');
    expect(expire?.inYourSettings).toBe(false);
    expect(expire?.remedy.fixes).toBe(true);
  });

  it('with default settings no cause is in the user settings and the cut is removed', () => {
    const d = diagnose(user, 'never-removed');
    expect(d.causes.every((c) => !c.inYourSettings)).toBe(true);
    expect(d.baseline.detectionMs).not.toBeNull();
  });
});
