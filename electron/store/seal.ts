// Sealing answers into a chunk: queue the chunk's upload and mark its answers in one transaction,
// so after a crash either both happened (the outbox re-sends the same bytes) or neither did.
import type { Database } from 'better-sqlite3';
import { markAnswersPublished, type PublishedAnswer } from './answers.ts';
import { enqueueJob, type JobInput, type OutboxJob } from './outbox.ts';

export type SealInput = {
  readonly batchId: string;
  readonly annotator: string;
  readonly job: JobInput;
  readonly published: readonly PublishedAnswer[];
};

export function sealChunk(db: Database, input: SealInput, now: Date): { readonly job: OutboxJob; readonly created: boolean; readonly marked: number } {
  const write = db.transaction(() => {
    const queued = enqueueJob(db, input.job, now);
    const marked = markAnswersPublished(db, input.batchId, input.annotator, input.job.targetKey, input.published);
    return { ...queued, marked };
  });
  return write.immediate();
}
