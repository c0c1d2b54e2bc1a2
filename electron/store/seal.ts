// Sealing answers into a chunk: queue the chunk's upload and mark its answers in one IMMEDIATE transaction,
// so after a crash either both happened (the outbox re-sends the same bytes) or neither did. It marks only answers
// still unsealed at the revision the chunk holds and undoes everything (the sequence number too) if any was not:
// two processes sealing the same batch at once never put one answer into two chunks.
import type { Database } from 'better-sqlite3';
import { markUnsealed, type PublishedAnswer } from './answers.ts';
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

// Thrown inside the transaction to undo it: some answers were no longer unsealed as the chunk holds them.
class StaleSeal extends Error {
  constructor(readonly stale: number) {
    super(`${stale} answer(s) were sealed or changed meanwhile`);
  }
}

export function sealChunk(db: Database, input: SealInput, now: Date): SealOutcome {
  const write = db.transaction((): SealOutcome => {
    const seq = nextSeq(db, input.batchId, input.job.kind);
    const targetKey = typeof input.job.targetKey === 'function' ? input.job.targetKey(seq) : input.job.targetKey;
    const queued = enqueueJob(db, { ...input.job, targetKey, seq, answers: input.published.length }, now);
    // The re-check and the marking are one pass (one UPDATE per answer, not a SELECT and an UPDATE): any answer not
    // marked means the chunk is stale, and the whole transaction (sequence number and job included) is undone.
    const marked = markUnsealed(db, input.batchId, input.annotator, targetKey, input.published);
    if (marked < input.published.length) throw new StaleSeal(input.published.length - marked);
    return { state: 'sealed', ...queued, marked, seq };
  });
  try {
    return write.immediate();
  } catch (error) {
    if (error instanceof StaleSeal) return { state: 'stale', stale: error.stale };
    throw error;
  }
}
