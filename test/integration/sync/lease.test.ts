// Leases while working and late work (invariant 3, docs/s3-layout.md rule 5): the open batch's claim is renewed by
// CAS on its ETag once less than half the lease is left; a lead's takeover makes the next renewal fail with 412 and the
// claim is marked lost in plain words; answers after that, and answers of a lease that ended while offline and went
// to someone else, are still published under the annotator's own prefix, marked late, and the annotator is told.
import { afterEach, describe, expect, it } from 'vitest';
import { ClaimSchema } from '../../../shared/batch.ts';
import { headObject } from '../../../electron/s3/head.ts';
import { s3Endpoint } from '../../helpers/s3-fixture.ts';
import { cleanupStandins } from '../../prodigy-standin/harness.ts';
import { answerInProdigy, rawGet, rawPut } from '../annotator/errors/error-kit.ts';
import { startRelay, type Relay } from './switchable-relay.ts';
import { claimKeyOf, closeWorlds, leadTarget, markerKey, PROJECT, publishedLines, seedBatches, syncWorld, until } from './sync-kit.ts';

const DAY = 24 * 60 * 60 * 1000;
const relays: Relay[] = [];
afterEach(async () => {
  await closeWorlds();
  for (const relay of relays.splice(0)) await relay.stop();
  await cleanupStandins();
});

// The lease clock of the sync service, moved forward by the test (answers and uploads keep real time).
function movableClock() {
  const clock = { offsetMs: 0, now: () => new Date(Date.now() + clock.offsetMs) };
  return clock;
}

async function claimOf(bucket: string, key: string) {
  return ClaimSchema.parse(JSON.parse((await rawGet(bucket, key)).toString('utf8')));
}

// What a lead's app does to take a batch over: replace the claim (here plainly, as a lead tool with CAS would).
function leadClaim(batch: string, annotator: string, at: Date): string {
  return JSON.stringify({ kind: 'ferry.claim', version: 1, project: PROJECT, region: 'emea', batch, annotator, claimedAt: at.toISOString(), leaseUntil: new Date(at.getTime() + 7 * DAY).toISOString(), appVersion: 'lead' });
}

describe('lease renewal and a lost claim', () => {
  it('renews by CAS when half the lease is gone, then marks the claim lost after a takeover and publishes the rest as late', async () => {
    const clock = movableClock();
    const world = await syncWorld({ sync: { now: clock.now } });
    const [batch] = await seedBatches(world, 6, 6);
    const claimed = await world.core.annotator.claimNext();
    const key = claimKeyOf(world.config, batch!);
    const original = await claimOf(world.config.bucket, key);
    const opened = await world.core.annotator.open(claimed.id);
    await answerInProdigy(opened, `${PROJECT}-alice`, ['accept']);

    await world.core.annotator.syncNow(); // a fresh lease: nothing to renew
    expect(await claimOf(world.config.bucket, key)).toEqual(original);

    clock.offsetMs = 4 * DAY; // 3 of 7 days left: less than half
    await world.core.annotator.syncNow();
    const renewed = await claimOf(world.config.bucket, key);
    expect(renewed).toMatchObject({ annotator: 'alice', claimedAt: original.claimedAt, project: PROJECT, batch });
    expect(new Date(renewed.renewedAt!).getTime()).toBeGreaterThan(Date.now() + 3 * DAY); // written on the lease clock
    expect(new Date(renewed.leaseUntil).getTime() - new Date(renewed.renewedAt!).getTime()).toBe(7 * DAY);
    const { store } = await world.core.workspaces.get();
    const head = await headObject(leadTarget(world.config).client, world.config.bucket, key);
    expect(store.getBatch(claimed.id)).toMatchObject({ claimEtag: head!.etag, leaseUntil: renewed.leaseUntil, claimState: 'held' });
    expect(world.phases.some((p) => p.phase === 'claim' && p.outcome === 'renewed')).toBe(true);

    // The team lead gives the batch to bob; the next renewal's If-Match fails (412) and Ferry reads the claim again.
    await rawPut(world.config.bucket, key, leadClaim(batch!, 'bob', clock.now()));
    clock.offsetMs = 8 * DAY;
    await world.core.annotator.syncNow();
    const view = await world.core.annotator.get(claimed.id);
    expect(view.claim).toMatchObject({ state: 'lost', holder: 'bob' });
    expect(view.claim?.message).toMatch(new RegExp(`^Your lease on batch ${batch} \\(until .+ UTC\\) was cut short: your team lead gave batch ${batch} to bob; your answers are still published, marked late\\.$`));
    expect(view.late).toBe(true);
    expect(world.batchEvents.some((e) => e.batch.id === claimed.id && e.batch.claim?.state === 'lost')).toBe(true);
    expect((await claimOf(world.config.bucket, key)).annotator).toBe('bob'); // Ferry never overwrote the lead's claim

    await answerInProdigy(opened, `${PROJECT}-alice`, ['reject', 'ignore']);
    const submitted = await world.core.annotator.submit(claimed.id);
    expect(submitted.state).toBe('submitted');
    expect(submitted.message).toContain('your answers were still published and marked late.');
    const lines = await publishedLines(world.config, batch);
    expect(lines.map((l) => [l.answer, l._ferry.late]).sort()).toEqual([['accept', false], ['ignore', true], ['reject', true]]);
    expect(lines.every((l) => l.chunk.includes(`/results/emea/${batch}/alice/`))).toBe(true);
    const marker = JSON.parse((await rawGet(world.config.bucket, markerKey(world.config, batch!))).toString('utf8'));
    expect(marker).toMatchObject({ annotator: 'alice', late: true, answers: { total: 3 } });
  });
});

