// The local SQLite store: opens the file in WAL mode, migrates it, and is the only code that speaks SQL.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import DatabaseConstructor, { type Database } from 'better-sqlite3';
import { FerryError } from '../../shared/result.ts';
import * as answers from './answers.ts';
import * as batches from './batches.ts';
import * as claims from './claims.ts';
import * as kv from './kv.ts';
import { appliedMigrations, migrate, schemaVersion, tooNewError, type AppliedMigration } from './migrate.ts';
import { MIGRATIONS, type Migration } from './migrations/index.ts';
import { explainDefaultBindingFailure, loadSqliteAddon, resolveSqliteBinding } from './native-binding.ts';
import * as outbox from './outbox.ts';
import { bindLeadIndex, type LeadIndexStore } from './lead-index.ts';
import { sealChunk, type SealInput, type SealOutcome } from './seal.ts';

export type { AppliedMigration } from './migrate.ts';
export type { AdoptedRevision, AnswerCounts, AnswerInput, AnswerValue, PublishedAnswer, RecordAnswersResult, SealableAnswer, SealableStretch, StoredAnswer, StretchAnswer } from './answers.ts';
export type { Batch, BatchFilter, BatchInput, BatchStatus, ClaimState } from './batches.ts';
export type { HeldClaim, LostClaim } from './claims.ts';
export type { SealInput, SealJob, SealOutcome } from './seal.ts';
export type { JobFilter, JobInput, JobPayload, JobState, OutboxCounts, OutboxJob } from './outbox.ts';
export { BATCH_STATUSES, CLAIM_STATES, batchId } from './batches.ts';
export { ANSWER_VALUES } from './answers.ts';
export { JOB_STATES } from './outbox.ts';

export const BUSY_TIMEOUT_MS = 5000;

export type OpenStoreOptions = {
  // Read-only: no migrations, no checkpoint; the file must exist and be at this app's schema version.
  readonly readonly?: boolean;
  // Path of a better_sqlite3.node built for this runtime (the Electron shell passes its Electron-ABI build).
  readonly nativeBinding?: string;
  // Injected clock for timestamps and outbox scheduling (tests).
  readonly now?: () => Date;
  // Migrations to apply (tests); defaults to the app's list.
  readonly migrations?: readonly Migration[];
};

export type ConnectionSettings = { readonly journalMode: string; readonly synchronous: string; readonly foreignKeys: boolean; readonly busyTimeoutMs: number };

const SYNCHRONOUS_NAMES = ['OFF', 'NORMAL', 'FULL', 'EXTRA'];

export interface Store {
  readonly path: string;
  readonly readonly: boolean;
  // Versions this open applied (empty when the file was already current, or another process migrated it).
  readonly migratedAtOpen: readonly number[];
  schemaVersion(): number;
  appliedMigrations(): AppliedMigration[];
  // What the connection actually runs with (for `ferry doctor` and tests).
  connectionSettings(): ConnectionSettings;

  upsertBatch(input: batches.BatchInput): batches.Batch;
  getBatch(id: string): batches.Batch | undefined;
  listBatches(filter?: batches.BatchFilter): batches.Batch[];
  setBatchStatus(id: string, status: batches.BatchStatus, error?: string | null): batches.Batch;
  recordHeldClaim(id: string, held: claims.HeldClaim): batches.Batch;
  recordLostClaim(id: string, lost: claims.LostClaim): batches.Batch;
  markClaimUnknown(id: string): batches.Batch;
  requestSubmit(id: string): batches.Batch;
  clearSubmitRequest(id: string): batches.Batch;
  setNeedsReconcile(id: string, needed: boolean): batches.Batch;

  recordAnswers(batchId: string, annotator: string, list: readonly answers.AnswerInput[]): answers.RecordAnswersResult;
  countAnswers(batchId: string): answers.AnswerCounts;
  listAnswers(batchId: string, annotator?: string): answers.StoredAnswer[];
  listUnpublishedAnswers(batchId: string, annotator: string, limit?: number): answers.StoredAnswer[];
  // The same answers, as sealing needs them (the stored JSON, not parsed).
  listSealableAnswers(batchId: string, annotator: string, limit?: number): answers.SealableAnswer[];
  // The next chunk's answers, and its bytes built in SQLite when every answer allows it (see answers.ts).
  readSealableStretch(batchId: string, annotator: string, limit: number, ferryOpen: string): answers.SealableStretch;
  // Queues a chunk upload and moves the seal mark past its answers, atomically, if they are still the next ones unsealed.
  sealChunk(input: SealInput): SealOutcome;
  unpublishedSince(batchId: string, annotator: string): string | null;
  countUnsealed(batchId: string, annotator: string): number;
  answersWaiting(annotator: string): Map<string, number>;
  adoptRevisions(batchId: string, annotator: string, adopted: readonly answers.AdoptedRevision[]): number;

