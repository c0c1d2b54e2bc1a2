// Reads a lead's JSONL pool file into items with stable ids; a malformed line names the file and line and writes nothing.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import { FerryError } from '../../shared/result.ts';

export type PoolTask = Record<string, unknown> & { meta?: Record<string, unknown> };

export type PoolItem = {
  readonly id: string;
  readonly line: number;
  readonly task: PoolTask;
};

const INPUT_KEYS = ['text', 'image', 'html', 'audio', 'video', 'input'] as const;

function idOf(task: PoolTask): string | undefined {
  const raw = task.id ?? task.meta?.id ?? task.meta?.task_id;
  if (typeof raw === 'string' && raw.length > 0) return raw;
  if (typeof raw === 'number' && Number.isFinite(raw)) return String(raw);
  return undefined;
}

// Items without an id get one from their content, so the same text is recognised in later pools.
export function contentId(task: PoolTask): string {
  const input = Object.fromEntries(INPUT_KEYS.filter((k) => task[k] !== undefined).map((k) => [k, task[k]]));
  return `sha-${createHash('sha256').update(JSON.stringify(input)).digest('hex').slice(0, 16)}`;
}

export async function readPoolFile(path: string): Promise<PoolItem[]> {
  const name = basename(path);
  const items: PoolItem[] = [];
  const problems: string[] = [];
  const seen = new Map<string, number>();
  let lineNo = 0;
  let stream;
  try {
    stream = createReadStream(path, { encoding: 'utf8' });
    await new Promise<void>((resolve, reject) => {
      stream!.once('open', () => resolve());
      stream!.once('error', reject);
    });
  } catch (error) {
    throw new FerryError('not-found', `Cannot read the pool file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
  }
  for await (const line of createInterface({ input: stream, crlfDelay: Infinity })) {
    lineNo += 1;
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      problems.push(`${name} line ${lineNo}: not valid JSON (${(error as Error).message})`);
      continue;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      problems.push(`${name} line ${lineNo}: expected a JSON object such as {"text": "..."}`);
      continue;
    }
    const task = value as PoolTask;
    if (!INPUT_KEYS.some((k) => task[k] !== undefined)) {
      problems.push(`${name} line ${lineNo}: a task needs one of ${INPUT_KEYS.join(', ')}`);
      continue;
    }
    const id = idOf(task) ?? contentId(task);
    const first = seen.get(id);
    if (first !== undefined) {
      problems.push(`${name} line ${lineNo}: id "${id}" already used on line ${first}`);
      continue;
    }
    seen.set(id, lineNo);
    items.push({ id, line: lineNo, task });
  }
  if (problems.length > 0) {
    const shown = problems.slice(0, 10).join('\n  ');
    const more = problems.length > 10 ? `\n  … and ${problems.length - 10} more` : '';
    throw new FerryError('malformed-input', `The pool file ${path} has ${problems.length} bad line(s); no batch was created:\n  ${shown}${more}`);
  }
  if (items.length === 0) throw new FerryError('malformed-input', `The pool file ${path} holds no tasks.`);
  return items;
}
