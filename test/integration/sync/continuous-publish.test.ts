// Publishing while Prodigy runs: the stand-in saves answers, the harvest loop brings them in, and the sync service
// seals a chunk once N answers wait or the oldest has waited T, and uploads it, all before Submit. Submit then only
// adds what is left and the marker; every answer is in S3 exactly once.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupStandins } from '../../prodigy-standin/harness.ts';
import { answerInProdigy, rawGet, rawKeys } from '../annotator/errors/error-kit.ts';
import { closeWorlds, copiesOf, markerKey, PROJECT, publishedLines, resultsOf, seedBatches, syncWorld, until } from './sync-kit.ts';

afterEach(async () => {
  await closeWorlds();
  await cleanupStandins();
});

describe('continuous publishing', () => {
  it('seals and uploads chunks every N answers or T seconds while Prodigy runs, before Submit', async () => {
    // N = 3 answers, T = 1.5 s: small so the test sees both rules; the app's defaults are 200 answers and 120 s.
    const world = await syncWorld({ sync: { autoSync: true, publish: { everyAnswers: 3, everyMs: 1_500 }, idlePollMs: 60_000 } });
    const [batch] = await seedBatches(world, 8, 8);
    const claimed = await world.core.annotator.claimNext();
    const opened = await world.core.annotator.open(claimed.id);

    // Three answers: the count rule seals them at once (the harvest loop runs every 200 ms here).
    await answerInProdigy(opened, `${PROJECT}-alice`, ['accept', 'reject', 'accept']);
    const first = await until(async () => {
      const keys = await rawKeys(world.config.bucket, resultsOf(world.config, batch));
      expect(keys).toHaveLength(1);
      return keys;
    });
    expect((await publishedLines(world.config, batch)).map((l) => l.answer).sort()).toEqual(['accept', 'accept', 'reject']);
    expect(first[0]).toMatch(/\/00000000-[0-9a-f]{64}\.jsonl$/);
    expect(await rawKeys(world.config.bucket, markerKey(world.config, batch!))).toEqual([]); // not submitted
    expect((await world.core.annotator.get(claimed.id)).status).toBe('annotating');

    // Two more (the stand-in hands out the tasks not answered yet).
    await answerInProdigy(opened, `${PROJECT}-alice`, ['ignore', 'accept']);
    // Fewer than N: the time rule seals them once the oldest has waited T.
    const second = await until(async () => {
      const keys = await rawKeys(world.config.bucket, resultsOf(world.config, batch));
      expect(keys).toHaveLength(2);
      return keys;
    });
    expect(second[1]).toMatch(/\/00000001-[0-9a-f]{64}\.jsonl$/);
    const sealPhases = world.phases.filter((p) => p.phase === 'seal' && p.batch === claimed.id);
    expect(sealPhases.length).toBeGreaterThanOrEqual(2);
    expect(world.phases.some((p) => p.phase === 'submitted')).toBe(false);

    const submitted = await world.core.annotator.submit(claimed.id);
    expect(submitted.state).toBe('submitted');
    expect(submitted.chunks.map((c) => c.key)).toEqual(second); // nothing was left: Submit added only the marker
    const marker = JSON.parse((await rawGet(world.config.bucket, markerKey(world.config, batch!))).toString('utf8'));
    expect(marker).toMatchObject({ answers: { total: 5 }, late: false, chunks: [{ count: 3 }, { count: 2 }] });

    const lines = await publishedLines(world.config, batch);
    expect(lines).toHaveLength(5);
    expect([...copiesOf(lines).values()].every((n) => n === 1)).toBe(true);
    expect(new Set(lines.map((l) => l._ferry.task)).size).toBe(5);
    expect(world.syncEvents.at(-1)).toMatchObject({ state: 'online', pending: 0, failed: 0, answersWaiting: 0 });
  });
});
