// Drains the outbox to S3. Every job is a create-once write, so a retry after a crash or a timeout is harmless;
// a job is done only when S3 holds exactly its bytes (same SHA-256).
import type { S3Client } from '@aws-sdk/client-s3';
import { readFile, rm } from 'node:fs/promises';
import { FerryError } from '../../shared/result.ts';
import { classifyS3Error, isRetryable } from '../s3/errors.ts';
import { sha256Hex } from '../s3/hashing.ts';
import { putObjectOnce } from '../s3/objects.ts';
import type { OutboxJob, Store } from '../store/store.ts';
import { CHUNK_KIND } from '../publish/seal-chunks.ts';
import { takeFreshChunk } from '../publish/fresh-chunks.ts';
import { probeDelayMs } from './sync-timing.ts';

export const SUBMISSION_KIND = 'submission';

export type DrainOptions = {
  readonly store: Store;
  readonly client: S3Client;
  readonly bucket: string;
  readonly concurrency?: number;
  readonly signal?: AbortSignal;
  readonly now?: () => Date;
  readonly random?: () => number;
  readonly onJob?: (job: OutboxJob, outcome: JobOutcome) => void;
  // Jobs still being queued (seals running beside the drain): resolves true when another may be there, false when done.
  readonly more?: () => Promise<boolean>;
  // Stop taking jobs (a step beside the drain found the network down).
  readonly halted?: () => boolean;
};

export type JobOutcome = 'done' | 'retry' | 'needs-attention' | 'waiting';
export type DrainResult = {
  readonly done: number;
  readonly retried: number;
  readonly needsAttention: number;
  readonly lastError: string | null;
  // A request could not reach the endpoint: the drain stopped early (the sync service then probes).
  readonly offline: boolean;
};

// Four uploads at once: enough to fill a hotel link with ~1 MB chunks, few enough not to trip S3's SlowDown.
export const DEFAULT_CONCURRENCY = 4;
const BASE_DELAY_MS = 2_000;
const MAX_DELAY_MS = 5 * 60_000;

// Exponential back-off with full jitter, so many laptops coming back online don't retry in step.
export function retryDelayMs(attempts: number, random: () => number = Math.random): number {
  return probeDelayMs(attempts, { base: BASE_DELAY_MS, max: MAX_DELAY_MS }, random);
}

// The exact bytes a job publishes: a file on disk (chunks) or compact JSON (markers).
export async function jobBody(job: OutboxJob): Promise<Buffer> {
  if ('path' in job.payload) return await readFile(job.payload.path);
  return Buffer.from(JSON.stringify(job.payload.json), 'utf8');
}

// Once S3 holds a chunk, its file has done its work (retries, a restart): the marker lists chunks from the outbox's
// columns. A chunk queued before schema 4 has no size recorded, so its file stays for the marker to count.
async function forgetChunkFile(job: OutboxJob): Promise<void> {
  if (job.kind !== CHUNK_KIND || job.bytes === null || job.answers === null || !('path' in job.payload)) return;
  await rm(job.payload.path, { force: true }).catch(() => undefined); // a file left behind only takes space
}

// A submission marker says "all chunks are in": it may go only after every chunk of its batch is confirmed.
function unfinishedChunks(store: Store, job: OutboxJob): OutboxJob[] {
  if (job.kind !== SUBMISSION_KIND || job.batchId === null) return [];
  return store.listJobs({ batchId: job.batchId, kind: CHUNK_KIND }).filter((chunk) => chunk.state !== 'done');
}

// Another Ferry process on the same dataDir may finish a job this one also ran (both uploads are create-once, so
// S3 holds it once): a transition refused because the job is no longer active is that case, not an error.
function settle(store: Store, job: OutboxJob, transition: () => unknown): void {
  try {
    transition();
  } catch (error) {
    if (error instanceof FerryError && error.code === 'conflict' && store.getJob(job.id)?.state !== 'active') return;
    throw error;
  }
}

