// Regional progress from S3 listings and small markers: batch states, answers, annotators (from heartbeats, or their
// claims and submissions without one), stale claims — and a warm refresh that reads only what changed.
import { describe, expect, it } from 'vitest';
import { createBatches } from '../../../electron/batches/create-batches.ts';
import { loadProgress } from '../../../electron/lead/progress.ts';
import { ferry } from '../../helpers/cli.ts';
import { items, leadWorkspace, makeProject, PROJECT, rawDelete, rawPut, readBatches, type Lead } from './lead-kit.ts';

const HOUR = 3600 * 1000;
const iso = (msFromNow: number) => new Date(Date.now() + msFromNow).toISOString();
const SHA = 'ab'.repeat(32);

async function seed(lead: Lead) {
  await makeProject(lead, { batchSize: 2 });
  const pool = (await import('./lead-kit.ts')).writeLines(lead.dir, 'pool.jsonl', items(12));
  await createBatches(lead.target, { project: PROJECT, region: 'emea', poolFile: pool, count: 4, createdBy: 'lena' });
  await createBatches(lead.target, { project: PROJECT, region: 'apac', poolFile: pool, count: 2, createdBy: 'lena' });
  const all = await readBatches(lead);
  const ids = (region: string) => all.filter((b) => b.region === region).map((b) => b.batch).sort();
  const [e0, e1, e2, e3] = ids('emea') as [string, string, string, string];
  const [a0, a1] = ids('apac') as [string, string];
  const root = `${lead.config.prefix}projects/${PROJECT}/`;
  const put = (key: string, body: unknown) => rawPut(lead.config.bucket, `${root}${key}`, JSON.stringify(body));
  const claim = (region: string, batch: string, annotator: string, claimedAt: string, leaseUntil: string, renewedAt?: string) =>
    put(`claims/${region}/${batch}.json`, { kind: 'ferry.claim', version: 1, project: PROJECT, region, batch, annotator, claimedAt, leaseUntil, ...(renewedAt ? { renewedAt } : {}), appVersion: '0.1.0' });
  const submission = (region: string, batch: string, annotator: string, submittedAt: string, accept: number, reject: number, ignore: number) =>
    put(`submissions/${region}/${batch}/${annotator}.json`, { kind: 'ferry.submission', version: 1, project: PROJECT, region, batch, annotator, submittedAt, chunks: [], answers: { total: accept + reject + ignore, accept, reject, ignore }, tasks: 2, late: false, appVersion: '0.1.0' });
  await claim('emea', e0, 'ana', iso(-2 * HOUR), iso(100 * HOUR), iso(-60_000)); // fresh
  await claim('emea', e1, 'ben', iso(-200 * HOUR), iso(-1 * HOUR)); // lease expired
  await claim('emea', e2, 'ana', iso(-50 * HOUR), iso(100 * HOUR));
  await submission('emea', e2, 'ana', '2025-03-03T10:00:00.000Z', 1, 1, 0);
  await rawPut(lead.config.bucket, `${root}reviews/emea/${e2}/rex/00000000-${SHA}.jsonl`, '{}\n'); // in review
  await claim('apac', a0, 'cleo', iso(-30 * HOUR), iso(100 * HOUR)); // no heartbeat, silent for 30 h
  await claim('apac', a1, 'dan', iso(-80 * HOUR), iso(100 * HOUR));
  const danSubmitted = iso(-10 * HOUR); // after his claim (80 h ago): his latest sign of life
  await submission('apac', a1, 'dan', danSubmitted, 2, 0, 0);
  await rawPut(lead.config.bucket, `${root}reviews/apac/${a1}/verdict.accepted.json`, '{}');
  const anaSeen = iso(-30_000);
  await put('heartbeats/emea/ana.json', { annotator: 'ana', region: 'emea', lastSeenAt: anaSeen, answersWaiting: 3, appVersion: '0.1.0' });
  await put('heartbeats/emea/ben.json', { annotator: 'ben', region: 'emea', lastSeenAt: iso(-72 * HOUR), unsynced: 7, appVersion: '0.1.0' });
  return { e0, e1, e2, e3, a0, a1, root, anaSeen, danSubmitted, submission };
}

