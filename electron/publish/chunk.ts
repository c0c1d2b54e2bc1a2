// Turns stored answers into one immutable results chunk: Prodigy JSONL lines that carry Ferry's context.
import { createHash } from 'node:crypto';
import type { FerryAnswerContext } from '../../shared/batch.ts';
import type { StoredAnswer } from '../store/store.ts';

export type ChunkContent = {
  readonly body: Buffer;
  readonly sha256: string;
  readonly count: number;
  readonly answers: { readonly accept: number; readonly reject: number; readonly ignore: number };
};

type Example = Record<string, unknown> & { meta?: Record<string, unknown> };

// One line as Prodigy's db-in reads it: the example as Prodigy saved it, plus `_ferry` (kept by Prodigy as-is).
// Chunks are never rewritten: a changed answer is sealed again, with revision + 1, in a later chunk (possibly after the
// submission marker, which lists only the chunks sealed by then). Consumers therefore read every chunk under
// results/R/B/ANNOTATOR/ and keep, per (annotator, _ferry.task), the line with the highest _ferry.revision.
export function answerLine(answer: StoredAnswer, context: Omit<FerryAnswerContext, 'task' | 'source'>): string {
  const example = { ...(answer.content as Example) };
  const meta = example.meta ?? {};
  const task = typeof meta.task_id === 'string' ? meta.task_id : String(answer.taskHash);
  const source = typeof meta.source_key === 'string' ? meta.source_key : null;
  const ferry: FerryAnswerContext & { revision: number } = { ...context, task, source, revision: answer.revision };
  return JSON.stringify({ ...example, _ferry: ferry });
}

export function buildChunk(answers: readonly StoredAnswer[], context: Omit<FerryAnswerContext, 'task' | 'source'>): ChunkContent {
  const counts = { accept: 0, reject: 0, ignore: 0 };
  const lines = answers.map((a) => {
    counts[a.answer] += 1;
    return answerLine(a, context);
  });
  const body = Buffer.from(`${lines.join('\n')}\n`, 'utf8');
  return { body, sha256: createHash('sha256').update(body).digest('hex'), count: answers.length, answers: counts };
}
