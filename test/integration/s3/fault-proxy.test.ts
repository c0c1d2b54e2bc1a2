// The fault proxy itself: it must recognise S3 requests correctly, or the fault tests built on it prove nothing.
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { classifyS3Request, startFaultProxy } from '../../helpers/s3-fault-proxy.ts';
import { freshBucket, rawClient, s3Endpoint } from '../../helpers/s3-fixture.ts';

describe('classifyS3Request', () => {
  it.each([
    ['GET', '/b?list-type=2&prefix=a%2F', 'list'],
    ['HEAD', '/b', 'head-bucket'],
    ['PUT', '/b', 'create-bucket'],
    ['GET', '/b/a/b%20c.json', 'get-object'],
    ['HEAD', '/b/k', 'head-object'],
    ['PUT', '/b/k?x-id=PutObject', 'put-object'],
    ['PUT', '/b/k?partNumber=2&uploadId=u', 'upload-part'],
    ['POST', '/b/k?uploads', 'create-multipart'],
    ['POST', '/b/k?uploadId=u', 'complete-multipart'],
    ['DELETE', '/b/k?uploadId=u', 'abort-multipart'],
    ['DELETE', '/b/k', 'delete-object'],
  ])('%s %s is %s', (method, url, kind) => {
    expect(classifyS3Request(method, url).kind).toBe(kind);
  });

  it('decodes the key', () => {
    expect(classifyS3Request('GET', '/b/a/b%20c.json')).toEqual({ kind: 'get-object', bucket: 'b', key: 'a/b c.json' });
  });
});

describe('startFaultProxy', () => {
  it('passes traffic through untouched until rules say otherwise, and rules can change live', async () => {
    const bucket = await freshBucket();
    const proxy = await startFaultProxy(s3Endpoint());
    try {
      const viaProxy = rawClient(proxy.endpoint);
      await viaProxy.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'hello' }));
      const got = await viaProxy.send(new GetObjectCommand({ Bucket: bucket, Key: 'k' }));
      expect(await got.Body?.transformToString()).toBe('hello');
      proxy.setRules([{ match: { kinds: ['get-object'], keyIncludes: 'k' }, action: { kind: 'deny', code: 'AccessDenied' } }]);
      const denied = await viaProxy.send(new GetObjectCommand({ Bucket: bucket, Key: 'k' })).catch((e: { name: string; $metadata: { httpStatusCode: number } }) => e);
      expect(denied).toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
      expect(proxy.requests.map((r) => `${r.kind}:${r.fault ?? '-'}`)).toEqual(['put-object:-', 'get-object:-', 'get-object:deny']);
    } finally {
      await proxy.stop();
    }
  });
});
