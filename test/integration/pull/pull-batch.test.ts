// pullBatch through the app's pull client (verifiedByCaller, so assets take the lean GET), with faults between it and
// moto: every asset still lands verified under its content name, a missing one is named with its batch, and a second
// pull reuses everything without a request.
import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { BatchManifest } from '../../../shared/batch.ts';
import { BatchManifestSchema } from '../../../shared/batch.ts';
import { batchManifestKey } from '../../../shared/s3-layout.ts';
import { createBatches } from '../../../electron/batches/create-batches.ts';
import { createProject, type S3Target } from '../../../electron/projects/projects.ts';
import { pullBatch, type PullProgress } from '../../../electron/pull/pull-batch.ts';
import { createS3Client } from '../../../electron/s3/client.ts';
import { LEAN_GET_USER_AGENT } from '../../../electron/s3/lean-get.ts';
import { getJson } from '../../../electron/s3/objects.ts';
import { batchPaths } from '../../../electron/workspace/paths.ts';
import { startFaultProxy, type FaultProxy } from '../../helpers/s3-fault-proxy.ts';
import { freshBucket, rawClient, s3Endpoint } from '../../helpers/s3-fixture.ts';
import { ferryError, testConfig } from '../s3/s3-test-kit.ts';

const ASSETS = 24;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

let proxy: FaultProxy;
let dir: string;
let bucket: string;
let manifest: BatchManifest;
const bodies = new Map<string, Buffer>(); // by s3:// key

