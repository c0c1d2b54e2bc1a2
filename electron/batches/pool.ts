// Reads a lead's task file (JSONL or CSV, on disk or streamed from S3) into items with stable ids; a malformed line
// names the file and line and writes nothing.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { FerryError } from '../../shared/result.ts';
import { csvRecords, csvRowToTask } from './pool-csv.ts';

export type PoolTask = Record<string, unknown> & { meta?: Record<string, unknown> };

export type PoolItem = {
  readonly id: string;
  readonly line: number;
  readonly task: PoolTask;
  readonly source?: string; // the file or prefix it came from, for messages ("pool.jsonl", "s3://raw/scans/")
  readonly file?: { readonly bucket: string; readonly key: string; readonly kind: string }; // one raw file of a file pool
};

// What was read, with the SHA-256 of its bytes: the batch manifest records it as the rule's input.
export type TaskFileRead = { readonly name: string; readonly where: string; readonly items: PoolItem[]; readonly sha256: string; readonly bytes: number };

export const INPUT_KEYS = ['text', 'image', 'html', 'audio', 'video', 'input', 'pdf'] as const;
const SHOWN_INPUT_KEYS = ['text', 'image', 'html', 'audio', 'video', 'input'] as const;

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

export function formatOf(name: string): 'jsonl' | 'csv' {
  return /\.csv$/i.test(name) ? 'csv' : 'jsonl';
}

type Collector = { readonly items: PoolItem[]; readonly problems: string[]; readonly seen: Map<string, number> };

function addTask(c: Collector, name: string, lineNo: number, value: unknown): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    c.problems.push(`${name} line ${lineNo}: expected a JSON object such as {"text": "..."}`);
    return;
  }
  const task = value as PoolTask;
  if (!INPUT_KEYS.some((k) => task[k] !== undefined)) {
    c.problems.push(`${name} line ${lineNo}: a task needs one of ${SHOWN_INPUT_KEYS.join(', ')}`);
    return;
  }
  const id = idOf(task) ?? contentId(task);
  const first = c.seen.get(id);
  if (first !== undefined) {
    c.problems.push(`${name} line ${lineNo}: id "${id}" already used on line ${first}`);
    return;
  }
  c.seen.set(id, lineNo);
  c.items.push({ id, line: lineNo, task, source: name });
}

// Parses a stream of JSONL or CSV bytes, hashing them on the way; throws one error listing every bad line.
export async function readTaskStream(stream: Readable, name: string, where: string, format: 'jsonl' | 'csv'): Promise<TaskFileRead> {
  const hash = createHash('sha256');
  let bytes = 0;
  stream.on('data', (chunk: Buffer | string) => {
    hash.update(chunk);
    bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
  });
  const c: Collector = { items: [], problems: [], seen: new Map() };
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  if (format === 'csv') {
    for await (const record of csvRecords(lines, name)) {
      if ('problem' in record) c.problems.push(record.problem);
      else addTask(c, name, record.line, csvRowToTask(record.row));
    }
  } else {
    let lineNo = 0;
    for await (const line of lines) {
      lineNo += 1;
      if (line.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (error) {
        c.problems.push(`${name} line ${lineNo}: not valid JSON (${(error as Error).message})`);
        continue;
      }
      addTask(c, name, lineNo, value);
    }
  }
  if (c.problems.length > 0) {
    const shown = c.problems.slice(0, 10).join('\n  ');
    const more = c.problems.length > 10 ? `\n  … and ${c.problems.length - 10} more` : '';
    throw new FerryError('malformed-input', `The pool file ${where} has ${c.problems.length} bad line(s); no batch was created:\n  ${shown}${more}`);
  }
  if (c.items.length === 0) throw new FerryError('malformed-input', `The pool file ${where} holds no tasks.`);
  return { name, where, items: c.items, sha256: hash.digest('hex'), bytes };
}

async function openFile(path: string): Promise<Readable> {
  try {
    const stream = createReadStream(path);
    await new Promise<void>((resolve, reject) => {
      stream.once('open', () => resolve());
      stream.once('error', reject);
    });
    return stream;
  } catch (error) {
    throw new FerryError('not-found', `Cannot read the pool file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
  }
}

// A JSONL or CSV task file on the lead's disk.
export async function readTaskFile(path: string): Promise<TaskFileRead> {
  const stream = await openFile(path);
  return await readTaskStream(stream, basename(path), path, formatOf(path));
}
