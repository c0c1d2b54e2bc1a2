// Submitting with S3 out of reach (invariant 1): the submit is accepted locally and queued, nothing is lost; once S3
// is reachable again, Sync now publishes exactly one chunk and one marker, however often it is pressed.
import { afterEach, describe, expect, it } from 'vitest';
import type { SyncEvent } from '../../../../shared/api.ts';
import { saveWorkspaceFile } from '../../../../electron/config/workspace-file.ts';
import { createBatches } from '../../../../electron/batches/create-batches.ts';
import { freePort } from '../../../helpers/moto.ts';
import { makeWorkspace, textPool, writePool, type TestWorkspace } from '../../../helpers/workspace-fixture.ts';
import { cleanupStandins } from '../../../prodigy-standin/harness.ts';
import { answerInProdigy, openCore, PROJECT, rawGet, rawKeys, seedProject, sha256 } from './error-kit.ts';
import { join } from 'node:path';

const cores: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const core of cores.splice(0)) await core.close();
  await cleanupStandins();
});

// A second workspace file over the same dataDir (so the same store and outbox), pointing at another endpoint.
async function sameDataDirAt(ws: TestWorkspace, name: string, endpoint: string) {
  const configPath = join(ws.dir, name);
  await saveWorkspaceFile(configPath, { ...ws.config, endpoint });
  const core = openCore(configPath);
  cores.push(core);
  return core;
}

describe('submit while S3 is unreachable', () => {
  it('queues chunk and marker with a message saying they will be published later; Sync now publishes them once, no duplicates', async () => {
    const ws = await makeWorkspace();
    cores.push(ws.core);
    const target = await seedProject(ws);
    const created = await createBatches(target, { project: PROJECT, region: 'emea', poolFile: writePool(ws.dir, 'pool.jsonl', textPool(5)), size: 5, createdBy: 'lead' });
    const batch = created.created[0]!.batch;
    const claimed = await ws.core.annotator.claimNext();
    const opened = await ws.core.annotator.open(claimed.id);
    await answerInProdigy(opened, `${PROJECT}-alice`, ['accept', 'reject', 'accept']);
    expect((await ws.core.annotator.stop(claimed.id)).answered).toBe(3); // harvested into the store
    await ws.core.close();

    // The train leaves the station: nothing listens at the endpoint any more.
    const dead = `http://127.0.0.1:${await freePort()}`;
    const offline = await sameDataDirAt(ws, 'offline.json', dead);
    const syncEvents: SyncEvent[] = [];
    offline.on('sync', (e) => syncEvents.push(e));
    const queued = await offline.annotator.submit(claimed.id);
    expect(queued.state).toBe('queued');
    expect(queued.message).toMatch(new RegExp(`^Batch ${batch} is submitted on this computer and queued for upload \\(Cannot reach ${dead.replace(/[.:/]/g, '\\$&')} while writing s3://`));
    expect(queued.message).toContain('Ferry will publish it when S3 can be reached.');
    expect(queued.batch.status).toBe('submitting');
    expect(queued.chunks).toHaveLength(1);
    expect(syncEvents.at(-1)).toMatchObject({ state: 'offline', pending: 2, failed: 0 });

    const store = (await offline.workspaces.get()).store;
    const jobs = store.listJobs({ batchId: claimed.id });
    expect(jobs.map((j) => [j.kind, j.state])).toEqual([
      ['result-chunk', 'queued'],
      ['submission', 'queued'],
    ]);
    expect(jobs[0]!.targetKey).toBe(queued.chunks[0]!.key);
    expect(jobs[0]!.lastError).toContain('connection refused');
    expect(await rawKeys(ws.config.bucket, `${ws.config.prefix}projects/${PROJECT}/results/`)).toEqual([]);
    expect(await rawKeys(ws.config.bucket, `${ws.config.prefix}projects/${PROJECT}/submissions/`)).toEqual([]);
    await offline.close();

    // Back online: the same store, the right endpoint, one press of Sync now (without waiting out the back-off).
    const online = await sameDataDirAt(ws, 'online.json', ws.config.endpoint!);
    const synced = await online.annotator.syncNow();
    expect(synced).toMatchObject({ state: 'online', pending: 0, failed: 0 });
    expect((await online.annotator.get(claimed.id)).status).toBe('submitted');

    const chunks = await rawKeys(ws.config.bucket, `${ws.config.prefix}projects/${PROJECT}/results/`);
    const markers = await rawKeys(ws.config.bucket, `${ws.config.prefix}projects/${PROJECT}/submissions/`);
    expect(chunks).toEqual([queued.chunks[0]!.key]);
    expect(markers).toEqual([`${ws.config.prefix}projects/${PROJECT}/submissions/emea/${batch}/alice.json`]);
    const lines = (await rawGet(ws.config.bucket, chunks[0]!)).toString('utf8').trim().split('\n').map((l) => JSON.parse(l) as { answer: string });
    expect(lines.map((l) => l.answer).sort()).toEqual(['accept', 'accept', 'reject']);
    const marker = JSON.parse((await rawGet(ws.config.bucket, markers[0]!)).toString('utf8'));
    const chunkBytes = await rawGet(ws.config.bucket, chunks[0]!);
    expect(marker).toMatchObject({ answers: { total: 3, accept: 2, reject: 1 }, chunks: [{ key: chunks[0], count: 3, bytes: chunkBytes.length, sha256: sha256(chunkBytes) }] });

    // Pressing again, and submitting again, changes nothing in S3.
    expect(await online.annotator.syncNow()).toMatchObject({ state: 'online', pending: 0 });
    expect((await online.annotator.submit(claimed.id)).state).toBe('submitted');
    expect(await rawKeys(ws.config.bucket, `${ws.config.prefix}projects/${PROJECT}/results/`)).toEqual(chunks);
    expect(await rawKeys(ws.config.bucket, `${ws.config.prefix}projects/${PROJECT}/submissions/`)).toEqual(markers);
  });
});