describe('a lease that ended while offline', () => {
  it('keeps the answers, checks the claim once online, and publishes them marked late with a plain message', async () => {
    const relay = await startRelay(s3Endpoint());
    relays.push(relay);
    const clock = movableClock();
    const world = await syncWorld({ endpoint: relay.endpoint, sync: { autoSync: true, now: clock.now, idlePollMs: 60_000 } });
    const [batch] = await seedBatches(world, 4, 4);
    const claimed = await world.core.annotator.claimNext();
    const opened = await world.core.annotator.open(claimed.id);
    await answerInProdigy(opened, `${PROJECT}-alice`, ['accept', 'reject']);
    await world.core.annotator.stop(claimed.id);

    await relay.down();
    clock.offsetMs = 8 * DAY; // the 7-day lease ran out on the train …
    const key = claimKeyOf(world.config, batch!);
    await rawPut(world.config.bucket, key, leadClaim(batch!, 'bob', clock.now())); // … and the lead gave the batch to bob

    const queued = await world.core.annotator.submit(claimed.id);
    expect(queued.state).toBe('queued');
    expect(queued.chunks).toEqual([]); // nothing sealed: whether it is late is not known yet
    expect(queued.message).toContain('Your lease on it ended on');
    expect(queued.message).toContain('so Ferry checks the claim in S3 first; your answers are kept');
    const { store } = await world.core.workspaces.get();
    expect(store.countAnswers(claimed.id)).toMatchObject({ total: 2, unpublished: 2 });
    expect(store.listJobs({ batchId: claimed.id })).toEqual([]);

    await relay.up();
    const told = await until(() => {
      const event = world.syncEvents.find((e) => e.message?.includes('your answers were still published and marked late.'));
      expect(event).toBeDefined();
      return event!;
    });
    expect(told.message).toMatch(new RegExp(`^Your lease on batch ${batch} ended on \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC and it was given to bob; your answers were still published and marked late\\.$`));
    expect((await world.core.annotator.get(claimed.id)).status).toBe('submitted');
    const lines = await publishedLines(world.config, batch);
    expect(lines.map((l) => [l.answer, l._ferry.late, l._ferry.annotator]).sort()).toEqual([['accept', true, 'alice'], ['reject', true, 'alice']]);
    expect(JSON.parse((await rawGet(world.config.bucket, markerKey(world.config, batch!))).toString('utf8'))).toMatchObject({ late: true, annotator: 'alice' });
    expect((await claimOf(world.config.bucket, key)).annotator).toBe('bob');
  });
});
