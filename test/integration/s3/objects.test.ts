// Create-once data writes, CAS pointers, JSON reads and listings against a real moto_server.
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createPointer, deleteIfMatch, getJson, getText, headObject, listCommonPrefixes, listKeys, putIfMatch, putObjectOnce } from '../../../electron/s3/objects.ts';
import { freshBucket, rawClient } from '../../helpers/s3-fixture.ts';
import { ferryClient, ferryError } from './s3-test-kit.ts';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

async function rawText(bucket: string, key: string): Promise<string> {
  const r = await rawClient().send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return (await r.Body?.transformToString()) ?? '';
}

describe('putObjectOnce', () => {
  it('creates a data object with its SHA-256, and a retry is a no-op', async () => {
    const bucket = await freshBucket();
    const client = ferryClient(bucket);
    const first = await putObjectOnce(client, bucket, 'ws/chunk.jsonl', '{"a":1}\n', { contentType: 'application/x-ndjson' });
    const again = await putObjectOnce(client, bucket, 'ws/chunk.jsonl', Buffer.from('{"a":1}\n'));
    expect(first).toMatchObject({ created: true, sha256: sha('{"a":1}\n') });
    expect(again).toEqual({ created: false, etag: first.etag, sha256: first.sha256 });
    const head = await rawClient().send(new HeadObjectCommand({ Bucket: bucket, Key: 'ws/chunk.jsonl', ChecksumMode: 'ENABLED' }));
    expect(head.Metadata?.sha256).toBe(sha('{"a":1}\n'));
    expect(Buffer.from(head.ChecksumSHA256 ?? '', 'base64').toString('hex')).toBe(sha('{"a":1}\n'));
    expect(head.ContentType).toBe('application/x-ndjson');
    const listing = await rawClient().send(new ListObjectsV2Command({ Bucket: bucket }));
    expect(listing.KeyCount).toBe(1);
  });

  it('refuses to treat different content under the same key as success', async () => {
    const bucket = await freshBucket();
    const client = ferryClient(bucket);
    await putObjectOnce(client, bucket, 'ws/x.json', 'one');
    const error = await ferryError(putObjectOnce(client, bucket, 'ws/x.json', 'two'));
    expect(error.code).toBe('conflict');
    expect(error.message).toContain(`s3://${bucket}/ws/x.json already exists with different content (SHA-256 ${sha('one')}; Ferry's copy is SHA-256 ${sha('two')})`);
    expect(await rawText(bucket, 'ws/x.json')).toBe('one');
  });

  it('signs the body with the SHA-256 it already knows (no second hash), which S3 then checks the body against', async () => {
    const bucket = await freshBucket();
    const client = ferryClient(bucket);
    const sent: Record<string, string>[] = [];
    // Sees each request as it goes on the wire: after the signer.
    client.middlewareStack.add(
      (next) => async (args) => {
        sent.push({ ...(args.request as { headers: Record<string, string> }).headers });
        return await next(args);
      },
      { step: 'deserialize', name: 'testSeeRequest' },
    );
    await putObjectOnce(client, bucket, 'ws/good.jsonl', 'the real bytes', { sha256: sha('the real bytes') });
    expect(sent).toHaveLength(1);
    expect(sent[0]!['x-amz-content-sha256']).toBe(sha('the real bytes'));
    expect(sent[0]!.authorization).toMatch(/SignedHeaders=[^,]*x-amz-content-sha256/);
    expect(await rawText(bucket, 'ws/good.jsonl')).toBe('the real bytes');
  });

  it('names a missing bucket', async () => {
    const error = await ferryError(putObjectOnce(ferryClient('nope-bucket'), 'nope-bucket', 'k', 'x'));
    expect(error.code).toBe('bucket-missing');
    expect(error.message).toMatch(/^The bucket nope-bucket does not exist at http:\/\/127\.0\.0\.1:\d+/);
  });
});

describe('pointers', () => {
  it('createPointer creates once and reports an existing pointer without touching it', async () => {
    const bucket = await freshBucket();
    const client = ferryClient(bucket);
    const first = await createPointer(client, bucket, 'ws/claims/b1.json', '{"holder":"ana"}');
    const second = await createPointer(client, bucket, 'ws/claims/b1.json', '{"holder":"bob"}');
    expect(first.created).toBe(true);
    expect(second).toEqual({ created: false });
    expect(await rawText(bucket, 'ws/claims/b1.json')).toBe('{"holder":"ana"}');
  });

  it('putIfMatch swaps only from the ETag it read; a stale ETag is a conflict', async () => {
    const bucket = await freshBucket();
    const client = ferryClient(bucket);
    const created = await createPointer(client, bucket, 'ws/LATEST', '{"version":"v1"}');
    if (!created.created) throw new Error('pointer should be new');
    const swapped = await putIfMatch(client, bucket, 'ws/LATEST', '{"version":"v2"}', created.etag);
    expect(swapped.etag).not.toBe(created.etag);
    const stale = await ferryError(putIfMatch(client, bucket, 'ws/LATEST', '{"version":"v3"}', created.etag));
    expect(stale.code).toBe('conflict');
    expect(stale.message).toBe(`s3://${bucket}/ws/LATEST was changed by someone else since Ferry read it; read it again and retry.`);
    expect(await rawText(bucket, 'ws/LATEST')).toBe('{"version":"v2"}');
  });

  it('deleteIfMatch deletes only the version it read', async () => {
    const bucket = await freshBucket();
    const client = ferryClient(bucket);
    const created = await createPointer(client, bucket, 'ws/claims/b2.json', 'a');
    if (!created.created) throw new Error('pointer should be new');
    const { etag } = await putIfMatch(client, bucket, 'ws/claims/b2.json', 'b', created.etag);
    expect((await ferryError(deleteIfMatch(client, bucket, 'ws/claims/b2.json', created.etag))).code).toBe('conflict');
    expect(await headObject(client, bucket, 'ws/claims/b2.json')).not.toBeNull();
    await deleteIfMatch(client, bucket, 'ws/claims/b2.json', etag);
    expect(await headObject(client, bucket, 'ws/claims/b2.json')).toBeNull();
  });
});

