// `ferry batches rerank` after a new model round: unclaimed batches are retired (a retirement record at the claim key)
// and rebuilt from the free pool by the new scores; claimed batches are never touched, and an annotator who claims a
// batch while the rerank runs keeps it (claim and retirement race for one key; one wins).
import { describe, expect, it } from 'vitest';
import { createBatches } from '../../../electron/batches/create-batches.ts';
import { rerankBatches } from '../../../electron/batches/rerank.ts';
import { claimNextBatch } from '../../../electron/claims/claim-batch.ts';
import { startFaultProxy } from '../../helpers/s3-fault-proxy.ts';
import { freshBucket, s3Endpoint } from '../../helpers/s3-fixture.ts';
import { items, leadWorkspace, liveItemsOf, makeProject, PROJECT, rawPut, readBatches, writeLines } from './lead-kit.ts';

const scoresFor = (ids: readonly string[], p: (i: number) => number) => ids.map((id, i) => ({ id, score: p(i) }));

describe('rerank', () => {
  it('retires only unclaimed batches and rebuilds them by the new scores', async () => {
    const lead = await leadWorkspace();
    await makeProject(lead, { batchSize: 3 });
    const ids = items(15).map((i) => i.id);
    const pool = writeLines(lead.dir, 'pool.jsonl', items(15));
    // Round 1: the first items are the uncertain ones.
    const round1 = writeLines(lead.dir, 'round1.jsonl', scoresFor(ids, (i) => (i < 9 ? 0.5 + i / 100 : 0.99)));
    await createBatches(lead.target, { project: PROJECT, region: 'emea', poolFile: pool, scoresFile: round1, count: 3, createdBy: 'lena', index: lead.index });
    const before = (await readBatches(lead)).sort((a, b) => a.manifest.priority - b.manifest.priority);
    const held = before[0]!;
    const claimBody = JSON.stringify({ kind: 'ferry.claim', version: 1, project: PROJECT, region: 'emea', batch: held.batch, annotator: 'ana', claimedAt: new Date().toISOString(), leaseUntil: new Date(Date.now() + 864e5).toISOString(), appVersion: 't' });
    await rawPut(lead.config.bucket, `${lead.config.prefix}projects/${PROJECT}/claims/emea/${held.batch}.json`, claimBody);

    // Round 2: the model now doubts the last items most.
    const round2 = writeLines(lead.dir, 'round2.jsonl', scoresFor(ids, (i) => (i >= 9 ? 0.5 + (14 - i) / 100 : 0.98)));
    const result = await rerankBatches(lead.target, { project: PROJECT, scoresFile: round2, poolFile: pool, createdBy: 'lena', index: lead.index });
    expect(result.retired).toEqual([before[1]!, before[2]!].map((b) => ({ region: 'emea', batch: b.batch })).sort((a, b) => (a.batch < b.batch ? -1 : 1)));
    expect(result.kept).toEqual([]);
    expect(result.created).toHaveLength(2);
    expect(result.strategy).toBe('uncertainty');

    const after = await readBatches(lead);
    const heldNow = after.find((b) => b.batch === held.batch)!;
    expect(heldNow.claim).toEqual(JSON.parse(claimBody)); // untouched
    for (const b of [before[1]!, before[2]!]) expect(after.find((x) => x.batch === b.batch)!.claim).toMatchObject({ kind: 'ferry.retired', ledgerSeq: result.retireSeq, retiredBy: 'lena' });
    const fresh = after.filter((b) => result.created.some((c) => c.batch === b.batch)).sort((a, b) => a.manifest.priority - b.manifest.priority);
    expect(fresh.map((b) => b.manifest.items)).toEqual([['doc-014', 'doc-013', 'doc-012'], ['doc-011', 'doc-010', 'doc-009']]);
    expect(fresh[0]!.manifest.strategy).toMatchObject({ scores: { file: 'round2.jsonl' } });
    expect(liveItemsOf(after).size).toBe(9);
    // Annotators never get a retired batch.
    const got = await claimNextBatch(lead.target, { annotator: 'bo', region: 'emea', project: PROJECT, appVersion: 't' });
    expect(result.created.map((c) => c.batch)).toContain(got.manifest.batch);
  });

  it('an annotator who claims a batch while the rerank runs keeps it', async () => {
    const proxy = await startFaultProxy(s3Endpoint());
    try {
      const bucket = await freshBucket();
      const lead = await leadWorkspace({ bucket, endpoint: proxy.endpoint });
      const direct = await leadWorkspace({ bucket }); // the annotator's app talks to S3 directly
      await makeProject(lead, { batchSize: 2 });
      const ids = items(10).map((i) => i.id);
      const pool = writeLines(lead.dir, 'pool.jsonl', items(10));
      await createBatches(lead.target, { project: PROJECT, region: 'apac', poolFile: pool, count: 3, createdBy: 'lena' });
      let annotatorDone: () => void = () => undefined;
      const claimed = new Promise<void>((resolve) => (annotatorDone = resolve));
      proxy.setRules([{ match: { kinds: ['put-object'], keyIncludes: '/claims/' }, action: { kind: 'hold', until: claimed } }]);
      const rerank = rerankBatches(lead.target, { project: PROJECT, regions: ['apac'], scoresFile: writeLines(lead.dir, 's.jsonl', scoresFor(ids, (i) => i / 10)), poolFile: pool, createdBy: 'lena' });
      // Once the rerank is trying to retire, the annotator claims the first batch.
      await new Promise<void>((resolve) => {
        const t = setInterval(() => {
          if (proxy.requests.some((r) => r.kind === 'put-object' && r.key.includes('/claims/'))) {
            clearInterval(t);
            resolve();
          }
        }, 5);
      });
      const got = await claimNextBatch(direct.target, { annotator: 'ana', region: 'apac', project: PROJECT, appVersion: 't' });
      annotatorDone();
      const result = await rerank;
      expect(result.kept).toEqual([{ region: 'apac', batch: got.manifest.batch }]);
      expect(result.retired).toHaveLength(2);
      expect(result.created).toHaveLength(2);
      expect(result.notes).toContain('1 batch(es) were claimed by an annotator while the rerank ran and were left as they are.');
      const after = await readBatches(direct);
      expect(after.find((b) => b.batch === got.manifest.batch)!.claim).toMatchObject({ kind: 'ferry.claim', annotator: 'ana' });
      liveItemsOf(after);
    } finally {
      await proxy.stop();
    }
  });
});
