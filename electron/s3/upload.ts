// Uploads a local file as a create-once data object with its SHA-256 in metadata; multipart for large files.
//
// Why not @aws-sdk/lib-storage's Upload: in 3.1169.0 it does pass IfNoneMatch through to CompleteMultipartUpload
// (it spreads params), but its abort() rejects done() at once while parts keep uploading and AbortMultipartUpload
// runs later in the background, and it sends parts without our AbortSignal. Ferry needs "cancelled" to mean the
// multipart upload is gone, so we drive CreateMultipartUpload / UploadPart / CompleteMultipartUpload(IfNoneMatch) here.
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  UploadPartCommand,
  type CompletedPart,
  type S3Client,
} from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { open, readFile, stat } from 'node:fs/promises';
import { FerryError } from '../../shared/result.ts';
import { isPreconditionFailed, s3Failure } from './failure.ts';
import { sha256OfFile, throttleProgress, type TransferProgress } from './hashing.ts';
import { headObject } from './head.ts';
import { confirmSameContent, putObjectOnce } from './put-once.ts';

export const SINGLE_PUT_LIMIT = 8 * 1024 * 1024;
const MIN_PART_SIZE = 5 * 1024 * 1024;
const MAX_PARTS = 10_000;

export type UploadOptions = {
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: TransferProgress) => void;
  readonly partSize?: number;
  readonly contentType?: string;
  readonly concurrency?: number;
};
export type UploadResult = { readonly created: boolean; readonly etag: string; readonly sha256: string; readonly size: number; readonly multipart: boolean };

function cancelled(bucket: string, key: string): FerryError {
  return new FerryError('cancelled', `Upload of s3://${bucket}/${key} was cancelled; nothing was written.`);
}

export async function uploadFile(client: S3Client, bucket: string, key: string, filePath: string, options: UploadOptions = {}): Promise<UploadResult> {
  const { signal } = options;
  if (signal?.aborted) throw cancelled(bucket, key);
  let size: number;
  try {
    size = (await stat(filePath)).size;
  } catch (error) {
    throw new FerryError('not-found', `Cannot upload ${filePath}: ${(error as Error).message}.`);
  }
  const report = throttleProgress(options.onProgress);
  if (size < SINGLE_PUT_LIMIT) {
    const body = await readFile(filePath);
    report({ phase: 'uploading', bytesDone: 0, bytesTotal: body.length });
    const r = await putObjectOnce(client, bucket, key, body, { ...(options.contentType ? { contentType: options.contentType } : {}), ...(signal ? { signal } : {}) }).catch((error: unknown) => {
      throw signal?.aborted ? cancelled(bucket, key) : error;
    });
    report({ phase: 'uploading', bytesDone: body.length, bytesTotal: body.length }, true);
    return { ...r, size: body.length, multipart: false };
  }
  return await uploadMultipart(client, bucket, key, filePath, size, options, report);
}

async function uploadMultipart(
  client: S3Client,
  bucket: string,
  key: string,
  filePath: string,
  size: number,
  options: UploadOptions,
  report: (p: TransferProgress, final?: boolean) => void,
): Promise<UploadResult> {
  const { signal } = options;
  const partSize = Math.max(options.partSize ?? SINGLE_PUT_LIMIT, MIN_PART_SIZE, Math.ceil(size / MAX_PARTS));
  let hashed = 0;
  const { sha256 } = await sha256OfFile(filePath, {
    ...(signal ? { signal } : {}),
    onBytes: (n) => report({ phase: 'hashing', bytesDone: (hashed += n), bytesTotal: size }),
  }).catch((error: unknown) => {
    throw signal?.aborted ? cancelled(bucket, key) : error;
  });

  // A retry of a finished upload costs one HEAD, not the whole file again.
  const before = await headObject(client, bucket, key, signal ? { signal } : {});
  if (before) return { ...(await confirmSameContent(client, bucket, key, sha256, signal)), size, multipart: true };

  let uploadId: string | undefined;
  let op = 'CreateMultipartUpload';
  try {
    const created = await client.send(
      new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ChecksumAlgorithm: 'SHA256', Metadata: { sha256 }, ...(options.contentType ? { ContentType: options.contentType } : {}) }),
      { abortSignal: signal },
    );
    uploadId = created.UploadId;
    if (!uploadId) throw new FerryError('internal', `S3 returned no upload id for s3://${bucket}/${key}.`);
    op = 'UploadPart';
    const parts = await uploadParts(client, bucket, key, filePath, { uploadId, size, partSize, sha256, signal, concurrency: options.concurrency ?? 4, report });
    let etag: string;
    op = 'CompleteMultipartUpload';
    try {
      const done = await client.send(
        new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId, IfNoneMatch: '*', MultipartUpload: { Parts: parts } }),
        { abortSignal: signal },
      );
      etag = done.ETag ?? '';
    } catch (error) {
      if (!isPreconditionFailed(error)) throw error;
      // Someone created the object while we uploaded: the guard held; ours is discarded below.
      await abortUpload(client, bucket, key, uploadId);
      uploadId = undefined;
      return { ...(await confirmSameContent(client, bucket, key, sha256)), size, multipart: true };
    }
    uploadId = undefined;
    report({ phase: 'uploading', bytesDone: size, bytesTotal: size }, true);
    return { created: true, etag, sha256, size, multipart: true };
  } catch (error) {
    if (uploadId) await abortUpload(client, bucket, key, uploadId);
    if (signal?.aborted) throw cancelled(bucket, key);
    if (error instanceof FerryError) throw error;
    throw s3Failure(client, error, op, bucket, key);
  }
}

