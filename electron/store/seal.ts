// Sealing answers into a chunk: queue the chunk's upload and mark its answers in one IMMEDIATE transaction,
// so after a crash either both happened (the outbox re-sends the same bytes) or neither did. The transaction first
// re-checks that every answer is still unsealed at the revision the chunk holds, and only then takes the next
// sequence number: two processes sealing the same batch at once never put one answer into two chunks.
import type { Database } from 'better-sqlite3';
import { countStale, markAnswersPublished, type PublishedAnswer } from './answers.ts';
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
    const stale = countStale(db, input.batchId, input.annotator, input.published);
    if (stale > 0) return { state: 'stale', stale };
    const seq = nextSeq(db, input.batchId, input.job.kind);
    const targetKey = typeof input.job.targetKey === 'function' ? input.job.targetKey(seq) : input.job.targetKey;
    const queued = enqueueJob(db, { ...input.job, targetKey, seq, answers: input.published.length }, now);
    const marked = markAnswersPublished(db, input.batchId, input.annotator, targetKey, input.published);
    return { state: 'sealed', ...queued, marked, seq };
  });
  return write.immediate();
}
