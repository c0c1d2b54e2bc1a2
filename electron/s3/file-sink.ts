// The write side of a download: hashes each chunk as it arrives and writes to one open handle in large batches at
// known positions, so a file costs a few system calls instead of one per network chunk, and a reconnect can carry on
// (or start over) in the same file; the same handle is fsynced afterwards.
import type { Hash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';

// Up to this much is gathered before one writev; 16 parallel downloads then hold at most ~16 MiB in memory.
const FLUSH_BYTES = 1 << 20;

export class PartWriter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private position: number;
  private readonly opening: Promise<FileHandle>;
  private flushing: Promise<void>;
  // Bytes taken so far (hashed, and written or about to be), counted from the start of the file.
  received: number;

  // The file opens while the first bytes arrive: the body is read from its first byte, so a connection cut early
  // still leaves what did arrive to carry on from; a failed open is reported by the first flush.
  constructor(
    openFile: () => Promise<FileHandle>,
    private hash: Hash,
    from: number,
    private readonly onChunk: (bytes: number) => void,
  ) {
    this.position = from;
    this.received = from;
    this.opening = openFile();
    this.flushing = this.opening.then(() => undefined);
    this.flushing.catch(() => undefined);
  }

  handle(): Promise<FileHandle> {
    return this.opening;
  }

  async close(): Promise<void> {
    await this.opening.then((handle) => handle.close()).catch(() => undefined);
  }

  // Returns the write it started when enough has gathered, so the caller can wait before taking more.
  take(chunk: Buffer): Promise<void> | undefined {
    this.hash.update(chunk);
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    this.received += chunk.length;
    this.onChunk(chunk.length);
    return this.pendingBytes >= FLUSH_BYTES ? this.flush() : undefined;
  }

  flush(): Promise<void> {
    const buffers = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    this.flushing = this.flushing.then(() => this.writeAll(buffers));
    return this.flushing;
  }

  // The server sent the whole object where a range was asked: drop what is there and hash from the first byte.
  async restart(hash: Hash): Promise<void> {
    await this.flushing;
    this.pending = [];
    this.pendingBytes = 0;
    this.position = 0;
    this.received = 0;
    this.hash = hash;
    await (await this.opening).truncate(0);
  }

  private async writeAll(buffers: Buffer[]): Promise<void> {
    const handle = await this.opening;
    // writev may write less than asked (rare on regular files); the rest goes in the next call.
    while (buffers.length > 0) {
      const { bytesWritten } = await handle.writev(buffers, this.position);
      this.position += bytesWritten;
      buffers = dropBytes(buffers, bytesWritten);
    }
  }
}

function dropBytes(buffers: Buffer[], count: number): Buffer[] {
  let left = count;
  const rest: Buffer[] = [];
  for (const buffer of buffers) {
    if (left >= buffer.length) {
      left -= buffer.length;
    } else {
      rest.push(left > 0 ? buffer.subarray(left) : buffer);
      left = 0;
    }
  }
  return rest;
}

function prematureClose(): Error {
  return Object.assign(new Error('The connection closed before the whole object arrived'), { code: 'ECONNRESET' });
}

function cancelledRead(): Error {
  return Object.assign(new Error('The download was cancelled'), { name: 'AbortError', code: 'ABORT_ERR' });
}

// Feeds a response body into the writer and flushes it; listening to the body directly is cheaper than a pipeline
// and a Writable per file. Rejects with the body's error, a premature close, or a cancel (which destroys the body).
export function receiveBody(body: Readable, writer: PartWriter, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    let settled = false;
    let ended = false;
    function finish(error?: unknown): void {
      if (settled) return;
      settled = true;
      body.off('data', onData).off('end', onEnd).off('error', finish).off('close', onClose);
      signal?.removeEventListener('abort', onAbort);
      if (error === undefined) {
        resolve();
        return;
      }
      body.destroy();
      reject(error instanceof Error ? error : new Error(String(error)));
    }
    function onData(chunk: Buffer): void {
      const writing = writer.take(chunk);
      if (!writing) return;
      body.pause();
      writing.then(() => settled || body.resume(), finish);
    }
    function onEnd(): void {
      ended = true;
      writer.flush().then(() => finish(), finish);
    }
    function onClose(): void {
      if (!ended) finish(body.errored ?? prematureClose());
    }
    function onAbort(): void {
      finish(cancelledRead());
    }
    if (signal?.aborted) return finish(cancelledRead());
    if (body.errored) return finish(body.errored);
    if (body.destroyed) return finish(prematureClose());
    signal?.addEventListener('abort', onAbort, { once: true });
    body.on('data', onData).once('end', onEnd).once('error', finish).once('close', onClose);
  });
}

export function errnoOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : undefined;
}

// Opens the .part for writing at chosen positions (kept bytes when resuming, else empty); the folder is made only when
// missing, which saves a call per file in a warm cache.
export async function openPart(path: string, resume: boolean, makeFolder: () => Promise<unknown>): Promise<FileHandle> {
  const flags = resume ? 'r+' : 'w';
  try {
    return await open(path, flags);
  } catch (error) {
    if (errnoOf(error) !== 'ENOENT') throw error;
    await makeFolder();
    return await open(path, flags);
  }
}

type FolderSync = { readonly running: Promise<void>; queued?: Promise<void> };
const folderSyncs = new Map<string, FolderSync>();

function startFolderSync(folder: string, fsyncFolder: (folder: string) => Promise<void>): Promise<void> {
  const entry: FolderSync = {
    running: fsyncFolder(folder).finally(() => {
      if (folderSyncs.get(folder) === entry) folderSyncs.delete(folder);
    }),
  };
  folderSyncs.set(folder, entry);
  return entry.running;
}

// Resolves once an fsync of `folder` that began after this call has finished. Downloads landing in one folder at
// the same time share that fsync (a group commit), so a batch of 200 files costs a handful of folder syncs, not 200.
export function syncFolderAfterRename(folder: string, fsyncFolder: (folder: string) => Promise<void>): Promise<void> {
  const current = folderSyncs.get(folder);
  if (!current) return startFolderSync(folder, fsyncFolder);
  // The running sync may have started before our rename; the queued one starts after it, so it covers us.
  current.queued ??= current.running.then(() => startFolderSync(folder, fsyncFolder));
  return current.queued;
}
