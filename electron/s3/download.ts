// Streams an object to disk: hashed on the way, verified, fsynced, then renamed into place; resumable from `.part`.
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createHash, type Hash } from 'node:crypto';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Readable } from 'node:stream';
import { FerryError } from '../../shared/result.ts';
import { clientTransport } from './client.ts';
import { isRetryable } from './errors.ts';
import { s3Failure } from './failure.ts';
import { errnoOf, openPart, PartWriter, receiveBody, syncFolderAfterRename } from './file-sink.ts';
import { hashFileInto, throttleProgress, type TransferProgress } from './hashing.ts';
import { leanObjectReader, pauseBeforeRetry, RANGE_NOT_SATISFIABLE, type ObjectRead } from './lean-get.ts';

export type DownloadOptions = {
  readonly expectedSha256?: string;
  readonly expectedSize?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: TransferProgress) => void;
};
export type DownloadResult = { readonly sha256: string; readonly size: number; readonly resumedFrom: number };
type ReadObject = (offset: number, signal?: AbortSignal) => Promise<ObjectRead>;

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

function cancelled(bucket: string, key: string): FerryError {
  return new FerryError('cancelled', `Download of s3://${bucket}/${key} was cancelled; the partial file is kept so it can resume.`);
}

function ignoreUntilRead(): void {
  // see sdkObjectReader
}

function sdkObjectReader(client: S3Client, bucket: string, key: string): ReadObject {
  return async (offset, signal) => {
    try {
      const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key, ...(offset > 0 ? { Range: `bytes=${offset}-` } : {}) }), { abortSignal: signal });
      const { ContentLength: length, Metadata: metadata } = response;
      const body = response.Body as Readable;
      // Until receiveBody listens, a body that fails (a cancel, a reset) must not become an uncaught error; it still
      // sees that failure, because the stream remembers it.
      body.on('error', ignoreUntilRead);
      return { partial: response.$metadata.httpStatusCode === 206, length, sha256Metadata: metadata?.sha256, body };
    } catch (error) {
      if (offset > 0 && (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 416) return RANGE_NOT_SATISFIABLE;
      throw error;
    }
  };
}

// SHA-256-verified downloads through a verifiedByCaller client take the lean GET; everything else the SDK.
async function objectReader(client: S3Client, bucket: string, key: string, verified: boolean): Promise<ReadObject> {
  const lean = verified ? await leanObjectReader(client, bucket) : undefined;
  return lean ? (offset, signal) => lean(key, offset, signal) : sdkObjectReader(client, bucket, key);
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
  let writer: PartWriter | undefined;
  const report = throttleProgress(options.onProgress);
  if (expectedSize === undefined || offset < expectedSize) {
    const read = await objectReader(client, bucket, key, options.expectedSha256 !== undefined).catch((error: unknown) => {
      throw s3Failure(client, error, 'GetObject', bucket, key);
    });
    // A connection cut mid-body carries on from the bytes already taken; only with a known hash (see resuming above).
    let resumesLeft = options.expectedSha256 ? (clientTransport(client)?.maxAttempts ?? 1) - 1 : 0;
    for (let tries = 1; ; tries += 1) {
      const from = writer?.received ?? offset;
      let got: ObjectRead;
      try {
        got = await read(from, signal);
      } catch (error) {
        await writer?.close();
        throw signal?.aborted ? cancelled(bucket, key) : s3Failure(client, error, 'GetObject', bucket, key);
      }
      // 416: the part is already as long as the object; the checksum below decides whether it is right.
      const body = got === RANGE_NOT_SATISFIABLE ? undefined : got.body;
      try {
        if (got !== RANGE_NOT_SATISFIABLE) {
          if (from > 0 && !got.partial) {
            // The server ignored Range and sent everything: start over.
            offset = 0;
            hash = createHash('sha256');
            await writer?.restart(hash);
          }
          expectedSha ??= got.sha256Metadata;
          total = (got.partial ? from : 0) + (got.length ?? 0);
        }
        if (body) {
          const resume = offset > 0;
          writer ??= new PartWriter(() => openPart(part, resume, () => mkdir(folder, { recursive: true })), hash, offset, () => {
            report({ phase: 'downloading', bytesDone: writer?.received ?? 0, bytesTotal: total });
          });
          await receiveBody(body, writer, signal);
        } else {
          await writer?.flush(); // what arrived before a cut goes to disk; nothing more is coming
        }
        size = writer?.received ?? offset;
        break;
      } catch (error) {
        body?.destroy();
        if (!signal?.aborted && resumesLeft > 0 && writer && errnoOf(error) !== 'ENOSPC' && isRetryable(error)) {
          resumesLeft -= 1;
          await pauseBeforeRetry(error, tries, signal).catch(() => undefined);
          continue;
        }
        await writer?.close();
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
    await writer?.close();
    await rm(part, { force: true });
    const sizeNote = expectedSize !== undefined && size !== expectedSize ? ` and ${size} bytes instead of ${expectedSize}` : '';
    throw new FerryError(
      'checksum-mismatch',
      `Downloaded ${where} but its SHA-256 is ${sha256}${sizeNote}, expected ${expectedSha ?? '(any)'}; the partial file was removed. Try again; if it repeats, the object in S3 differs from its manifest.`,
    );
  }
  // The bytes are on disk before the name says they are there; a .part verified without a request is synced too.
  const handle = writer ? await writer.handle() : await open(part, 'r+');
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
