// Going offline and coming back: the link to S3 is cut (a relay in front of moto refuses connections), Submit is
// accepted locally and queued, the status says offline with the reason, `ferry sync` exits non-zero saying why;
// once the link is back the probe notices, the queue drains by itself, the batch turns submitted, one copy of each answer.
import { afterEach, describe, expect, it } from 'vitest';
import { ferry } from '../../helpers/cli.ts';
import { s3Endpoint } from '../../helpers/s3-fixture.ts';
import { cleanupStandins } from '../../prodigy-standin/harness.ts';
import { answerInProdigy, rawKeys } from '../annotator/errors/error-kit.ts';
import { startRelay, type Relay } from './switchable-relay.ts';
import { closeWorlds, copiesOf, markerKey, PROJECT, publishedLines, seedBatches, syncWorld, until } from './sync-kit.ts';

const relays: Relay[] = [];
afterEach(async () => {
  await closeWorlds();
  for (const relay of relays.splice(0)) await relay.stop();
  await cleanupStandins();
});

describe('offline and back', () => {
  it('queues Submit while S3 is unreachable, says so, and publishes it exactly once when the link returns', async () => {
    const relay = await startRelay(s3Endpoint());
    relays.push(relay);
    const world = await syncWorld({ endpoint: relay.endpoint, sync: { autoSync: true, idlePollMs: 60_000, publish: { everyAnswers: 1_000, everyMs: 600_000 } } });
    const [batch] = await seedBatches(world, 6, 6);
    const claimed = await world.core.annotator.claimNext();
    const opened = await world.core.annotator.open(claimed.id);
    await answerInProdigy(opened, `${PROJECT}-alice`, ['accept', 'reject', 'accept', 'ignore']);
    expect((await world.core.annotator.stop(claimed.id)).answered).toBe(4);

    await relay.down(); // the train leaves the station
    const queued = await world.core.annotator.submit(claimed.id);
    expect(queued.state).toBe('queued');
    expect(queued.message).toMatch(new RegExp(`^Batch ${batch} is submitted on this computer and queued for upload \\(Cannot reach http://127\\.0\\.0\\.1:${relay.port} `));
    expect(queued.message).toContain('Ferry will publish it when S3 can be reached.');
    expect(queued.batch.status).toBe('submitting');
    expect(queued.chunks).toHaveLength(1);
    const offline = world.syncEvents.at(-1)!;
    expect(offline).toMatchObject({ state: 'offline', pending: 2, failed: 0, answersWaiting: 4 });
    expect(offline.message).toContain('connection refused');
    expect(offline.nextRetryAt).not.toBeNull();

    // The CLI on the same dataDir says so too, and exits non-zero.
    const cli = await ferry(['sync', '--json', '--config', world.configPath]);
    expect(cli.code).toBe(1);
    expect(JSON.parse(cli.stdout)).toMatchObject({ ok: false, state: 'offline', pending: 2, message: expect.stringContaining('Cannot reach') });
    expect(await rawKeys(world.config.bucket, `${world.config.prefix}projects/${PROJECT}/results/`)).toEqual([]);

    // While offline the service probes with back-off (no sync round reaches S3) …
    const probesBefore = world.phases.filter((p) => p.phase === 'probe').length;
    await until(() => expect(world.phases.filter((p) => p.phase === 'probe').length).toBeGreaterThan(probesBefore + 1));
    // … and as soon as the bucket answers again it drains by itself.
    await relay.up();
    await until(() => expect(world.batchEvents.some((e) => e.batch.id === claimed.id && e.batch.status === 'submitted')).toBe(true));
    await until(() => expect(world.syncEvents.at(-1)).toMatchObject({ state: 'online', pending: 0, failed: 0 }));
    expect(world.syncEvents.at(-1)!.lastSyncAt).not.toBeNull();

    const lines = await publishedLines(world.config, batch);
    expect(lines.map((l) => l.answer).sort()).toEqual(['accept', 'accept', 'ignore', 'reject']);
    expect([...copiesOf(lines).values()]).toEqual([1, 1, 1, 1]);
    expect(await rawKeys(world.config.bucket, markerKey(world.config, batch!))).toHaveLength(1);

    const again = await ferry(['sync', '--json', '--config', world.configPath]);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ ok: true, state: 'online', pending: 0, failed: 0 });
    expect(await publishedLines(world.config, batch)).toHaveLength(4);
  });
});
