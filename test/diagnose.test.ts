import { describe, expect, it } from 'vitest';
import { shows } from '../src/diagnose/cause.js';
import { V1_CAUSES } from '../src/diagnose/causes-v1.js';
import { diagnose } from '../src/diagnose/diagnose.js';
import { resolveScenario, runScenario } from '../src/scenario/run.js';
import type { ScenarioFile } from '../src/scenario/scenario.js';

const user: ScenarioFile = { model: 'nacos-v1', until: '5m' };
const run = (s: ScenarioFile) => runScenario(resolveScenario(s)).result;

describe('nacos-v1 › diagnose › every cause reproduces its symptom and its remedy removes it', () => {
  for (const cause of V1_CAUSES) {
    it(`${cause.id}`, () => {
      const seen = run(cause.scenario(user));
      for (const symptom of cause.symptoms) expect(shows(symptom, seen), `${cause.id} shows ${symptom}`).toBe(true);
      // The bounds module agrees with the simulation about what the cause does to removal:
      // a never-removed cause is one whose analytic expectation is "never".
      if (cause.symptoms.includes('never-removed')) expect(seen.bounds?.removedFromFault.kind).toBe('never');
      const fixed = run(cause.remedy.apply(cause.scenario(user)));
      for (const symptom of cause.symptoms) expect(shows(symptom, fixed), `${cause.id} remedy cures ${symptom}`).toBe(false);
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
