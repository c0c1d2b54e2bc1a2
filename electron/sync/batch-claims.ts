// The sync service's side of claims: check a batch's claim in S3, renew it while the batch is open, and record
// what was found in the store (held with its new ETag and lease, or lost with a note in plain words).
import { ClaimSchema, type Claim } from '../../shared/batch.ts';
import { BatchManifestSchema } from '../../shared/batch.ts';
import { checkClaim, lostClaimNote, renewalDue, renewClaim, type ClaimCheck } from '../claims/lease.ts';
import type { Batch } from '../store/store.ts';
import type { Workspace } from '../workspace/workspace.ts';

export function storedClaim(batch: Batch): Claim | null {
  const parsed = ClaimSchema.safeParse(batch.claim);
  return parsed.success ? parsed.data : null;
}

function leaseDaysOf(batch: Batch): number {
  const parsed = BatchManifestSchema.safeParse(batch.manifest);
  return parsed.success ? parsed.data.leaseDays : 7;
}

// Records a check; `lostNow` is true only the first time the claim is found lost.
export function applyClaimCheck(ws: Workspace, batch: Batch, check: ClaimCheck, now: Date): { readonly batch: Batch; readonly lostNow: boolean } {
  if (check.state === 'held') {
    return { batch: ws.store.recordHeldClaim(batch.id, { claim: check.claim, etag: check.etag, leaseUntil: check.claim.leaseUntil, checkedAt: now }), lostNow: false };
  }
  if (batch.claimState === 'lost') return { batch, lostNow: false };
  const note = lostClaimNote(batch.batch, batch.leaseUntil, check, now);
  return { batch: ws.store.recordLostClaim(batch.id, { holder: check.holder, note, checkedAt: now }), lostNow: true };
}

export async function checkBatchClaim(ws: Workspace, batch: Batch, now: Date, signal?: AbortSignal): Promise<{ readonly batch: Batch; readonly lostNow: boolean }> {
  const check = await checkClaim(ws.target, batch, { annotator: ws.config.annotator, claim: storedClaim(batch), etag: batch.claimEtag }, signal);
  return applyClaimCheck(ws, batch, check, now);
}

// While a batch is open: renew by CAS when less than half the lease is left (or a day has passed since the last
// write). Returns null when no renewal was due. A batch whose claim is not known to be held is checked instead.
export async function renewBatchClaim(ws: Workspace, batch: Batch, now: Date, signal?: AbortSignal): Promise<{ readonly batch: Batch; readonly lostNow: boolean; readonly renewed: boolean } | null> {
  if (batch.claimState === 'lost') return null;
  const claim = storedClaim(batch);
  if (batch.claimState !== 'held' || claim === null || batch.claimEtag === null) return { ...(await checkBatchClaim(ws, batch, now, signal)), renewed: false };
  const leaseDays = leaseDaysOf(batch);
  if (!renewalDue(claim, leaseDays, now)) return null;
  const check = await renewClaim(ws.target, batch, { annotator: ws.config.annotator, claim, etag: batch.claimEtag }, leaseDays, now, signal);
  return { ...applyClaimCheck(ws, batch, check, now), renewed: check.state === 'held' && check.renewed };
}

// Once a late batch is in S3, the note is said in the past tense.
export function publishedLateNote(batch: Batch): string {
  const note = batch.claimNote ?? `Your claim on batch ${batch.batch} was lost; your answers are still published, marked late.`;
  return note.replace('your answers are still published, marked late.', 'your answers were still published and marked late.');
}
