// Object reads and writes with Ferry's rules: data is created once (If-None-Match), pointers change by CAS (If-Match).
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { z } from 'zod';
import { FerryError } from '../../shared/result.ts';
import { findJsonSyntaxProblem } from '../config/json-syntax.ts';
import { isPreconditionFailed, s3Failure } from './failure.ts';

export { headObject, type ObjectHead } from './head.ts';
export { putObjectOnce, confirmSameContent, type PutOnceResult } from './put-once.ts';
export { downloadToFile, type DownloadOptions, type DownloadResult } from './download.ts';
export { uploadFile, type UploadOptions, type UploadResult } from './upload.ts';

export type ListedObject = { readonly key: string; readonly size: number; readonly etag: string; readonly lastModified: Date | undefined };
export type WriteOptions = { readonly contentType?: string; readonly signal?: AbortSignal };

function toBytes(body: Buffer | string): Buffer {
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
}

// Creates a small pointer (a claim) only if nothing is there; false means someone else holds it. No content comparison.
export async function createPointer(client: S3Client, bucket: string, key: string, body: Buffer | string, options: WriteOptions = {}): Promise<{ created: true; etag: string } | { created: false }> {
  try {
    const r = await client.send(
      new PutObjectCommand({ Bucket: bucket, Key: key, Body: toBytes(body), IfNoneMatch: '*', ChecksumAlgorithm: 'SHA256', ContentType: options.contentType ?? 'application/json' }),
      { abortSignal: options.signal },
    );
    return { created: true, etag: r.ETag ?? '' };
  } catch (error) {
    if (isPreconditionFailed(error)) return { created: false };
    throw s3Failure(client, error, 'PutObject', bucket, key);
  }
}

// Compare-and-swap of a small pointer: replaces it only if it still has `etag`; otherwise `conflict`.
export async function putIfMatch(client: S3Client, bucket: string, key: string, body: Buffer | string, etag: string, options: WriteOptions = {}): Promise<{ etag: string }> {
  try {
    const r = await client.send(
      new PutObjectCommand({ Bucket: bucket, Key: key, Body: toBytes(body), IfMatch: etag, ChecksumAlgorithm: 'SHA256', ContentType: options.contentType ?? 'application/json' }),
      { abortSignal: options.signal },
    );
    return { etag: r.ETag ?? '' };
  } catch (error) {
    if (isPreconditionFailed(error)) throw new FerryError('conflict', `s3://${bucket}/${key} was changed by someone else since Ferry read it; read it again and retry.`);
    throw s3Failure(client, error, 'PutObject', bucket, key);
  }
}

export async function deleteIfMatch(client: S3Client, bucket: string, key: string, etag: string, options: { signal?: AbortSignal } = {}): Promise<void> {
  try {
    await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key, IfMatch: etag }), { abortSignal: options.signal });
  } catch (error) {
    if (isPreconditionFailed(error)) throw new FerryError('conflict', `s3://${bucket}/${key} was changed by someone else since Ferry read it, so it was not deleted.`);
    throw s3Failure(client, error, 'DeleteObject', bucket, key);
  }
}

export async function getText(client: S3Client, bucket: string, key: string, options: { signal?: AbortSignal } = {}): Promise<{ text: string; etag: string; metadata: Readonly<Record<string, string>> }> {
  try {
    const r = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: options.signal });
    const text = (await r.Body?.transformToString('utf-8')) ?? '';
    return { text, etag: r.ETag ?? '', metadata: r.Metadata ?? {} };
  } catch (error) {
    throw s3Failure(client, error, 'GetObject', bucket, key);
  }
}

// Reads a JSON object; bad JSON names the key, line and column; a schema names every bad field.
export async function getJson<T = unknown>(client: S3Client, bucket: string, key: string, schema?: z.ZodType<T>, options: { signal?: AbortSignal } = {}): Promise<{ value: T; etag: string }> {
  const { text, etag } = await getText(client, bucket, key, options);
  const where = `s3://${bucket}/${key}`;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    const at = findJsonSyntaxProblem(text);
    throw new FerryError('malformed-input', at ? `${where} line ${at.line}, column ${at.column}: ${at.reason}.` : `${where} is not valid JSON: ${(error as Error).message}.`);
  }
  if (!schema) return { value: raw as T, etag };
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(object)'}: ${i.message}`);
    throw new FerryError('malformed-input', `${where} does not have the expected shape: ${issues.join('; ')}.`);
  }
  return { value: parsed.data, etag };
}

type ListOptions = { readonly delimiter?: string; readonly startAfter?: string; readonly signal?: AbortSignal; readonly pageSize?: number };

async function* listPages(client: S3Client, bucket: string, prefix: string, options: ListOptions) {
  let token: string | undefined;
  do {
    let page;
    try {
      page = await client.send(
        new ListObjectsV2Command({
          Bucket: bucket,
          Prefix: prefix,
          ...(options.delimiter ? { Delimiter: options.delimiter } : {}),
          ...(options.startAfter && !token ? { StartAfter: options.startAfter } : {}),
          ...(options.pageSize ? { MaxKeys: options.pageSize } : {}),
          ...(token ? { ContinuationToken: token } : {}),
        }),
        { abortSignal: options.signal },
      );
    } catch (error) {
      throw s3Failure(client, error, 'ListObjectsV2', bucket, prefix);
    }
    yield page;
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
}

// Every object under `prefix`, page after page (with a delimiter: only those at this level).
export async function* listKeys(client: S3Client, bucket: string, prefix: string, options: ListOptions = {}): AsyncGenerator<ListedObject> {
  for await (const page of listPages(client, bucket, prefix, options)) {
    for (const o of page.Contents ?? []) {
      if (o.Key !== undefined) yield { key: o.Key, size: o.Size ?? 0, etag: o.ETag ?? '', lastModified: o.LastModified };
    }
  }
}

// The "folders" one level below `prefix` (e.g. every batch of a region), without listing their contents.
export async function* listCommonPrefixes(client: S3Client, bucket: string, prefix: string, options: Omit<ListOptions, 'delimiter'> & { delimiter?: string } = {}): AsyncGenerator<string> {
  for await (const page of listPages(client, bucket, prefix, { ...options, delimiter: options.delimiter ?? '/' })) {
    for (const p of page.CommonPrefixes ?? []) if (p.Prefix !== undefined) yield p.Prefix;
  }
}
