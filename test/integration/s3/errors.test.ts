// Real SDK errors (from moto, our fault proxy, a dead port) mapped to FerryErrors, and which of them are worth retrying.
import { GetObjectCommand, HeadBucketCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { CredentialsProviderError } from '@smithy/core/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyS3Error, isRetryable } from '../../../electron/s3/errors.ts';
import { putObjectOnce } from '../../../electron/s3/objects.ts';
import { freePort } from '../../helpers/moto.ts';
import { freshBucket, s3Endpoint } from '../../helpers/s3-fixture.ts';
import { startFaultProxy, type FaultProxy } from '../../helpers/s3-fault-proxy.ts';
import { ferryClient, ferryError } from './s3-test-kit.ts';

async function sdkError(request: Promise<unknown>): Promise<unknown> {
  try {
    await request;
  } catch (error) {
    return error;
  }
  throw new Error('expected the request to fail');
}

let proxy: FaultProxy;
let bucket: string;
let client: S3Client;
beforeAll(async () => {
  bucket = await freshBucket();
  proxy = await startFaultProxy(s3Endpoint());
  client = ferryClient(bucket, proxy.endpoint, { maxAttempts: 1 });
});
afterAll(async () => {
  await proxy.stop();
});

function denyWith(code: string, status = 403) {
  proxy.setRules([{ match: { kinds: ['put-object', 'get-object', 'head-bucket'] }, action: { kind: 'deny', code, status, message: code } }]);
}

describe('classifyS3Error', () => {
  it('AccessDenied names the operation, the key and the missing permission; not retryable', async () => {
    denyWith('AccessDenied');
    const raw = await sdkError(client.send(new PutObjectCommand({ Bucket: bucket, Key: 'ws/a.json', Body: 'x' })));
    const e = classifyS3Error(raw, { op: 'PutObject', bucket, key: 'ws/a.json', profile: 'team-emea' });
    expect(e.code).toBe('access-denied');
    expect(e.message).toBe(`Access denied writing s3://${bucket}/ws/a.json: the credentials of profile team-emea lack s3:PutObject on this prefix.`);
    expect(isRetryable(raw)).toBe(false);
    expect(isRetryable(e)).toBe(false);
  });

  it.each([['InvalidAccessKeyId'], ['SignatureDoesNotMatch'], ['ExpiredToken']])('%s is credentials-invalid', async (code) => {
    denyWith(code);
    const raw = await sdkError(client.send(new GetObjectCommand({ Bucket: bucket, Key: 'ws/a.json' })));
    const e = classifyS3Error(raw, { op: 'GetObject', bucket, key: 'ws/a.json' });
    expect(e.code).toBe('credentials-invalid');
    expect(e.message).toContain(`(${code})`);
    expect(isRetryable(raw)).toBe(false);
  });

  it('a 403 HEAD without a body is still access-denied', async () => {
    denyWith('AccessDenied');
    const raw = await sdkError(client.send(new HeadBucketCommand({ Bucket: bucket })));
    expect(classifyS3Error(raw, { op: 'HeadBucket', bucket }).code).toBe('access-denied');
  });

  it('503 SlowDown and 500 InternalError are retryable', async () => {
    denyWith('SlowDown', 503);
    const slow = await sdkError(client.send(new PutObjectCommand({ Bucket: bucket, Key: 'ws/b.json', Body: 'x' })));
    denyWith('InternalError', 500);
    const internal = await sdkError(client.send(new PutObjectCommand({ Bucket: bucket, Key: 'ws/b.json', Body: 'x' })));
    expect(isRetryable(slow)).toBe(true);
    expect(isRetryable(internal)).toBe(true);
    const e = classifyS3Error(slow, { op: 'PutObject', bucket, key: 'ws/b.json', endpoint: proxy.endpoint });
    expect(e.message).toBe(`${proxy.endpoint} answered HTTP 503 (SlowDown) while writing s3://${bucket}/ws/b.json; it is busy or failing, so try again shortly.`);
    expect(isRetryable(e)).toBe(true);
  });

  it('NoSuchKey is not-found, 412 is conflict', async () => {
    proxy.setRules([]);
    const missing = await sdkError(client.send(new GetObjectCommand({ Bucket: bucket, Key: 'ws/none' })));
    expect(classifyS3Error(missing, { op: 'GetObject', bucket, key: 'ws/none' }).code).toBe('not-found');
    await putObjectOnce(client, bucket, 'ws/once', 'x');
    const taken = await sdkError(client.send(new PutObjectCommand({ Bucket: bucket, Key: 'ws/once', Body: 'y', IfNoneMatch: '*' })));
    expect(classifyS3Error(taken, { op: 'PutObject', bucket, key: 'ws/once' }).code).toBe('conflict');
  });

  it('a dead port is endpoint-unreachable, names the endpoint, and is retryable', async () => {
    const endpoint = `http://127.0.0.1:${await freePort()}`;
    const error = await ferryError(putObjectOnce(ferryClient(bucket, endpoint, { maxAttempts: 1 }), bucket, 'ws/k', 'x'));
    expect(error.code).toBe('endpoint-unreachable');
    expect(error.message).toBe(`Cannot reach ${endpoint} while writing s3://${bucket}/ws/k: connection refused (nothing is listening there). Check the endpoint in Settings and your network connection.`);
    expect(isRetryable(error)).toBe(true);
  });

  it('no credentials anywhere is credentials-missing and says how to fix it', () => {
    const e = classifyS3Error(new CredentialsProviderError('Could not load credentials from any providers'), { op: 'PutObject', bucket });
    expect(e.code).toBe('credentials-missing');
    expect(e.message).toMatch(/AWS profile in Settings.*AWS_ACCESS_KEY_ID.*`aws sso login`/);
    expect(isRetryable(e)).toBe(false);
  });

  it('an aborted request is cancelled, not retryable', async () => {
    let aborted: unknown;
    try {
      await client.send(new GetObjectCommand({ Bucket: bucket, Key: 'ws/once' }), { abortSignal: AbortSignal.abort() });
    } catch (error) {
      aborted = error;
    }
    expect(classifyS3Error(aborted, { op: 'GetObject', bucket, key: 'ws/once' }).code).toBe('cancelled');
    expect(isRetryable(aborted)).toBe(false);
  });
});
