// The fault proxy's network actions, each against the real moto_server: if an action did not do what it says, the
// network fault test built on it would prove nothing. One SDK attempt per request, so each fault is seen as it is.
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { startFaultProxy, type FaultProxy } from '../helpers/s3-fault-proxy.ts';
import { freshBucket, rawClient, s3Endpoint, TEST_CREDENTIALS } from '../helpers/s3-fixture.ts';

const proxies: FaultProxy[] = [];
const clients: S3Client[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  for (const p of proxies.splice(0)) await p.stop();
});

function client(endpoint: string, idleTimeoutMs = 2_000): S3Client {
  const c = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: TEST_CREDENTIALS, maxAttempts: 1, requestHandler: { connectionTimeout: 1_000, socketTimeout: idleTimeoutMs } });
  clients.push(c);
  return c;
}

async function proxy(): Promise<FaultProxy> {
  const p = await startFaultProxy(s3Endpoint());
  proxies.push(p);
  return p;
}

async function failure(promise: Promise<unknown>): Promise<{ name?: string; code?: string; message?: string; $metadata?: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (error) {
    return error as { name?: string; code?: string; message?: string };
  }
  throw new Error('expected the request to fail');
}

async function exists(bucket: string, key: string): Promise<boolean> {
  return await rawClient()
    .send(new HeadObjectCommand({ Bucket: bucket, Key: key }))
    .then(() => true, (e: { name?: string }) => (e.name === 'NotFound' ? false : Promise.reject(e)));
}

describe('fault proxy network actions', () => {
  it('answers 503 SlowDown for the next K matching requests only, then lets them through', async () => {
    const bucket = await freshBucket();
    const p = await proxy();
    const s3 = client(p.endpoint);
    p.setRules([{ match: { kinds: ['put-object'] }, action: { kind: 'deny', status: 503, code: 'SlowDown', message: 'Please reduce your request rate.' }, times: 2 }]);
    for (let i = 0; i < 2; i += 1) {
      expect(await failure(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'x' })))).toMatchObject({ name: 'SlowDown', $metadata: { httpStatusCode: 503 } });
    }
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'x' }));
    expect(await exists(bucket, 'k')).toBe(true);
    expect(p.faults()).toEqual({ deny: 2 });
  });

  it('cuts a request mid-body (the object never lands) and a response after S3 stored it (the object is there)', async () => {
    const bucket = await freshBucket();
    const p = await proxy();
    const s3 = client(p.endpoint);
    const body = randomBytes(64 * 1024);
    p.setRules([{ match: { kinds: ['put-object'], keyIncludes: 'cut-request' }, action: { kind: 'reset', side: 'request', afterBytes: 10_000 } }]);
    const cut = await failure(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'cut-request', Body: body })));
    expect(cut.code ?? cut.name).toMatch(/ECONNRESET|EPIPE|socket hang up/i);
    expect(await exists(bucket, 'cut-request')).toBe(false);

    p.setRules([{ match: { kinds: ['put-object'], keyIncludes: 'cut-response' }, action: { kind: 'reset', side: 'response', afterBytes: 0 } }]);
    const unheard = await failure(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'cut-response', Body: body })));
    expect(unheard.code ?? unheard.name).toMatch(/ECONNRESET|EPIPE|socket hang up/i);
    expect(await exists(bucket, 'cut-response')).toBe(true);

    await rawClient().send(new PutObjectCommand({ Bucket: bucket, Key: 'big', Body: body }));
    p.setRules([{ match: { kinds: ['get-object'] }, action: { kind: 'reset', side: 'response', afterBytes: 1_000 } }]);
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'big' }));
    await expect(got.Body!.transformToByteArray()).rejects.toThrow();
    expect(p.faults()).toEqual({ reset: 3 });
  });

  it('stalls a response: longer than the idle timeout fails, shorter is only slow', async () => {
    const bucket = await freshBucket();
    await rawClient().send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: randomBytes(4096) }));
    const p = await proxy();
    p.setRules([{ match: { kinds: ['get-object'] }, action: { kind: 'stall', ms: 1_500, side: 'headers' }, times: 1 }]);
    expect((await failure(client(p.endpoint, 300).send(new GetObjectCommand({ Bucket: bucket, Key: 'k' })))).name).toBe('TimeoutError');
    p.setRules([{ match: { kinds: ['get-object'] }, action: { kind: 'stall', ms: 1_500, side: 'body', afterBytes: 100 }, times: 1 }]);
    const stalledBody = await client(p.endpoint, 300).send(new GetObjectCommand({ Bucket: bucket, Key: 'k' }));
    await expect(stalledBody.Body!.transformToByteArray()).rejects.toThrow();
    p.setRules([{ match: { kinds: ['get-object'] }, action: { kind: 'stall', ms: 100 }, times: 1 }]);
    const slow = await client(p.endpoint, 2_000).send(new GetObjectCommand({ Bucket: bucket, Key: 'k' }));
    expect((await slow.Body!.transformToByteArray()).length).toBe(4096);
  });

  it('refuses connections during an outage and serves on the same port afterwards; a blackhole never answers', async () => {
    const bucket = await freshBucket();
    const p = await proxy();
    const s3 = client(p.endpoint, 400);
    await p.setOutage('refuse');
    const refused = await failure(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'a', Body: 'x' })));
    expect(JSON.stringify({ code: refused.code, message: refused.message, errors: (refused as { errors?: { code?: string }[] }).errors?.map((e) => e.code) })).toContain('ECONNREFUSED');
    await p.setOutage('blackhole');
    expect((await failure(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'a', Body: 'x' })))).name).toBe('TimeoutError');
    p.setRules([{ match: { kinds: ['put-object'], keyIncludes: 'b' }, action: { kind: 'blackhole' }, times: 1 }]);
    await p.setOutage(null);
    expect((await failure(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'b', Body: 'x' })))).name).toBe('TimeoutError');
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'a', Body: 'x' }));
    expect(await exists(bucket, 'a')).toBe(true);
    expect(p.faults()).toMatchObject({ 'blackhole-connection': 1, blackhole: 1 });
  });
});
