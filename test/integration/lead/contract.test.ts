// The lead's contract commands through the core's dispatch, as the dashboard calls them: validated requests, Result
// envelopes, and the same numbers as the functions behind `ferry progress`.
import { describe, expect, it } from 'vitest';
import type { ProgressDetail, ProjectSummary } from '../../../shared/lead.ts';
import { items, leadWorkspace, PROJECT, rawPut, writeLines } from './lead-kit.ts';

describe('lead.* commands', () => {
  it('create a project with a pool, list and get it, make batches, and read progress', async () => {
    const lead = await leadWorkspace();
    const { bucket } = lead.config;
    await rawPut(bucket, 'raw/a.png', 'a');
    await rawPut(bucket, 'raw/b.png', 'b');
    await rawPut(bucket, 'raw/c.doc', 'c');
    const created = await lead.core.dispatch('lead.project.create', { name: PROJECT, recipe: 'image.manual', labels: ['CAT'], regions: ['emea'], batchSize: 1, pool: { sources: [{ kind: 'files', uri: `s3://${bucket}/raw/` }] }, review: { stages: [{ name: 'qa', sample: 0.5 }] } });
    expect(created).toMatchObject({ ok: true, value: { project: { name: PROJECT, pool: { sources: [{ kind: 'files' }] }, review: { stages: [{ name: 'qa', sample: 0.5, reviewers: 1 }] } }, notes: [`s3://${bucket}/raw/ holds 1 file(s) Ferry cannot make tasks of; they will be skipped: raw/c.doc.`] } });
    const list = await lead.core.dispatch('lead.projects.list', {});
    expect(list).toMatchObject({ ok: true, value: { projects: [{ name: PROJECT, recipe: 'image.manual', regions: ['emea'], poolSources: 1, reviewStages: 1 } satisfies Partial<ProjectSummary>], problems: [] } });
    expect(await lead.core.dispatch('lead.project.get', { project: PROJECT })).toMatchObject({ ok: true, value: { name: PROJECT, batchSize: 1 } });

    const refill = await lead.core.dispatch('lead.batches.refill', { project: PROJECT, perRegion: 5 });
    expect(refill).toMatchObject({ ok: true, value: { created: [{ tasks: 1 }, { tasks: 1 }], regions: [{ region: 'emea', unclaimedBefore: 0, created: 2, short: 3 }] } });
    const progress = await lead.core.dispatch('lead.progress', { project: PROJECT });
    expect(progress.ok).toBe(true);
    const detail = (progress as { ok: true; value: ProgressDetail }).value;
    expect(detail.regions[0]!.batches).toMatchObject({ unclaimed: 2, total: 2 });
    expect(detail.batches.map((b) => b.status)).toEqual(['unclaimed', 'unclaimed']);
  });

  it('refuses malformed requests with a field-naming message', async () => {
    const lead = await leadWorkspace();
    const bad = await lead.core.dispatch('lead.project.create', { name: 'p', recipe: 'textcat.manual', labels: ['A'], regions: ['emea'], pool: { sources: [{ kind: 'files', uri: 's3://bucket/no-slash' }] } });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-request', message: expect.stringContaining('pool.sources.0.uri: an s3://bucket/prefix/ URI ending in "/"') } });
    const noScores = await lead.core.dispatch('lead.batches.rerank', { project: 'p' });
    expect(noScores).toMatchObject({ ok: false, error: { code: 'invalid-request', message: expect.stringContaining('scoresFile') } });
    const release = await lead.core.dispatch('lead.claims.release', { project: 'p', region: 'emea', batch: '../x' });
    expect(release).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    const pool = writeLines(lead.dir, 'pool.jsonl', items(2));
    const missing = await lead.core.dispatch('lead.batches.create', { project: 'nope', region: 'emea', poolFile: pool });
    expect(missing).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });
});
