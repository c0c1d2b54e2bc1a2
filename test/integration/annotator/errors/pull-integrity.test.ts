// A pull that meets bytes which are not what the manifest promised: changed, malformed, or gone. It names the key,
// keeps only verified files, marks the batch failed with the reason, and resumes once S3 holds the right bytes.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BatchEvent } from '../../../../shared/api.ts';
import { createBatches } from '../../../../electron/batches/create-batches.ts';
import { batchPaths } from '../../../../electron/workspace/paths.ts';
import { makeWorkspace, textPool, writePool, type TestWorkspace } from '../../../helpers/workspace-fixture.ts';
import { cleanupStandins } from '../../../prodigy-standin/harness.ts';
import { batchFolderKey, ferryError, filesUnder, inodeOf, PROJECT, publishRawBatch, rawDelete, rawGet, rawManifest, rawPut, seedProject, sha256, taskLines } from './error-kit.ts';

const open: TestWorkspace[] = [];
afterEach(async () => {
  for (const ws of open.splice(0)) await ws.core.close();
  await cleanupStandins();
});

async function workspace(): Promise<TestWorkspace> {
  const ws = await makeWorkspace();
  open.push(ws);
  return ws;
}

function batchEvents(ws: TestWorkspace): BatchEvent[] {
  const events: BatchEvent[] = [];
  ws.core.on('batch', (e) => events.push(e));
  return events;
}

describe('pull: tasks.jsonl changed in S3 after the batch was made', () => {
  it('fails with checksum-mismatch naming the key, lands no tasks file, marks the batch failed, and resumes once restored', async () => {
    const ws = await workspace();
    const target = await seedProject(ws);
    const created = await createBatches(target, { project: PROJECT, region: 'emea', poolFile: writePool(ws.dir, 'pool.jsonl', textPool(4)), size: 4, createdBy: 'lead' });
    const batch = created.created[0]!.batch;
    const tasksKey = `${batchFolderKey(ws.config.prefix, 'emea', batch)}tasks.jsonl`;
    const original = await rawGet(ws.config.bucket, tasksKey);
    await rawPut(ws.config.bucket, tasksKey, Buffer.from(original.toString('utf8').replace('Berlin', 'Munich'))); // someone edits it by hand
    const events = batchEvents(ws);

    const error = await ferryError(ws.core.annotator.claimNext());
    expect(error.code).toBe('checksum-mismatch');
    expect(error.message).toContain(`s3://${ws.config.bucket}/${tasksKey}`);
    expect(error.message).toContain(`expected ${sha256(original)}`);

    const paths = batchPaths(ws.config.dataDir, PROJECT, 'emea', batch);
    expect(filesUnder(paths.root)).toEqual(['batch.json']); // no tasks.jsonl, no .part, no prodigy-tasks.jsonl
    const id = `${PROJECT}/emea/${batch}`;
    const failed = await ws.core.annotator.get(id);
    expect(failed.status).toBe('failed');
    expect(failed.error).toContain(`s3://${ws.config.bucket}/${tasksKey}`);
    expect(failed.error).toContain('Open the batch to try again');
    expect(events.at(-1)?.batch).toMatchObject({ id, status: 'failed', error: failed.error });

    await rawPut(ws.config.bucket, tasksKey, original); // the lead puts the right bytes back
    const opened = await ws.core.annotator.open(id);
    expect(opened.batch.status).toBe('annotating');
    expect(opened.batch.error).toBeNull();
    expect(readFileSync(paths.tasks).equals(original)).toBe(true);
    expect(readFileSync(paths.localTasks, 'utf8').trim().split('\n')).toHaveLength(4);
    await ws.core.annotator.stop(id);
  });
});

