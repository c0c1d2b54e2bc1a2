// quick_check on a good file and on a damaged copy; a file that is not a database at all is named as damaged.
import { copyFileSync, openSync, writeSync, closeSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../../electron/store/store.ts';
import { FerryError } from '../../../shared/result.ts';
import { useTempDir } from './temp-dir.ts';

const tempDir = useTempDir();

function filledStore(path: string): void {
  const store = openStore(path);
  store.upsertBatch({ project: 'p', region: 'emea', batch: 'b1', status: 'annotating' });
  const answers = Array.from({ length: 2000 }, (_, i) => ({ taskHash: i, inputHash: i, answer: 'accept' as const, content: { text: `sentence ${i} `.repeat(20) } }));
  store.recordAnswers('p/emea/b1', 'ana', answers);
  store.close();
}

// Leaf pages of the answers table: damaging them leaves the schema readable, so the store opens and quick_check must find it.
function answerLeafPages(path: string): { pages: number[]; pageSize: number } {
  const db = new Database(path, { readonly: true });
  try {
    const pages = (db.prepare("SELECT pageno FROM dbstat WHERE name = 'answers' AND pagetype = 'leaf' ORDER BY pageno").all() as { pageno: number }[]).map((r) => r.pageno);
    return { pages, pageSize: Number(db.pragma('page_size', { simple: true })) };
  } finally {
    db.close();
  }
}

function overwritePages(path: string, pages: readonly number[], pageSize: number): void {
  const fd = openSync(path, 'r+');
  try {
    for (const page of pages) writeSync(fd, randomBytes(pageSize), 0, pageSize, (page - 1) * pageSize);
  } finally {
    closeSync(fd);
  }
}

describe('quickCheck', () => {
  it('says ok for a healthy file', () => {
    const path = join(tempDir(), 'ferry.db');
    filledStore(path);
    const store = openStore(path);
    expect(store.quickCheck()).toBe('ok');
    store.close();
  });

  it('reports the damage in a copy whose data pages were overwritten with garbage', () => {
    const dir = tempDir();
    const path = join(dir, 'ferry.db');
    filledStore(path);
    const { pages, pageSize } = answerLeafPages(path);
    expect(pages.length).toBeGreaterThan(20);
    const copy = join(dir, 'damaged.db');
    copyFileSync(path, copy);
    overwritePages(copy, pages.slice(5, 12), pageSize);

    const damaged = openStore(copy);
    const report = damaged.quickCheck();
    expect(report).not.toBe('ok');
    expect(report).toMatch(/page|corrupt|malformed|btree/i);
    damaged.close();
    const healthy = openStore(path);
    expect(healthy.quickCheck()).toBe('ok');
    healthy.close();
  });

  it('refuses to open a file that is not a SQLite database, as store-corrupt naming the file', () => {
    const path = join(tempDir(), 'ferry.db');
    writeFileSync(path, randomBytes(8192));
    let caught: unknown;
    try {
      openStore(path);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(FerryError);
    expect((caught as FerryError).code).toBe('store-corrupt');
    expect((caught as FerryError).message).toContain(path);
  });
});
