// A damaged ferry.db (bytes overwritten): at the next start PRAGMA quick_check (or SQLite itself) finds it, the file is
// set aside (never deleted) and the store is rebuilt from the batch folders, the per-batch Prodigy databases and what
// S3 already holds. The annotator is told; rebuilding publishes no duplicate, and the work goes on where it stopped.
import { existsSync, openSync, readdirSync, statSync, writeSync, closeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { storePath } from '../../../electron/workspace/paths.ts';
import { cleanupStandins } from '../../prodigy-standin/harness.ts';
import { answerInProdigy, rawKeys } from '../annotator/errors/error-kit.ts';
import { closeWorlds, copiesOf, coreFor, markerKey, PROJECT, publishedLines, resultsOf, seedBatches, syncWorld } from './sync-kit.ts';
import type { PhaseEvent } from '../../../electron/sync/sync-service.ts';
import type { SyncEvent } from '../../../shared/api.ts';

const cores: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const core of cores.splice(0)) await core.close();
  await closeWorlds();
  await cleanupStandins();
});

function overwrite(path: string, from: number, length: number): void {
  const fd = openSync(path, 'r+');
  try {
    writeSync(fd, randomBytes(length), 0, length, from);
  } finally {
    closeSync(fd);
  }
}

const DAMAGE = {
  // The header: SQLite refuses the file outright ("file is not a database").
  header: (path: string) => overwrite(path, 0, 100),
  // Pages in the middle: the file opens, PRAGMA quick_check finds the damage.
  pages: (path: string) => overwrite(path, 4 * 4096, statSync(path).size - 6 * 4096),
};

describe('a damaged ferry.db', () => {
  it.each(Object.keys(DAMAGE) as (keyof typeof DAMAGE)[])('(%s overwritten) is set aside and rebuilt from the batch folders, Prodigy and S3, without publishing a duplicate', async (damage) => {
    const world = await syncWorld();
    const [b1, b2] = await seedBatches(world, 8, 4);
    const first = await world.core.annotator.claimNext();
    const second = await world.core.annotator.claimNext();
    const opened2 = await world.core.annotator.open(second.id);
    await answerInProdigy(opened2, `${PROJECT}-alice`, ['reject', 'reject']);
    expect((await world.core.annotator.submit(second.id)).state).toBe('submitted');
    const opened = await world.core.annotator.open(first.id);
    await answerInProdigy(opened, `${PROJECT}-alice`, ['accept', 'reject', 'accept']);
    await world.core.annotator.syncNow(); // these three reach S3 as chunk 0
    expect(await rawKeys(world.config.bucket, resultsOf(world.config, b1))).toHaveLength(1);
    await answerInProdigy(opened, `${PROJECT}-alice`, ['ignore']); // the batch's fourth task: only in the store
    await world.core.annotator.stop(first.id);
    expect([(await world.core.annotator.get(first.id)).answered, (await world.core.annotator.get(second.id)).answered]).toEqual([4, 2]);
    await world.core.close();

    const dbFile = storePath(world.config.dataDir);
    DAMAGE[damage](dbFile);

    const phases: PhaseEvent[] = [];
    const core = coreFor(world.configPath, {}, phases);
    cores.push(core);
    const events: SyncEvent[] = [];
    core.on('sync', (e) => events.push(e));
    const ws = await core.workspaces.get();
    expect(ws.recovery).toMatchObject({ reason: 'damaged', rebuilt: { batches: [first.id, second.id], answers: 6, problems: [] } });
    const asideName = readdirSync(world.config.dataDir).find((f) => /^ferry\.db\.corrupt-\d{8}T\d{6}Z$/.test(f));
    expect(asideName).toBeDefined(); // set aside, never deleted
    expect(ws.recovery!.setAside).toContain(join(world.config.dataDir, asideName!));
    expect(existsSync(dbFile)).toBe(true);
    expect(ws.store.quickCheck()).toBe('ok');
    expect(ws.store.getBatch(first.id)).toMatchObject({ needsReconcile: true, claimState: 'unknown' });
    expect(ws.store.countAnswers(first.id)).toMatchObject({ total: 4, unpublished: 4 });

    // The first sync compares with S3 before sealing anything, and says what happened.
    const synced = await core.annotator.syncNow();
    expect(synced).toMatchObject({ state: 'online', pending: 0, failed: 0 });
    expect(synced.message).toMatch(/^Ferry's local database was damaged \(.+\), so it was set aside as ferry\.db\.corrupt-\d{8}T\d{6}Z.* \(not deleted\) and rebuilt from 2 batch folders and 6 answers from Prodigy's databases\. Before publishing, Ferry compares them with what S3 already holds, so nothing is sent twice\.$/);
    expect(phases.filter((p) => p.phase === 'reconcile').map((p) => p.batch).sort()).toEqual([first.id, second.id].sort());
    expect((await core.annotator.get(second.id)).status).toBe('submitted'); // its marker is in S3
    expect(ws.store.getBatch(first.id)).toMatchObject({ needsReconcile: false, claimState: 'held' });

    const submitted = await core.annotator.submit(first.id);
    expect(submitted.state).toBe('submitted');
    const chunkKeys = await rawKeys(world.config.bucket, resultsOf(world.config, b1));
    expect(chunkKeys.map((k) => k.split('/').at(-1)!.slice(0, 8))).toEqual(['00000000', '00000001']);
    expect(submitted.chunks.map((c) => c.key)).toEqual(chunkKeys);
    const lines1 = await publishedLines(world.config, b1);
    expect(lines1.map((l) => l.answer).sort()).toEqual(['accept', 'accept', 'ignore', 'reject']);
    expect([...copiesOf(lines1).values()].every((n) => n === 1)).toBe(true);
    expect(lines1.every((l) => l._ferry.revision === 1)).toBe(true);
    const lines2 = await publishedLines(world.config, b2);
    expect(lines2.map((l) => l.answer)).toEqual(['reject', 'reject']); // nothing of b2 was sent again
    expect(await rawKeys(world.config.bucket, markerKey(world.config, b2!))).toHaveLength(1);
  });
});
