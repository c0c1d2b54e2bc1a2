// A full disk while harvesting: dataDir lives on a real small tmpfs, Prodigy's database holds answers Ferry has not
// harvested yet, and the disk is filled. Submit says disk-full naming the folder; Ferry's store is intact (the
// harvest's transaction never happened) and Prodigy's database still holds every answer; once there is room,
// Submit harvests and publishes them all, exactly once.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { batchPaths } from '../../../electron/workspace/paths.ts';
import { cleanupStandins, readDataset, runStandin } from '../../prodigy-standin/harness.ts';
import { ferryError, freeBytes, removeTinyDisks, tinyDisk } from '../annotator/errors/error-kit.ts';
import { closeWorlds, copiesOf, PROJECT, publishedLines, seedBatches, syncWorld } from './sync-kit.ts';

const isRoot = process.getuid?.() === 0;
const ANSWERS = 600;

afterEach(async () => {
  await closeWorlds();
  await cleanupStandins();
  removeTinyDisks();
});

describe.runIf(isRoot)('harvesting onto a full disk (tmpfs; needs root to mount)', () => {
  it('fails with disk-full naming the folder, leaves both databases consistent, and publishes everything once there is room', async () => {
    const disk = tinyDisk('8m');
    const world = await syncWorld({ config: { dataDir: join(disk, 'data') } });
    const [batch] = await seedBatches(world, 3, 3);
    const claimed = await world.core.annotator.claimNext();
    // What Prodigy saved while Ferry was not running: 600 answers of this annotator's session, not harvested yet.
    const home = batchPaths(world.config.dataDir, PROJECT, 'emea', batch!).prodigyHome;
    const rows = Array.from({ length: ANSWERS }, (_, i) => ({ text: `Answer number ${i} ${'x'.repeat(200)}`, meta: { task_id: `t-${i}` }, answer: i % 2 ? 'accept' : 'reject', _session_id: `${PROJECT}-alice` }));
    mkdirSync(home, { recursive: true });
    const file = join(tmpdir(), `ferry-db-in-${process.pid}.jsonl`);
    writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n'));
    expect((await runStandin(['db-in', PROJECT, file], { home })).code).toBe(0);
    rmSync(file);
    await world.core.workspaces.reset(); // a clean close: the WAL is folded back, so the next write must grow it

    // Leave room for SQLite's shared-memory file, but not for the harvest.
    const filler = join(disk, 'filler');
    writeFileSync(filler, Buffer.alloc(Math.max(0, freeBytes(disk) - 64 * 1024)));
    const error = await ferryError(world.core.annotator.submit(claimed.id));
    expect(error.code).toBe('disk-full');
    expect(error.message).toBe(
      `Not enough disk space in ${world.config.dataDir} to save the answers harvested from Prodigy for batch ${claimed.id}. Nothing was lost: what was saved before is intact, and Prodigy still holds your answers. Free some space; Ferry carries on by itself.`,
    );
    const { store } = await world.core.workspaces.get();
    expect(store.quickCheck()).toBe('ok');
    expect(store.countAnswers(claimed.id).total).toBe(0); // all or nothing: the transaction never committed
    expect(readDataset(join(home, 'prodigy.db'), PROJECT)).toHaveLength(ANSWERS);

    rmSync(filler); // the annotator frees space
    const submitted = await world.core.annotator.submit(claimed.id);
    expect(submitted.state).toBe('submitted');
    expect(submitted.batch.answered).toBe(ANSWERS);
    const lines = await publishedLines(world.config, batch);
    expect(lines).toHaveLength(ANSWERS);
    expect([...copiesOf(lines).values()].every((n) => n === 1)).toBe(true);
  });
});
