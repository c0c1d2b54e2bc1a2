// Sealing answers into chunks is safe to repeat: a second seal with nothing new writes nothing, a crash before the
// seal committed re-seals the very same bytes under the same key, and an answer changed after submit is published
// as a new revision in a new chunk (consumers keep the highest revision per task).
import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createBatches } from '../../../../electron/batches/create-batches.ts';
import { takeFreshChunk } from '../../../../electron/publish/fresh-chunks.ts';
import { sealChunks } from '../../../../electron/publish/seal-chunks.ts';
import type { AnswerInput } from '../../../../electron/store/store.ts';
import { drainOutbox } from '../../../../electron/sync/outbox-worker.ts';
import type { Workspace } from '../../../../electron/workspace/workspace.ts';
import { storePath } from '../../../../electron/workspace/paths.ts';
import { makeWorkspace, textPool, writePool, type TestWorkspace } from '../../../helpers/workspace-fixture.ts';
import { cleanupStandins } from '../../../prodigy-standin/harness.ts';
import { PROJECT, rawGet, rawKeys, seedProject } from './error-kit.ts';

const open: TestWorkspace[] = [];
afterEach(async () => {
  for (const ws of open.splice(0)) await ws.core.close();
  await cleanupStandins();
});

type ChunkLine = { answer: string; meta: { task_id: string }; _ferry: { task: string; revision: number } };

// What Prodigy's db-out gives for an answered task (the harvest stores exactly this).
function answer(taskHash: number, taskId: string, value: AnswerInput['answer']): AnswerInput {
  return { taskHash, inputHash: taskHash + 1000, answer: value, content: { text: `Task ${taskId}`, meta: { task_id: taskId }, _input_hash: taskHash + 1000, _task_hash: taskHash, answer: value } };
}

async function claimedBatch(): Promise<{ ws: TestWorkspace; workspace: Workspace; id: string; batch: string }> {
  const ws = await makeWorkspace();
  open.push(ws);
  const target = await seedProject(ws);
  await createBatches(target, { project: PROJECT, region: 'emea', poolFile: writePool(ws.dir, 'pool.jsonl', textPool(3)), size: 3, createdBy: 'lead' });
  const claimed = await ws.core.annotator.claimNext();
  return { ws, workspace: await ws.core.workspaces.get(), id: claimed.id, batch: claimed.batch };
}

function sealTarget(workspace: Workspace, id: string, batch: string) {
  return { store: workspace.store, prefix: workspace.target.prefix, outboxDir: workspace.outboxDir, project: PROJECT, region: 'emea', batch, batchId: id, annotator: 'alice' };
}

async function chunkLines(bucket: string, key: string): Promise<ChunkLine[]> {
  return (await rawGet(bucket, key)).toString('utf8').trim().split('\n').map((l) => JSON.parse(l) as ChunkLine);
}

