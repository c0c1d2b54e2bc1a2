// Applies numbered migrations once each, inside a transaction, and refuses databases from a newer Ferry.
import type { Database } from 'better-sqlite3';
import { FerryError } from '../../shared/result.ts';
import type { Migration } from './migrations/index.ts';

export type AppliedMigration = { readonly version: number; readonly name: string; readonly appliedAt: string };

function assertOrdered(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`Store migrations must be numbered 1, 2, 3, ... without gaps; position ${i + 1} holds version ${m.version} (${m.name}).`);
  });
}

function hasMigrationsTable(db: Database): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get() !== undefined;
}

export function schemaVersion(db: Database): number {
  if (!hasMigrationsTable(db)) return 0;
  const row = db.prepare('SELECT max(version) AS v FROM schema_migrations').get() as { v: number | null };
  return row.v ?? 0;
}

export function appliedMigrations(db: Database): AppliedMigration[] {
  if (!hasMigrationsTable(db)) return [];
  return db.prepare('SELECT version, name, applied_at AS appliedAt FROM schema_migrations ORDER BY version').all() as AppliedMigration[];
}

export function tooNewError(dbPath: string, found: number, known: number): FerryError {
  return new FerryError(
    'store-too-new',
    `The local database ${dbPath} was written by a newer version of Ferry (schema ${found}; this app knows up to ${known}). Update Ferry, or point dataDir at another folder.`,
    `schema_migrations max(version)=${found} > ${known}`,
  );
}

// Returns the versions it applied. Safe when two processes open the same file at once: the check and the
// migration happen under one IMMEDIATE transaction, so the second process sees the first one's work.
export function migrate(db: Database, dbPath: string, migrations: readonly Migration[], now: () => Date): number[] {
  assertOrdered(migrations);
  const known = migrations.length;
  const applied: number[] = [];
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT');
  for (const migration of migrations) {
    const ran = db
      .transaction(() => {
        const current = schemaVersion(db);
        if (current > known) throw tooNewError(dbPath, current, known);
        if (current >= migration.version) return false;
        migration.up(db);
        db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(migration.version, migration.name, now().toISOString());
        db.pragma(`user_version = ${migration.version}`);
        return true;
      })
      .immediate();
    if (ran) applied.push(migration.version);
  }
  const final = schemaVersion(db);
  if (final > known) throw tooNewError(dbPath, final, known);
  return applied;
}
