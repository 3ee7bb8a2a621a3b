import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fieldCausesMarkdown } from '../src/diagnose/field-causes-doc.js';
import { MODELS } from '../src/models/registry.js';

/**
 * docs/field-causes.md is the catalogue diagnose runs (issue 17 item 7): equal to what the
 * generator writes from the causes' table (rerun `npm run docs:causes` after changing a cause),
 * and naming every cause of every model's `analysis.causes`.
 */
describe('docs/field-causes.md', () => {
  const doc = readFileSync(new URL('../docs/field-causes.md', import.meta.url), 'utf8');
  it('is what the generator writes from the causes diagnose knows', () => {
    expect(doc).toBe(fieldCausesMarkdown());
  });
  it('names every cause of every model', () => {
    const ids = MODELS.flatMap((m) => m.analysis?.causes ?? []).map((c) => c.id);
    for (const id of ids) expect(doc, id).toContain(`### \`${id}\``);
  });
});
