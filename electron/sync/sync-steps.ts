// The steps of one sync round, each on one workspace: bring a batch up to date with S3 and seal what is due, mark
// batches whose marker reached S3 as submitted, and write the heartbeat. sync-service.ts runs them in order.
import { FerryError } from '../../shared/result.ts';
import { isRetryable } from '../s3/errors.ts';
import type { Batch } from '../store/store.ts';
import type { Workspace } from '../workspace/workspace.ts';
import { checkBatchClaim, publishedLateNote, renewBatchClaim } from './batch-claims.ts';
import { buildHeartbeats, writeHeartbeat, type HeartbeatContext } from './heartbeat.ts';
import { drainOutbox, SUBMISSION_KIND } from './outbox-worker.ts';
import { queueRequestedMarker, sealBatch, sealDueAt, sealGate, type PublishPolicy } from './publish-batch.ts';
import { reconcileBatch } from './reconcile.ts';

export type SyncPhase = 'tick' | 'probe' | 'harvest' | 'reconcile' | 'claim' | 'seal' | 'marker' | 'drain' | 'upload' | 'submitted' | 'heartbeat' | 'keep-ready';
export type PhaseEvent = { readonly phase: SyncPhase; readonly batch?: string; readonly key?: string; readonly outcome?: string; readonly detail?: string };

// Shared by the steps of one round: whether S3 answered so far, and what to tell the annotator.
export type Round = {
  readonly ws: Workspace;
  readonly force: boolean; // a person asked (Sync now, Submit): seal everything sealable, not only what is due
  readonly now: Date; // the lease clock
  readonly policy: PublishPolicy;
  readonly appVersion: string;
  readonly signal: AbortSignal;
  net: { up: boolean; error: string | null };
  contacted: boolean; // some request reached S3 this round (so "online" and "last sync" are first-hand)
  readonly phase: (event: PhaseEvent) => void;
  readonly notice: (text: string) => void;
  readonly changed: Set<string>; // batches whose view changed (the service emits `batch` events for them)
  readonly queued: () => void; // a job was queued (the drain running beside the seals picks it up)
};

export function isUnreachable(error: unknown): boolean {
  return error instanceof FerryError && (error.code === 'endpoint-unreachable' || error.code === 'offline');
}

// Runs an S3 step; a network failure marks the round offline (the rest of the round stays local).
async function online<T>(round: Round, run: () => Promise<T>): Promise<T | undefined> {
  if (!round.net.up) return undefined;
  try {
    const result = await run();
    round.contacted = true;
    return result;
  } catch (error) {
    if (isUnreachable(error)) {
      round.net = { up: false, error: (error as FerryError).message };
      return undefined;
    }
    if (error instanceof FerryError && error.code === 'cancelled') throw error;
    // Busy (5xx) or refused (403…): this batch waits; its own gate decides what may be sealed meanwhile.
    round.notice(isRetryable(error) ? `S3 is busy; Ferry tries again shortly (${(error as Error).message})` : (error as Error).message);
    return undefined;
  }
}

async function checkClaimStep(round: Round, batch: Batch): Promise<Batch> {
  round.phase({ phase: 'claim', batch: batch.id });
  const checked = await online(round, () => checkBatchClaim(round.ws, batch, round.now, round.signal));
  if (!checked) return batch;
  if (checked.lostNow) {
    round.changed.add(batch.id);
    round.notice(checked.batch.claimNote ?? `Your claim on batch ${batch.batch} was lost.`);
  }
  return checked.batch;
}

export async function publishBatchStep(round: Round, start: Batch): Promise<void> {
  const { ws } = round;
  let batch = start;
  const due = sealDueAt(ws, batch, round.policy);
  const wantsSeal = (due !== null && (round.force || due <= Date.now())) || (batch.submitRequestedAt !== null && batch.status !== 'submitted');
  if (!wantsSeal && !batch.needsReconcile && batch.claimState !== 'unknown') return;
  let checked = false;
  if (batch.needsReconcile) {
    round.phase({ phase: 'reconcile', batch: batch.id });
    const done = await online(round, () => reconcileBatch(ws, batch, round.signal));
    if (done === undefined) return;
    batch = ws.store.getBatch(batch.id) ?? batch;
    round.changed.add(batch.id);
    if (done.skipped.length > 0) round.notice(`Some objects in S3 were left alone while comparing batch ${batch.batch}: ${done.skipped.join('; ')}`);
  }
  if (batch.claimState === 'unknown') {
    batch = await checkClaimStep(round, batch); // after a rebuild: whose is it?
    checked = true;
    round.changed.add(batch.id);
  }
  // The comparison may have found everything in S3 already: decide again.
  const dueNow = sealDueAt(ws, batch, round.policy);
  const submitWaiting = batch.submitRequestedAt !== null;
  if (!submitWaiting && (dueNow === null || !(round.force || dueNow <= Date.now()))) return;
  // Chunks are immutable: check the claim right before sealing, so the late flag is right (one GET per chunk round).
  if (!checked && batch.claimState !== 'lost') batch = await checkClaimStep(round, batch);
  const gate = sealGate(batch, round.now);
  if (!gate.ok) return; // offline with an ended lease or an unknown claim: the answers wait, safe in the store
  if (submitWaiting) {
    round.phase({ phase: 'marker', batch: batch.id });
    await queueRequestedMarker(ws, batch, gate.late, round.policy, round.appVersion, round.signal, round.queued);
    round.changed.add(batch.id);
    return;
  }
  round.phase({ phase: 'seal', batch: batch.id, ...(gate.late ? { detail: 'late' } : {}) });
  const sealed = await sealBatch(ws, batch, gate.late, round.policy, round.signal, round.queued);
  if (sealed.length > 0) round.changed.add(batch.id);
}

