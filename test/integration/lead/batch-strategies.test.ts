// `batches create` with each rule: the batches hold the right items in the right order, and every manifest records the
// rule, its inputs' SHA-256 and each task's score (so a batch can be traced back to the model round that chose it).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createBatches } from '../../../electron/batches/create-batches.ts';
import { items, leadWorkspace, liveItemsOf, makeProject, PROJECT, readBatches, sha256, writeLines } from './lead-kit.ts';

describe('ranked batches from a scores file', () => {
  it('uncertainty: items closest to 0.5 first, scores and checksums in the manifest and tasks', async () => {
    const lead = await leadWorkspace();
    await makeProject(lead);
    const pool = writeLines(lead.dir, 'pool.jsonl', items(12));
    const probabilities = [0.9, 0.51, 0.1, 0.45, 0.99, 0.3, 0.62, 0.05, 0.5, 0.8, 0.7, 0.2];
    const scores = writeLines(lead.dir, 'scores.jsonl', probabilities.map((p, i) => ({ id: `doc-${String(i).padStart(3, '0')}`, score: p })));
    const result = await createBatches(lead.target, { project: PROJECT, region: 'emea', poolFile: pool, scoresFile: scores, strategy: 'uncertainty', size: 4, count: 2, createdBy: 'lena', index: lead.index });
    expect(result).toMatchObject({ strategy: 'uncertainty', skipped: 0, remaining: 4, unscored: 0, lostRaces: 0, ledgerSeq: 0 });
    const batches = (await readBatches(lead)).sort((a, b) => a.manifest.priority - b.manifest.priority);
    expect(batches.map((b) => b.manifest.items)).toEqual([
      ['doc-008', 'doc-001', 'doc-003', 'doc-006'], // 0.5, 0.51, 0.45, 0.62
      ['doc-005', 'doc-010', 'doc-009', 'doc-011'], // 0.3, 0.7, then 0.8 and 0.2 tie (pool order)
    ]);
    const first = batches[0]!.manifest;
    expect(first.strategy).toMatchObject({
      name: 'uncertainty',
      pool: { sha256: expect.stringMatching(/^[0-9a-f]{64}$/), inputs: [{ kind: 'tasks', uri: pool, sha256: sha256(readFileSync(pool)), items: 12 }] },
      scores: { file: 'scores.jsonl', sha256: sha256(readFileSync(scores)), lines: 12, matched: 12 },
      taskScores: [0.5, 0.51, 0.45, 0.62],
    });
    expect(batches[0]!.tasks.map((t) => (t.meta as { score: number }).score)).toEqual([0.5, 0.51, 0.45, 0.62]);
    expect(batches[0]!.tasks[0]).toMatchObject({ text: 'Review number 8', meta: { task_id: 'doc-008', source: 'phone' } });
  });

  it('margin and entropy rank label scores; a single score p counts as p against 1 - p', async () => {
    const lead = await leadWorkspace();
    await makeProject(lead, { labels: ['A', 'B', 'C'] });
    const pool = writeLines(lead.dir, 'pool.jsonl', items(4));
    const scores = writeLines(lead.dir, 'scores.jsonl', [
      { id: 'doc-000', scores: { A: 0.8, B: 0.1, C: 0.1 } }, // margin 0.7, low entropy
      { id: 'doc-001', scores: { A: 0.4, B: 0.38, C: 0.22 } }, // margin 0.02, high entropy
      { id: 'doc-002', score: 0.55 }, // margin 0.1, binary entropy ~0.99
      { id: 'doc-003', scores: { A: 0.34, B: 0.33, C: 0.33 } }, // margin 0.01, highest entropy
    ]);
    const margin = await createBatches(lead.target, { project: PROJECT, region: 'emea', poolFile: pool, scoresFile: scores, strategy: 'margin', size: 1, createdBy: 'lena' });
    const byPriority = async () => (await readBatches(lead)).sort((a, b) => a.manifest.priority - b.manifest.priority).map((b) => b.manifest.items[0]);
    expect(margin.created).toHaveLength(4);
    expect(await byPriority()).toEqual(['doc-003', 'doc-001', 'doc-002', 'doc-000']);

    const other = await leadWorkspace();
    await makeProject(other, { labels: ['A', 'B', 'C'] });
    await createBatches(other.target, { project: PROJECT, region: 'emea', poolFile: pool, scoresFile: scores, strategy: 'entropy', size: 1, createdBy: 'lena' });
    expect(await (async () => (await readBatches(other)).sort((a, b) => a.manifest.priority - b.manifest.priority).map((b) => b.manifest.items[0]))()).toEqual(['doc-003', 'doc-001', 'doc-002', 'doc-000']);
  });

  it('leaves items without a score out of a ranked run, and says how many', async () => {
    const lead = await leadWorkspace();
    await makeProject(lead);
    const pool = writeLines(lead.dir, 'pool.jsonl', items(6));
    const scores = writeLines(lead.dir, 'scores.jsonl', [{ id: 'doc-000', score: 0.4 }, { id: 'doc-001', score: 0.6 }]);
    const result = await createBatches(lead.target, { project: PROJECT, region: 'emea', poolFile: pool, scoresFile: scores, size: 5, createdBy: 'lena' });
    expect(result.strategy).toBe('uncertainty');
    expect(result.unscored).toBe(4);
    expect(result.created.map((c) => c.tasks)).toEqual([2]);
    expect(result.notes).toContain('4 free pool item(s) have no score in the scores file and were not ranked.');
  });
});

