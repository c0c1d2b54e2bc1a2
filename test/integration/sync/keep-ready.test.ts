// "Keep N batches ready": while online, Ferry claims and pulls N batches ahead (at start, and after a batch is opened,
// claimed or submitted), so that when the current batch is submitted offline the next one opens from the local cache.
import { afterEach, describe, expect, it } from 'vitest';
import { s3Endpoint } from '../../helpers/s3-fixture.ts';
import { cleanupStandins } from '../../prodigy-standin/harness.ts';
import { answerInProdigy, rawGet, rawKeys } from '../annotator/errors/error-kit.ts';
import { startRelay, type Relay } from './switchable-relay.ts';
import { closeWorlds, PROJECT, seedBatches, syncWorld, until } from './sync-kit.ts';

const relays: Relay[] = [];
afterEach(async () => {
  await closeWorlds();
  for (const relay of relays.splice(0)) await relay.stop();
  await cleanupStandins();
});

describe('keep N batches ready', () => {
  it('pre-claims and pulls N batches, tops up after one is opened, and the next one opens while offline', async () => {
    const relay = await startRelay(s3Endpoint());
    relays.push(relay);
    // The first round (at start) finds no batches yet; keepReadyRetryMs says when it looks again (app: 15 min).
    const world = await syncWorld({ endpoint: relay.endpoint, config: { keepReady: 2 }, sync: { autoSync: true, idlePollMs: 60_000, keepReadyRetryMs: 300 } });
    await seedBatches(world, 12, 2); // six batches of two tasks
    const claims = `${world.config.prefix}projects/${PROJECT}/claims/emea/`;
    await world.core.annotator.list(); // opening the workspace starts the first round (autoSync)

    const ready = await until(async () => {
      const batches = await world.core.annotator.list();
      expect(batches.filter((b) => b.status === 'ready')).toHaveLength(2);
      return batches;
    });
    expect(await rawKeys(world.config.bucket, claims)).toHaveLength(2);
    for (const key of await rawKeys(world.config.bucket, claims)) expect(JSON.parse((await rawGet(world.config.bucket, key)).toString('utf8')).annotator).toBe('alice');

    // Opening one makes it current: Ferry claims one more so that two are still ahead.
    const current = ready[0]!;
    const opened = await world.core.annotator.open(current.id);
    await until(async () => expect(await rawKeys(world.config.bucket, claims)).toHaveLength(3));
    await until(async () => expect((await world.core.annotator.list()).filter((b) => b.status === 'ready')).toHaveLength(2));
    expect(world.phases.filter((p) => p.phase === 'keep-ready' && p.outcome === 'done').length).toBeGreaterThanOrEqual(2);

    // Offline: submit the current batch (queued) and go straight on with the next one from the local cache.
    await answerInProdigy(opened, `${PROJECT}-alice`, ['accept', 'reject']);
    await relay.down();
    expect((await world.core.annotator.submit(current.id)).state).toBe('queued');
    const next = (await world.core.annotator.list()).find((b) => b.status === 'ready')!;
    const reopened = await world.core.annotator.open(next.id);
    expect(reopened.batch.status).toBe('annotating');
    expect(await rawKeys(world.config.bucket, claims)).toHaveLength(3); // nothing claimed while offline
  });
});
