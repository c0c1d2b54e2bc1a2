// The lean GET (SHA-256-verified downloads through a verifiedByCaller client) against moto and our fault proxy:
// it must resume, retry, time out, cancel and fail exactly as clearly as the SDK path does.
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { S3ClientOptions } from '../../../electron/s3/client.ts';
import { downloadToFile } from '../../../electron/s3/download.ts';
import { LEAN_GET_USER_AGENT } from '../../../electron/s3/lean-get.ts';
import { startFaultProxy, type FaultProxy } from '../../helpers/s3-fault-proxy.ts';
import { freshBucket, rawClient, s3Endpoint } from '../../helpers/s3-fixture.ts';
import { ferryClient, ferryError } from './s3-test-kit.ts';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const MiB = 1024 * 1024;

let dir: string;
let proxy: FaultProxy;
let bucket: string;
beforeAll(async () => {
  proxy = await startFaultProxy(s3Endpoint());
});
afterAll(async () => {
  await proxy.stop();
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ferry-lean-'));
  bucket = await freshBucket();
  proxy.setRules([]);
  proxy.requests.length = 0;
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function seed(key: string, size: number): Promise<Buffer> {
  const body = randomBytes(size);
  await rawClient().send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
  return body;
}

// The pull's client: verifiedByCaller, through the proxy so every request is seen.
function pullClient(options: S3ClientOptions = {}): S3Client {
  return ferryClient(bucket, proxy.endpoint, { verifiedByCaller: true, ...options });
}

function gets() {
  return proxy.requests.filter((r) => r.kind === 'get-object');
}

describe('the lean GET', () => {
  it('carries SHA-256-verified downloads of a verifiedByCaller client; others stay on the SDK', async () => {
    const body = await seed('ws/a/img one.jpg', 300 * 1024);
    const client = pullClient();
    const dest = join(dir, 'img.jpg');
    expect(await downloadToFile(client, bucket, 'ws/a/img one.jpg', dest, { expectedSha256: sha(body), expectedSize: body.length })).toEqual({ sha256: sha(body), size: body.length, resumedFrom: 0 });
    expect((await readFile(dest)).equals(body)).toBe(true);
    expect(existsSync(`${dest}.part`)).toBe(false);
    await downloadToFile(client, bucket, 'ws/a/img one.jpg', join(dir, 'unverified.jpg'));
    await downloadToFile(ferryClient(bucket, proxy.endpoint), bucket, 'ws/a/img one.jpg', join(dir, 'plain.jpg'), { expectedSha256: sha(body) });
    const [lean, unverified, plain] = gets();
    expect(lean?.headers['user-agent']).toBe(LEAN_GET_USER_AGENT);
    expect(lean?.headers['amz-sdk-invocation-id']).toBeUndefined();
    expect(lean?.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=testing\/\d{8}\/us-east-1\/s3\/aws4_request, SignedHeaders=\S*host\S*, Signature=[0-9a-f]{64}$/);
    expect(lean?.path).toBe(`/${bucket}/ws/a/img%20one.jpg`);
    expect(unverified?.headers['amz-sdk-invocation-id']).toBeDefined();
    expect(plain?.headers['amz-sdk-invocation-id']).toBeDefined();
  });

  it.each(["raw/a b+c/ü (1)!*'~.jpg", 'raw/%41 100%.jpg', 'raw/semi;colon=equals&amp.jpg', 'raw//double-slash.jpg', 'raw/a:b@c$d,e.jpg'])(
    'asks for %j by the same path as the SDK, and gets its bytes',
    async (key) => {
      const body = await seed(key, 2000);
      const dest = join(dir, 'odd.bin');
      await downloadToFile(pullClient(), bucket, key, dest, { expectedSha256: sha(body) });
      expect((await readFile(dest)).equals(body)).toBe(true);
      await downloadToFile(ferryClient(bucket, proxy.endpoint), bucket, key, join(dir, 'sdk.bin'));
      const [lean, sdk] = gets();
      expect(lean?.headers['user-agent']).toBe(LEAN_GET_USER_AGENT);
      expect(lean?.path).toBe(sdk?.path.replace(/\?x-id=GetObject$/, ''));
    },
  );

  it('resumes a .part with a Range request', async () => {
    const body = await seed('ws/big.bin', 2 * MiB);
    const dest = join(dir, 'big.bin');
    await writeFile(`${dest}.part`, body.subarray(0, MiB));
    const result = await downloadToFile(pullClient(), bucket, 'ws/big.bin', dest, { expectedSha256: sha(body), expectedSize: body.length });
    expect(result.resumedFrom).toBe(MiB);
    expect((await readFile(dest)).equals(body)).toBe(true);
    expect(gets().map((r) => [r.headers.range, r.headers['user-agent']])).toEqual([[`bytes=${MiB}-`, LEAN_GET_USER_AGENT]]);
  });

  it('a .part that already holds the whole object gets 416 and is verified as it is', async () => {
    const body = await seed('ws/whole.bin', 5000);
    const dest = join(dir, 'whole.bin');
    await writeFile(`${dest}.part`, body);
    const result = await downloadToFile(pullClient(), bucket, 'ws/whole.bin', dest, { expectedSha256: sha(body) });
    expect(result).toEqual({ sha256: sha(body), size: body.length, resumedFrom: body.length });
    expect((await readFile(dest)).equals(body)).toBe(true);
    expect(gets().map((r) => r.headers.range)).toEqual(['bytes=5000-']);
  });

  it('a missing object is not-found, naming the key, and leaves nothing behind', async () => {
    const dest = join(dir, 'none.bin');
    const error = await ferryError(downloadToFile(pullClient(), bucket, 'ws/none.bin', dest, { expectedSha256: '0'.repeat(64) }));
    expect(error.code).toBe('not-found');
    expect(error.message).toBe(`s3://${bucket}/ws/none.bin does not exist.`);
    expect(error.detail).toContain('NoSuchKey (HTTP 404)');
    expect(existsSync(`${dest}.part`)).toBe(false);
    expect(gets()).toHaveLength(1); // a 404 is not retried
  });

  it('403 AccessDenied names the missing permission and is not retried', async () => {
    await seed('ws/secret.bin', 100);
    proxy.setRules([{ match: { kinds: ['get-object'] }, action: { kind: 'deny', code: 'AccessDenied', message: 'Access Denied' } }]);
    const error = await ferryError(downloadToFile(pullClient(), bucket, 'ws/secret.bin', join(dir, 's.bin'), { expectedSha256: '0'.repeat(64) }));
    expect(error.code).toBe('access-denied');
    expect(error.message).toBe(`Access denied reading s3://${bucket}/ws/secret.bin: the current AWS credentials lack s3:GetObject on this prefix.`);
    expect(gets()).toHaveLength(1);
  });

  it('retries 503 SlowDown with back-off and succeeds', async () => {
    const body = await seed('ws/busy.bin', 64 * 1024);
    proxy.setRules([{ match: { kinds: ['get-object'] }, action: { kind: 'deny', status: 503, code: 'SlowDown', message: 'Please reduce your request rate.' }, times: 2 }]);
    const dest = join(dir, 'busy.bin');
    await downloadToFile(pullClient(), bucket, 'ws/busy.bin', dest, { expectedSha256: sha(body) });
    expect((await readFile(dest)).equals(body)).toBe(true);
    expect(gets().map((r) => r.fault)).toEqual(['deny', 'deny', null]);
  });

  it('gives up after maxAttempts on a lasting 503 and says the endpoint is busy', async () => {
    await seed('ws/busy.bin', 100);
    proxy.setRules([{ match: { kinds: ['get-object'] }, action: { kind: 'deny', status: 503, code: 'SlowDown', message: 'Please reduce your request rate.' } }]);
    const error = await ferryError(downloadToFile(pullClient({ maxAttempts: 2 }), bucket, 'ws/busy.bin', join(dir, 'b.bin'), { expectedSha256: '0'.repeat(64) }));
    expect(error.code).toBe('internal');
    expect(error.message).toBe(`${proxy.endpoint} answered HTTP 503 (SlowDown) while reading s3://${bucket}/ws/busy.bin; it is busy or failing, so try again shortly.`);
    expect(gets()).toHaveLength(2);
  });

  it('retries a connection cut before the answer', async () => {
    const body = await seed('ws/cut.bin', 200 * 1024);
    proxy.setRules([{ match: { kinds: ['get-object'] }, action: { kind: 'reset', side: 'response', afterBytes: 0 }, times: 1 }]);
    const dest = join(dir, 'cut.bin');
    await downloadToFile(pullClient(), bucket, 'ws/cut.bin', dest, { expectedSha256: sha(body) });
    expect((await readFile(dest)).equals(body)).toBe(true);
    expect(gets().map((r) => [r.fault, r.headers.range])).toEqual([['reset', undefined], [null, undefined]]);
  });

  it('a connection cut mid-body carries on from the bytes it already has', async () => {
    const body = await seed('ws/mid.bin', MiB);
    proxy.setRules([{ match: { kinds: ['get-object'] }, action: { kind: 'reset', side: 'response', afterBytes: 300_000 }, times: 1 }]);
    const dest = join(dir, 'mid.bin');
    const result = await downloadToFile(pullClient(), bucket, 'ws/mid.bin', dest, { expectedSha256: sha(body), expectedSize: body.length });
    expect(result).toEqual({ sha256: sha(body), size: body.length, resumedFrom: 0 });
    expect((await readFile(dest)).equals(body)).toBe(true);
    const [first, second] = gets();
    expect(first?.fault).toBe('reset');
    const from = Number(/^bytes=(\d+)-$/.exec(second?.headers.range ?? '')?.[1]);
    expect(from).toBeGreaterThan(0);
    expect(from).toBeLessThanOrEqual(300_000);
  });

  it('the SDK path carries on after a mid-body cut the same way, when the SHA-256 is known', async () => {
    const body = await seed('ws/sdk-mid.bin', MiB);
    proxy.setRules([{ match: { kinds: ['get-object'] }, action: { kind: 'reset', side: 'response', afterBytes: 300_000 }, times: 1 }]);
    const dest = join(dir, 'sdk-mid.bin');
    await downloadToFile(ferryClient(bucket, proxy.endpoint), bucket, 'ws/sdk-mid.bin', dest, { expectedSha256: sha(body) });
    expect((await readFile(dest)).equals(body)).toBe(true);
    const [first, second] = gets();
    expect(first?.headers['amz-sdk-invocation-id']).toBeDefined();
    expect([first?.fault, second?.fault]).toEqual(['reset', null]);
    expect(second?.headers.range).toMatch(/^bytes=[1-9]\d*-$/);
  });

  it('without a known SHA-256 a mid-body cut is an error, not a resume (nothing proves the pieces belong together)', async () => {
    await seed('ws/unverified.bin', MiB);
    proxy.setRules([{ match: { kinds: ['get-object'] }, action: { kind: 'reset', side: 'response', afterBytes: 300_000 }, times: 1 }]);
    const error = await ferryError(downloadToFile(ferryClient(bucket, proxy.endpoint), bucket, 'ws/unverified.bin', join(dir, 'u.bin')));
    expect(error.code).toBe('endpoint-unreachable');
    expect(error.message).toContain('the connection was cut');
    expect(gets()).toHaveLength(1);
  });

  it('a body that stalls past the idle timeout is abandoned and resumed', async () => {
    const body = await seed('ws/stall.bin', 512 * 1024);
    proxy.setRules([{ match: { kinds: ['get-object'] }, action: { kind: 'stall', side: 'body', afterBytes: 100_000, ms: 3_000 }, times: 1 }]);
    const dest = join(dir, 'stall.bin');
    await downloadToFile(pullClient({ idleTimeoutMs: 300 }), bucket, 'ws/stall.bin', dest, { expectedSha256: sha(body) });
    expect((await readFile(dest)).equals(body)).toBe(true);
    expect(gets().map((r) => r.fault)).toEqual(['stall', null]);
    expect(gets()[1]?.headers.range).toMatch(/^bytes=[1-9]\d*-$/);
  });

  it('with no attempts left, a stall is reported as a timeout of the endpoint', async () => {
    await seed('ws/stall.bin', 512 * 1024);
    proxy.setRules([{ match: { kinds: ['get-object'] }, action: { kind: 'stall', side: 'headers', ms: 3_000 } }]);
    const error = await ferryError(downloadToFile(pullClient({ idleTimeoutMs: 300, maxAttempts: 1 }), bucket, 'ws/stall.bin', join(dir, 's.bin'), { expectedSha256: '0'.repeat(64) }));
    expect(error.code).toBe('endpoint-unreachable');
    expect(error.message).toBe(`Cannot reach ${proxy.endpoint} while reading s3://${bucket}/ws/stall.bin: it timed out. Check the endpoint in Settings and your network connection.`);
  });

  it('a wrong SHA-256 is a checksum mismatch and leaves no file', async () => {
    const body = await seed('ws/t.bin', 1000);
    const dest = join(dir, 't.bin');
    const wrong = 'a'.repeat(64);
    const error = await ferryError(downloadToFile(pullClient(), bucket, 'ws/t.bin', dest, { expectedSha256: wrong }));
    expect(error.code).toBe('checksum-mismatch');
    expect(error.message).toContain(`Downloaded s3://${bucket}/ws/t.bin but its SHA-256 is ${sha(body)}, expected ${wrong}`);
    expect(existsSync(dest)).toBe(false);
    expect(existsSync(`${dest}.part`)).toBe(false);
  });

  it('stops when cancelled mid-body, keeps the .part, and the next download resumes it', async () => {
    const body = await seed('ws/huge.bin', 24 * MiB);
    const dest = join(dir, 'huge.bin');
    const controller = new AbortController();
    const error = await ferryError(downloadToFile(pullClient(), bucket, 'ws/huge.bin', dest, { expectedSha256: sha(body), signal: controller.signal, onProgress: () => controller.abort() }));
    expect(error.code).toBe('cancelled');
    expect(existsSync(dest)).toBe(false);
    const kept = (await stat(`${dest}.part`)).size;
    expect(kept).toBeLessThan(body.length);
    const resumed = await downloadToFile(pullClient(), bucket, 'ws/huge.bin', dest, { expectedSha256: sha(body) });
    expect(resumed.resumedFrom).toBe(kept);
    expect((await readFile(dest)).equals(body)).toBe(true);
    expect(gets().at(-1)?.headers.range).toBe(kept > 0 ? `bytes=${kept}-` : undefined);
  });

  it('cancelled while retrying, it stops without sending more', async () => {
    await seed('ws/busy.bin', 100);
    proxy.setRules([{ match: { kinds: ['get-object'] }, action: { kind: 'deny', status: 503, code: 'SlowDown', message: 'slow down' } }]);
    const controller = new AbortController();
    const failing = downloadToFile(pullClient({ maxAttempts: 50 }), bucket, 'ws/busy.bin', join(dir, 'b.bin'), { expectedSha256: '0'.repeat(64), signal: controller.signal });
    while (gets().length < 2) await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    const atAbort = gets().length;
    expect((await ferryError(failing)).code).toBe('cancelled');
    expect(gets().length).toBeLessThanOrEqual(atAbort + 1); // at most the one already on its way
  });

  // /dev/full answers every write with ENOSPC: a real full disk without needing a tiny filesystem.
  it.runIf(existsSync('/dev/full'))('reports a full disk naming the folder, and removes the .part', async () => {
    const body = await seed('ws/f.bin', 256 * 1024);
    const dest = join(dir, 'f.bin');
    await symlink('/dev/full', `${dest}.part`);
    const error = await ferryError(downloadToFile(pullClient(), bucket, 'ws/f.bin', dest, { expectedSha256: sha(body) }));
    expect(error.code).toBe('disk-full');
    expect(error.message).toBe(`Not enough disk space in ${dir} to download s3://${bucket}/ws/f.bin (262144 bytes). Free some space and try again.`);
    expect(existsSync(`${dest}.part`)).toBe(false);
    expect(gets()).toHaveLength(1); // a full disk is not retried
  });

  it('takes credentials from the client provider for every request, so expiring ones are refreshed', async () => {
    const body = await seed('ws/c.bin', 1000);
    let fetched = 0;
    const provider = (lifetimeMs: number) => async () => {
      fetched += 1;
      return { accessKeyId: 'testing', secretAccessKey: 'testing', sessionToken: `session-${fetched}`, expiration: new Date(Date.now() + lifetimeMs) };
    };
    // Within 5 minutes of expiry the SDK's cache fetches anew for each request; long-lived ones are fetched once.
    const expiring = pullClient({ credentials: provider(60_000) });
    for (const name of ['1', '2', '3']) await downloadToFile(expiring, bucket, 'ws/c.bin', join(dir, name), { expectedSha256: sha(body) });
    const tokens = gets().map((r) => r.headers['x-amz-security-token']);
    expect(new Set(tokens).size).toBe(3);
    expect(tokens.at(-1)).toBe(`session-${fetched}`);
    proxy.requests.length = 0;
    fetched = 0;
    const lasting = pullClient({ credentials: provider(3_600_000) });
    for (const name of ['4', '5', '6']) await downloadToFile(lasting, bucket, 'ws/c.bin', join(dir, name), { expectedSha256: sha(body) });
    expect(fetched).toBe(1);
    expect(gets().map((r) => r.headers['x-amz-security-token'])).toEqual(['session-1', 'session-1', 'session-1']);
  });
});
