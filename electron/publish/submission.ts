// The submission marker: written last, listing every chunk with its SHA-256 and count, so a reader knows the batch is whole.
import { readFile } from 'node:fs/promises';
import { SubmissionSchema, type ChunkRef, type Submission } from '../../shared/batch.ts';
import { FerryError } from '../../shared/result.ts';
import { submissionKey } from '../../shared/s3-layout.ts';
import { sha256Hex } from '../s3/hashing.ts';
import type { Store } from '../store/store.ts';
import { SUBMISSION_KIND } from '../sync/outbox-worker.ts';
import { CHUNK_KIND } from './seal-chunks.ts';

export type SubmissionTarget = {
  readonly store: Store;
  readonly prefix: string;
  readonly project: string;
  readonly region: string;
  readonly batch: string;
  readonly batchId: string;
  readonly annotator: string;
  readonly tasks: number;
  readonly late: boolean;
  readonly appVersion: string;
};

// From the outbox's own columns; a chunk queued before schema 4 has none, and its file (kept for this) is counted.
async function chunkRefs(store: Store, batchId: string): Promise<ChunkRef[]> {
  const refs: ChunkRef[] = [];
  for (const job of store.listJobs({ batchId, kind: CHUNK_KIND })) {
    if (job.answers !== null && job.bytes !== null) {
      refs.push({ key: job.targetKey, sha256: job.sha256, count: job.answers, bytes: job.bytes });
      continue;
    }
    const path = 'path' in job.payload ? job.payload.path : null;
    const body = path ? await readFile(path) : Buffer.alloc(0);
    const count = body.toString('utf8').split('\n').filter((l) => l.length > 0).length;
    refs.push({ key: job.targetKey, sha256: job.sha256, count, bytes: body.length });
  }
  return refs;
}

function queuedSubmission(store: Store, batchId: string): Submission | undefined {
  const existing = store.listJobs({ batchId, kind: SUBMISSION_KIND })[0];
  return existing && 'json' in existing.payload ? SubmissionSchema.parse(existing.payload.json) : undefined;
}

// Queues the marker once; asking again (a second click, a restart, another Ferry process) finds the queued one.
export async function queueSubmission(target: SubmissionTarget, now = new Date()): Promise<{ key: string; submission: Submission; created: boolean }> {
  const key = submissionKey(target.prefix, target.project, target.region, target.batch, target.annotator);
  const existing = queuedSubmission(target.store, target.batchId);
  if (existing) return { key, submission: existing, created: false };
  const counts = target.store.countAnswers(target.batchId);
  const submission = SubmissionSchema.parse({
    kind: 'ferry.submission',
    version: 1,
    project: target.project,
    region: target.region,
    batch: target.batch,
    annotator: target.annotator,
    submittedAt: now.toISOString(),
    chunks: await chunkRefs(target.store, target.batchId),
    answers: { total: counts.total, accept: counts.accept, reject: counts.reject, ignore: counts.ignore },
    tasks: target.tasks,
    late: target.late,
    appVersion: target.appVersion,
  });
  const sha256 = sha256Hex(Buffer.from(JSON.stringify(submission), 'utf8'));
  try {
    const { created } = target.store.enqueueJob({ kind: SUBMISSION_KIND, targetKey: key, batchId: target.batchId, sha256, payload: { json: submission } });
    return { key, submission, created };
  } catch (error) {
    // Another process queued its marker between our look and our write: the first one stands.
    const raced = error instanceof FerryError && error.code === 'conflict' ? queuedSubmission(target.store, target.batchId) : undefined;
    if (raced) return { key, submission: raced, created: false };
    throw error;
  }
}
