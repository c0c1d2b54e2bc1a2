// Opening ferry.db at workspace start with a PRAGMA quick_check: a damaged or unopenable file is set aside (renamed
// ferry.db.corrupt-<time>, its -wal and -shm with it, never deleted, so `sqlite3 .recover` can still read it) and a
// fresh one takes its place, to be rebuilt from the batch folders and S3 (rebuild-local.ts, sync/reconcile.ts).
import { existsSync, renameSync } from 'node:fs';
import { FerryError } from '../../shared/result.ts';
import { openStore, type OpenStoreOptions, type Store } from '../store/store.ts';

export type StoreRecovery = {
  readonly reason: 'damaged' | 'missing';
  readonly problem: string; // what SQLite said (damaged) or that the file was not there (missing)
  readonly setAside: readonly string[]; // the files renamed, with their new names
  readonly at: string;
};

export type OpenedStore = { readonly store: Store; readonly recovery: StoreRecovery | null; readonly existed: boolean };

function stamp(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

// Renames the database and its WAL/SHM side files; returns the new names.
export function setAsideDatabase(dbPath: string, now: Date): string[] {
  const base = `${dbPath}.corrupt-${stamp(now)}`;
  const moved: string[] = [];
  for (const suffix of ['', '-wal', '-shm']) {
    if (!existsSync(`${dbPath}${suffix}`)) continue;
    try {
      renameSync(`${dbPath}${suffix}`, `${base}${suffix}`);
      moved.push(`${base}${suffix}`);
    } catch (error) {
      // Another Ferry process set it aside first: nothing left to move.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return moved;
}

function closeQuietly(store: Store): void {
  try {
    store.close();
  } catch {
    // the file is damaged; it is set aside next, whatever close managed
  }
}

export function openStoreOrSetAside(dbPath: string, options: OpenStoreOptions = {}): OpenedStore {
  const now = options.now ?? (() => new Date());
  const existed = existsSync(dbPath);
  let problem: string;
  try {
    const store = openStore(dbPath, options);
    const check = store.quickCheck();
    if (check === 'ok') return { store, recovery: null, existed };
    problem = `PRAGMA quick_check found: ${check.split('\n').slice(0, 3).join('; ')}`;
    closeQuietly(store);
  } catch (error) {
    if (!(error instanceof FerryError && error.code === 'store-corrupt')) throw error;
    problem = error.detail ? `${error.detail}: the file is not a readable SQLite database` : error.message;
  }
  const setAside = setAsideDatabase(dbPath, now());
  const store = openStore(dbPath, options);
  return { store, recovery: { reason: 'damaged', problem, setAside, at: now().toISOString() }, existed };
}
