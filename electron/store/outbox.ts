// The outbox: S3 writes that must survive crashes and offline weeks; done only after S3 confirmed the checksum.
import type { Database } from 'better-sqlite3';
import { FerryError } from '../../shared/result.ts';

export const JOB_STATES = ['queued', 'active', 'done', 'failed', 'needs-attention'] as const;
export type JobState = (typeof JOB_STATES)[number];

export type JobPayload = { readonly path: string } | { readonly json: unknown };

export type JobInput = {
  readonly kind: string;
  readonly targetKey: string;
  readonly batchId?: string | null;
  readonly sha256: string;
  readonly payload: JobPayload;
  // A result chunk's sequence number (the SEQ in its key); nextSeq() reads the highest one back.
  readonly seq?: number;
  // How many answers a result chunk holds (for "answers waiting"), and its size: the marker lists both.
  readonly answers?: number;
  readonly bytes?: number;
};

export type OutboxJob = {
  readonly id: number;
  readonly kind: string;
  readonly batchId: string | null;
  readonly targetKey: string;
  readonly payload: JobPayload;
  readonly sha256: string;
  readonly state: JobState;
  readonly attempts: number;
  readonly nextAttemptAt: string;
  readonly lastError: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  // Result chunks: answers held and size (null for chunks queued before schema 4, and for other kinds).
  readonly answers: number | null;
  readonly bytes: number | null;
};

export type JobFilter = { readonly state?: JobState | readonly JobState[]; readonly batchId?: string; readonly kind?: string; readonly limit?: number };
export type OutboxCounts = { readonly pending: number; readonly failed: number; readonly nextAttemptAt: string | null };

type JobRow = {
  id: number;
  kind: string;
  batch_id: string | null;
  target_key: string;
  payload_path: string | null;
  payload_json: string | null;
  sha256: string;
  state: JobState;
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  answers: number | null;
  bytes: number | null;
};

function toJob(row: JobRow): OutboxJob {
  return {
    id: row.id,
    kind: row.kind,
    batchId: row.batch_id,
    targetKey: row.target_key,
    payload: row.payload_path !== null ? { path: row.payload_path } : { json: JSON.parse(row.payload_json ?? 'null') as unknown },
    sha256: row.sha256,
    state: row.state,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    answers: row.answers,
    bytes: row.bytes,
  };
}

function getJobRow(db: Database, id: number): JobRow | undefined {
  return db.prepare('SELECT * FROM outbox WHERE id = ?').get(id) as JobRow | undefined;
}

export function getJob(db: Database, id: number): OutboxJob | undefined {
  const row = getJobRow(db, id);
  return row === undefined ? undefined : toJob(row);
}

// Idempotent: the same (kind, targetKey, sha256) returns the existing job untouched (created: false).
// The same key with other content is refused: S3 data objects are never overwritten.
export function enqueueJob(db: Database, input: JobInput, now: Date): { readonly job: OutboxJob; readonly created: boolean } {
  if (input.kind.length === 0 || input.targetKey.length === 0) throw new FerryError('malformed-input', 'An outbox job needs a kind and a target key.');
  if (!/^[0-9a-f]{64}$/.test(input.sha256)) throw new FerryError('malformed-input', `Outbox job ${input.targetKey}: sha256 must be 64 lower-case hex digits, got "${input.sha256}".`);
  const payloadPath = 'path' in input.payload ? input.payload.path : null;
  const payloadJson = 'json' in input.payload ? JSON.stringify(input.payload.json) : null;
  if (payloadPath === null && payloadJson === undefined) throw new FerryError('malformed-input', `Outbox job ${input.targetKey}: the JSON payload is not serialisable.`);
  const write = db.transaction(() => {
    const existing = db.prepare('SELECT * FROM outbox WHERE kind = ? AND target_key = ?').get(input.kind, input.targetKey) as JobRow | undefined;
    if (existing !== undefined) {
      if (existing.sha256 !== input.sha256) {
        throw new FerryError('conflict', `The outbox already holds a different ${input.kind} for ${input.targetKey} (sha256 ${existing.sha256.slice(0, 12)}…, new ${input.sha256.slice(0, 12)}…).`);
      }
      return { job: toJob(existing), created: false };
    }
    const stamp = now.toISOString();
    const result = db
      .prepare(
        `INSERT INTO outbox (kind, batch_id, target_key, payload_path, payload_json, sha256, state, attempts, next_attempt_at, created_at, updated_at, seq, answers, bytes)
         VALUES (?, ?, ?, ?, ?, ?, 'queued', 0, ?, ?, ?, ?, ?, ?)`,
      )
      .run(input.kind, input.batchId ?? null, input.targetKey, payloadPath, payloadJson, input.sha256, stamp, stamp, stamp, input.seq ?? null, input.answers ?? null, input.bytes ?? null);
    return { job: toJob(getJobRow(db, Number(result.lastInsertRowid)) as JobRow), created: true };
  });
  return write.immediate();
}

export function listJobs(db: Database, filter: JobFilter = {}): OutboxJob[] {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.state !== undefined) {
    const states: readonly JobState[] = typeof filter.state === 'string' ? [filter.state] : filter.state;
    where.push(states.length > 0 ? `state IN (${states.map(() => '?').join(', ')})` : '0');
    params.push(...states);
  }
  if (filter.batchId !== undefined) {
    where.push('batch_id = ?');
    params.push(filter.batchId);
  }
  if (filter.kind !== undefined) {
    where.push('kind = ?');
    params.push(filter.kind);
  }
  const sql = `SELECT * FROM outbox ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id LIMIT ?`;
  return (db.prepare(sql).all(...params, filter.limit ?? -1) as JobRow[]).map(toJob);
}