  enqueueJob(input: outbox.JobInput): { readonly job: outbox.OutboxJob; readonly created: boolean };
  importDoneJob(input: outbox.JobInput): { readonly job: outbox.OutboxJob; readonly created: boolean };
  nextSeq(batchId: string, kind: string): number;
  getJob(id: number): outbox.OutboxJob | undefined;
  listJobs(filter?: outbox.JobFilter): outbox.OutboxJob[];
  startNextJob(): outbox.OutboxJob | undefined;
  completeJob(id: number): outbox.OutboxJob;
  retryJob(id: number, error: string, nextAttemptAt: Date): outbox.OutboxJob;
  failJob(id: number, error: string, state: 'failed' | 'needs-attention'): outbox.OutboxJob;
  requeueJob(id: number): outbox.OutboxJob;
  // Makes every queued job due now (an explicit sync); returns how many were waiting.
  expediteQueuedJobs(): number;
  outboxCounts(): outbox.OutboxCounts;
  resetActiveJobs(): number;

  getValue(key: string): string | undefined;
  setValue(key: string, value: string): void;
  deleteValue(key: string): boolean;
  takeLease(name: string, owner: string, ttlMs: number): boolean;
  releaseLease(name: string, owner: string): void;

  // The team lead's incremental index of S3 (progress, ledger, pool cursors).
  readonly lead: LeadIndexStore;

  quickCheck(): 'ok' | string;
  close(): void;
}

function sqliteCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function openError(error: unknown, dbPath: string): unknown {
  if (error instanceof FerryError) return error;
  const abi = explainDefaultBindingFailure(error);
  if (abi !== undefined) return abi;
  const message = error instanceof Error ? error.message : String(error);
  const code = sqliteCode(error);
  if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB') {
    return new FerryError('store-corrupt', `The local database ${dbPath} is damaged (${message}). Quit Ferry, move the file aside, and start again; unsent work can be recovered from it with sqlite3 ".recover".`, code);
  }
  if (code === 'SQLITE_CANTOPEN') return new FerryError('not-found', `Cannot open the local database ${dbPath}: ${message}. Check that the folder exists and is writable.`, code);
  return error;
}

function configure(db: Database, dbPath: string, readonly: boolean): void {
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  if (!readonly) {
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') throw new FerryError('internal', `The local database ${dbPath} cannot use write-ahead logging (SQLite chose "${String(mode)}"). Put dataDir on a local disk, not a network share.`);
  }
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
}

function assertReadableVersion(db: Database, dbPath: string, known: number): void {
  const found = schemaVersion(db);
  if (found > known) throw tooNewError(dbPath, found, known);
  if (found < known) {
    throw new FerryError('store-too-new', `The local database ${dbPath} is at schema ${found} but this app needs ${known}; open it once read-write (start Ferry normally) to upgrade it.`);
  }
}

function runQuickCheck(db: Database): 'ok' | string {
  try {
    const rows = db.pragma('quick_check(20)') as { quick_check: string }[];
    const messages = rows.map((r) => r.quick_check);
    return messages.length === 1 && messages[0] === 'ok' ? 'ok' : messages.join('\n');
  } catch (error) {
    return error instanceof Error ? `${sqliteCode(error) ?? 'error'}: ${error.message}` : String(error);
  }
}

export function openStore(dbPath: string, options: OpenStoreOptions = {}): Store {
  const readonly = options.readonly === true;
  const now = options.now ?? (() => new Date());
  const migrations = options.migrations ?? MIGRATIONS;
  const bindingPath = resolveSqliteBinding(options.nativeBinding);
  const binding = bindingPath === undefined ? {} : { nativeBinding: loadSqliteAddon(bindingPath).addon as unknown as string };
  if (!readonly) mkdirSync(dirname(dbPath), { recursive: true });
  let db: Database | undefined;
  let migrated: number[] = [];
  try {
    // better-sqlite3 accepts the loaded addon object too; its typings only mention a path.
    db = new DatabaseConstructor(dbPath, { readonly, fileMustExist: readonly, timeout: BUSY_TIMEOUT_MS, ...binding });
    configure(db, dbPath, readonly);
    if (readonly) assertReadableVersion(db, dbPath, migrations.length);
    else migrated = migrate(db, dbPath, migrations, now);
  } catch (error) {
    db?.close();
    throw openError(error, dbPath);
  }
  return bindStore(db, dbPath, readonly, migrated, now);
}

