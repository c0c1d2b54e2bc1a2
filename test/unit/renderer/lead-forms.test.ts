// The lead's forms as plain values: what is checked before the core is asked, the core's refusals put back on their
// field, and the day series the answers chart draws.
import { describe, expect, it } from 'vitest';
import { buildProject } from '../../../electron/projects/projects.ts';
import { dailySeries } from '../../../renderer/src/screens/lead/answers-chart.tsx';
import { checkBatching, EMPTY_BATCHING } from '../../../renderer/src/screens/lead/batching-model.ts';
import { checkNewProject, EMPTY_FORM, errorsFromCore } from '../../../renderer/src/screens/lead/new-project-model.ts';
import { Commands } from '../../../shared/api.ts';
import { FerryError } from '../../../shared/result.ts';

function coreError(run: () => unknown): { code: FerryError['code']; message: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof FerryError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected the core to refuse');
}

describe('checkNewProject', () => {
  it('turns a filled form into a request the contract accepts', () => {
    const { request, errors } = checkNewProject({ ...EMPTY_FORM, name: 'reviews', labels: 'POSITIVE, NEGATIVE, POSITIVE', regions: 'emea,\napac', batchSize: '25', leaseDays: '0.5', pool: 's3://raw/photos/\n\n/data/pool.csv' });
    expect(errors).toEqual({});
    expect(request).toEqual({ name: 'reviews', recipe: 'textcat.manual', labels: ['POSITIVE', 'NEGATIVE'], regions: ['emea', 'apac'], batchSize: 25, leaseDays: 0.5, pool: { sources: [{ kind: 'files', uri: 's3://raw/photos/' }, { kind: 'tasks', uri: '/data/pool.csv' }] } });
    expect(Commands['lead.project.create'].safeParse(request).success).toBe(true);
  });

  it('names every field that needs attention and sends nothing', () => {
    const { request, errors } = checkNewProject({ ...EMPTY_FORM, name: '-bad', labels: ' , ', regions: 'emea, ap ac', batchSize: '2.5', leaseDays: '0', pool: 's3://raw/photos' });
    expect(request).toBeNull();
    expect(Object.keys(errors).sort()).toEqual(['batchSize', 'labels', 'leaseDays', 'name', 'pool', 'regions']);
    expect(errors.regions).toEqual([expect.stringContaining('"ap ac" is not a region name')]);
    expect(errors.pool).toEqual([expect.stringContaining('Line 1 ("s3://raw/photos")')]);
  });
});

describe('errorsFromCore', () => {
  it('puts each problem of the core’s own project check next to its field', () => {
    const error = coreError(() => buildProject({ name: 'reviews', recipe: 'textcat.manual', labels: ['A'], regions: ['emea', 'a..b'], batchSize: 0, createdBy: 'lena' }));
    const placed = errorsFromCore(error);
    expect(Object.keys(placed.fields).sort()).toEqual(['batchSize', 'regions']);
    expect(placed.general).toBeNull();
  });

  it('puts "already exists" on the name and keeps what it cannot place as a general message', () => {
    expect(errorsFromCore({ code: 'conflict', message: 'Project "reviews" already exists (s3://b/projects/reviews/project.json). Choose another name or use it as it is.' }).fields.name).toHaveLength(1);
    const pool = 'The pool prefix s3://raw/photos/ holds no objects: it does not exist or is empty.';
    expect(errorsFromCore({ code: 'not-found', message: pool })).toEqual({ fields: { pool: [pool] }, general: null });
    expect(errorsFromCore({ code: 'access-denied', message: 'Access denied to s3://b/' })).toEqual({ fields: {}, general: 'Access denied to s3://b/' });
    expect(errorsFromCore({ code: 'endpoint-unreachable', message: 'The endpoint did not answer.' })).toEqual({ fields: {}, general: 'The endpoint did not answer.' });
  });
});

describe('checkBatching', () => {
  it('asks for the input each rule needs', () => {
    const errors: Record<string, string[]> = {};
    checkBatching({ ...EMPTY_BATCHING, strategy: 'margin' }, errors);
    checkBatching({ ...EMPTY_BATCHING, strategy: 'random' }, errors);
    checkBatching({ ...EMPTY_BATCHING, strategy: 'stratified' }, errors);
    expect(Object.keys(errors).sort()).toEqual(['by', 'scoresFile', 'seed']);
  });

  it('sends only the inputs of the chosen rule', () => {
    const errors: Record<string, string[]> = {};
    const request = checkBatching({ strategy: 'entropy', by: 'meta.source', seed: 'x', scoresFile: ' /s.jsonl ', poolFile: '', skipBadScores: true }, errors);
    expect(errors).toEqual({});
    expect(request).toEqual({ strategy: 'entropy', scoresFile: '/s.jsonl', skipBadScores: true });
    expect(Commands['lead.batches.create'].safeParse({ project: 'p', region: 'emea', ...request }).success).toBe(true);
  });
});

describe('dailySeries', () => {
  it('shows two weeks up to today with the days without answers as zeros', () => {
    const series = dailySeries([{ day: '2026-12-01', accept: 3, reject: 1, ignore: 1, total: 5 }, { day: 'unknown', accept: 1, reject: 0, ignore: 0, total: 1 }], new Date('2026-12-01T18:00:00Z'));
    expect(series).toHaveLength(14);
    expect(series[0]!.day).toBe('2026-11-18');
    expect(series.at(-1)).toMatchObject({ day: '2026-12-01', total: 5, accept: 3 });
    expect(series.slice(0, -1).every((p) => p.total === 0)).toBe(true);
  });

  it('reaches back to the first day with answers, up to 90 days', () => {
    expect(dailySeries([{ day: '2026-10-02', accept: 1, reject: 0, ignore: 0, total: 1 }], new Date('2026-12-01T00:00:00Z'))[0]!.day).toBe('2026-10-02');
    expect(dailySeries([{ day: '2025-01-01', accept: 1, reject: 0, ignore: 0, total: 1 }], new Date('2026-12-01T00:00:00Z'))).toHaveLength(90);
  });
});