// Takes the oldest runnable job and marks it active in one step, so two workers never take the same job.
export function startNextJob(db: Database, now: Date): OutboxJob | undefined {
  const stamp = now.toISOString();
  const row = db
    .prepare(
      `UPDATE outbox SET state = 'active', attempts = attempts + 1, updated_at = ?
        WHERE id = (SELECT id FROM outbox WHERE state = 'queued' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT 1)
        RETURNING *`,
    )
    .get(stamp, stamp) as JobRow | undefined;
  return row === undefined ? undefined : toJob(row);
}

function finishActive(db: Database, id: number, state: JobState, lastError: string | null, nextAttemptAt: string | null, now: Date): OutboxJob {
  const result = db
    .prepare("UPDATE outbox SET state = ?, last_error = ?, next_attempt_at = coalesce(?, next_attempt_at), updated_at = ? WHERE id = ? AND state = 'active'")
    .run(state, lastError, nextAttemptAt, now.toISOString(), id);
  const row = getJobRow(db, id);
  if (row === undefined) throw new FerryError('not-found', `There is no outbox job ${id}.`);
  if (result.changes === 0) throw new FerryError('conflict', `Outbox job ${id} (${row.target_key}) is ${row.state}, not active; it cannot become ${state}.`);
  return toJob(row);
}

// Call only after S3 confirmed the object's checksum.
export function completeJob(db: Database, id: number, now: Date): OutboxJob {
  return finishActive(db, id, 'done', null, null, now);
}

export function retryJob(db: Database, id: number, error: string, nextAttemptAt: Date, now: Date): OutboxJob {
  return finishActive(db, id, 'queued', error, nextAttemptAt.toISOString(), now);
}

export function failJob(db: Database, id: number, error: string, state: 'failed' | 'needs-attention', now: Date): OutboxJob {
  return finishActive(db, id, state, error, null, now);
}

// A person's "retry now" for failed or needs-attention jobs.
export function requeueJob(db: Database, id: number, now: Date): OutboxJob {
  const stamp = now.toISOString();
  const result = db.prepare("UPDATE outbox SET state = 'queued', next_attempt_at = ?, updated_at = ? WHERE id = ? AND state IN ('failed', 'needs-attention')").run(stamp, stamp, id);
  const row = getJobRow(db, id);
  if (row === undefined) throw new FerryError('not-found', `There is no outbox job ${id}.`);
  if (result.changes === 0) throw new FerryError('conflict', `Outbox job ${id} (${row.target_key}) is ${row.state}; only failed or needs-attention jobs can be retried.`);
  return toJob(row);
}

// A person's "sync now": queued jobs waiting out a back-off become due at once (failed ones still need requeueJob).
export function expediteQueuedJobs(db: Database, now: Date): number {
  const stamp = now.toISOString();
  return db.prepare("UPDATE outbox SET next_attempt_at = ?, updated_at = ? WHERE state = 'queued' AND next_attempt_at > ?").run(stamp, stamp, stamp).changes;
}

// pending = queued + active; failed = failed + needs-attention (both need a person or a retry).
export function outboxCounts(db: Database): OutboxCounts {
  const row = db
    .prepare(
      `SELECT coalesce(sum(state IN ('queued', 'active')), 0) AS pending,
              coalesce(sum(state IN ('failed', 'needs-attention')), 0) AS failed,
              min(CASE WHEN state = 'queued' THEN next_attempt_at END) AS nextAttemptAt
         FROM outbox WHERE state IN ('queued', 'active', 'failed', 'needs-attention')`,
    )
    .get() as OutboxCounts;
  return { ...row };
}

// Crash recovery at start: a job that was uploading when the app died runs again (uploads are idempotent).
export function resetActiveJobs(db: Database, now: Date): number {
  return db.prepare("UPDATE outbox SET state = 'queued', updated_at = ? WHERE state = 'active'").run(now.toISOString()).changes;
}

// The next sequence number for a batch's jobs of one kind: one above the highest ever queued or imported.
export function nextSeq(db: Database, batchId: string, kind: string): number {
  const row = db.prepare('SELECT max(seq) AS top, count(*) AS n FROM outbox WHERE batch_id = ? AND kind = ?').get(batchId, kind) as { top: number | null; n: number };
  return Math.max(row.top === null ? -1 : row.top, row.n - 1) + 1;
}

// Records an object S3 already holds (found while rebuilding) as a done job, so it is never queued again.
export function importDoneJob(db: Database, input: JobInput, now: Date): { readonly job: OutboxJob; readonly created: boolean } {
  const stamp = now.toISOString();
  const payloadPath = 'path' in input.payload ? input.payload.path : null;
  const payloadJson = 'json' in input.payload ? JSON.stringify(input.payload.json) : null;
  const write = db.transaction(() => {
    const result = db
      .prepare(
        `INSERT INTO outbox (kind, batch_id, target_key, payload_path, payload_json, sha256, state, attempts, next_attempt_at, created_at, updated_at, seq, answers, bytes)
         VALUES (?, ?, ?, ?, ?, ?, 'done', 0, ?, ?, ?, ?, ?, ?) ON CONFLICT (kind, target_key) DO NOTHING`,
      )
      .run(input.kind, input.batchId ?? null, input.targetKey, payloadPath, payloadJson, input.sha256, stamp, stamp, stamp, input.seq ?? null, input.answers ?? null, input.bytes ?? null);
    const row = db.prepare('SELECT * FROM outbox WHERE kind = ? AND target_key = ?').get(input.kind, input.targetKey) as JobRow;
    return { job: toJob(row), created: result.changes > 0 };
  });
  return write.immediate();
}
