// Invariant 6: a manifest whose asset path would escape the batch's cache folder is refused before anything is written.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { batchPaths } from '../../../../electron/workspace/paths.ts';
import { makeWorkspace, type TestWorkspace } from '../../../helpers/workspace-fixture.ts';
import { cleanupStandins } from '../../../prodigy-standin/harness.ts';
import { ferryError, filesUnder, PROJECT, publishRawBatch, rawManifest, rawPut, seedProject, sha256, taskLines } from './error-kit.ts';

const open: TestWorkspace[] = [];
afterEach(async () => {
  for (const ws of open.splice(0)) await ws.core.close();
  await cleanupStandins();
});

const UNSAFE = [
  { path: '../../etc/passwd', reason: 'the key has a ".." segment that would leave the cache folder' },
  { path: '/abs', reason: 'the key is an absolute path' },
  { path: 'C:\\x', reason: 'the key contains a backslash, which Windows treats as a folder separator' },
  { path: 'C:x', reason: 'the key starts with a drive letter' },
  { path: 'assets/../../x', reason: 'the key has a ".." segment that would leave the cache folder' },
];

describe('pull: unsafe asset paths in a manifest', () => {
  it.each(UNSAFE)('refuses "$path" with unsafe-key naming it, and writes nothing anywhere', async ({ path, reason }) => {
    const ws = await makeWorkspace();
    open.push(ws);
    await seedProject(ws);
    // The asset really exists and matches, so only the path stands between it and the disk.
    const body = randomBytes(2048);
    await rawPut(ws.config.bucket, 'raw/payload.bin', body);
    const asset = { key: `s3://${ws.config.bucket}/raw/payload.bin`, path, sha256: sha256(body), bytes: body.length };
    const tasksBody = Buffer.from(`${taskLines(1, () => ({ image: asset.key })).join('\n')}\n`);
    const batch = '000000-unsafe';
    await publishRawBatch(ws.config.bucket, ws.config.prefix, rawManifest('emea', batch, tasksBody, 1, [asset]), tasksBody);

    const error = await ferryError(ws.core.annotator.claimNext());
    expect(error.code).toBe('unsafe-key');
    expect(error.message).toBe(
      `Batch ${batch} was refused: its manifest puts asset ${asset.key} at "${path}", and ${reason}. Nothing of this batch was downloaded; ask your team lead to recreate the batch.`,
    );

    const root = batchPaths(ws.config.dataDir, PROJECT, 'emea', batch).root;
    expect(existsSync(resolve(root, path)), 'where a naive join would have put it').toBe(false);
    // The whole workspace folder holds only what it held before: the config and the store.
    expect(filesUnder(ws.dir).filter((f) => !f.startsWith(join('data', 'ferry.db')))).toEqual(['workspace.json']);
    const failed = await ws.core.annotator.get(`${PROJECT}/emea/${batch}`);
    expect(failed.status).toBe('failed');
    expect(failed.error).toBe(`Pulling failed: ${error.message}`);
  });
});
