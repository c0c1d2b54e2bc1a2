// What the app knows of each batch's claim in S3, and the sync flags next to it (migration 2).
import type { Database } from 'better-sqlite3';
import { isoTime, updatedBatch, type Batch } from './batches.ts';

export type HeldClaim = { readonly claim: unknown; readonly etag: string; readonly leaseUntil: string; readonly checkedAt: Date };
export type LostClaim = { readonly holder: string | null; readonly note: string; readonly checkedAt: Date };

// S3 confirmed the claim names us (created, renewed, or found as we left it).
export function recordHeldClaim(db: Database, id: string, held: HeldClaim, now: Date): Batch {
  const result = db
    .prepare(
      `UPDATE batches SET claim_json = ?, claim_etag = ?, lease_until = ?, claim_state = 'held', claim_holder = NULL, claim_note = NULL,
              claim_checked_at = ?, updated_at = ? WHERE id = ?`,
    )
    .run(JSON.stringify(held.claim), held.etag, isoTime(held.leaseUntil), held.checkedAt.toISOString(), now.toISOString(), id);
  return updatedBatch(db, id, result.changes);
}

// The claim now names someone else, is newer than ours, or is gone. The note is shown to the annotator as is.
export function recordLostClaim(db: Database, id: string, lost: LostClaim, now: Date): Batch {
  const result = db
    .prepare("UPDATE batches SET claim_state = 'lost', claim_holder = ?, claim_note = ?, claim_checked_at = ?, updated_at = ? WHERE id = ?")
    .run(lost.holder, lost.note, lost.checkedAt.toISOString(), now.toISOString(), id);
  return updatedBatch(db, id, result.changes);
}

// After a rebuild nobody knows whose the claim is until S3 is asked.
export function markClaimUnknown(db: Database, id: string, now: Date): Batch {
  const result = db.prepare("UPDATE batches SET claim_state = 'unknown', updated_at = ? WHERE id = ?").run(now.toISOString(), id);
  return updatedBatch(db, id, result.changes);
}

// Submit was pressed; kept until the marker is queued (it may have to wait for a claim check or a reconcile).
export function requestSubmit(db: Database, id: string, now: Date): Batch {
  const stamp = now.toISOString();
  const result = db.prepare('UPDATE batches SET submit_requested_at = coalesce(submit_requested_at, ?), updated_at = ? WHERE id = ?').run(stamp, stamp, id);
  return updatedBatch(db, id, result.changes);
}

export function clearSubmitRequest(db: Database, id: string, now: Date): Batch {
  const result = db.prepare('UPDATE batches SET submit_requested_at = NULL, updated_at = ? WHERE id = ?').run(now.toISOString(), id);
  return updatedBatch(db, id, result.changes);
}

export function setNeedsReconcile(db: Database, id: string, needed: boolean, now: Date): Batch {
  const result = db.prepare('UPDATE batches SET needs_reconcile = ?, updated_at = ? WHERE id = ?').run(needed ? 1 : 0, now.toISOString(), id);
  return updatedBatch(db, id, result.changes);
}
