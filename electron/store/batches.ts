// The local record of each batch this app holds: lifecycle status, claim, manifest and sync times.
import type { Database } from 'better-sqlite3';
import { FerryError } from '../../shared/result.ts';

export const BATCH_STATUSES = ['claimed', 'pulling', 'ready', 'annotating', 'submitting', 'submitted', 'failed'] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];

export type Batch = {
  readonly id: string;
  readonly project: string;
  readonly region: string;
  readonly batch: string;
  readonly status: BatchStatus;
  readonly claimEtag: string | null;
  readonly leaseUntil: string | null;
  readonly manifest: unknown;
  readonly tasksTotal: number | null;
  readonly pulledAt: string | null;
  readonly lastSyncAt: string | null;
  readonly error: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  // What Ferry knows of the claim in S3 (migration 2); see claims.ts for how it changes.
  readonly claim: unknown;
  readonly claimState: ClaimState;
  readonly claimHolder: string | null;
  readonly claimNote: string | null;
  readonly claimCheckedAt: string | null;
  readonly submitRequestedAt: string | null;
  readonly needsReconcile: boolean;
};

export const CLAIM_STATES = ['held', 'lost', 'unknown'] as const;
export type ClaimState = (typeof CLAIM_STATES)[number];

// Fields left out keep their stored value on update (and are NULL on insert).
export type BatchInput = {
  readonly project: string;
  readonly region: string;
  readonly batch: string;
  readonly status: BatchStatus;
  readonly claimEtag?: string | null;
  readonly leaseUntil?: Date | string | null;
  readonly manifest?: unknown;
  readonly tasksTotal?: number | null;
  readonly pulledAt?: Date | string | null;
  readonly lastSyncAt?: Date | string | null;
  readonly error?: string | null;
};

export type BatchFilter = { readonly project?: string; readonly region?: string; readonly status?: BatchStatus | readonly BatchStatus[] };

type BatchRow = {
  id: string;
  project: string;
  region: string;
  batch: string;
  status: BatchStatus;
  claim_etag: string | null;
  lease_until: string | null;
  manifest_json: string | null;
  tasks_total: number | null;
  pulled_at: string | null;
  last_sync_at: string | null;
  error: string | null;
  created_at: string;
  updated_at: string;
};

type SyncColumns = {
  claim_json: string | null;
  claim_state: ClaimState;
  claim_holder: string | null;
  claim_note: string | null;
  claim_checked_at: string | null;
  submit_requested_at: string | null;
  needs_reconcile: number;
};

const PART = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

// The id is the S3 path triple, so each part must be one safe path segment.
export function batchId(project: string, region: string, batch: string): string {
  for (const [field, value] of [['project', project], ['region', region], ['batch', batch]] as const) {
    if (!PART.test(value)) {
      throw new FerryError('malformed-input', `Batch ${field} "${value}" is not a valid name: use letters, digits, ".", "_" or "-" (no "/" or spaces, at most 128 characters).`);
    }
  }
  return `${project}/${region}/${batch}`;
}

export function isoTime(value: Date | string | null | undefined): string | null | undefined {
  if (value === undefined || value === null) return value;
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) throw new FerryError('malformed-input', `"${String(value)}" is not a valid time (expected an ISO-8601 date such as 2025-01-31T12:00:00Z).`);
  return date.toISOString();
}

function toBatch(row: BatchRow & SyncColumns): Batch {
  return {
    id: row.id,
    project: row.project,
    region: row.region,
    batch: row.batch,
    status: row.status,
    claimEtag: row.claim_etag,
    leaseUntil: row.lease_until,
    manifest: row.manifest_json === null ? null : (JSON.parse(row.manifest_json) as unknown),
    tasksTotal: row.tasks_total,
    pulledAt: row.pulled_at,
    lastSyncAt: row.last_sync_at,
    error: row.error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    claim: row.claim_json === null ? null : (JSON.parse(row.claim_json) as unknown),
    claimState: row.claim_state,
    claimHolder: row.claim_holder,
    claimNote: row.claim_note,
    claimCheckedAt: row.claim_checked_at,
    submitRequestedAt: row.submit_requested_at,
    needsReconcile: row.needs_reconcile === 1,
  };
}

function assertStatus(status: string): asserts status is BatchStatus {
  if (!(BATCH_STATUSES as readonly string[]).includes(status)) {
    throw new FerryError('malformed-input', `Batch status "${status}" is not one of ${BATCH_STATUSES.join(', ')}.`);
  }
}

