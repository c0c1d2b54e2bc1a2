// SHA-256 helpers and the progress throttle shared by uploads and downloads.
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';

export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

export function hexToBase64(hex: string): string {
  return Buffer.from(hex, 'hex').toString('base64');
}

export function base64ToHex(b64: string): string {
  return Buffer.from(b64, 'base64').toString('hex');
}

// Feeds a whole file (or its first `end` bytes) into `hash`, streaming, so large files never sit in memory.
export async function hashFileInto(path: string, hash: Hash, options: { signal?: AbortSignal; onBytes?: (n: number) => void } = {}): Promise<number> {
  let total = 0;
  const stream = createReadStream(path, { highWaterMark: 1 << 20, ...(options.signal ? { signal: options.signal } : {}) });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    hash.update(chunk);
    total += chunk.length;
    options.onBytes?.(chunk.length);
  }
  return total;
}

export async function sha256OfFile(path: string, options: { signal?: AbortSignal; onBytes?: (n: number) => void } = {}): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  const size = await hashFileInto(path, hash, options);
  return { sha256: hash.digest('hex'), size };
}

export type TransferProgress = { readonly phase: 'hashing' | 'uploading' | 'downloading'; readonly bytesDone: number; readonly bytesTotal: number };

// Reports at most every `intervalMs` (≈5×/s), plus always the first update of each phase and the final one.
export function throttleProgress(onProgress: ((p: TransferProgress) => void) | undefined, intervalMs = 200): (p: TransferProgress, final?: boolean) => void {
  let last = -Infinity;
  let phase: TransferProgress['phase'] | undefined;
  return (p, final = false) => {
    if (!onProgress) return;
    const now = Date.now();
    if (!final && p.phase === phase && now - last < intervalMs) return;
    last = now;
    phase = p.phase;
    onProgress(p);
  };
}
