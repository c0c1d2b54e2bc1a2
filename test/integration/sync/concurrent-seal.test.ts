// Two Ferry processes of the same annotator on one dataDir (the app and `ferry sync`, say) record, seal and upload
// the same answers at the same time. Designed to be safe without a lock: the seal re-checks inside one IMMEDIATE
// transaction that its answers are still unsealed, chunk files are content-addressed, uploads are create-once.
// S3 ends up with every answer exactly once and no sequence number used twice; the database stays intact.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { parseResultChunkKey } from '../../../shared/s3-layout.ts';
import { rawKeys } from '../annotator/errors/error-kit.ts';
import { closeWorlds, copiesOf, PROJECT, publishedLines, resultsOf, seedBatches, syncWorld } from './sync-kit.ts';

const WORKER = join(import.meta.dirname, 'seal-worker.ts');
const TASKS = 240;

afterEach(closeWorlds);

function startWorker(configPath: string, step: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, configPath, String(TASKS), String(step)], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const messages = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  return {
    child,
    async next(): Promise<Record<string, unknown>> {
      const line = await messages.next();
      if (line.done === true) throw new Error(`worker ended early: ${stderr}`);
      return JSON.parse(line.value) as Record<string, unknown>;
    },
    async exit(): Promise<number | null> {
      if (child.exitCode !== null) return child.exitCode;
      const [code] = (await once(child, 'exit')) as [number | null];
      if (code !== 0) throw new Error(`worker failed (${code}): ${stderr}`);
      return code;
    },
  };
}

describe('two Ferry processes on one dataDir', () => {
  it('seal and upload the same answers concurrently without a duplicate in S3', async () => {
    const world = await syncWorld();
    const [batch] = await seedBatches(world, 3, 3);
    await world.core.annotator.claimNext();
    await world.core.workspaces.reset(); // the test's own core steps back; the workers share the file

    // Different slice sizes so the two interleave unevenly.
    const workers = [startWorker(world.configPath, 5), startWorker(world.configPath, 3)];
    for (const w of workers) expect((await w.next()).event).toBe('ready');
    for (const w of workers) w.child.stdin.write('go\n');
    const done = await Promise.all(workers.map((w) => w.next()));
    await Promise.all(workers.map((w) => w.exit()));
    expect(done.map((d) => d.event)).toEqual(['done', 'done']);
    // Both really sealed (so they raced for the same answers); without the re-check S3 gets ~1.5 copies of each.
    expect(done.every((d) => (d.chunks as number) > 0)).toBe(true);

    expect(await world.core.annotator.syncNow()).toMatchObject({ state: 'online', pending: 0, failed: 0 });
    const lines = await publishedLines(world.config, batch);
    expect(lines).toHaveLength(TASKS);
    const copies = copiesOf(lines);
    expect(copies.size).toBe(TASKS);
    expect([...copies.values()].every((n) => n === 1)).toBe(true);
    const seqs = (await rawKeys(world.config.bucket, resultsOf(world.config, batch))).map((k) => parseResultChunkKey(world.config.prefix, k)!.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i));
    const { store } = await world.core.workspaces.get();
    expect(store.quickCheck()).toBe('ok');
    expect(store.countAnswers(`${PROJECT}/emea/${batch}`)).toMatchObject({ total: TASKS, unpublished: 0 });
  });
});
