// Small app-local values (cursors, last-seen markers); structured values are stored as JSON text.
import type { Database } from 'better-sqlite3';

export function getValue(db: Database, key: string): string | undefined {
  const row = db.prepare('SELECT value FROM kv WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value;
}

export function setValue(db: Database, key: string, value: string): void {
  db.prepare('INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
}

export function deleteValue(db: Database, key: string): boolean {
  return db.prepare('DELETE FROM kv WHERE key = ?').run(key).changes > 0;
}
