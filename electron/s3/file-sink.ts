// The write side of a download: hashes each chunk as it passes and writes to one open handle in large batches,
// so a file costs a few system calls instead of one per network chunk; the same handle is fsynced afterwards.
import type { Hash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import { Writable } from 'node:stream';

// Up to this much is gathered before one writev; 16 parallel downloads then hold at most ~16 MiB in memory.
const FLUSH_BYTES = 1 << 20;

export class HashingFileSink extends Writable {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  written = 0;

  constructor(
    private readonly handle: FileHandle,
    private readonly hash: Hash,
    private readonly onChunk: (bytes: number) => void,
  ) {
    super();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.hash.update(chunk);
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    this.onChunk(chunk.length);
    if (this.pendingBytes < FLUSH_BYTES) {
      callback();
      return;
    }
    this.flush().then(() => callback(), callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.flush().then(() => callback(), callback);
  }

  private async flush(): Promise<void> {
    let buffers = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    // writev may write less than asked (rare on regular files); the rest goes in the next call.
    while (buffers.length > 0) {
      const { bytesWritten } = await this.handle.writev(buffers);
      this.written += bytesWritten;
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

function errnoOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : undefined;
}

// Opens the .part for writing; the folder is made only when missing, which saves a call per file in a warm cache.
export async function openPart(path: string, append: boolean, makeFolder: () => Promise<unknown>): Promise<FileHandle> {
  const flags = append ? 'a' : 'w';
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
