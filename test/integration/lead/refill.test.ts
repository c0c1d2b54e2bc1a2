// `ferry batches refill` keeps every region stocked with K unclaimed batches. Two refills at once (two real processes,
// held by our fault proxy so both plan before either commits) still leave exactly K per region and no shared item.
import { describe, expect, it } from 'vitest';
import { refillBatches } from '../../../electron/batches/refill.ts';
import { ferry } from '../../helpers/cli.ts';
import { startFaultProxy } from '../../helpers/s3-fault-proxy.ts';
import { freshBucket, s3Endpoint } from '../../helpers/s3-fixture.ts';
import { makeWorkspaceConfig } from '../../helpers/workspace-fixture.ts';
import { items, leadWorkspace, liveItemsOf, makeProject, PROJECT, rawPut, readBatches, writeLines, type SeenBatch } from './lead-kit.ts';

function unclaimedPerRegion(batches: readonly SeenBatch[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const b of batches) if (b.claim === null) out[b.region] = (out[b.region] ?? 0) + 1;
  return out;
}

describe('refill', () => {
  it('tops each region up to K unclaimed, counts claimed batches as gone, and is a no-op when stocked', async () => {
    const lead = await leadWorkspace();
    await makeProject(lead, { batchSize: 2 });
    const pool = writeLines(lead.dir, 'pool.jsonl', items(40));
    const first = await refillBatches(lead.target, { project: PROJECT, perRegion: 3, poolFile: pool, createdBy: 'lena', index: lead.index });
    expect(first.regions).toEqual([
      { region: 'emea', unclaimedBefore: 0, created: 3, short: 0 },
      { region: 'apac', unclaimedBefore: 0, created: 3, short: 0 },
    ]);
    // The best-ranked batches are dealt out round-robin: emea gets the 1st, 3rd, 5th; apac the 2nd, 4th, 6th.
    const byRegion = (await readBatches(lead)).reduce<Record<string, string[]>>((acc, b) => ({ ...acc, [b.region]: [...(acc[b.region] ?? []), ...b.manifest.items] }), {});
    expect(byRegion.emea).toEqual(['doc-000', 'doc-001', 'doc-004', 'doc-005', 'doc-008', 'doc-009']);

    const again = await refillBatches(lead.target, { project: PROJECT, perRegion: 3, poolFile: pool, createdBy: 'lena', index: lead.index });
    expect(again.created).toEqual([]);
    expect(again.ledgerSeq).toBeNull();

    const claimed = (await readBatches(lead)).filter((b) => b.region === 'apac').slice(0, 2);
    for (const b of claimed) await rawPut(lead.config.bucket, `${lead.config.prefix}projects/${PROJECT}/claims/apac/${b.batch}.json`, JSON.stringify({ kind: 'ferry.claim', annotator: 'ana' }));
    const topped = await refillBatches(lead.target, { project: PROJECT, perRegion: 3, poolFile: pool, createdBy: 'lena', index: lead.index });
    expect(topped.regions.map((r) => [r.region, r.unclaimedBefore, r.created])).toEqual([['emea', 3, 0], ['apac', 1, 2]]);
    expect(unclaimedPerRegion(await readBatches(lead))).toEqual({ emea: 3, apac: 3 });
  });

  it('says when the pool runs out', async () => {
    const lead = await leadWorkspace();
    await makeProject(lead, { batchSize: 2 });
    const result = await refillBatches(lead.target, { project: PROJECT, perRegion: 2, poolFile: writeLines(lead.dir, 'pool.jsonl', items(5)), createdBy: 'lena' });
    expect(result.regions.map((r) => [r.region, r.created, r.short])).toEqual([['emea', 2, 0], ['apac', 1, 1]]);
    expect(result.notes).toContain('The pool ran out: apac is 1 batch(es) short. Add items to the pool and run refill again.');
  });

  it('two refill processes at once: exactly K unclaimed per region, no item in two batches', async () => {
    const proxy = await startFaultProxy(s3Endpoint());
    try {
      const bucket = await freshBucket();
      const lena = await makeWorkspaceConfig({ bucket, endpoint: proxy.endpoint, annotator: 'lena' });
      const omar = await makeWorkspaceConfig({ bucket, endpoint: proxy.endpoint, annotator: 'omar' });
      const lead = await leadWorkspace({ bucket });
      await makeProject(lead, { batchSize: 4 });
      const pool = writeLines(lead.dir, 'pool.jsonl', items(60));
      // Both processes must have sent all their tasks (3 batches x 2 regions each) before either may commit.
      let tasksSeen = 0;
      let release: () => void = () => undefined;
      const bothPlanned = new Promise<void>((resolve) => (release = resolve));
      const watch = setInterval(() => {
        tasksSeen = proxy.requests.filter((r) => r.kind === 'put-object' && r.key.endsWith('/tasks.jsonl')).length;
        if (tasksSeen >= 12) release();
      }, 5);
      proxy.setRules([{ match: { kinds: ['put-object'], keyIncludes: '/tasks.jsonl' }, action: { kind: 'hold', until: bothPlanned } }]);
      const args = (configPath: string) => ['batches', 'refill', '-c', configPath, '--project', PROJECT, '--per-region', '3', '--pool', pool, '--json'];
      const [a, b] = await Promise.all([ferry(args(lena.configPath)), ferry(args(omar.configPath))]);
      clearInterval(watch);
      expect(a.stderr + b.stderr).toBe('');
      expect([a.code, b.code]).toEqual([0, 0]);
      const results = [JSON.parse(a.stdout), JSON.parse(b.stdout)] as { lostRaces: number; created: unknown[] }[];
      expect(results.map((r) => r.lostRaces).sort()).toEqual([0, 1]);
      expect(results.map((r) => r.created.length).sort()).toEqual([0, 6]); // the loser re-counted and found the regions stocked
      const batches = await readBatches(lead);
      expect(unclaimedPerRegion(batches)).toEqual({ emea: 3, apac: 3 });
      expect(liveItemsOf(batches).size).toBe(24);
    } finally {
      await proxy.stop();
    }
  });
});