beforeAll(async () => {
  proxy = await startFaultProxy(s3Endpoint());
});
afterAll(async () => {
  await proxy.stop();
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ferry-pull-'));
  bucket = await freshBucket();
  bodies.clear();
  // The lead's side, straight to moto: raw images, a project, one batch of all of them.
  const lead: S3Target = { client: createS3Client(testConfig(bucket)), bucket, prefix: 'ws/' };
  for (let i = 0; i < ASSETS; i += 1) {
    const body = randomBytes(100_000 + i * 1000);
    const key = `raw/img-${i}.jpg`;
    await rawClient().send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    bodies.set(`s3://${bucket}/${key}`, body);
  }
  await createProject(lead, { name: 'photos', recipe: 'image.manual', labels: ['CAR'], regions: ['emea'], batchSize: ASSETS, createdBy: 'lead' });
  const pool = join(dir, 'pool.jsonl');
  await writeFile(pool, `${[...bodies.keys()].map((image) => JSON.stringify({ image })).join('\n')}\n`);
  const made = await createBatches(lead, { project: 'photos', region: 'emea', poolFile: pool, size: ASSETS, createdBy: 'lead' });
  manifest = (await getJson(lead.client, bucket, batchManifestKey('ws/', 'photos', 'emea', made.created[0]!.batch), BatchManifestSchema)).value;
  proxy.setRules([]);
  proxy.requests.length = 0;
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function pullTarget(idleTimeoutMs?: number): S3Target {
  return { client: createS3Client(testConfig(bucket, proxy.endpoint), { verifiedByCaller: true, ...(idleTimeoutMs ? { idleTimeoutMs } : {}) }), bucket, prefix: 'ws/' };
}

function assetGets() {
  return proxy.requests.filter((r) => r.kind === 'get-object' && r.key.startsWith('raw/'));
}

describe('pullBatch over the lean GET', () => {
  it('lands every asset verified despite resets, a stall and a 503 burst, and reports progress up to the total', async () => {
    proxy.setRules([
      { match: { kinds: ['get-object'], keyIncludes: 'raw/img-3.' }, action: { kind: 'reset', side: 'response', afterBytes: 40_000 }, times: 1 },
      { match: { kinds: ['get-object'], keyIncludes: 'raw/img-7.' }, action: { kind: 'reset', side: 'response', afterBytes: 0 }, times: 1 },
      { match: { kinds: ['get-object'], keyIncludes: 'raw/img-11.' }, action: { kind: 'deny', status: 503, code: 'SlowDown', message: 'Please reduce your request rate.' }, times: 2 },
      { match: { kinds: ['get-object'], keyIncludes: 'raw/img-15.' }, action: { kind: 'stall', side: 'body', afterBytes: 20_000, ms: 5_000 }, times: 1 },
    ]);
    const paths = batchPaths(join(dir, 'data'), 'photos', 'emea', manifest.batch);
    const progress: PullProgress[] = [];
    const result = await pullBatch(pullTarget(500), manifest, paths, { concurrency: 8, onProgress: (p) => progress.push(p) });
    expect(result).toMatchObject({ filesDone: ASSETS + 1, filesTotal: ASSETS + 1, reused: 0, tasks: ASSETS });
    expect(result.bytesDone).toBe(result.bytesTotal);
    for (const asset of manifest.assets) {
      const landed = await readFile(join(paths.root, ...asset.path.split('/')));
      expect(sha(landed)).toBe(sha(bodies.get(asset.key)!));
    }
    expect((await readdir(paths.assets)).filter((name) => name.endsWith('.part'))).toEqual([]);
    expect(progress.at(-1)).toMatchObject({ bytesDone: result.bytesTotal, filesDone: ASSETS + 1 });
    expect(progress.every((p, i) => i === 0 || p.bytesDone >= progress[i - 1]!.bytesDone)).toBe(true);

    const gets = assetGets();
    expect(gets.every((r) => r.headers['user-agent'] === LEAN_GET_USER_AGENT)).toBe(true);
    expect(gets.filter((r) => r.key === 'raw/img-3.jpg').map((r) => r.fault)).toEqual(['reset', null]);
    expect(gets.find((r) => r.key === 'raw/img-3.jpg' && r.fault === null)?.headers.range).toMatch(/^bytes=[1-9]\d*-$/);
    expect(gets.filter((r) => r.key === 'raw/img-7.jpg').map((r) => r.fault)).toEqual(['reset', null]);
    expect(gets.filter((r) => r.key === 'raw/img-11.jpg').map((r) => r.fault)).toEqual(['deny', 'deny', null]);
    expect(gets.filter((r) => r.key === 'raw/img-15.jpg').map((r) => [r.fault, r.headers.range?.replace(/\d+/, 'N')])).toEqual([['stall', undefined], [null, 'bytes=N-']]);
    expect(gets).toHaveLength(ASSETS + 5);

    proxy.requests.length = 0;
    const again = await pullBatch(pullTarget(), manifest, paths);
    expect(again.reused).toBe(ASSETS + 1);
    expect(assetGets()).toEqual([]);
  });

  it('a deleted asset fails the pull naming the batch and the asset; the verified files stay and no .part is left', async () => {
    const gone = manifest.assets[5]!;
    await rawClient().send(new DeleteObjectCommand({ Bucket: bucket, Key: gone.key.replace(`s3://${bucket}/`, '') }));
    const paths = batchPaths(join(dir, 'data'), 'photos', 'emea', manifest.batch);
    const error = await ferryError(pullBatch(pullTarget(), manifest, paths, { concurrency: 1 }));
    expect(error.code).toBe('not-found');
    expect(error.message).toBe(
      `Batch ${manifest.batch} needs ${gone.key}, which is no longer in S3 (it was deleted or moved after the batch was created). Ask your team lead to restore it or recreate the batch; the files already downloaded are kept.`,
    );
    const kept = await readdir(paths.assets);
    expect(kept).toHaveLength(5); // the five before it, one at a time
    expect(kept.some((name) => name.endsWith('.part'))).toBe(false);
    expect(existsSync(join(paths.root, ...gone.path.split('/')))).toBe(false);
  });

  it('a pull cancelled mid-way keeps what it verified and the next pull resumes the rest', async () => {
    const paths = batchPaths(join(dir, 'data'), 'photos', 'emea', manifest.batch);
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    proxy.setRules([{ match: { kinds: ['get-object'], keyIncludes: 'raw/img-12.' }, action: { kind: 'hold', until: held } }]);
    const controller = new AbortController();
    const pulling = pullBatch(pullTarget(), manifest, paths, { concurrency: 2, signal: controller.signal });
    while (!assetGets().some((r) => r.key === 'raw/img-12.jpg')) await new Promise((resolve) => setImmediate(resolve));
    controller.abort(); // while img-12 is on its way
    release();
    const error = await ferryError(pulling);
    expect(error.code).toBe('cancelled');
    const landed = (await readdir(paths.assets)).filter((name) => !name.endsWith('.part'));
    expect(landed.length).toBeGreaterThan(0);
    expect(landed.length).toBeLessThan(ASSETS);
    proxy.setRules([]);
    const resumed = await pullBatch(pullTarget(), manifest, paths);
    expect(resumed.reused).toBe(1 + landed.length);
    for (const asset of manifest.assets) expect(sha(await readFile(join(paths.root, ...asset.path.split('/'))))).toBe(asset.sha256);
  });
});