describe('progress', () => {
  it('ferry progress --json prints every region with its numbers, annotators and stale claims', async () => {
    const lead = await leadWorkspace();
    const s = await seed(lead);
    const run = await ferry(['progress', '-c', lead.configPath, '--project', PROJECT, '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as Record<string, unknown> & { regions: Record<string, unknown>[]; refresh: Record<string, unknown> };
    expect(report).not.toHaveProperty('batches');
    const [emea, apac] = report.regions as Record<string, unknown>[];
    expect(emea).toEqual({
      region: 'emea',
      batches: { unclaimed: 1, claimed: 2, submitted: 0, in_review: 1, accepted: 0, rework: 0, retired: 0, total: 4 },
      answers: { accept: 1, reject: 1, ignore: 0, total: 2 },
      annotators: [
        { name: 'ana', lastSeen: s.anaSeen, lastSeenSource: 'heartbeat', waiting: 3, held: 1, submitted: 1, answers: { accept: 1, reject: 1, ignore: 0, total: 2 } },
        { name: 'ben', lastSeen: expect.any(String), lastSeenSource: 'heartbeat', waiting: 7, held: 1, submitted: 0, answers: { accept: 0, reject: 0, ignore: 0, total: 0 } },
      ],
      staleClaims: [{ batch: s.e1, annotator: 'ben', claimedAt: expect.any(String), leaseUntil: expect.any(String), renewedAt: null, lastSeen: expect.any(String), reasons: ['lease-expired', 'heartbeat-old'] }],
      answersPerDay: [{ day: '2025-03-03', accept: 1, reject: 1, ignore: 0, total: 2 }],
    });
    expect(apac).toMatchObject({
      batches: { unclaimed: 0, claimed: 1, submitted: 0, in_review: 0, accepted: 1, rework: 0, retired: 0, total: 2 },
      annotators: [
        { name: 'cleo', lastSeenSource: 'claim', waiting: 0, held: 1 },
        { name: 'dan', lastSeen: s.danSubmitted, lastSeenSource: 'submission', held: 0, submitted: 1 },
      ],
      staleClaims: [{ batch: s.a0, annotator: 'cleo', lastSeen: null, reasons: ['no-heartbeat'] }],
    });
    expect(report.totals).toEqual({ batches: { unclaimed: 1, claimed: 3, submitted: 0, in_review: 1, accepted: 1, rework: 0, retired: 0, total: 6 }, answers: { accept: 3, reject: 1, ignore: 0, total: 4 } });
    expect(report.answersPerDay).toEqual([
      { day: '2025-03-03', accept: 1, reject: 1, ignore: 0, total: 2 },
      { day: s.danSubmitted.slice(0, 10), accept: 2, reject: 0, ignore: 0, total: 2 },
    ]);
    // Cold: one GET for project.json, then each claim, submission and heartbeat once.
    expect(report.refresh).toMatchObject({ cold: true, requests: { get: 1 + 5 + 2 + 2, other: 0 }, changed: 9, removed: 0 });

    // A longer stale window makes ben's old heartbeat count as recent enough; his lease has still run out.
    const lenient = JSON.parse((await ferry(['progress', '-c', lead.configPath, '--project', PROJECT, '--json', '--stale-after-hours', '100'])).stdout) as { regions: { staleClaims: { reasons: string[] }[] }[]; refresh: { cold: boolean } };
    expect(lenient.regions[0]!.staleClaims.map((c) => c.reasons)).toEqual([['lease-expired']]);
    expect(lenient.regions[1]!.staleClaims).toEqual([]);
    expect(lenient.refresh.cold).toBe(false);
  });

  it('a warm refresh lists, and reads only what changed', async () => {
    const lead = await leadWorkspace();
    const s = await seed(lead);
    const cold = await loadProgress(lead.target, { project: PROJECT, index: lead.index });
    expect(cold.refresh).toMatchObject({ cold: true, changed: 9 });
    const warm = await loadProgress(lead.target, { project: PROJECT, index: lead.index });
    expect(warm.refresh).toMatchObject({ cold: false, changed: 0, removed: 0, requests: { get: 1, other: 0 } });
    expect(warm.refresh.requests.list).toBe(cold.refresh.requests.list);
    expect(warm.regions).toEqual(cold.regions);

    await s.submission('emea', s.e0, 'ana', '2025-03-05T08:00:00.000Z', 0, 0, 2);
    await rawDelete(lead.config.bucket, `${s.root}claims/emea/${s.e1}.json`);
    const next = await loadProgress(lead.target, { project: PROJECT, index: lead.index });
    expect(next.refresh).toMatchObject({ changed: 1, removed: 1, requests: { get: 2 } });
    expect(next.regions[0]!.batches).toMatchObject({ unclaimed: 2, claimed: 0, submitted: 1, in_review: 1 });
    expect(next.regions[0]!.answers).toEqual({ accept: 1, reject: 1, ignore: 2, total: 4 });
    expect(next.regions[0]!.staleClaims).toEqual([]);
    // The drill-down: every batch with its status, holder and answers.
    expect(next.batches.find((b) => b.batch === s.e0)).toEqual({ region: 'emea', batch: s.e0, status: 'submitted', holder: 'ana', claimedAt: expect.any(String), leaseUntil: expect.any(String), submittedBy: ['ana'], answers: { accept: 0, reject: 0, ignore: 2, total: 2 }, stale: false });
    const only = await loadProgress(lead.target, { project: PROJECT, index: lead.index, region: 'apac' });
    expect(only.batches.map((b) => [b.batch, b.status])).toEqual([[s.a0, 'claimed'], [s.a1, 'accepted']]);
  });

  it('shows retired batches apart and ignores stray objects', async () => {
    const lead = await leadWorkspace();
    const s = await seed(lead);
    await rawPut(lead.config.bucket, `${s.root}claims/emea/${s.e3}.json`, JSON.stringify({ kind: 'ferry.retired', version: 1, project: PROJECT, region: 'emea', batch: s.e3, ledgerSeq: 9, retiredAt: iso(0), retiredBy: 'lena', reason: 'test' }));
    await rawPut(lead.config.bucket, `${s.root}claims/emea/notes.txt`, 'stray');
    await rawPut(lead.config.bucket, `${s.root}submissions/emea/${s.e3}/broken.json`, 'not json');
    const report = await loadProgress(lead.target, { project: PROJECT, index: lead.index });
    expect(report.regions[0]!.batches).toMatchObject({ unclaimed: 0, retired: 1, total: 4 });
  });
});
