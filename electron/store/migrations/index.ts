// Every schema migration, in order. Add a file NNNN-name.ts and list it here; never edit a shipped one.
import type { Database } from 'better-sqlite3';
import * as m0001 from './0001-initial.ts';
import * as m0002 from './0002-sync.ts';
import * as m0003 from './0003-lead-index.ts';
import * as m0004 from './0004-seal-log.ts';

export type Migration = {
  readonly version: number;
  readonly name: string;
  up(db: Database): void;
};

export const MIGRATIONS: readonly Migration[] = [m0001, m0002, m0003, m0004];