// Batches whose marker S3 confirmed become `submitted`; a late one is told in plain words.
export function markSubmitted(round: Round): void {
  const { store } = round.ws;
  for (const job of store.listJobs({ kind: SUBMISSION_KIND, state: 'done' })) {
    const batch = job.batchId ? store.getBatch(job.batchId) : undefined;
    if (!batch || batch.status === 'submitted') continue;
    store.upsertBatch({ project: batch.project, region: batch.region, batch: batch.batch, status: 'submitted', lastSyncAt: new Date(), error: null });
    round.phase({ phase: 'submitted', batch: batch.id, key: job.targetKey });
    round.changed.add(batch.id);
    if (batch.claimState === 'lost') round.notice(publishedLateNote(batch));
  }
}

export const HEARTBEAT_AT_KEY = 'heartbeat.at';

export async function heartbeatStep(round: Round, context: HeartbeatContext): Promise<void> {
  const { store } = round.ws;
  for (const heartbeat of buildHeartbeats(store, context, round.now)) {
    const etagKey = `heartbeat.etag:${heartbeat.project}`;
    round.phase({ phase: 'heartbeat', detail: heartbeat.project });
    const etag = await online(round, () => writeHeartbeat(round.ws.target, heartbeat, store.getValue(etagKey) ?? null, round.signal));
    if (etag !== undefined) store.setValue(etagKey, etag);
  }
  if (round.net.up) store.setValue(HEARTBEAT_AT_KEY, new Date().toISOString());
}

// The outbox, `concurrency` uploads at a time; `progress` after each job (the status throttles what it sends). With
// `more`, it runs beside the round's seals and takes each chunk as it is queued, until `more` says the seals are done.
export async function drainStep(round: Round, concurrency: number, random: () => number, progress: () => void, more?: () => Promise<boolean>): Promise<void> {
  const { ws } = round;
  round.phase({ phase: 'drain' });
  const result = await drainOutbox({
    store: ws.store,
    client: ws.client,
    bucket: ws.config.bucket,
    concurrency,
    signal: round.signal,
    random,
    ...(more ? { more, halted: () => !round.net.up && !round.force } : {}),
    onJob: (job, outcome) => {
      round.phase({ phase: 'upload', key: job.targetKey, outcome, ...(job.batchId ? { batch: job.batchId } : {}) });
      if (job.batchId && outcome === 'done') round.changed.add(job.batchId);
      progress();
    },
  });
  if (result.done + result.needsAttention > 0) round.contacted = true;
  if (result.offline) round.net = { up: false, error: result.lastError };
  // S3 answered (even with a refusal) although an earlier check could not get through: it is reachable after all.
  else if (!round.net.up && result.done + result.needsAttention > 0) round.net = { up: true, error: null };
}

// Open batches keep their claims: renewed by CAS when due; a claim found changed is recorded as lost and told.
export async function renewOpenClaimsStep(round: Round, open: ReadonlySet<string>): Promise<void> {
  const { ws } = round;
  for (const id of open) {
    const batch = ws.store.getBatch(id);
    if (!batch) continue;
    const renewed = await online(round, () => renewBatchClaim(ws, batch, round.now, round.signal));
    if (!round.net.up) return;
    if (!renewed) continue;
    round.phase({ phase: 'claim', batch: id, outcome: renewed.renewed ? 'renewed' : renewed.batch.claimState });
    if (renewed.lostNow) {
      round.changed.add(id);
      round.notice(renewed.batch.claimNote ?? `Your claim on batch ${batch.batch} was lost.`);
    }
  }
}