describe('sealing chunks', () => {
  it('seals nothing the second time when there are no new answers', async () => {
    const { workspace, id, batch } = await claimedBatch();
    workspace.store.recordAnswers(id, 'alice', [answer(1, 't-1', 'accept'), answer(2, 't-2', 'reject')]);

    const first = await sealChunks(sealTarget(workspace, id, batch));
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ count: 2 });
    expect(await sealChunks(sealTarget(workspace, id, batch))).toEqual([]);
    expect(workspace.store.listJobs({ batchId: id, kind: 'result-chunk' })).toHaveLength(1);
    expect(readdirSync(workspace.outboxDir)).toEqual([`${first[0]!.sha256}.jsonl`]);
  });

  it('after a crash before the seal committed, seals the same bytes under the same key again', async () => {
    const { ws, id, batch } = await claimedBatch();
    (await ws.core.workspaces.get()).store.recordAnswers(id, 'alice', [answer(1, 't-1', 'accept'), answer(2, 't-2', 'ignore')]);
    await ws.core.workspaces.reset(); // a clean close folds the WAL into the one file
    const dbFile = storePath(ws.config.dataDir);
    copyFileSync(dbFile, `${dbFile}.before-seal`);

    const sealed = await sealChunks(sealTarget(await ws.core.workspaces.get(), id, batch));
    // The crash: the chunk file is on disk, but the transaction that queued it and marked the answers never happened.
    await ws.core.workspaces.reset();
    for (const suffix of ['-wal', '-shm']) rmSync(`${dbFile}${suffix}`, { force: true });
    copyFileSync(`${dbFile}.before-seal`, dbFile);

    const after = await ws.core.workspaces.get();
    expect(after.store.countAnswers(id).unpublished).toBe(2);
    const resealed = await sealChunks(sealTarget(after, id, batch));
    expect(resealed.map((c) => [c.key, c.sha256, c.count])).toEqual(sealed.map((c) => [c.key, c.sha256, c.count]));
    expect(readdirSync(after.outboxDir)).toEqual([`${sealed[0]!.sha256}.jsonl`]);
  });

  it('publishes an answer changed after submit as a new revision in a new chunk, leaving the first chunk and the marker as they were', async () => {
    const { ws, workspace, id, batch } = await claimedBatch();
    workspace.store.recordAnswers(id, 'alice', [answer(1, 't-1', 'accept'), answer(2, 't-2', 'accept'), answer(3, 't-3', 'reject')]);
    const submitted = await ws.core.annotator.submit(id);
    expect(submitted.state).toBe('submitted');
    const results = `${ws.config.prefix}projects/${PROJECT}/results/emea/${batch}/alice/`;
    const markerKey = `${ws.config.prefix}projects/${PROJECT}/submissions/emea/${batch}/alice.json`;
    const markerBefore = await rawGet(ws.config.bucket, markerKey);

    // A late harvest brings a changed answer for t-2 (the annotator went back in Prodigy before it stopped).
    expect(workspace.store.recordAnswers(id, 'alice', [answer(2, 't-2', 'reject')])).toEqual({ inserted: 0, updated: 1, unchanged: 0 });
    const again = await ws.core.annotator.submit(id);
    expect(again.state).toBe('submitted');

    const chunkKeys = await rawKeys(ws.config.bucket, results);
    expect(chunkKeys).toHaveLength(2);
    expect(chunkKeys[0]).toBe(submitted.chunks[0]!.key);
    expect(chunkKeys.map((k) => k.slice(results.length, results.length + 8))).toEqual(['00000000', '00000001']);
    const [firstLines, secondLines] = [await chunkLines(ws.config.bucket, chunkKeys[0]!), await chunkLines(ws.config.bucket, chunkKeys[1]!)];
    expect(firstLines).toHaveLength(3);
    expect(secondLines).toEqual([expect.objectContaining({ answer: 'reject', _ferry: expect.objectContaining({ task: 't-2', revision: 2 }) })]);
    expect((await rawGet(ws.config.bucket, markerKey)).equals(markerBefore)).toBe(true); // markers are create-once

    // The consumers' rule, applied to what S3 holds: per task, the highest revision wins.
    const latest = new Map<string, ChunkLine>();
    for (const line of [...firstLines, ...secondLines]) {
      const seen = latest.get(line._ferry.task);
      if (!seen || line._ferry.revision > seen._ferry.revision) latest.set(line._ferry.task, line);
    }
    expect(Object.fromEntries([...latest].map(([task, line]) => [task, line.answer]))).toEqual({ 't-1': 'accept', 't-2': 'reject', 't-3': 'reject' });

    // Nothing left to send, and draining again adds nothing.
    const workspaceNow = await ws.core.workspaces.get();
    expect(await drainOutbox({ store: workspaceNow.store, client: workspaceNow.client, bucket: ws.config.bucket })).toMatchObject({ done: 0, needsAttention: 0 });
    expect(await rawKeys(ws.config.bucket, results)).toEqual(chunkKeys);
  });
});

describe('the chunk bytes the outbox sends', () => {
  it('sends the bytes it sealed, from memory right after the seal, and from the file, verified, after a restart', async () => {
    const { ws, workspace, id, batch } = await claimedBatch();
    workspace.store.recordAnswers(id, 'alice', [answer(1, 't-1', 'accept')]);
    const [fresh] = await sealChunks(sealTarget(workspace, id, batch));
    const file = join(workspace.outboxDir, `${fresh!.sha256}.jsonl`);
    const sealedBytes = readFileSync(file);
    // The file is damaged after the seal: the upload that follows in this process still sends the sealed bytes.
    writeFileSync(file, 'damaged');
    expect(await drainOutbox({ store: workspace.store, client: workspace.client, bucket: ws.config.bucket })).toMatchObject({ done: 1 });
    expect((await rawGet(ws.config.bucket, fresh!.key)).equals(sealedBytes)).toBe(true);
    expect(existsSync(file)).toBe(false); // S3 holds it: the local copy is not kept

    // A chunk whose file is damaged and that this process no longer holds (sealed before a restart) is not sent.
    workspace.store.recordAnswers(id, 'alice', [answer(2, 't-2', 'reject')]);
    const [later] = await sealChunks(sealTarget(workspace, id, batch));
    await ws.core.workspaces.reset(); // a restart: what was sealed is only on disk now
    expect(takeFreshChunk(later!.sha256)).toBeDefined(); // (one process here: drop what the restart would have lost)
    writeFileSync(join(workspace.outboxDir, `${later!.sha256}.jsonl`), 'damaged');
    const reopened = await ws.core.workspaces.get();
    expect(await drainOutbox({ store: reopened.store, client: reopened.client, bucket: ws.config.bucket })).toMatchObject({ done: 0, needsAttention: 1 });
    expect(reopened.store.getJob(later!.jobId)).toMatchObject({ state: 'needs-attention', lastError: `The local file for ${later!.key} changed on disk since it was queued (SHA-256 differs); it was not published.` });
    expect(await rawKeys(ws.config.bucket, later!.key)).toEqual([]);
  });
});