function bindStore(db: Database, dbPath: string, readonly: boolean, migratedAtOpen: readonly number[], now: () => Date): Store {
  return {
    path: dbPath,
    readonly,
    migratedAtOpen,
    schemaVersion: () => schemaVersion(db),
    appliedMigrations: () => appliedMigrations(db),
    connectionSettings: () => ({
      journalMode: String(db.pragma('journal_mode', { simple: true })),
      synchronous: SYNCHRONOUS_NAMES[Number(db.pragma('synchronous', { simple: true }))] ?? 'unknown',
      foreignKeys: db.pragma('foreign_keys', { simple: true }) === 1,
      busyTimeoutMs: Number(db.pragma('busy_timeout', { simple: true })),
    }),

    upsertBatch: (input) => batches.upsertBatch(db, input, now()),
    getBatch: (id) => batches.getBatch(db, id),
    listBatches: (filter) => batches.listBatches(db, filter),
    setBatchStatus: (id, status, error = null) => batches.setBatchStatus(db, id, status, error, now()),
    recordHeldClaim: (id, held) => claims.recordHeldClaim(db, id, held, now()),
    recordLostClaim: (id, lost) => claims.recordLostClaim(db, id, lost, now()),
    markClaimUnknown: (id) => claims.markClaimUnknown(db, id, now()),
    requestSubmit: (id) => claims.requestSubmit(db, id, now()),
    clearSubmitRequest: (id) => claims.clearSubmitRequest(db, id, now()),
    setNeedsReconcile: (id, needed) => claims.setNeedsReconcile(db, id, needed, now()),

    recordAnswers: (batchId, annotator, list) => answers.recordAnswers(db, batchId, annotator, list, now()),
    countAnswers: (batchId) => answers.countAnswers(db, batchId),
    listAnswers: (batchId, annotator) => answers.listAnswers(db, batchId, annotator),
    listUnpublishedAnswers: (batchId, annotator, limit) => answers.listUnpublishedAnswers(db, batchId, annotator, limit),
    listSealableAnswers: (batchId, annotator, limit) => answers.listSealableAnswers(db, batchId, annotator, limit),
    readSealableStretch: (batchId, annotator, limit, ferryOpen) => answers.readSealableStretch(db, batchId, annotator, limit, ferryOpen),
    sealChunk: (input) => sealChunk(db, input, now()),
    unpublishedSince: (batchId, annotator) => answers.unpublishedSince(db, batchId, annotator),
    countUnsealed: (batchId, annotator) => answers.countUnsealed(db, batchId, annotator),
    answersWaiting: (annotator) => answers.answersWaiting(db, annotator),
    adoptRevisions: (batchId, annotator, adopted) => answers.adoptRevisions(db, batchId, annotator, adopted),

    enqueueJob: (input) => outbox.enqueueJob(db, input, now()),
    importDoneJob: (input) => outbox.importDoneJob(db, input, now()),
    nextSeq: (batchId, kind) => outbox.nextSeq(db, batchId, kind),
    getJob: (id) => outbox.getJob(db, id),
    listJobs: (filter) => outbox.listJobs(db, filter),
    startNextJob: () => outbox.startNextJob(db, now()),
    completeJob: (id) => outbox.completeJob(db, id, now()),
    retryJob: (id, error, nextAttemptAt) => outbox.retryJob(db, id, error, nextAttemptAt, now()),
    failJob: (id, error, state) => outbox.failJob(db, id, error, state, now()),
    requeueJob: (id) => outbox.requeueJob(db, id, now()),
    expediteQueuedJobs: () => outbox.expediteQueuedJobs(db, now()),
    outboxCounts: () => outbox.outboxCounts(db),
    resetActiveJobs: () => outbox.resetActiveJobs(db, now()),

    getValue: (key) => kv.getValue(db, key),
    setValue: (key, value) => kv.setValue(db, key, value),
    deleteValue: (key) => kv.deleteValue(db, key),
    takeLease: (name, owner, ttlMs) => kv.takeLease(db, name, owner, ttlMs, now()),
    releaseLease: (name, owner) => kv.releaseLease(db, name, owner),

    lead: bindLeadIndex(db),

    quickCheck: () => runQuickCheck(db),
    close() {
      if (!db.open) return;
      try {
        // Folds the WAL back into the main file so a clean close leaves one self-contained file.
        if (!readonly) db.pragma('wal_checkpoint(TRUNCATE)');
      } catch (error) {
        // On a full disk the fold can wait: the WAL stays beside the file and the next open reads it (nothing is lost).
        if (sqliteCode(error) !== 'SQLITE_FULL') throw error;
      } finally {
        db.close(); // even when the checkpoint fails (a damaged file is being set aside)
      }
    },
  };
}
