// Reads `prodigy db-out DATASET` JSONL into answers for one annotator's session; bad lines are named, not fatal.
import type { AnswerInput, AnswerValue } from '../store/store.ts';
import { ANSWER_VALUES } from '../store/store.ts';

export type DbOutProblem = { readonly line: number; readonly reason: string };

export type ParsedDbOut = {
  readonly answers: AnswerInput[]; // this session's examples, last one per task hash
  readonly lines: number; // non-empty lines read
  readonly otherSessions: number; // examples saved by other sessions (skipped)
  readonly problems: DbOutProblem[];
};

// Prodigy stamps both with "DATASET-NAME" for ?session=NAME (reference/prodigy.md §2).
export function sessionIdFor(dataset: string, annotator: string): string {
  return `${dataset}-${annotator}`;
}

function describeJsonError(error: unknown): string {
  return `not valid JSON (${error instanceof Error ? error.message : String(error)})`;
}

// Why an example can't become an answer, or undefined when it can.
function exampleProblem(example: Record<string, unknown>): string | undefined {
  if (!Number.isSafeInteger(example._task_hash)) return `_task_hash must be an integer, got ${JSON.stringify(example._task_hash) ?? 'nothing'}`;
  if (!Number.isSafeInteger(example._input_hash)) return `_input_hash must be an integer, got ${JSON.stringify(example._input_hash) ?? 'nothing'}`;
  if (!(ANSWER_VALUES as readonly unknown[]).includes(example.answer)) {
    return `answer must be one of ${ANSWER_VALUES.join(', ')}, got ${JSON.stringify(example.answer) ?? 'nothing'}`;
  }
  return undefined;
}

export function parseDbOut(stdout: string, dataset: string, annotator: string): ParsedDbOut {
  const sessionId = sessionIdFor(dataset, annotator);
  const byTask = new Map<number, AnswerInput>();
  const problems: DbOutProblem[] = [];
  let lines = 0;
  let otherSessions = 0;
  stdout.split('\n').forEach((raw, index) => {
    const text = raw.trim();
    if (text.length === 0) return;
    lines += 1;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      problems.push({ line: index + 1, reason: describeJsonError(error) });
      return;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      problems.push({ line: index + 1, reason: 'expected a JSON object (one Prodigy example per line)' });
      return;
    }
    const example = value as Record<string, unknown>;
    if (example._session_id !== sessionId && example._annotator_id !== sessionId) {
      otherSessions += 1;
      return;
    }
    const problem = exampleProblem(example);
    if (problem !== undefined) {
      problems.push({ line: index + 1, reason: problem });
      return;
    }
    const taskHash = example._task_hash as number;
    // db-out lists examples in save order, so a re-answered task's later line is the current answer.
    byTask.delete(taskHash);
    byTask.set(taskHash, { taskHash, inputHash: example._input_hash as number, answer: example.answer as AnswerValue, content: example });
  });
  return { answers: [...byTask.values()], lines, otherSessions, problems };
}