describe('random and stratified', () => {
  it('random with a seed gives the same batches in two buckets; another seed another order', async () => {
    const runs: string[][][] = [];
    for (const seed of ['round-7', 'round-7', 'round-8']) {
      const lead = await leadWorkspace();
      await makeProject(lead);
      await createBatches(lead.target, { project: PROJECT, region: 'emea', poolFile: writeLines(lead.dir, 'pool.jsonl', items(20)), strategy: 'random', seed, size: 5, createdBy: 'lena' });
      const batches = (await readBatches(lead)).sort((a, b) => a.manifest.priority - b.manifest.priority);
      expect(batches[0]!.manifest.strategy).toMatchObject({ name: 'random', seed });
      runs.push(batches.map((b) => [...b.manifest.items]));
    }
    expect(runs[0]).toEqual(runs[1]);
    expect(runs[0]).not.toEqual(runs[2]);
    expect(runs[0]!.flat().sort()).toEqual(items(20).map((i) => i.id));
    expect(runs[0]!.flat()).not.toEqual(items(20).map((i) => i.id)); // shuffled, not pool order
  });

  it('stratified --by meta.source deals the strata round-robin', async () => {
    const lead = await leadWorkspace();
    await makeProject(lead);
    const pool = writeLines(lead.dir, 'pool.jsonl', [...items(9), { id: 'x-1', text: 'no source' }]);
    await createBatches(lead.target, { project: PROJECT, region: 'apac', poolFile: pool, strategy: 'stratified', by: 'meta.source', size: 4, createdBy: 'lena' });
    const batches = (await readBatches(lead)).sort((a, b) => a.manifest.priority - b.manifest.priority);
    const sources = batches.map((b) => b.tasks.map((t) => (t.meta as { source?: string }).source ?? '(none)'));
    expect(sources).toEqual([
      ['(none)', 'mail', 'phone', 'web'],
      ['mail', 'phone', 'web', 'mail'],
      ['phone', 'web'],
    ]);
    expect(batches[0]!.manifest.strategy).toMatchObject({ name: 'stratified', by: 'meta.source' });
    liveItemsOf(batches);
  });
});

describe('the item index across runs', () => {
  it('never puts an item into two live batches, across runs, regions and rules', async () => {
    const lead = await leadWorkspace();
    await makeProject(lead);
    const pool = writeLines(lead.dir, 'pool.jsonl', items(23));
    const scores = writeLines(lead.dir, 'scores.jsonl', items(23).map((it, i) => ({ id: it.id, score: (i * 37) % 100 / 100 })));
    await createBatches(lead.target, { project: PROJECT, region: 'emea', poolFile: pool, size: 5, count: 1, createdBy: 'lena', index: lead.index });
    await createBatches(lead.target, { project: PROJECT, region: 'apac', poolFile: pool, scoresFile: scores, size: 5, count: 2, createdBy: 'lena', index: lead.index });
    await createBatches(lead.target, { project: PROJECT, region: 'emea', poolFile: pool, strategy: 'random', seed: 's', size: 5, createdBy: 'lena' }); // no index: reads the ledger from S3
    const last = await createBatches(lead.target, { project: PROJECT, region: 'apac', poolFile: pool, size: 5, createdBy: 'lena', index: lead.index });
    expect(last.created).toEqual([]);
    expect(last.skipped).toBe(23);
    const owner = liveItemsOf(await readBatches(lead));
    expect(owner.size).toBe(23);
    // emea's second run (the 8 items left: 5 + 3) queued behind its first batch
    const emea = (await readBatches(lead)).filter((b) => b.region === 'emea').sort((a, b) => a.manifest.priority - b.manifest.priority);
    expect(emea.map((b) => [b.batch.slice(0, 6), b.manifest.tasks.count])).toEqual([['000000', 5], ['000001', 5], ['000002', 3]]);
  });
});