export function getBatch(db: Database, id: string): Batch | undefined {
  const row = db.prepare('SELECT * FROM batches WHERE id = ?').get(id) as (BatchRow & SyncColumns) | undefined;
  return row === undefined ? undefined : toBatch(row);
}

export function upsertBatch(db: Database, input: BatchInput, now: Date): Batch {
  const id = batchId(input.project, input.region, input.batch);
  assertStatus(input.status);
  if (input.tasksTotal != null && !(Number.isSafeInteger(input.tasksTotal) && input.tasksTotal >= 0)) {
    throw new FerryError('malformed-input', `Batch ${id}: tasksTotal must be a whole number ≥ 0, got ${input.tasksTotal}.`);
  }
  const write = db.transaction(() => {
    const old = db.prepare('SELECT * FROM batches WHERE id = ?').get(id) as BatchRow | undefined;
    const pick = <T>(given: T | undefined, stored: T | null | undefined): T | null => (given !== undefined ? given : (stored ?? null));
    const row: BatchRow = {
      id,
      project: input.project,
      region: input.region,
      batch: input.batch,
      status: input.status,
      claim_etag: pick(input.claimEtag, old?.claim_etag),
      lease_until: pick(isoTime(input.leaseUntil), old?.lease_until),
      manifest_json: input.manifest !== undefined ? (input.manifest === null ? null : JSON.stringify(input.manifest)) : (old?.manifest_json ?? null),
      tasks_total: pick(input.tasksTotal, old?.tasks_total),
      pulled_at: pick(isoTime(input.pulledAt), old?.pulled_at),
      last_sync_at: pick(isoTime(input.lastSyncAt), old?.last_sync_at),
      error: pick(input.error, old?.error),
      created_at: old?.created_at ?? now.toISOString(),
      updated_at: now.toISOString(),
    };
    db.prepare(
      `INSERT INTO batches (id, project, region, batch, status, claim_etag, lease_until, manifest_json, tasks_total, pulled_at, last_sync_at, error, created_at, updated_at)
       VALUES (@id, @project, @region, @batch, @status, @claim_etag, @lease_until, @manifest_json, @tasks_total, @pulled_at, @last_sync_at, @error, @created_at, @updated_at)
       ON CONFLICT (id) DO UPDATE SET status = excluded.status, claim_etag = excluded.claim_etag, lease_until = excluded.lease_until,
         manifest_json = excluded.manifest_json, tasks_total = excluded.tasks_total, pulled_at = excluded.pulled_at,
         last_sync_at = excluded.last_sync_at, error = excluded.error, updated_at = excluded.updated_at`,
    ).run(row);
    return getBatch(db, id) as Batch;
  });
  return write.immediate();
}

export function listBatches(db: Database, filter: BatchFilter = {}): Batch[] {
  const where: string[] = [];
  const params: Record<string, string> = {};
  if (filter.project !== undefined) {
    where.push('project = @project');
    params.project = filter.project;
  }
  if (filter.region !== undefined) {
    where.push('region = @region');
    params.region = filter.region;
  }
  if (filter.status !== undefined) {
    const statuses: readonly BatchStatus[] = typeof filter.status === 'string' ? [filter.status] : filter.status;
    const names = statuses.map((status, i) => {
      assertStatus(status);
      params[`s${i}`] = status;
      return `@s${i}`;
    });
    where.push(names.length > 0 ? `status IN (${names.join(', ')})` : '0');
  }
  const sql = `SELECT * FROM batches ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id`;
  return (db.prepare(sql).all(params) as (BatchRow & SyncColumns)[]).map(toBatch);
}

// `error` is stored with the new status and cleared when it is not given.
export function setBatchStatus(db: Database, id: string, status: BatchStatus, error: string | null, now: Date): Batch {
  assertStatus(status);
  const result = db.prepare('UPDATE batches SET status = ?, error = ?, updated_at = ? WHERE id = ?').run(status, error, now.toISOString(), id);
  return updatedBatch(db, id, result.changes);
}

// The batch after an UPDATE of its row; no row changed means there is no such batch.
export function updatedBatch(db: Database, id: string, changes: number): Batch {
  if (changes === 0) throw new FerryError('not-found', `There is no local batch "${id}" (claim it first).`);
  return getBatch(db, id) as Batch;
}
