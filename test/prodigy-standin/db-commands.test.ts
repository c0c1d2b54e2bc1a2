// The Prodigy stand-in's database commands (db-out, db-in, db-merge, drop, stats) and its hashes.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { STANDIN_DIR, cleanupStandins, makeProdigyHome, readDataset, runStandin } from './harness.ts';

type Example = Record<string, unknown> & { _input_hash: number; _task_hash: number; answer?: string };

const ROWS = [
  { text: 'Ada Lovelace wrote code', spans: [{ start: 0, end: 12, label: 'PERSON' }], answer: 'accept', _session_id: 'gold-alice' },
  { text: 'Nothing to see', spans: [], answer: 'reject' },
  { text: 'Unclear sentence', answer: 'ignore' },
  { text: 'No answer given yet' },
];

function jsonlFile(home: string, name: string, rows: readonly object[]): string {
  const path = join(home, name);
  writeFileSync(path, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return path;
}

function parseJsonl(text: string): Example[] {
  return text.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Example);
}

async function importRows(home: string, dataset = 'gold'): Promise<void> {
  const res = await runStandin(['db-in', dataset, jsonlFile(home, `${dataset}.in.jsonl`, ROWS)], { home });
  expect(res.code).toBe(0);
}

afterEach(cleanupStandins);

describe('db-in and db-out', () => {
  it('db-in imports with hashes, default answer accept and a timestamp session dataset', async () => {
    const home = makeProdigyHome();
    const res = await runStandin(['db-in', 'gold', jsonlFile(home, 'in.jsonl', ROWS)], { home });
    expect(res.code).toBe(0);
    expect(res.stdout).toContain("Imported 4 annotations for 'gold' to database SQLite");
    expect(res.stdout).toContain("Added 'accept' answer to 1 annotations");
    const session = /Session ID: (\S+)/.exec(res.stdout)?.[1] ?? '';
    expect(session).toMatch(/^\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}$/);
    const saved = readDataset(join(home, 'prodigy.db'), 'gold');
    expect(saved.map((e) => e.content.answer)).toEqual(['accept', 'reject', 'ignore', 'accept']);
    expect(readDataset(join(home, 'prodigy.db'), session).map((e) => e.id)).toEqual(saved.map((e) => e.id));
    const db = new Database(join(home, 'prodigy.db'), { readonly: true });
    expect(db.prepare('SELECT session FROM dataset WHERE name = ?').get(session)).toEqual({ session: 1 });
    db.close();
  });

  it('db-out prints one JSON object per line to stdout, filtered by --answer', async () => {
    const home = makeProdigyHome();
    await importRows(home);
    const all = await runStandin(['db-out', 'gold'], { home });
    expect(all.code).toBe(0);
    const examples = parseJsonl(all.stdout);
    expect(examples.map((e) => e.text)).toEqual(ROWS.map((r) => r.text));
    expect(examples[0]).toMatchObject({ spans: [{ start: 0, end: 12, label: 'PERSON' }], _session_id: 'gold-alice' });
    const rejected = parseJsonl((await runStandin(['db-out', 'gold', '--answer', 'reject'], { home })).stdout);
    expect(rejected.map((e) => e.text)).toEqual(['Nothing to see']);
    const flagged = await runStandin(['db-out', 'gold', '-F'], { home });
    expect(flagged.code).toBe(0);
    expect(flagged.stdout).toBe('');
  });

  it('db-out OUT_DIR writes OUT_DIR/DATASET.jsonl and prints a summary', async () => {
    const home = makeProdigyHome();
    await importRows(home);
    const outDir = join(home, 'exports', 'nested');
    const res = await runStandin(['db-out', 'gold', outDir], { home });
    expect(res.code).toBe(0);
    expect(res.stdout).toContain("Exported 4 annotations for 'gold'");
    expect(res.stdout).toContain(join(outDir, 'gold.jsonl'));
    expect(parseJsonl(readFileSync(join(outDir, 'gold.jsonl'), 'utf8'))).toHaveLength(4);
  });

  it('db-in of db-out output round-trips content and hashes into another dataset', async () => {
    const home = makeProdigyHome();
    await importRows(home);
    const exported = (await runStandin(['db-out', 'gold'], { home })).stdout;
    writeFileSync(join(home, 'export.jsonl'), exported);
    expect((await runStandin(['db-in', 'copy', join(home, 'export.jsonl')], { home })).code).toBe(0);
    const copied = (await runStandin(['db-out', 'copy'], { home })).stdout;
    expect(parseJsonl(copied)).toEqual(parseJsonl(exported));
  });

  it('an unknown dataset is an error on stderr with exit 1, for db-out, stats and drop', async () => {
    const home = makeProdigyHome();
    for (const args of [['db-out', 'nope'], ['stats', 'nope'], ['drop', 'nope']]) {
      const res = await runStandin(args, { home });
      expect(res.code).toBe(1);
      expect(res.stderr).toContain("Can't find 'nope' in database SQLite");
      expect(res.stdout).not.toContain('{');
    }
  });

  it('db-in with a malformed line names file and line, exits 1 and imports nothing', async () => {
    const home = makeProdigyHome();
    const path = join(home, 'bad.jsonl');
    writeFileSync(path, '{"text": "fine", "answer": "accept"}\n{"text": broken}\n');
    const res = await runStandin(['db-in', 'gold', path], { home });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`Invalid JSON on line 2 of ${path}`);
    expect((await runStandin(['db-out', 'gold'], { home })).code).toBe(1);
  });

  it('refuses dataset names with commas or whitespace', async () => {
    const home = makeProdigyHome();
    const res = await runStandin(['db-in', 'bad,name', jsonlFile(home, 'x.jsonl', ROWS)], { home });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain("Invalid dataset name 'bad,name'");
  });
});

