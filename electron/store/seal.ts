// Sealing answers into a chunk: queue the chunk's upload and move the seal mark past its answers in one IMMEDIATE
// transaction, so after a crash either both happened (the outbox re-sends the same bytes) or neither did. It seals only
// when the chunk is exactly the next stretch of the change log after the mark, at the revisions it holds, and writes
// nothing otherwise: two processes sealing the same batch at once never put one answer into two chunks.
import type { Database } from 'better-sqlite3';
import { isNextStretch, setSealedThrough, type PublishedAnswer } from './answers.ts';
import { enqueueJob, nextSeq, type JobInput, type OutboxJob } from './outbox.ts';

export type SealJob = Omit<JobInput, 'targetKey' | 'seq' | 'answers'> & {
  // A fixed key, or the key for the sequence number the transaction assigns (content-addressed chunks).
  readonly targetKey: string | ((seq: number) => string);
};

export type SealInput = {
  readonly batchId: string;
  readonly annotator: string;
  readonly job: SealJob;
  readonly published: readonly PublishedAnswer[];
};

export type SealOutcome =
  | { readonly state: 'sealed'; readonly job: OutboxJob; readonly created: boolean; readonly marked: number; readonly seq: number }
  // Some answers were sealed meanwhile (by another process) or changed by a harvest: nothing was written.
  | { readonly state: 'stale'; readonly stale: number };

export function sealChunk(db: Database, input: SealInput, now: Date): SealOutcome {
  const write = db.transaction((): SealOutcome => {
    // The check and the mark are two small statements, not a write per answer: sealing costs the same for any chunk size.
    const stretch = isNextStretch(db, input.batchId, input.annotator, input.published);
    if (!stretch.ok) return { state: 'stale', stale: stretch.stale };
    const seq = nextSeq(db, input.batchId, input.job.kind);
    const targetKey = typeof input.job.targetKey === 'function' ? input.job.targetKey(seq) : input.job.targetKey;
    const queued = enqueueJob(db, { ...input.job, targetKey, seq, answers: input.published.length }, now);
    setSealedThrough(db, input.batchId, input.annotator, stretch.through);
    return { state: 'sealed', ...queued, marked: input.published.length, seq };
  });
  return write.immediate();
}