type PartPlan = {
  readonly uploadId: string;
  readonly size: number;
  readonly partSize: number;
  readonly sha256: string;
  readonly signal: AbortSignal | undefined;
  readonly concurrency: number;
  readonly report: (p: TransferProgress, final?: boolean) => void;
};

// Parts are read in order (and re-hashed) but sent concurrently; a file that changed since hashing is refused.
async function uploadParts(client: S3Client, bucket: string, key: string, filePath: string, plan: PartPlan): Promise<CompletedPart[]> {
  const count = Math.ceil(plan.size / plan.partSize);
  const handle = await open(filePath, 'r');
  const rehash = createHash('sha256');
  const parts: CompletedPart[] = [];
  let nextPart = 1;
  let readChain = Promise.resolve();
  let sent = 0;
  const readPart = (partNumber: number): Promise<Buffer> => {
    const result = readChain.then(async () => {
      const start = (partNumber - 1) * plan.partSize;
      const length = Math.min(plan.partSize, plan.size - start);
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, start);
      if (bytesRead !== length) throw new FerryError('conflict', `${filePath} changed while it was being uploaded (it got shorter); nothing was written.`);
      rehash.update(buffer);
      return buffer;
    });
    readChain = result.then(() => undefined, () => undefined);
    return result;
  };
  let failed = false;
  const worker = async () => {
    while (nextPart <= count && !failed) {
      if (plan.signal?.aborted) throw cancelled(bucket, key);
      const partNumber = nextPart++;
      const body = await readPart(partNumber);
      const r = await client.send(
        new UploadPartCommand({ Bucket: bucket, Key: key, UploadId: plan.uploadId, PartNumber: partNumber, Body: body, ChecksumAlgorithm: 'SHA256' }),
        { abortSignal: plan.signal },
      );
      parts.push({ PartNumber: partNumber, ETag: r.ETag, ...(r.ChecksumSHA256 ? { ChecksumSHA256: r.ChecksumSHA256 } : {}) });
      sent += body.length;
      plan.report({ phase: 'uploading', bytesDone: sent, bytesTotal: plan.size });
    }
  };
  try {
    const stopOthers = (error: unknown) => {
      failed = true;
      throw error;
    };
    const results = await Promise.allSettled(Array.from({ length: Math.min(plan.concurrency, count) }, () => worker().catch(stopOthers)));
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) throw failure.reason;
  } finally {
    await handle.close();
  }
  if (rehash.digest('hex') !== plan.sha256) throw new FerryError('conflict', `${filePath} changed while it was being uploaded; nothing was written. Upload it again.`);
  return parts.sort((a, b) => (a.PartNumber ?? 0) - (b.PartNumber ?? 0));
}

async function abortUpload(client: S3Client, bucket: string, key: string, uploadId: string): Promise<void> {
  // Deliberately without the caller's signal: cleanup must run even when the caller cancelled.
  await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId })).catch(() => undefined);
}
