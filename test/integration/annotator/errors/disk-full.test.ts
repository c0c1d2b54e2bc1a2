// A pull that runs out of disk: dataDir (cache and store, as Ferry lays them out) lives on a real 1 MiB tmpfs and the
// batch's assets need more. The error says disk-full and names the folder; the cache holds only verified files, no
// .part left taking space; the store is intact; once there is room, the pull resumes and reuses what it verified.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createBatches } from '../../../../electron/batches/create-batches.ts';
import { pullBatch } from '../../../../electron/pull/pull-batch.ts';
import { BatchManifestSchema } from '../../../../shared/batch.ts';
import { batchPaths } from '../../../../electron/workspace/paths.ts';
import { writePool, type TestWorkspace } from '../../../helpers/workspace-fixture.ts';
import { cleanupStandins } from '../../../prodigy-standin/harness.ts';
import { batchFolderKey, ferryError, filesUnder, freeBytes, inodeOf, PROJECT, rawGet, rawPut, removeTinyDisks, seedProject, sha256, tinyDisk, workspaceWith } from './error-kit.ts';

const KIB = 1024;
const isRoot = process.getuid?.() === 0;

const open: TestWorkspace[] = [];
afterEach(async () => {
  for (const ws of open.splice(0)) await ws.core.close();
  await cleanupStandins();
  removeTinyDisks();
});

// Images of these sizes, referenced one per task: the small ones fit, together with the big one they do not.
async function imageBatch(ws: TestWorkspace, sizes: readonly number[]) {
  const target = await seedProject(ws);
  const images = sizes.map((size, i) => ({ key: `raw/img-${i}.jpg`, body: randomBytes(size) }));
  for (const image of images) await rawPut(ws.config.bucket, image.key, image.body);
  const pool = images.map((image, i) => ({ id: `img-${i}`, text: `Photo ${i}`, image: `s3://${ws.config.bucket}/${image.key}` }));
  const created = await createBatches(target, { project: PROJECT, region: 'emea', poolFile: writePool(ws.dir, 'pool.jsonl', pool), size: images.length, createdBy: 'lead' });
  return { target, images, batch: created.created[0]!.batch };
}

function expectOnlyVerifiedFiles(root: string, images: readonly { body: Buffer }[]): string[] {
  const known = new Set(images.map((i) => `${sha256(i.body)}.jpg`));
  const files = filesUnder(root);
  expect(files.filter((f) => f.endsWith('.part') || f.endsWith('.tmp'))).toEqual([]);
  const assets = files.filter((f) => f.startsWith('assets/'));
  for (const file of assets) {
    const name = file.slice('assets/'.length);
    expect(known.has(name), file).toBe(true);
    expect(`${sha256(readFileSync(join(root, file)))}.jpg`, file).toBe(name); // no partial file under its final name
  }
  return assets;
}

describe.runIf(isRoot)('pull onto a full disk (tmpfs; needs root to mount)', () => {
  it('fails with disk-full naming the folder, keeps the cache and store consistent, and resumes once there is room', async () => {
    const disk = tinyDisk('1m');
    const ws = await workspaceWith({ dataDir: join(disk, 'data') });
    open.push(ws);
    const { images, batch } = await imageBatch(ws, [40 * KIB, 40 * KIB, 40 * KIB, 40 * KIB, 2 * 1024 * KIB, 2 * 1024 * KIB]);
    const paths = batchPaths(ws.config.dataDir, PROJECT, 'emea', batch);

    const error = await ferryError(ws.core.annotator.claimNext());
    expect(error.code).toBe('disk-full');
    expect(error.message).toMatch(new RegExp(`^Not enough disk space in ${paths.assets.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} to download s3://`));
    expect(error.message).toContain('Free some space and try again.');

    const kept = expectOnlyVerifiedFiles(paths.root, images);
    expect(readFileSync(paths.tasks).length).toBeGreaterThan(0);
    expect(filesUnder(paths.root)).not.toContain('prodigy-tasks.jsonl');
    expect(freeBytes(disk)).toBeGreaterThan(200 * KIB); // the unfinished downloads gave their space back
    const store = (await ws.core.workspaces.get()).store;
    expect(store.quickCheck()).toBe('ok');
    const id = `${PROJECT}/emea/${batch}`;
    const failed = await ws.core.annotator.get(id);
    expect(failed.status).toBe('failed');
    expect(failed.error).toContain(error.message);

    const inodes = new Map([...kept, 'tasks.jsonl'].map((f) => [f, inodeOf(join(paths.root, f))]));
    execFileSync('mount', ['-o', 'remount,size=16m', disk]); // the annotator frees space
    const opened = await ws.core.annotator.open(id);
    expect(opened.batch.status).toBe('annotating');
    expect(expectOnlyVerifiedFiles(paths.root, images)).toHaveLength(images.length);
    for (const [file, inode] of inodes) expect(inodeOf(join(paths.root, file)), file).toBe(inode); // verified files reused
    expect(store.quickCheck()).toBe('ok');
    await ws.core.annotator.stop(id);
  });

  it('one download at a time: the files verified before the disk filled stay, the rest never start', async () => {
    const disk = tinyDisk('300k');
    const ws = await workspaceWith({ dataDir: join(disk, 'data') });
    open.push(ws);
    const { target, images, batch } = await imageBatch(ws, [30 * KIB, 30 * KIB, 1024 * KIB, 30 * KIB]);
    // The manifest as claimers read it, fetched by a plain client.
    const manifest = BatchManifestSchema.parse(JSON.parse((await rawGet(ws.config.bucket, `${batchFolderKey(ws.config.prefix, 'emea', batch)}batch.json`)).toString('utf8')));
    const paths = batchPaths(ws.config.dataDir, PROJECT, 'emea', batch);

    const error = await ferryError(pullBatch(target, manifest, paths, { concurrency: 1 }));
    expect(error.code).toBe('disk-full');
    expect(error.message).toContain(`to download s3://${ws.config.bucket}/raw/img-2.jpg (${1024 * KIB} bytes)`);
    const kept = expectOnlyVerifiedFiles(paths.root, images);
    expect(kept).toEqual([images[0], images[1]].map((i) => `assets/${sha256(i!.body)}.jpg`).sort());
  });
});

