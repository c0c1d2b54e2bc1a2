// The batch ledger keeps two leads from putting one item into two live batches: both runs reach the ledger at the same
// moment (held by our fault proxy), one wins the number, the other reads the winner's entry and plans again. A run cut
// short after its ledger entry is finished by the next run; batches made outside the ledger are respected.
import { describe, expect, it } from 'vitest';
import { createBatches } from '../../../electron/batches/create-batches.ts';
import { startFaultProxy } from '../../helpers/s3-fault-proxy.ts';
import { freshBucket, s3Endpoint } from '../../helpers/s3-fixture.ts';
import { ferryError, items, leadWorkspace, liveItemsOf, makeProject, PROJECT, rawGet, rawKeys, rawPut, readBatches, writeLines } from './lead-kit.ts';

// Resolves once `count` requests matching `test` have reached the proxy.
function arrivals(proxy: Awaited<ReturnType<typeof startFaultProxy>>, test: (key: string, kind: string) => boolean, count: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      if (proxy.requests.filter((r) => test(r.key, r.kind)).length >= count) {
        clearInterval(timer);
        resolve();
      }
    }, 5);
  });
}

describe('two leads creating at once', () => {
  it('never share an item: the one that loses the ledger number plans again', async () => {
    const proxy = await startFaultProxy(s3Endpoint());
    try {
      const bucket = await freshBucket();
      const lena = await leadWorkspace({ bucket, endpoint: proxy.endpoint, annotator: 'lena' });
      const omar = await leadWorkspace({ bucket, endpoint: proxy.endpoint, annotator: 'omar' });
      await makeProject(lena);
      const isLedgerPut = (key: string, kind: string) => kind === 'put-object' && key.includes('/ledger/');
      proxy.setRules([{ match: { kinds: ['put-object'], keyIncludes: '/ledger/' }, action: { kind: 'hold', until: arrivals(proxy, isLedgerPut, 2) } }]);
      const pool = writeLines(lena.dir, 'pool.jsonl', items(20));
      const [a, b] = await Promise.all([
        createBatches(lena.target, { project: PROJECT, region: 'emea', poolFile: pool, size: 5, count: 2, createdBy: 'lena', index: lena.index }),
        createBatches(omar.target, { project: PROJECT, region: 'apac', poolFile: pool, size: 5, count: 2, createdBy: 'omar', index: omar.index }),
      ]);
      expect([a.lostRaces, b.lostRaces].sort()).toEqual([0, 1]);
      expect([a.ledgerSeq, b.ledgerSeq].sort()).toEqual([0, 1]);
      const owner = liveItemsOf(await readBatches(lena)); // throws if any item is in two batches
      expect(owner.size).toBe(20);
      expect(proxy.requests.filter((r) => isLedgerPut(r.key, r.kind))).toHaveLength(3); // two at once, then the loser's retry
      expect(await rawKeys(bucket, `${lena.config.prefix}projects/${PROJECT}/ledger/`)).toEqual([0, 1].map((n) => `${lena.config.prefix}projects/${PROJECT}/ledger/0000000${n}.json`));
      // The loser's first plan wrote tasks it never committed: no manifest, so no annotator ever sees them.
      const loser = a.lostRaces ? a : b;
      const orphans = (await rawKeys(bucket, `${lena.config.prefix}projects/${PROJECT}/batches/${loser.region}/`)).filter((k) => k.endsWith('tasks.jsonl')).length;
      expect(orphans).toBe(4);
      expect(loser.created.map((c) => c.batch.slice(0, 6))).toEqual(['000000', '000001']);
    } finally {
      await proxy.stop();
    }
  });
});

describe('a run cut short after its ledger entry', () => {
  it('leaves no visible batch, and the next run finishes it byte for byte without reusing its items', async () => {
    const proxy = await startFaultProxy(s3Endpoint());
    try {
      const bucket = await freshBucket();
      const broken = await leadWorkspace({ bucket, endpoint: proxy.endpoint });
      await makeProject(broken);
      const pool = writeLines(broken.dir, 'pool.jsonl', items(12));
      proxy.setRules([{ match: { kinds: ['put-object'], keyIncludes: '/batch.json' }, action: { kind: 'deny', status: 403, code: 'AccessDenied' } }]);
      const error = await ferryError(createBatches(broken.target, { project: PROJECT, region: 'emea', poolFile: pool, size: 5, count: 2, createdBy: 'lena' }));
      expect(error.code).toBe('access-denied');
      const root = `${broken.config.prefix}projects/${PROJECT}/`;
      expect((await rawKeys(bucket, root)).filter((k) => k.endsWith('batch.json'))).toEqual([]);
      const entry = JSON.parse((await rawGet(bucket, `${root}ledger/00000000.json`)).toString('utf8')) as { reserve: { manifest: { batch: string } }[] };
      const reserved = entry.reserve.map((r) => r.manifest.batch).sort();

      const lead = await leadWorkspace({ bucket }); // straight to S3, no faults
      const next = await createBatches(lead.target, { project: PROJECT, region: 'emea', poolFile: pool, size: 5, createdBy: 'lena', index: lead.index });
      expect(next.repaired).toEqual(reserved.map((b) => `emea/${b}`));
      expect(next.created.map((c) => c.tasks)).toEqual([2]);
      for (const r of entry.reserve) {
        const body = (await rawGet(bucket, `${root}batches/emea/${r.manifest.batch}/batch.json`)).toString('utf8');
        expect(JSON.parse(body)).toEqual(r.manifest);
      }
      expect(liveItemsOf(await readBatches(lead)).size).toBe(12);
    } finally {
      await proxy.stop();
    }
  });
});

describe('batches made outside the ledger', () => {
  it('keeps their items out of new batches and queues behind them', async () => {
    const lead = await leadWorkspace();
    await makeProject(lead);
    const pool = writeLines(lead.dir, 'pool.jsonl', items(6));
    await createBatches(lead.target, { project: PROJECT, region: 'emea', poolFile: pool, size: 2, count: 1, createdBy: 'lena' });
    const [made] = await readBatches(lead);
    // A hand-made batch: a copy of Ferry's manifest under another id with other items, no ledger entry.
    const root = `${lead.config.prefix}projects/${PROJECT}/batches/emea/000007-byhand/`;
    await rawPut(lead.config.bucket, `${root}tasks.jsonl`, '{"text": "x"}\n');
    await rawPut(lead.config.bucket, `${root}batch.json`, JSON.stringify({ ...made!.manifest, batch: '000007-byhand', priority: 7, items: ['doc-002', 'doc-003'] }));
    const result = await createBatches(lead.target, { project: PROJECT, region: 'emea', poolFile: pool, size: 2, createdBy: 'lena', index: lead.index });
    expect(result.skipped).toBe(4);
    expect(result.created.map((c) => c.batch.slice(0, 6))).toEqual(['000008']);
    expect((await readBatches(lead)).find((b) => b.batch === result.created[0]!.batch)!.manifest.items).toEqual(['doc-004', 'doc-005']);
  });
});
