// CSV task files (RFC 4180: a header row, quoted fields may hold commas, quotes and line breaks) read as task objects.
import type { PoolTask } from './pool.ts';

export type CsvRecord = { readonly line: number; readonly row: Readonly<Record<string, string>> } | { readonly problem: string };

type Parsed = { fields: string[]; open: boolean };

// Continues parsing `text` into `state`; returns true while a quoted field is still open at the end of the text.
function parseInto(state: Parsed, text: string, continuing: boolean): void {
  let field = continuing ? state.fields.pop()! + '\n' : '';
  let inQuotes = continuing;
  let i = 0;
  let quotedStart = continuing;
  while (i < text.length) {
    const ch = text[i]!;
    if (inQuotes) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (ch === '"') {
        inQuotes = false;
        i += 1;
        continue;
      }
      field += ch;
      i += 1;
      continue;
    }
    if (ch === '"' && field === '' && !quotedStart) {
      inQuotes = true;
      quotedStart = true;
    } else if (ch === ',') {
      state.fields.push(field);
      field = '';
      quotedStart = false;
    } else {
      field += ch;
    }
    i += 1;
  }
  state.fields.push(field);
  state.open = inQuotes;
}

// Yields one record per data row, with the line it starts on; a row with the wrong number of fields is a problem.
export async function* csvRecords(lines: AsyncIterable<string>, name: string): AsyncGenerator<CsvRecord> {
  let header: string[] | undefined;
  let state: Parsed = { fields: [], open: false };
  let startLine = 0;
  let lineNo = 0;
  for await (const raw of lines) {
    lineNo += 1;
    const line = lineNo === 1 ? raw.replace(/^\uFEFF/, '') : raw;
    if (!state.open) {
      if (line.trim() === '') continue;
      state = { fields: [], open: false };
      startLine = lineNo;
      parseInto(state, line, false);
    } else {
      parseInto(state, line, true);
    }
    if (state.open) continue;
    if (!header) {
      header = state.fields.map((h) => h.trim());
      const empty = header.findIndex((h) => h === '');
      if (empty >= 0) yield { problem: `${name} line ${startLine}: the header's column ${empty + 1} has no name` };
      continue;
    }
    if (state.fields.length !== header.length) {
      yield { problem: `${name} line ${startLine}: ${state.fields.length} field(s), but the header has ${header.length} (${header.join(', ')})` };
      continue;
    }
    const row: Record<string, string> = {};
    header.forEach((h, i) => {
      if (state.fields[i] !== '') row[h] = state.fields[i]!;
    });
    yield { line: startLine, row };
  }
  if (state.open) yield { problem: `${name} line ${startLine}: a quoted field is never closed` };
}

// Columns become task fields; "meta.X" columns go into meta, so `--by meta.X` and ids in meta work as in JSONL.
export function csvRowToTask(row: Readonly<Record<string, string>>): PoolTask {
  const task: PoolTask = {};
  const meta: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(row)) {
    if (column.startsWith('meta.') && column.length > 5) meta[column.slice(5)] = value;
    else task[column] = value;
  }
  if (Object.keys(meta).length > 0) task.meta = meta;
  return task;
}
