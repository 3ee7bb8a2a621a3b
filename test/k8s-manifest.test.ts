import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { ROOT } from './cli-harness.js';

/**
 * The Kubernetes Indexed Job of docs/scaling.md (issue 22 item 4), kept in
 * docs/scaling/indexed-job.yaml and shown verbatim in the doc: every object is validated against
 * the Kubernetes API schema by kubernetes-models (JSON schemas generated from the Kubernetes
 * OpenAPI spec, compiled into the package: no cluster and no download), and the sweep and the
 * merge must agree on shards, files and the volume.
 */
const FILE = join(ROOT, 'docs', 'scaling', 'indexed-job.yaml');
const TEXT = readFileSync(FILE, 'utf8');

/** The model class for each apiVersion/kind the manifest may use; anything else is refused. */
const MODELS: Record<string, (data: object) => { validate(): void }> = {
  'v1/PersistentVolumeClaim': (d) => new PersistentVolumeClaim(d as never),
  'batch/v1/Job': (d) => new Job(d as never),
};

type Obj = { apiVersion: string; kind: string; metadata: { name: string }; spec: Record<string, unknown> };

const objects = (text: string): Obj[] =>
  parseAllDocuments(text).map((doc) => {
    expect(doc.errors, 'YAML errors').toEqual([]);
    return doc.toJS() as Obj;
  });

/** Throws the schema's complaint when `o` is not a valid object of its kind. */
const validate = (o: Obj): void => {
  const model = MODELS[`${o.apiVersion}/${o.kind}`];
  if (model === undefined) throw new Error(`no schema here for ${o.apiVersion} ${o.kind}`);
  model(o).validate();
};

const container = (job: Obj): { args: string[]; volumeMounts: { name: string; mountPath: string }[] } =>
  (job.spec.template as { spec: { containers: { args: string[]; volumeMounts: { name: string; mountPath: string }[] }[] } }).spec.containers[0] as never;

describe('the Kubernetes Indexed Job of docs/scaling.md', () => {
  it('is the file docs/scaling.md shows, verbatim', () => {
    expect(readFileSync(join(ROOT, 'docs', 'scaling.md'), 'utf8')).toContain(`\`\`\`yaml\n${TEXT}\`\`\`\n`);
  });

  it('every object is valid against the Kubernetes API schema', () => {
    const all = objects(TEXT);
    expect(all.map((o) => `${o.apiVersion} ${o.kind} ${o.metadata.name}`)).toEqual([
      'v1 PersistentVolumeClaim livesim-results',
      'batch/v1 Job livesim-sweep',
      'batch/v1 Job livesim-merge',
    ]);
    for (const o of all) expect(() => validate(o), o.metadata.name).not.toThrow();
  });

  it('the sweep runs shard index + 1 of `completions`, resumable, into the claimed volume, and the merge reads those files', () => {
    const [pvc, sweep, merge] = objects(TEXT) as [Obj, Obj, Obj];
    expect(sweep.spec.completionMode).toBe('Indexed');
    const command = container(sweep).args.join(' ');
    // JOB_COMPLETION_INDEX is 0-based; shards are 1-based (`--shard I/N`, docs/scaling.md).
    expect(command).toContain('I=$((JOB_COMPLETION_INDEX + 1))');
    expect(command).toContain(`--shard $I/${sweep.spec.completions as number}`);
    expect(command).toContain('--resume');
    const out = /--out (\S+)shard-\$I\.jsonl/.exec(command)?.[1];
    expect(out).toBe(`${container(sweep).volumeMounts[0]?.mountPath}/`);
    expect(container(merge).args.join(' ')).toContain(`sweep merge ${out}shard-*.jsonl`);
    for (const job of [sweep, merge]) {
      const volumes = (job.spec.template as { spec: { volumes: { persistentVolumeClaim: { claimName: string } }[] } }).spec.volumes;
      expect(volumes[0]?.persistentVolumeClaim.claimName).toBe(pvc.metadata.name);
    }
  });

  it('the validator refuses what the API server would: a string count, an unknown completion mode, a pod without containers', () => {
    const sweep = objects(TEXT)[1] as Obj;
    const broken = (spec: Record<string, unknown>): Obj => ({ ...sweep, spec: { ...sweep.spec, ...spec } });
    expect(() => validate(broken({ completions: '8' }))).toThrow(/completions must be integer/);
    expect(() => validate(broken({ completionMode: 'Indexd' }))).toThrow(/completionMode must be equal to one of the allowed values/);
    expect(() => validate(broken({ template: { spec: { restartPolicy: 'Never' } } }))).toThrow(/must have required property .?containers/);
  });
});
