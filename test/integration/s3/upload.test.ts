// uploadFile against moto: single PUT and multipart, create-once even when racing another writer, cancellable.
import { GetObjectCommand, HeadObjectCommand, ListMultipartUploadsCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TransferProgress } from '../../../electron/s3/hashing.ts';
import { uploadFile } from '../../../electron/s3/objects.ts';
import { freshBucket, rawClient, s3Endpoint } from '../../helpers/s3-fixture.ts';
import { startFaultProxy } from '../../helpers/s3-fault-proxy.ts';
import { ferryClient, ferryError } from './s3-test-kit.ts';

const MiB = 1024 * 1024;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ferry-up-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, size: number): Promise<{ path: string; body: Buffer }> {
  const body = randomBytes(size);
  const path = join(dir, name);
  await writeFile(path, body);
  return { path, body };
}

async function stored(bucket: string, key: string): Promise<{ body: Buffer; sha256: string | undefined; etag: string | undefined }> {
  const r = await rawClient().send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return { body: Buffer.from(await r.Body!.transformToByteArray()), sha256: r.Metadata?.sha256, etag: r.ETag };
}

async function openUploads(bucket: string): Promise<number> {
  return (await rawClient().send(new ListMultipartUploadsCommand({ Bucket: bucket }))).Uploads?.length ?? 0;
}

