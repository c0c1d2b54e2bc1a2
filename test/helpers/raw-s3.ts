// Plain-SDK access to a test bucket behind Ferry's back (to plant, tamper with or inspect objects), and error capture.
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { FerryError } from '../../shared/result.ts';
import { rawClient } from './s3-fixture.ts';

export async function ferryError(promise: Promise<unknown>): Promise<FerryError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof FerryError) return error;
    throw new Error(`expected a FerryError, got ${String(error)}`, { cause: error });
  }
  throw new Error('expected a FerryError, but the call succeeded');
}

export async function rawKeys(bucket: string, prefix = ''): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await rawClient().send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }));
    keys.push(...(page.Contents ?? []).map((o) => o.Key!));
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys.sort();
}

export async function rawPut(bucket: string, key: string, body: Buffer | string, options: { ifNoneMatch?: boolean } = {}): Promise<void> {
  await rawClient().send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ...(options.ifNoneMatch ? { IfNoneMatch: '*' } : {}) }));
}

export async function rawGet(bucket: string, key: string): Promise<Buffer> {
  const r = await rawClient().send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await r.Body!.transformToByteArray());
}

export async function rawJson<T = Record<string, unknown>>(bucket: string, key: string): Promise<T> {
  return JSON.parse((await rawGet(bucket, key)).toString('utf8')) as T;
}

export async function rawDelete(bucket: string, key: string): Promise<void> {
  await rawClient().send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
}
