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

// An advisory lease between processes sharing this file (e.g. "who tops up the ready batches"): taken when free,
// expired or already ours. Not a correctness lock: everything it guards is safe without it, just wasteful.
export function takeLease(db: Database, name: string, owner: string, ttlMs: number, now: Date): boolean {
  const key = `lease:${name}`;
  const write = db.transaction(() => {
    const raw = getValue(db, key);
    const held = raw === undefined ? undefined : (JSON.parse(raw) as { owner: string; until: string });
    if (held && held.owner !== owner && new Date(held.until).getTime() > now.getTime()) return false;
    setValue(db, key, JSON.stringify({ owner, until: new Date(now.getTime() + ttlMs).toISOString() }));
    return true;
  });
  return write.immediate();
}

export function releaseLease(db: Database, name: string, owner: string): void {
  const key = `lease:${name}`;
  db.transaction(() => {
    const raw = getValue(db, key);
    if (raw !== undefined && (JSON.parse(raw) as { owner: string }).owner === owner) deleteValue(db, key);
  }).immediate();
}