async function runJob(options: DrainOptions, job: OutboxJob): Promise<void> {
  // A chunk this process just sealed: the bytes its SHA-256 was computed over, still in memory.
  const fresh = job.kind === CHUNK_KIND ? takeFreshChunk(job.sha256) : undefined;
  const body =
    fresh ??
    (await jobBody(job).catch((error: NodeJS.ErrnoException) => {
      throw new FerryError('not-found', `The local file for ${job.targetKey} is missing (${error.code ?? error.message}); it cannot be published.`);
    }));
  if (fresh === undefined && sha256Hex(body) !== job.sha256) {
    throw new FerryError('checksum-mismatch', `The local file for ${job.targetKey} changed on disk since it was queued (SHA-256 differs); it was not published.`);
  }
  await putObjectOnce(options.client, options.bucket, job.targetKey, body, {
    sha256: job.sha256, // just verified above
    contentType: job.targetKey.endsWith('.jsonl') ? 'application/x-ndjson' : 'application/json',
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

export async function drainOutbox(options: DrainOptions): Promise<DrainResult> {
  const now = options.now ?? (() => new Date());
  let done = 0;
  let retried = 0;
  let needsAttention = 0;
  let lastError: string | null = null;
  let offline = false;
  const inFlight = new Set<Promise<void>>();

  async function publish(job: OutboxJob): Promise<void> {
    let failure: unknown;
    try {
      await runJob(options, job);
    } catch (error) {
      failure = error;
    }
    if (failure === undefined) {
      settle(options.store, job, () => options.store.completeJob(job.id));
      // Only once the job is done for good: another process may have put it back in the queue (a restart resets
      // active jobs), and whoever runs it next needs the file.
      if (options.store.getJob(job.id)?.state === 'done') await forgetChunkFile(job);
      done += 1;
      options.onJob?.(job, 'done');
      return;
    }
    const ferry = failure instanceof FerryError ? failure : classifyS3Error(failure, { op: 'write', bucket: options.bucket, key: job.targetKey });
    lastError = ferry.message;
    if (isRetryable(failure) || ferry.code === 'endpoint-unreachable' || ferry.code === 'cancelled') {
      settle(options.store, job, () => options.store.retryJob(job.id, ferry.message, new Date(now().getTime() + retryDelayMs(job.attempts, options.random))));
      retried += 1;
      options.onJob?.(job, 'retry');
      if (ferry.code === 'endpoint-unreachable') offline = true; // stop hammering; the sync service probes
    } else {
      // 403/404/400, a conflict, a local file gone: retrying cannot help until a person acts.
      settle(options.store, job, () => options.store.failJob(job.id, ferry.message, 'needs-attention'));
      needsAttention += 1;
      options.onJob?.(job, 'needs-attention');
    }
  }

  async function worker(): Promise<void> {
    while (!offline && !options.signal?.aborted && !options.halted?.()) {
      const job = options.store.startNextJob();
      if (!job) {
        if (options.more && (await options.more())) continue;
        return;
      }
      let waiting = unfinishedChunks(options.store, job);
      // Chunks still uploading in this drain: wait for them rather than postpone the marker.
      while (waiting.length > 0 && waiting.every((c) => c.state === 'active') && inFlight.size > 0) {
        await Promise.race(inFlight);
        waiting = unfinishedChunks(options.store, job);
      }
      if (waiting.length > 0) {
        settle(options.store, job, () => options.store.retryJob(job.id, `waiting for ${waiting.length} chunk(s) of its batch to reach S3`, new Date(now().getTime() + retryDelayMs(1, options.random))));
        options.onJob?.(job, 'waiting');
        continue;
      }
      const running = publish(job).finally(() => inFlight.delete(running));
      inFlight.add(running);
      await running;
    }
  }

  await Promise.all(Array.from({ length: options.concurrency ?? DEFAULT_CONCURRENCY }, worker));
  return { done, retried, needsAttention, lastError, offline };
}
