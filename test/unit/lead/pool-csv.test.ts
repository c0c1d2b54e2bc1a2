// CSV task files: RFC 4180 quoting (commas, doubled quotes, line breaks in a field), meta.* columns, bad rows named.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readTaskStream } from '../../../electron/batches/pool.ts';
import { FerryError } from '../../../shared/result.ts';

const read = (text: string) => readTaskStream(Readable.from([Buffer.from(text)]), 'tasks.csv', '/data/tasks.csv', 'csv');

describe('CSV task files', () => {
  it('parses quoted fields and meta columns, skipping empty cells and a BOM', async () => {
    const r = await read('\uFEFFid,text,meta.lang,meta.note\n1,"a, b",en,\n2,"say ""hi""",de,x\n\n3,"two\nlines",fr,"y"\n');
    expect(r.items.map((i) => [i.id, i.line, i.task])).toEqual([
      ['1', 2, { id: '1', text: 'a, b', meta: { lang: 'en' } }],
      ['2', 3, { id: '2', text: 'say "hi"', meta: { lang: 'de', note: 'x' } }],
      ['3', 5, { id: '3', text: 'two\nlines', meta: { lang: 'fr', note: 'y' } }],
    ]);
    expect(r.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('names every bad row: wrong field count, no input column, an open quote', async () => {
    const error = await read('id,text,image\n1,ok,\n2,too,many,fields\n3,,\n4,"never closed,\n').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FerryError);
    expect((error as FerryError).message).toBe(
      'The pool file /data/tasks.csv has 3 bad line(s); no batch was created:\n  tasks.csv line 3: 4 field(s), but the header has 3 (id, text, image)\n  tasks.csv line 4: a task needs one of text, image, html, audio, video, input\n  tasks.csv line 5: a quoted field is never closed',
    );
  });
});
