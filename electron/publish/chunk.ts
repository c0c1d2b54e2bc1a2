// Turns stored answers into one immutable results chunk: Prodigy JSONL lines that carry Ferry's context.
import { createHash } from 'node:crypto';
import type { FerryAnswerContext } from '../../shared/batch.ts';
import type { SealableAnswer } from '../store/store.ts';

export type ChunkContent = {
  readonly body: Buffer;
  readonly sha256: string;
  readonly count: number;
  readonly answers: { readonly accept: number; readonly reject: number; readonly ignore: number };
};

// One line as Prodigy's db-in reads it: the example as Prodigy saved it, plus `_ferry` (kept by Prodigy as-is).
// Chunks are never rewritten: a changed answer is sealed again, with revision + 1, in a later chunk (possibly after the
// submission marker, which lists only the chunks sealed by then). Consumers therefore read every chunk under
// results/R/B/ANNOTATOR/ and keep, per (annotator, _ferry.task), the line with the highest _ferry.revision.
export function answerLine(answer: SealableAnswer, context: Omit<FerryAnswerContext, 'task' | 'source'>): string {
  return lineWriter(context)(answer);
}

// The writer for one chunk: `_ferry`'s context part is the same on every line, so it is serialised once.
function lineWriter(context: Omit<FerryAnswerContext, 'task' | 'source'>): (answer: SealableAnswer) => string {
  const head = JSON.stringify(context).slice(0, -1);
  const open = `"_ferry":${head}${head.length > 1 ? ',' : ''}`;
  return (answer) => {
    const task = answer.taskId ?? String(answer.taskHash);
    // The stored JSON is JSON.stringify of the example, so appending `_ferry` before its closing brace gives the bytes
    // JSON.stringify({ ...example, _ferry }) would, without parsing and serialising every example again.
    if (answer.plain) {
      const ferry = `${open}"task":${JSON.stringify(task)},"source":${JSON.stringify(answer.sourceKey)},"revision":${answer.revision}}`;
      return `${answer.contentJson.slice(0, -1)}${answer.contentJson.length > 2 ? ',' : ''}${ferry}}`;
    }
    const ferry: FerryAnswerContext & { revision: number } = { ...context, task, source: answer.sourceKey, revision: answer.revision };
    return JSON.stringify({ ...(JSON.parse(answer.contentJson) as Record<string, unknown>), _ferry: ferry });
  };
}

export function buildChunk(answers: readonly SealableAnswer[], context: Omit<FerryAnswerContext, 'task' | 'source'>): ChunkContent {
  const counts = { accept: 0, reject: 0, ignore: 0 };
  const line = lineWriter(context);
  const lines = answers.map((a) => {
    counts[a.answer] += 1;
    return line(a);
  });
  const body = Buffer.from(`${lines.join('\n')}\n`, 'utf8');
  return { body, sha256: createHash('sha256').update(body).digest('hex'), count: answers.length, answers: counts };
}
