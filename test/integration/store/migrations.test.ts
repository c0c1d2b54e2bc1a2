// Opening the store: WAL pragmas, numbered migrations applied once, newer databases refused.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, type Migration } from '../../../electron/store/migrations/index.ts';
import { openStore } from '../../../electron/store/store.ts';
import { FerryError } from '../../../shared/result.ts';
import { useTempDir } from './temp-dir.ts';

// The tests that bring their own migration 2 put it on top of the initial schema alone.
const INITIAL = MIGRATIONS[0]!;

const tempDir = useTempDir();

function rawRows(path: string, sql: string): unknown[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare(sql).all();
  } finally {
    db.close();
  }
}

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('openStore', () => {
  it('creates the folder, uses WAL with the agreed pragmas and records the initial migration', () => {
    const path = join(tempDir(), 'nested', 'ferry.db');
    const store = openStore(path, { now: () => new Date('2025-02-03T04:05:06.000Z') });
    expect(store.connectionSettings()).toEqual({ journalMode: 'wal', synchronous: 'NORMAL', foreignKeys: true, busyTimeoutMs: 5000 });
    expect(store.appliedMigrations()).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name, appliedAt: '2025-02-03T04:05:06.000Z' })));
    store.close();
    const tables = rawRows(path, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").map((r) => (r as { name: string }).name);
    expect(tables).toEqual(['answers', 'batches', 'kv', 'lead_index', 'outbox', 'schema_migrations', 'seal_marks']);
    expect(rawRows(path, 'PRAGMA user_version')).toEqual([{ user_version: MIGRATIONS.length }]);
  });

  it('folds the WAL back into the main file on a clean close, even while another connection is open', () => {
    const path = join(tempDir(), 'ferry.db');
    const store = openStore(path);
    // A second connection keeps SQLite from deleting the WAL on close, so only the TRUNCATE checkpoint empties it.
    const other = new Database(path, { readonly: true });
    expect(other.prepare('SELECT count(*) AS n FROM batches').get()).toEqual({ n: 0 });
    for (let i = 0; i < 50; i += 1) store.upsertBatch({ project: 'p', region: 'emea', batch: `b${i}`, status: 'claimed' });
    expect(statSync(`${path}-wal`).size).toBeGreaterThan(0);
    store.close();
    expect(statSync(`${path}-wal`).size).toBe(0);
    expect(other.prepare('SELECT count(*) AS n FROM batches').get()).toEqual({ n: 50 });
    other.close();
  });

  it('enforces foreign keys: an outbox job cannot point at a batch that does not exist', () => {
    const path = join(tempDir(), 'ferry.db');
    const store = openStore(path);
    store.upsertBatch({ project: 'p', region: 'emea', batch: 'b1', status: 'claimed' });
    // foreign_keys=ON: an outbox job for a batch that does not exist is refused by SQLite itself.
    expect(() => store.enqueueJob({ kind: 'chunk', batchId: 'p/emea/missing', targetKey: 'k', sha256: 'b'.repeat(64), payload: { json: {} } })).toThrow(/FOREIGN KEY/);
    store.close();
  });

  it('runs each migration once, in a transaction, and does not re-run on reopen', () => {
    const path = join(tempDir(), 'ferry.db');
    let runs = 0;
    const second: Migration = {
      version: 2,
      name: 'add-notes',
      up(db) {
        runs += 1;
        db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL) STRICT');
      },
    };
    const first = openStore(path, { migrations: [INITIAL, second] });
    expect(first.appliedMigrations().map((m) => [m.version, m.name])).toEqual([[1, 'initial'], [2, 'add-notes']]);
    first.close();
    const again = openStore(path, { migrations: [INITIAL, second] });
    expect(runs).toBe(1);
    expect(again.schemaVersion()).toBe(2);
    again.close();
    expect(rawRows(path, 'SELECT version FROM schema_migrations ORDER BY version')).toEqual([{ version: 1 }, { version: 2 }]);
  });

  it('rolls a failing migration back completely and leaves the previous version in place', () => {
    const path = join(tempDir(), 'ferry.db');
    openStore(path, { migrations: [INITIAL] }).close();
    const broken: Migration = {
      version: 2,
      name: 'broken',
      up(db) {
        db.exec('CREATE TABLE half_done (id INTEGER PRIMARY KEY)');
        db.exec('INSERT INTO no_such_table VALUES (1)');
      },
    };
    expect(() => openStore(path, { migrations: [INITIAL, broken] })).toThrow(/no_such_table/);
    expect(rawRows(path, "SELECT name FROM sqlite_master WHERE name = 'half_done'")).toEqual([]);
    expect(rawRows(path, 'SELECT max(version) AS v FROM schema_migrations')).toEqual([{ v: 1 }]);
  });

  it('migrates answers of a schema-3 database to the change log: sealed ones first, the seal mark after them, nothing lost', () => {
    const path = join(tempDir(), 'ferry.db');
    openStore(path, { migrations: MIGRATIONS.slice(0, 3) }).close();
    const raw = new Database(path);
    const stamp = '2025-01-01T00:00:00.000Z';
    raw.prepare("INSERT INTO batches (id, project, region, batch, status, created_at, updated_at) VALUES ('p/emea/b1', 'p', 'emea', 'b1', 'annotating', ?, ?)").run(stamp, stamp);
    const job = raw.prepare("INSERT INTO outbox (kind, batch_id, target_key, payload_path, sha256, state, next_attempt_at, created_at, updated_at, seq, answers) VALUES ('result-chunk', 'p/emea/b1', ?, '/x', ?, 'done', ?, ?, ?, ?, ?)");
    job.run('results/c2', 'a'.repeat(64), stamp, stamp, stamp, 2, 1);
    job.run('results/c1', 'b'.repeat(64), stamp, stamp, stamp, 1, 1);
    const add = raw.prepare('INSERT INTO answers (batch_id, task_hash, input_hash, annotator, answer, content_json, revision, harvested_at, updated_at, published_chunk) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const content = (task: number, extra = '') => `{"text":"t${task}","meta":{"task_id":"id-${task}","source_key":"raw/${task}.txt"}${extra},"_task_hash":${task}}`;
    add.run('p/emea/b1', 1, 10, 'ana', 'accept', content(1), 1, '2025-01-01T00:00:01.000Z', stamp, null);
    add.run('p/emea/b1', 2, 20, 'ana', 'reject', content(2), 2, '2025-01-01T00:00:02.000Z', stamp, 'results/c2');
    add.run('p/emea/b1', 3, 30, 'ana', 'accept', content(3, ',"_ferry":{"x":1}'), 1, '2025-01-01T00:00:03.000Z', stamp, 'results/c1');
    add.run('p/emea/b1', 4, 40, 'ana', 'ignore', '{"text":"lone \\ud83d","meta":{"task_id":7}}', 1, '2025-01-01T00:00:04.000Z', stamp, null);
    add.run('p/emea/b1', 1, 10, 'ben', 'accept', content(1), 1, stamp, stamp, 'results/c1');
    raw.close();

    const store = openStore(path);
    expect(store.schemaVersion()).toBe(MIGRATIONS.length);
    // Sealed first, by their chunk's sequence (c1 before c2), then the unsealed ones as they were harvested.
    expect(store.listAnswers('p/emea/b1', 'ana').map((a) => [a.taskHash, a.revision, a.changeSeq, a.sealed])).toEqual([[3, 1, 1, true], [2, 2, 2, true], [1, 1, 3, false], [4, 1, 4, false]]);
    expect(store.listAnswers('p/emea/b1', 'ben').map((a) => [a.taskHash, a.sealed])).toEqual([[1, true]]);
    expect(store.countAnswers('p/emea/b1')).toEqual({ total: 5, unpublished: 2, accept: 3, reject: 1, ignore: 1 });
    const columns = rawRows(path, "SELECT task_hash AS t, task_id AS id, source_key AS src, plain FROM answers WHERE annotator = 'ana' ORDER BY task_hash");
    expect(columns).toEqual([
      { t: 1, id: 'id-1', src: 'raw/1.txt', plain: 1 },
      { t: 2, id: 'id-2', src: 'raw/2.txt', plain: 1 },
      { t: 3, id: 'id-3', src: 'raw/3.txt', plain: 0 }, // its own _ferry
      { t: 4, id: null, src: null, plain: 0 }, // an escaped lone surrogate
    ]);
    // New answers go after the log's end; the next chunk starts right after the mark.
    store.recordAnswers('p/emea/b1', 'ana', [{ taskHash: 5, inputHash: 50, answer: 'accept', content: { text: 't5' } }]);
    expect(store.listUnpublishedAnswers('p/emea/b1', 'ana').map((a) => [a.taskHash, a.changeSeq])).toEqual([[1, 3], [4, 4], [5, 5]]);
    store.close();
  });

  it('refuses a database written by a newer Ferry, with a clear error, and leaves it untouched', () => {
    const path = join(tempDir(), 'ferry.db');
    openStore(path).close();
    const raw = new Database(path);
    raw.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (7, 'from-the-future', '2030-01-01T00:00:00.000Z')").run();
    raw.close();
    const error = catchError(() => openStore(path));
    expect(error).toBeInstanceOf(FerryError);
    expect((error as FerryError).code).toBe('store-too-new');
    expect((error as FerryError).message).toContain(path);
    expect((error as FerryError).message).toMatch(new RegExp(`schema 7; this app knows up to ${MIGRATIONS.length}`));
    expect(rawRows(path, 'SELECT version FROM schema_migrations ORDER BY version')).toEqual([...MIGRATIONS.map((m) => ({ version: m.version })), { version: 7 }]);
    expect(((catchError(() => openStore(path, { readonly: true })) as FerryError).code)).toBe('store-too-new');
  });

  it('refuses migration lists with gaps (a programming error caught at open)', () => {
    const gap: Migration = { version: 3, name: 'gap', up() {} };
    expect(() => openStore(join(tempDir(), 'ferry.db'), { migrations: [INITIAL, gap] })).toThrow(/without gaps; position 2 holds version 3/);
  });

  it('opens read-only without migrating: reads work, writes are refused, a missing file is not-found', () => {
    const dir = tempDir();
    const path = join(dir, 'ferry.db');
    const writer = openStore(path);
    writer.upsertBatch({ project: 'p', region: 'emea', batch: 'b1', status: 'ready' });
    writer.close();
    const reader = openStore(path, { readonly: true });
    expect(reader.getBatch('p/emea/b1')?.status).toBe('ready');
    expect(() => reader.setBatchStatus('p/emea/b1', 'annotating')).toThrow(/readonly/);
    reader.close();
    const missing = catchError(() => openStore(join(dir, 'absent.db'), { readonly: true }));
    expect((missing as FerryError).code).toBe('not-found');
    expect((missing as FerryError).message).toContain('absent.db');
  });
});