describe('db-merge, drop and stats', () => {
  it('stats prints version, home, database and totals, and per-dataset answer counts', async () => {
    const home = makeProdigyHome();
    await importRows(home);
    const res = await runStandin(['stats', 'gold', '-l'], { home });
    expect(res.code).toBe(0);
    const field = (name: string): string | undefined => new RegExp(`^${name}\\s+(.+)$`, 'm').exec(res.stdout)?.[1];
    expect(field('Version')).toBe('1.17.0-standin');
    expect(field('Prodigy Home')).toBe(home);
    expect(field('Location')).toBe(join(STANDIN_DIR, 'prodigy'));
    expect(field('Database Name')).toBe('SQLite');
    expect(field('Total Datasets')).toBe('1');
    expect(field('Total Sessions')).toBe('1');
    expect(field('Annotations')).toBe('4');
    expect([field('Accept'), field('Reject'), field('Ignore')]).toEqual(['2', '1', '1']);
    expect(res.stdout).toContain('Datasets\n\ngold');
  });

  it('db-merge copies several datasets into a new one; drop removes one and frees its examples', async () => {
    const home = makeProdigyHome();
    await importRows(home, 'a');
    await importRows(home, 'b');
    const merged = await runStandin(['db-merge', 'a,b', 'ab'], { home });
    expect(merged.code).toBe(0);
    expect(parseJsonl((await runStandin(['db-out', 'ab'], { home })).stdout)).toHaveLength(8);
    expect((await runStandin(['db-merge', 'a', 'ab'], { home })).code).toBe(1);
    const dropped = await runStandin(['drop', 'ab'], { home });
    expect(dropped.code).toBe(0);
    expect(dropped.stdout).toContain("Removed 'ab'");
    const db = new Database(join(home, 'prodigy.db'), { readonly: true });
    expect(db.prepare('SELECT COUNT(*) AS n FROM example').get()).toEqual({ n: 8 });
    db.close();
  });
});

describe('hashes', () => {
  it('MurmurHash3 x86_32 matches reference vectors and is signed 32-bit', () => {
    const script = 'from prodigy.hashing import murmurhash3_32 as m; print(m(""), m("hello"), m("hello", 1), m("The quick brown fox jumps over the lazy dog"))';
    const res = spawnSync('python3', ['-c', script], { env: { ...process.env, PYTHONPATH: STANDIN_DIR, PYTHONDONTWRITEBYTECODE: '1' }, encoding: 'utf8' });
    expect(res.status).toBe(0);
    // 0x248bfa47, 0xbb4abcad as int32, 0x2e4ff723
    expect(res.stdout.trim().split(' ').map(Number)).toEqual([0, 0x248bfa47, 0xbb4abcad - 2 ** 32, 0x2e4ff723]);
  });

  it('are stable across runs; same input with another label keeps the input hash and changes the task hash', async () => {
    const home = makeProdigyHome();
    const rows = [{ text: 'same text', label: 'A' }, { text: 'same text', label: 'B' }, { text: 'other text', label: 'A' }];
    const file = jsonlFile(home, 'h.jsonl', rows);
    await runStandin(['db-in', 'one', file], { home });
    await runStandin(['db-in', 'two', file], { home });
    const one = parseJsonl((await runStandin(['db-out', 'one'], { home })).stdout);
    const two = parseJsonl((await runStandin(['db-out', 'two'], { home })).stdout);
    expect(two.map((e) => [e._input_hash, e._task_hash])).toEqual(one.map((e) => [e._input_hash, e._task_hash]));
    const [a, b, other] = one as [Example, Example, Example];
    expect(b._input_hash).toBe(a._input_hash);
    expect(b._task_hash).not.toBe(a._task_hash);
    expect(other._input_hash).not.toBe(a._input_hash);
    for (const e of one) {
      for (const h of [e._input_hash, e._task_hash]) {
        expect(Number.isInteger(h) && h >= -(2 ** 31) && h < 2 ** 31).toBe(true);
      }
    }
  });

  it('keep hashes already present unless --rehash', async () => {
    const home = makeProdigyHome();
    const file = jsonlFile(home, 'k.jsonl', [{ text: 'kept', _input_hash: 11, _task_hash: -22, answer: 'accept' }]);
    await runStandin(['db-in', 'kept', file], { home });
    await runStandin(['db-in', 'rehashed', file, '--rehash'], { home });
    const kept = parseJsonl((await runStandin(['db-out', 'kept'], { home })).stdout)[0]!;
    const rehashed = parseJsonl((await runStandin(['db-out', 'rehashed'], { home })).stdout)[0]!;
    expect([kept._input_hash, kept._task_hash]).toEqual([11, -22]);
    expect(rehashed._input_hash).not.toBe(11);
  });
});
