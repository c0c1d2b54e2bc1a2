// Every schema migration, in order. Add a file NNNN-name.ts and list it here; never edit a shipped one.
import type { Database } from 'better-sqlite3';
import * as m0001 from './0001-initial.ts';

export type Migration = {
  readonly version: number;
  readonly name: string;
  up(db: Database): void;
};

export const MIGRATIONS: readonly Migration[] = [m0001];
