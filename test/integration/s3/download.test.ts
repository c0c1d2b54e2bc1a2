// downloadToFile against moto: verified, atomic, resumable, cancellable, and clear about disk and checksum trouble.
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cachePathForKey } from '../../../electron/s3/cache-path.ts';
import type { TransferProgress } from '../../../electron/s3/hashing.ts';
import { downloadToFile, putObjectOnce } from '../../../electron/s3/objects.ts';
import { freshBucket, rawClient, s3Endpoint } from '../../helpers/s3-fixture.ts';
import { startFaultProxy } from '../../helpers/s3-fault-proxy.ts';
import { ferryClient, ferryError } from './s3-test-kit.ts';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ferry-dl-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function seed(bucket: string, key: string, size: number): Promise<Buffer> {
  const body = randomBytes(size);
  await rawClient().send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
  return body;
}

describe('downloadToFile', () => {
  it('streams to the destination, verifies SHA-256 and size, and leaves no .part', async () => {
    const bucket = await freshBucket();
    const body = await seed(bucket, 'ws/a/img.bin', 3 * 1024 * 1024 + 7);
    const dest = join(dir, 'nested', 'img.bin');
    const events: TransferProgress[] = [];
    const result = await downloadToFile(ferryClient(bucket), bucket, 'ws/a/img.bin', dest, { expectedSha256: sha(body), expectedSize: body.length, onProgress: (p) => events.push(p) });
    expect(result).toEqual({ sha256: sha(body), size: body.length, resumedFrom: 0 });
    expect((await readFile(dest)).equals(body)).toBe(true);
    expect(existsSync(`${dest}.part`)).toBe(false);
    expect(events.at(-1)).toEqual({ phase: 'downloading', bytesDone: body.length, bytesTotal: body.length });
    expect(events.every((e, i) => i === 0 || e.bytesDone >= events[i - 1]!.bytesDone)).toBe(true);
  });

  it('checks against the sha256 metadata Ferry wrote when no hash is given', async () => {
    const bucket = await freshBucket();
    const client = ferryClient(bucket);
    await putObjectOnce(client, bucket, 'ws/good.jsonl', '{"text":"ok"}\n');
    await rawClient().send(new PutObjectCommand({ Bucket: bucket, Key: 'ws/lying.jsonl', Body: 'tampered', Metadata: { sha256: 'f'.repeat(64) } }));
    await downloadToFile(client, bucket, 'ws/good.jsonl', join(dir, 'good.jsonl'));
    expect(await readFile(join(dir, 'good.jsonl'), 'utf8')).toBe('{"text":"ok"}\n');
    const error = await ferryError(downloadToFile(client, bucket, 'ws/lying.jsonl', join(dir, 'lying.jsonl')));
    expect(error.code).toBe('checksum-mismatch');
  });

  it('on a checksum mismatch throws, naming the key and both hashes, and leaves no file', async () => {
    const bucket = await freshBucket();
    const body = await seed(bucket, 'ws/t.jsonl', 1000);
    const dest = join(dir, 't.jsonl');
    const wrong = '0'.repeat(64);
    const error = await ferryError(downloadToFile(ferryClient(bucket), bucket, 'ws/t.jsonl', dest, { expectedSha256: wrong }));
    expect(error.code).toBe('checksum-mismatch');
    expect(error.message).toContain(`Downloaded s3://${bucket}/ws/t.jsonl but its SHA-256 is ${sha(body)}, expected ${wrong}`);
    expect(existsSync(dest)).toBe(false);
    expect(existsSync(`${dest}.part`)).toBe(false);
  });

  it('resumes a partial .part with a Range request when the final hash is known', async () => {
    const bucket = await freshBucket();
    const body = await seed(bucket, 'ws/big.bin', 2 * 1024 * 1024);
    const dest = join(dir, 'big.bin');
    await writeFile(`${dest}.part`, body.subarray(0, 1024 * 1024));
    const proxy = await startFaultProxy(s3Endpoint());
    try {
      const result = await downloadToFile(ferryClient(bucket, proxy.endpoint), bucket, 'ws/big.bin', dest, { expectedSha256: sha(body), expectedSize: body.length });
      expect(result.resumedFrom).toBe(1024 * 1024);
      expect((await readFile(dest)).equals(body)).toBe(true);
      const gets = proxy.requests.filter((r) => r.kind === 'get-object');
      expect(gets.map((r) => r.headers.range)).toEqual(['bytes=1048576-']);
    } finally {
      await proxy.stop();
    }
  });

  it('throws away a .part that does not belong to the object, then downloads afresh on retry', async () => {
    const bucket = await freshBucket();
    const body = await seed(bucket, 'ws/c.bin', 4096);
    const dest = join(dir, 'c.bin');
    await writeFile(`${dest}.part`, randomBytes(1000));
    const client = ferryClient(bucket);
    expect((await ferryError(downloadToFile(client, bucket, 'ws/c.bin', dest, { expectedSha256: sha(body) }))).code).toBe('checksum-mismatch');
    expect(existsSync(`${dest}.part`)).toBe(false);
    expect((await downloadToFile(client, bucket, 'ws/c.bin', dest, { expectedSha256: sha(body) })).resumedFrom).toBe(0);
    expect((await readFile(dest)).equals(body)).toBe(true);
  });

  it('stops when its signal is aborted, keeping the .part to resume and no destination file', async () => {
    const bucket = await freshBucket();
    const body = await seed(bucket, 'ws/huge.bin', 24 * 1024 * 1024);
    const dest = join(dir, 'huge.bin');
    const controller = new AbortController();
    const error = await ferryError(
      downloadToFile(ferryClient(bucket), bucket, 'ws/huge.bin', dest, { expectedSha256: sha(body), signal: controller.signal, onProgress: () => controller.abort() }),
    );
    expect(error.code).toBe('cancelled');
    expect(existsSync(dest)).toBe(false);
    expect((await stat(`${dest}.part`)).size).toBeLessThan(body.length);
    const resumed = await downloadToFile(ferryClient(bucket), bucket, 'ws/huge.bin', dest, { expectedSha256: sha(body) });
    expect((await readFile(dest)).equals(body)).toBe(true);
    expect(resumed.sha256).toBe(sha(body));
  });

  it('an already aborted signal sends nothing', async () => {
    const proxy = await startFaultProxy(s3Endpoint());
    try {
      const error = await ferryError(downloadToFile(ferryClient('b-x', proxy.endpoint), 'b-x', 'k', join(dir, 'k'), { signal: AbortSignal.abort() }));
      expect(error.code).toBe('cancelled');
      expect(proxy.requests).toHaveLength(0);
    } finally {
      await proxy.stop();
    }
  });

  // /dev/full answers every write with ENOSPC: a real full disk without needing a tiny filesystem.
  it.runIf(existsSync('/dev/full'))('reports a full disk naming the folder, and removes the .part', async () => {
    const bucket = await freshBucket();
    await seed(bucket, 'ws/f.bin', 256 * 1024);
    const dest = join(dir, 'f.bin');
    await symlink('/dev/full', `${dest}.part`);
    const error = await ferryError(downloadToFile(ferryClient(bucket), bucket, 'ws/f.bin', dest));
    expect(error.code).toBe('disk-full');
    expect(error.message).toBe(`Not enough disk space in ${dir} to download s3://${bucket}/ws/f.bin (262144 bytes). Free some space and try again.`);
    expect(existsSync(`${dest}.part`)).toBe(false);
    expect(existsSync(dest)).toBe(false);
  });
});

describe('cachePathForKey', () => {
  it('maps a plain key below the cache folder', () => {
    expect(cachePathForKey('/cache/b1', 'assets/img 1.jpg')).toBe(join('/cache/b1', 'assets', 'img 1.jpg'));
  });

  it.each([
    ['../escape.txt', '".." segment'],
    ['a/../../etc/passwd', '".." segment'],
    ['/etc/passwd', 'absolute path'],
    ['C:/Windows/win.ini', 'drive letter'],
    ['a\\..\\b', 'backslash'],
    ['a\u0000b', 'NUL'],
  ])('refuses %j (%s)', (key, why) => {
    let caught: unknown;
    try {
      cachePathForKey('/cache/b1', key);
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ code: 'unsafe-key' });
    expect((caught as Error).message).toContain(why);
    expect((caught as Error).message).toContain(JSON.stringify(key));
  });
});