describe('reads', () => {
  const Manifest = z.object({ tasks: z.number().int(), sha256: z.string().length(64) });

  it('getJson parses, validates and returns the ETag', async () => {
    const bucket = await freshBucket();
    const client = ferryClient(bucket);
    const put = await putObjectOnce(client, bucket, 'ws/batch.json', JSON.stringify({ tasks: 3, sha256: 'a'.repeat(64) }));
    const { value, etag } = await getJson(client, bucket, 'ws/batch.json', Manifest);
    expect(value).toEqual({ tasks: 3, sha256: 'a'.repeat(64) });
    expect(etag).toBe(put.etag);
    expect((await getText(client, bucket, 'ws/batch.json')).metadata.sha256).toBe(put.sha256);
  });

  it('getJson names the key, line and column of broken JSON', async () => {
    const bucket = await freshBucket();
    await rawClient().send(new PutObjectCommand({ Bucket: bucket, Key: 'ws/bad.json', Body: '{\n  "tasks": 3,\n  "sha256": \n}' }));
    const error = await ferryError(getJson(ferryClient(bucket), bucket, 'ws/bad.json'));
    expect(error.code).toBe('malformed-input');
    expect(error.message).toBe(`s3://${bucket}/ws/bad.json line 4, column 1: expected a value but found "}".`);
  });

  it('getJson names every field that does not fit the schema', async () => {
    const bucket = await freshBucket();
    await rawClient().send(new PutObjectCommand({ Bucket: bucket, Key: 'ws/odd.json', Body: '{"tasks":"three","sha256":"x"}' }));
    const error = await ferryError(getJson(ferryClient(bucket), bucket, 'ws/odd.json', Manifest));
    expect(error.code).toBe('malformed-input');
    expect(error.message).toMatch(/^s3:\/\/.+\/ws\/odd\.json does not have the expected shape: tasks: .+; sha256: .+\.$/);
  });

  it('a missing key is not-found, and headObject says null', async () => {
    const bucket = await freshBucket();
    const client = ferryClient(bucket);
    const error = await ferryError(getJson(client, bucket, 'ws/none.json'));
    expect(error.code).toBe('not-found');
    expect(error.message).toBe(`s3://${bucket}/ws/none.json does not exist.`);
    expect(await headObject(client, bucket, 'ws/none.json')).toBeNull();
  });
});

describe('listings', () => {
  it('listKeys walks every page; startAfter and delimiter narrow it; listCommonPrefixes gives folders', async () => {
    const bucket = await freshBucket();
    const client = ferryClient(bucket);
    const keys = ['ws/b/r1/b1/batch.json', 'ws/b/r1/b2/batch.json', 'ws/b/r1/b3/batch.json', 'ws/b/r2/b1/batch.json', 'ws/b/top.json'];
    for (const key of keys) await rawClient().send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: key }));
    const all: string[] = [];
    for await (const o of listKeys(client, bucket, 'ws/b/', { pageSize: 2 })) all.push(o.key);
    expect(all).toEqual([...keys].sort());
    const after: string[] = [];
    for await (const o of listKeys(client, bucket, 'ws/b/', { startAfter: 'ws/b/r1/b2/batch.json', pageSize: 1 })) after.push(o.key);
    expect(after).toEqual(['ws/b/r1/b3/batch.json', 'ws/b/r2/b1/batch.json', 'ws/b/top.json']);
    const top: string[] = [];
    for await (const o of listKeys(client, bucket, 'ws/b/', { delimiter: '/' })) top.push(o.key);
    expect(top).toEqual(['ws/b/top.json']);
    const folders: string[] = [];
    for await (const p of listCommonPrefixes(client, bucket, 'ws/b/r1/', { pageSize: 1 })) folders.push(p);
    expect(folders).toEqual(['ws/b/r1/b1/', 'ws/b/r1/b2/', 'ws/b/r1/b3/']);
  });
});
