// A chunk built by SQLite (plain answers) must be byte for byte the chunk JS builds, and both must be what
// JSON.stringify({ ...example, _ferry }) gives: the bytes name the chunk (its SHA-256), so a re-seal after a crash or by
// the other path must not change them.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildChunk, ferryOpen } from '../../../electron/publish/chunk.ts';
import { openStore, type AnswerInput, type Store } from '../../../electron/store/store.ts';
import { useTempDir } from './temp-dir.ts';

const tempDir = useTempDir();
const CONTEXT = { project: 'p', region: 'emea', batch: 'b1', annotator: 'ana', late: false };

// Examples as Prodigy's db-out could give them: odd characters in every field a line copies or names.
const PLAIN: Record<string, unknown>[] = [
  { text: 'plain ascii', meta: { task_id: 't-1', source_key: 'raw/a.txt' } },
  { text: 'Grüße, 東京, emoji 😀, RTL שלום', meta: { task_id: 'ünïcode-😀', source_key: 'raw/ü.txt' } },
  { text: 'quotes " and \\ backslash', meta: { task_id: 'q"\\t', source_key: null } },
  { text: 'control \u0001\u001f\b\f\n\r\t chars', meta: { task_id: 'c\u0001\n\u007f\u2028\u2029' } },
  { text: 'no meta at all' },
  { text: 'task id is a number', meta: { task_id: 42, source_key: ['not', 'a', 'string'] } },
  { meta: { task_id: 't-empty-text' }, spans: [{ start: 0, end: 3, label: 'ORG' }], accept: ['A'] },
  {},
];
// Not plain: a `_ferry` of its own, or a lone surrogate (not valid UTF-8 once stored raw in a column).
const SLOW: unknown[] = [{ text: 'has its own', _ferry: { note: 'kept under the key' }, meta: { task_id: 't-f' } }, { text: 'lone \ud83d', meta: { task_id: 'x\ud83dy' } }];

function answers(examples: readonly unknown[], from: number): AnswerInput[] {
  return examples.map((content, i) => ({ taskHash: from + i, inputHash: -(from + i), answer: (['accept', 'reject', 'ignore'] as const)[i % 3]!, content }));
}

function expectedLine(example: unknown, taskHash: number, revision: number): string {
  const meta = ((example as { meta?: Record<string, unknown> }).meta ?? {}) as Record<string, unknown>;
  const task = typeof meta.task_id === 'string' ? meta.task_id : String(taskHash);
  const source = typeof meta.source_key === 'string' ? meta.source_key : null;
  return JSON.stringify({ ...(example as Record<string, unknown>), _ferry: { ...CONTEXT, task, source, revision } });
}

function storeWith(examples: readonly unknown[]): Store {
  const store = openStore(join(tempDir(), 'ferry.db'));
  store.upsertBatch({ project: 'p', region: 'emea', batch: 'b1', status: 'annotating' });
  store.recordAnswers('p/emea/b1', 'ana', answers(examples, 1));
  return store;
}

describe('chunk bytes', () => {
  it('SQLite builds the same bytes for plain answers as JS does, and as JSON.stringify of the example with _ferry', () => {
    const store = storeWith(PLAIN);
    const stretch = store.readSealableStretch('p/emea/b1', 'ana', 1000, ferryOpen(CONTEXT));
    expect(stretch.answers.map((a) => a.taskHash)).toEqual(PLAIN.map((_, i) => i + 1));
    expect(stretch.body).not.toBeNull();
    const js = buildChunk(store.listSealableAnswers('p/emea/b1', 'ana', 1000), CONTEXT);
    const reference = `${PLAIN.map((e, i) => expectedLine(e, i + 1, 1)).join('\n')}\n`;
    expect(stretch.body!.toString('utf8')).toBe(reference);
    expect(Buffer.compare(stretch.body!, js.body)).toBe(0);
    store.close();
  });

  it('leaves the bytes to JS when any answer in the stretch is not plain, and JS still gives the reference bytes', () => {
    const examples = [...PLAIN.slice(0, 2), ...SLOW];
    const store = storeWith(examples);
    const stretch = store.readSealableStretch('p/emea/b1', 'ana', 1000, ferryOpen(CONTEXT));
    expect(stretch.answers).toHaveLength(examples.length);
    expect(stretch.body).toBeNull();
    const js = buildChunk(store.listSealableAnswers('p/emea/b1', 'ana', 1000), CONTEXT);
    const lines = js.body.toString('utf8').trimEnd().split('\n');
    // The example's own `_ferry` is replaced by Ferry's, as JSON.stringify({ ...example, _ferry }) does.
    expect(lines).toEqual(examples.map((e, i) => expectedLine(e, i + 1, 1)));
    // A stretch that stops before the slow answers is built by SQLite again.
    expect(store.readSealableStretch('p/emea/b1', 'ana', 2, ferryOpen(CONTEXT)).body?.toString('utf8')).toBe(`${lines.slice(0, 2).join('\n')}\n`);
    store.close();
  });
});
