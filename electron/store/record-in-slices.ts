// Bulk harvests are written in slices with a turn of the event loop between them, so the main process
// (Electron IPC, the web host's sockets) never stalls for long. See docs/native-modules.md for the numbers.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { FerryError } from '../../shared/result.ts';
import type { AnswerInput, RecordAnswersResult, Store } from './store.ts';

export const ANSWER_SLICE = 200;

export type SliceOptions = {
  readonly signal?: AbortSignal;
  readonly sliceSize?: number;
  // Called after each slice with the rows written so far (callers throttle what they show).
  readonly onProgress?: (done: number, total: number) => void;
};

// Each slice is its own transaction; recordAnswers is idempotent, so a run cut short is completed by the next harvest.
export async function recordAnswersInSlices(store: Store, batchId: string, annotator: string, answers: readonly AnswerInput[], options: SliceOptions = {}): Promise<RecordAnswersResult> {
  const size = options.sliceSize ?? ANSWER_SLICE;
  const total = { inserted: 0, updated: 0, unchanged: 0 };
  for (let start = 0; start < answers.length; start += size) {
    if (options.signal?.aborted) throw new FerryError('cancelled', `Saving answers for ${batchId} was cancelled after ${start} of ${answers.length}; the rest is saved on the next harvest.`);
    const part = store.recordAnswers(batchId, annotator, answers.slice(start, start + size));
    total.inserted += part.inserted;
    total.updated += part.updated;
    total.unchanged += part.unchanged;
    options.onProgress?.(Math.min(start + size, answers.length), answers.length);
    if (start + size < answers.length) await nextTurn();
  }
  return total;
}
