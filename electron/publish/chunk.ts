// Turns stored answers into one immutable results chunk: Prodigy JSONL lines that carry Ferry's context.
import type { FerryAnswerContext } from '../../shared/batch.ts';
import { sha256Hex } from '../s3/hashing.ts';
import type { SealableAnswer } from '../store/store.ts';

export type ChunkContent = {
  readonly body: Buffer;
  readonly sha256: string;
  readonly count: number;
  readonly answers: { readonly accept: number; readonly reject: number; readonly ignore: number };
};

// `"_ferry":{` and the context's fields, up to where each line's own fields start: the same on every line of a chunk,
// so it is serialised once (and handed to the store, which builds plain lines the same way in SQL).
export function ferryOpen(context: Omit<FerryAnswerContext, 'task' | 'source'>): string {
  const head = JSON.stringify(context).slice(0, -1);
  return `"_ferry":${head}${head.length > 1 ? ',' : ''}`;
}

// One line as Prodigy's db-in reads it: the example as Prodigy saved it, plus `_ferry` (kept by Prodigy as-is).
// Chunks are never rewritten: a changed answer is sealed again, with revision + 1, in a later chunk (possibly after the
// submission marker, which lists only the chunks sealed by then). Consumers therefore read every chunk under
// results/R/B/ANNOTATOR/ and keep, per (annotator, _ferry.task), the line with the highest _ferry.revision.
// Returns the writer for one chunk: `_ferry`'s context part is the same on every line, so it is serialised once.
function lineWriter(context: Omit<FerryAnswerContext, 'task' | 'source'>): (answer: SealableAnswer) => string {
  const open = ferryOpen(context);
  return (answer) => {
    // The stored JSON is JSON.stringify of the example, so appending `_ferry` before its closing brace gives the bytes
    // JSON.stringify({ ...example, _ferry }) would, without parsing and serialising every example again.
    if (answer.plain) {
      const task = answer.taskId ?? String(answer.taskHash);
      const ferry = `${open}"task":${JSON.stringify(task)},"source":${JSON.stringify(answer.sourceKey)},"revision":${answer.revision}}`;
      return `${answer.contentJson.slice(0, -1)}${answer.contentJson.length > 2 ? ',' : ''}${ferry}}`;
    }
    // Not plain: the fields come from the parsed example, not the columns (a lone surrogate does not survive a column).
    const example = JSON.parse(answer.contentJson) as Record<string, unknown>;
    const meta = typeof example.meta === 'object' && example.meta !== null ? (example.meta as Record<string, unknown>) : {};
    const task = typeof meta.task_id === 'string' ? meta.task_id : String(answer.taskHash);
    const source = typeof meta.source_key === 'string' ? meta.source_key : null;
    const ferry: FerryAnswerContext & { revision: number } = { ...context, task, source, revision: answer.revision };
    return JSON.stringify({ ...example, _ferry: ferry });
  };
}

export function buildChunk(answers: readonly SealableAnswer[], context: Omit<FerryAnswerContext, 'task' | 'source'>): ChunkContent {
  const line = lineWriter(context);
  return chunkOf(Buffer.from(`${answers.map(line).join('\n')}\n`, 'utf8'), answers);
}

// A chunk whose bytes were built already (by the store, for plain answers): its name and counts.
export function chunkOf(body: Buffer, answers: readonly { readonly answer: SealableAnswer['answer'] }[]): ChunkContent {
  const counts = { accept: 0, reject: 0, ignore: 0 };
  for (const a of answers) counts[a.answer] += 1;
  return { body, sha256: sha256Hex(body), count: answers.length, answers: counts };
}
