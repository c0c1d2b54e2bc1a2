// Streams an object to disk: hashed on the way, verified, fsynced, then renamed into place; resumable from `.part`.
import { GetObjectCommand, type GetObjectCommandOutput, type S3Client } from '@aws-sdk/client-s3';
import { createHash, type Hash } from 'node:crypto';
import { mkdir, open, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FerryError } from '../../shared/result.ts';
import { s3Failure } from './failure.ts';
import { HashingFileSink, openPart, syncFolderAfterRename } from './file-sink.ts';
import { hashFileInto, throttleProgress, type TransferProgress } from './hashing.ts';

export type DownloadOptions = {
  readonly expectedSha256?: string;
  readonly expectedSize?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: TransferProgress) => void;
};
export type DownloadResult = { readonly sha256: string; readonly size: number; readonly resumedFrom: number };

function errnoOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : undefined;
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

// Flushes the folder entry after a rename (the file itself is fsynced on its write handle first), so a crash after
// the rename cannot leave an empty file behind.
async function fsyncFolder(folder: string): Promise<void> {
  try {
    const handle = await open(folder, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Windows cannot open a folder for fsync; the rename is still atomic there.
  }
}

function ignoreEarlyError(): void {
  // see downloadToFile: the pipeline reports it
}

function cancelled(bucket: string, key: string): FerryError {
  return new FerryError('cancelled', `Download of s3://${bucket}/${key} was cancelled; the partial file is kept so it can resume.`);
}

export async function downloadToFile(client: S3Client, bucket: string, key: string, destPath: string, options: DownloadOptions = {}): Promise<DownloadResult> {
  const { signal, expectedSize } = options;
  const part = `${destPath}.part`;
  const folder = dirname(destPath);
  const where = `s3://${bucket}/${key}`;
  if (signal?.aborted) throw cancelled(bucket, key);

  let hash: Hash = createHash('sha256');
  let offset = 0;
  // Resuming is only safe when the final hash is known: it proves the old bytes and the new ones belong together.
  const existing = options.expectedSha256 ? await sizeOf(part) : 0;
  if (existing > 0 && (expectedSize === undefined || existing <= expectedSize)) {
    try {
      offset = await hashFileInto(part, hash, signal ? { signal } : {});
    } catch (error) {
      if (signal?.aborted) throw cancelled(bucket, key);
      throw error;
    }
  }

  let expectedSha = options.expectedSha256;
  let total = expectedSize ?? offset;
  let size = offset;
  // Open while the fresh bytes are being written; fsynced and closed once they check out.
  let handle: FileHandle | undefined;
  const report = throttleProgress(options.onProgress);
  if (expectedSize === undefined || offset < expectedSize) {
    let response: GetObjectCommandOutput | undefined;
    try {
      response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key, ...(offset > 0 ? { Range: `bytes=${offset}-` } : {}) }), { abortSignal: signal });
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status !== 416 || offset === 0) throw signal?.aborted ? cancelled(bucket, key) : s3Failure(client, error, 'GetObject', bucket, key);
      // 416: the part is already as long as the object; the checksum below decides whether it is right.
    }
    if (response) {
      if (offset > 0 && response.$metadata.httpStatusCode !== 206) {
        // The server ignored Range and sent everything: start over.
        offset = 0;
        hash = createHash('sha256');
      }
      expectedSha ??= response.Metadata?.sha256;
      total = offset + (response.ContentLength ?? 0);
      let done = offset;
      const body = response.Body as Readable;
      // Until the pipeline below listens, a body that fails (a cancel, a reset) must not become an uncaught error;
      // the pipeline still sees that failure, because the stream remembers it.
      body.on('error', ignoreEarlyError);
      try {
        handle = await openPart(part, offset > 0, () => mkdir(folder, { recursive: true }));
        const sink = new HashingFileSink(handle, hash, (bytes) => {
          done += bytes;
          report({ phase: 'downloading', bytesDone: done, bytesTotal: total });
        });
        await pipeline(body, sink, signal ? { signal } : {});
        size = offset + sink.written;
      } catch (error) {
        body.destroy();
        await handle?.close().catch(() => undefined);
        if (errnoOf(error) === 'ENOSPC') {
          await rm(part, { force: true });
          throw new FerryError('disk-full', `Not enough disk space in ${folder} to download ${where} (${total} bytes). Free some space and try again.`);
        }
        if (signal?.aborted) throw cancelled(bucket, key);
        if (errnoOf(error) === 'EACCES' || errnoOf(error) === 'EPERM') {
          throw new FerryError('internal', `Ferry may not write to ${part} while downloading ${where}: permission denied.`);
        }
        throw s3Failure(client, error, 'GetObject', bucket, key);
      }
    }
  }

  const sha256 = hash.digest('hex');
  if ((expectedSize !== undefined && size !== expectedSize) || (expectedSha !== undefined && sha256 !== expectedSha)) {
    await handle?.close().catch(() => undefined);
    await rm(part, { force: true });
    const sizeNote = expectedSize !== undefined && size !== expectedSize ? ` and ${size} bytes instead of ${expectedSize}` : '';
    throw new FerryError(
      'checksum-mismatch',
      `Downloaded ${where} but its SHA-256 is ${sha256}${sizeNote}, expected ${expectedSha ?? '(any)'}; the partial file was removed. Try again; if it repeats, the object in S3 differs from its manifest.`,
    );
  }
  // The bytes are on disk before the name says they are there; a .part verified without a request is synced too.
  handle ??= await open(part, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(part, destPath);
  await syncFolderAfterRename(folder, fsyncFolder);
  report({ phase: 'downloading', bytesDone: size, bytesTotal: size }, true);
  return { sha256, size, resumedFrom: offset };
}
