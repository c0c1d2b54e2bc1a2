// Publishing one batch continuously: when its unsealed answers are due for a chunk (every N answers or T seconds,
// whichever first), whether they may be sealed now and with which late flag, and the submission marker once Submit
// was pressed. See docs/sync.md for the defaults and why.
import { BatchManifestSchema } from '../../shared/batch.ts';
import { sealChunks, MAX_CHUNK_ANSWERS, type SealedChunk } from '../publish/seal-chunks.ts';
import { queueSubmission } from '../publish/submission.ts';
import type { Batch } from '../store/store.ts';
import type { Workspace } from '../workspace/workspace.ts';

export type PublishPolicy = {
  readonly everyAnswers: number; // seal once this many answers wait…
  readonly everyMs: number; // …or once the oldest has waited this long
  readonly maxChunkAnswers: number; // and never more than this many in one chunk (one PUT)
};

export const DEFAULT_PUBLISH_POLICY: PublishPolicy = { everyAnswers: 200, everyMs: 120_000, maxChunkAnswers: MAX_CHUNK_ANSWERS };

// May this batch's answers be sealed now, and marked late? Chunks are immutable, so the late flag must be right when
// they are sealed: a rebuilt batch waits for the comparison with S3, an unknown claim or an ended lease for a check.
export type SealGate = { readonly ok: true; readonly late: boolean } | { readonly ok: false; readonly why: 'reconcile' | 'claim-unknown' | 'lease-ended' };

export function sealGate(batch: Batch, now: Date): SealGate {
  if (batch.needsReconcile) return { ok: false, why: 'reconcile' };
  if (batch.claimState === 'lost') return { ok: true, late: true };
  if (batch.claimState === 'unknown' || batch.leaseUntil === null) return { ok: false, why: 'claim-unknown' };
  const leaseEnd = new Date(batch.leaseUntil).getTime();
  if (leaseEnd > now.getTime()) return { ok: true, late: false };
  // The lease ended, but S3 said after that moment that the claim is still ours: nobody took the batch.
  if (batch.claimCheckedAt !== null && new Date(batch.claimCheckedAt).getTime() >= leaseEnd) return { ok: true, late: false };
  return { ok: false, why: 'lease-ended' };
}

// When the batch's waiting answers should become a chunk (epoch ms; now or earlier = due), or null if none wait.
export function sealDueAt(ws: Workspace, batch: Batch, policy: PublishPolicy): number | null {
  // The count reads the index alone; the oldest answer's time only matters when fewer than N wait.
  const waiting = ws.store.countUnsealed(batch.id, ws.config.annotator);
  if (waiting === 0) return null;
  if (waiting >= policy.everyAnswers) return 0;
  const since = ws.store.unpublishedSince(batch.id, ws.config.annotator);
  return since === null ? null : new Date(since).getTime() + policy.everyMs;
}

function common(ws: Workspace, batch: Batch) {
  return { store: ws.store, prefix: ws.target.prefix, project: batch.project, region: batch.region, batch: batch.batch, batchId: batch.id, annotator: ws.config.annotator };
}

// `onQueued`: after each chunk is queued (a drain running beside the seals takes it at once).
export async function sealBatch(ws: Workspace, batch: Batch, late: boolean, policy: PublishPolicy, signal?: AbortSignal, onQueued?: () => void): Promise<SealedChunk[]> {
  return await sealChunks({ ...common(ws, batch), outboxDir: ws.outboxDir, late, ...(signal ? { signal } : {}), ...(onQueued ? { onSealed: onQueued } : {}) }, policy.maxChunkAnswers);
}

// Submit was pressed and the gate is open: seal the rest and queue the marker (once), then forget the request.
export async function queueRequestedMarker(ws: Workspace, batch: Batch, late: boolean, policy: PublishPolicy, appVersion: string, signal?: AbortSignal, onQueued?: () => void): Promise<boolean> {
  if (batch.submitRequestedAt === null) return false;
  if (batch.status === 'submitted') {
    ws.store.clearSubmitRequest(batch.id); // an earlier marker is in S3 already; only new revisions are sealed
    return false;
  }
  await sealBatch(ws, batch, late, policy, signal, onQueued);
  const manifest = BatchManifestSchema.parse(batch.manifest);
  const { created } = await queueSubmission({ ...common(ws, batch), tasks: manifest.tasks.count, late, appVersion });
  ws.store.clearSubmitRequest(batch.id);
  onQueued?.();
  return created;
}