describe('pull: a tasks.jsonl that matches its checksum but has a bad line', () => {
  it('refuses the batch as a whole with malformed-input naming the key and line 3, and says why', async () => {
    const ws = await workspace();
    await seedProject(ws);
    const lines = taskLines(4);
    lines[2] = '{"text": "Task 3", "meta": {"task_id": "t-3"}'; // the closing brace is missing
    const body = Buffer.from(`${lines.join('\n')}\n`);
    const batch = '000000-badline';
    await publishRawBatch(ws.config.bucket, ws.config.prefix, rawManifest('emea', batch, body, 4), body);

    const error = await ferryError(ws.core.annotator.claimNext());
    const tasksUri = `s3://${ws.config.bucket}/${batchFolderKey(ws.config.prefix, 'emea', batch)}tasks.jsonl`;
    expect(error.code).toBe('malformed-input');
    expect(error.message).toMatch(new RegExp(`^${tasksUri.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} line 3 is not valid JSON \\(.+\\)\\. `));
    expect(error.message).toContain('The batch was refused as a whole, because annotating only part of it would publish answers that never add up to its manifest');
    expect(error.message).toContain('ask your team lead to recreate it');

    const paths = batchPaths(ws.config.dataDir, PROJECT, 'emea', batch);
    expect(existsSync(paths.localTasks)).toBe(false); // Prodigy never gets a source
    const failed = await ws.core.annotator.get(`${PROJECT}/emea/${batch}`);
    expect(failed.status).toBe('failed');
    expect(failed.error).toBe(`Pulling failed: ${error.message}`); // no "try again": retrying cannot help
    await expect(ws.core.annotator.open(failed.id)).rejects.toMatchObject({ code: 'malformed-input', message: error.message });
  });
});

describe('pull: an asset deleted from S3 after the batch was made', () => {
  it('fails with not-found naming the asset, keeps the verified files, and reuses them once the asset is back', async () => {
    const ws = await workspace();
    const target = await seedProject(ws);
    const images = ['a', 'b', 'c'].map((name) => ({ key: `raw/${name}.jpg`, body: randomBytes(40_000 + name.charCodeAt(0)) }));
    for (const image of images) await rawPut(ws.config.bucket, image.key, image.body);
    const pool = images.map((image, i) => ({ id: `img-${i + 1}`, text: `Photo ${i + 1}`, image: `s3://${ws.config.bucket}/${image.key}` }));
    const created = await createBatches(target, { project: PROJECT, region: 'emea', poolFile: writePool(ws.dir, 'pool.jsonl', pool), size: 3, createdBy: 'lead' });
    const batch = created.created[0]!.batch;
    await rawDelete(ws.config.bucket, 'raw/b.jpg');

    const error = await ferryError(ws.core.annotator.claimNext());
    expect(error.code).toBe('not-found');
    expect(error.message).toBe(
      `Batch ${batch} needs s3://${ws.config.bucket}/raw/b.jpg, which is no longer in S3 (it was deleted or moved after the batch was created). Ask your team lead to restore it or recreate the batch; the files already downloaded are kept.`,
    );

    const paths = batchPaths(ws.config.dataDir, PROJECT, 'emea', batch);
    // Under a final name only whole, verified assets (the name is the SHA-256); a sibling stopped mid-way may leave a
    // .part, which must be a true prefix of its asset so the next pull can resume it. Of b there is nothing at all.
    const bySha = new Map(images.map((i) => [sha256(i.body), i.body]));
    const landed = filesUnder(paths.assets);
    for (const file of landed) {
      const bytes = readFileSync(join(paths.assets, file));
      const expected = bySha.get(file.replace(/\.jpg(\.part)?$/, ''));
      expect(expected, file).toBeDefined();
      if (file.endsWith('.part')) expect(expected!.subarray(0, bytes.length).equals(bytes), file).toBe(true);
      else expect(sha256(bytes), file).toBe(file.replace(/\.jpg$/, ''));
    }
    expect(landed.filter((f) => f.startsWith(sha256(images[1]!.body)))).toEqual([]);
    const assets = landed.filter((f) => f.endsWith('.jpg'));
    expect(existsSync(paths.localTasks)).toBe(false);
    const id = `${PROJECT}/emea/${batch}`;
    expect((await ws.core.annotator.get(id)).status).toBe('failed');

    const before = new Map(assets.map((f) => [f, inodeOf(join(paths.assets, f))]));
    const tasksInode = inodeOf(paths.tasks);
    await rawPut(ws.config.bucket, 'raw/b.jpg', images[1]!.body);
    const opened = await ws.core.annotator.open(id);
    expect(opened.batch.status).toBe('annotating');
    expect(filesUnder(paths.assets)).toEqual(images.map((i) => `${sha256(i.body)}.jpg`).sort());
    for (const [file, inode] of before) expect(inodeOf(join(paths.assets, file))).toBe(inode); // reused, not fetched again
    expect(inodeOf(paths.tasks)).toBe(tasksInode);
    const localImages = readFileSync(paths.localTasks, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { image: string }).image);
    expect(localImages).toEqual(images.map((i) => join(paths.assets, `${sha256(i.body)}.jpg`)));
    await ws.core.annotator.stop(id);
  });
});