describe('uploadFile', () => {
  it('sends a small file in one create-once PUT with its SHA-256; a retry is a no-op', async () => {
    const bucket = await freshBucket();
    const client = ferryClient(bucket);
    const { path, body } = await file('small.bin', MiB);
    const events: TransferProgress[] = [];
    const first = await uploadFile(client, bucket, 'ws/small.bin', path, { onProgress: (p) => events.push(p) });
    expect(first).toMatchObject({ created: true, sha256: sha(body), size: MiB, multipart: false });
    expect(events.at(-1)).toEqual({ phase: 'uploading', bytesDone: MiB, bytesTotal: MiB });
    const again = await uploadFile(client, bucket, 'ws/small.bin', path);
    expect(again).toMatchObject({ created: false, sha256: sha(body) });
    const s = await stored(bucket, 'ws/small.bin');
    expect(s.body.equals(body)).toBe(true);
    expect(s.sha256).toBe(sha(body));
  });

  it('uploads 12 MiB in 5 MiB parts with sha256 metadata and progress, and round-trips', async () => {
    const bucket = await freshBucket();
    const { path, body } = await file('big.bin', 12 * MiB);
    const events: TransferProgress[] = [];
    const result = await uploadFile(ferryClient(bucket), bucket, 'ws/big.bin', path, { partSize: 5 * MiB, onProgress: (p) => events.push(p) });
    expect(result).toMatchObject({ created: true, sha256: sha(body), size: 12 * MiB, multipart: true });
    const s = await stored(bucket, 'ws/big.bin');
    expect(s.etag).toMatch(/-3"$/);
    expect(s.sha256).toBe(sha(body));
    expect(s.body.equals(body)).toBe(true);
    const uploading = events.filter((e) => e.phase === 'uploading');
    expect(events[0]?.phase).toBe('hashing');
    expect(uploading.at(-1)).toEqual({ phase: 'uploading', bytesDone: 12 * MiB, bytesTotal: 12 * MiB });
    expect(uploading.every((e, i) => i === 0 || e.bytesDone >= uploading[i - 1]!.bytesDone)).toBe(true);
    expect(await openUploads(bucket)).toBe(0);
  });

  it('never overwrites: a different large file under the same key is a conflict', async () => {
    const bucket = await freshBucket();
    const client = ferryClient(bucket);
    const a = await file('a.bin', 12 * MiB);
    const b = await file('b.bin', 12 * MiB);
    await uploadFile(client, bucket, 'ws/same.bin', a.path, { partSize: 5 * MiB });
    expect(await uploadFile(client, bucket, 'ws/same.bin', a.path, { partSize: 5 * MiB })).toMatchObject({ created: false });
    const error = await ferryError(uploadFile(client, bucket, 'ws/same.bin', b.path, { partSize: 5 * MiB }));
    expect(error.code).toBe('conflict');
    expect((await stored(bucket, 'ws/same.bin')).sha256).toBe(sha(a.body));
  });

  // The proxy holds CompleteMultipartUpload until the other writer's PUT has landed, so the race always goes their way.
  async function raceAnotherWriter(bucket: string, key: string, path: string, theirs: Buffer) {
    let landed!: (value: unknown) => void;
    const theirsLanded = new Promise((resolve) => (landed = resolve));
    const proxy = await startFaultProxy(s3Endpoint(), { rules: [{ match: { kinds: ['complete-multipart'] }, action: { kind: 'hold', until: theirsLanded } }] });
    let started = false;
    try {
      const outcome = await uploadFile(ferryClient(bucket, proxy.endpoint), bucket, key, path, {
        partSize: 5 * MiB,
        onProgress: (p) => {
          if (p.phase !== 'uploading' || started) return;
          started = true;
          rawClient().send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: theirs, Metadata: { sha256: sha(theirs) } })).then(landed, landed);
        },
      }).then(
        (value) => ({ value }),
        (error: unknown) => ({ error }),
      );
      expect(started).toBe(true);
      expect(proxy.requests.filter((r) => r.kind === 'complete-multipart').map((r) => r.headers['if-none-match'])).toEqual(['*']);
      return outcome;
    } finally {
      await proxy.stop();
    }
  }

  it('keeps the create-once guard on CompleteMultipartUpload when another writer gets there first', async () => {
    const bucket = await freshBucket();
    const { path } = await file('mine.bin', 12 * MiB);
    const theirs = randomBytes(100);
    const outcome = await raceAnotherWriter(bucket, 'ws/race.bin', path, theirs);
    expect('error' in outcome && outcome.error).toMatchObject({ code: 'conflict' });
    expect((await stored(bucket, 'ws/race.bin')).body.equals(theirs)).toBe(true);
    expect(await openUploads(bucket)).toBe(0);
  });

  it('treats the same bytes arriving first from another writer as already uploaded', async () => {
    const bucket = await freshBucket();
    const { path, body } = await file('twin.bin', 11 * MiB);
    const outcome = await raceAnotherWriter(bucket, 'ws/twin.bin', path, body);
    expect('value' in outcome && outcome.value).toMatchObject({ created: false, sha256: sha(body), multipart: true });
    expect(await openUploads(bucket)).toBe(0);
  });

  it('refuses a file that changes while it is being uploaded', async () => {
    const bucket = await freshBucket();
    const { path } = await file('moving.bin', 12 * MiB);
    let changed = false;
    const error = await ferryError(
      uploadFile(ferryClient(bucket), bucket, 'ws/moving.bin', path, {
        partSize: 5 * MiB,
        concurrency: 1,
        onProgress: (p) => {
          if (p.phase === 'uploading' && !changed) {
            changed = true;
            // Synchronous on purpose: the next part must be read after this write.
            writeFileSync(path, randomBytes(12 * MiB));
          }
        },
      }),
    );
    expect(error.code).toBe('conflict');
    expect(error.message).toContain('changed while it was being uploaded');
    expect(await rawClient().send(new HeadObjectCommand({ Bucket: bucket, Key: 'ws/moving.bin' })).catch((e: { name: string }) => e.name)).toBe('NotFound');
    expect(await openUploads(bucket)).toBe(0);
  });

  it('cancels on abort and removes the multipart upload', async () => {
    const bucket = await freshBucket();
    const { path } = await file('cancel.bin', 16 * MiB);
    const controller = new AbortController();
    const error = await ferryError(
      uploadFile(ferryClient(bucket), bucket, 'ws/cancel.bin', path, {
        partSize: 5 * MiB,
        signal: controller.signal,
        onProgress: (p) => {
          if (p.phase === 'uploading') controller.abort();
        },
      }),
    );
    expect(error.code).toBe('cancelled');
    expect(await openUploads(bucket)).toBe(0);
    expect(await rawClient().send(new HeadObjectCommand({ Bucket: bucket, Key: 'ws/cancel.bin' })).catch((e: { name: string }) => e.name)).toBe('NotFound');
  });
});
