// A pool line pointing at an asset that is not in S3: batch creation names the key and the pool line, and writes no
// batch at all (not even the ones before it), so the lead fixes the line and runs the same command again.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createBatches } from '../../../electron/batches/create-batches.ts';
import { BatchManifestSchema } from '../../../shared/batch.ts';
import { makeWorkspace, writePool, type TestWorkspace } from '../../helpers/workspace-fixture.ts';
import { ferryError, PROJECT, rawGet, rawKeys, rawPut, seedProject, sha256 } from '../annotator/errors/error-kit.ts';

const open: TestWorkspace[] = [];
afterEach(async () => {
  for (const ws of open.splice(0)) await ws.core.close();
});

describe('createBatches: a missing asset', () => {
  it('fails naming s3://BUCKET/raw/missing.jpg and its pool line, writes nothing, and succeeds once the file is uploaded', async () => {
    const ws = await makeWorkspace();
    open.push(ws);
    const target = await seedProject(ws);
    const bodies = new Map<string, Buffer>();
    for (let i = 1; i <= 7; i += 1) {
      if (i === 6) continue;
      const body = randomBytes(1000 + i);
      bodies.set(`raw/${i}.jpg`, body);
      await rawPut(ws.config.bucket, `raw/${i}.jpg`, body);
    }
    // Line 6 is in the second of three batches: the first batch must not be written either.
    const pool = Array.from({ length: 7 }, (_, i) => ({ id: `img-${i + 1}`, text: `Photo ${i + 1}`, image: `s3://${ws.config.bucket}/raw/${i + 1 === 6 ? 'missing' : i + 1}.jpg` }));
    const poolFile = writePool(ws.dir, 'pool.jsonl', pool);

    const error = await ferryError(createBatches(target, { project: PROJECT, region: 'emea', poolFile, size: 3, createdBy: 'lead' }));
    expect(error.code).toBe('not-found');
    expect(error.message).toBe(
      `pool.jsonl line 6 (task "img-6", field "image"): A task refers to s3://${ws.config.bucket}/raw/missing.jpg, which does not exist. Fix the pool line or upload the file. No batch was created.`,
    );
    expect(await rawKeys(ws.config.bucket, `${ws.config.prefix}projects/${PROJECT}/batches/`)).toEqual([]);

    const body = randomBytes(4242);
    await rawPut(ws.config.bucket, 'raw/missing.jpg', body);
    bodies.set('raw/missing.jpg', body);
    const created = await createBatches(target, { project: PROJECT, region: 'emea', poolFile, size: 3, createdBy: 'lead' });
    expect(created.created.map((b) => b.tasks)).toEqual([3, 3, 1]);
    const second = BatchManifestSchema.parse(JSON.parse((await rawGet(ws.config.bucket, created.created[1]!.key)).toString('utf8')));
    const asset = second.assets.find((a) => a.key === `s3://${ws.config.bucket}/raw/missing.jpg`);
    expect(asset).toEqual({ key: `s3://${ws.config.bucket}/raw/missing.jpg`, path: `assets/${sha256(body)}.jpg`, sha256: sha256(body), bytes: 4242 });
  });
});
