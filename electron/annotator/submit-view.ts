// What Submit tells the annotator: submitted (S3 confirmed the marker), or accepted on this computer and queued,
// with why it waits (offline, an ended lease to check first) in plain words.
import type { BatchView, SubmitView, SyncEvent } from '../../shared/api.ts';
import { SubmissionSchema } from '../../shared/batch.ts';
import type { Batch } from '../store/store.ts';
import { publishedLateNote } from '../sync/batch-claims.ts';
import { SUBMISSION_KIND } from '../sync/outbox-worker.ts';
import { sealGate } from '../sync/publish-batch.ts';
import type { Workspace } from '../workspace/workspace.ts';

function queuedChunks(ws: Workspace, batch: Batch): SubmitView['chunks'] {
  const job = ws.store.listJobs({ batchId: batch.id, kind: SUBMISSION_KIND, limit: 1 })[0];
  if (!job || !('json' in job.payload)) return [];
  return SubmissionSchema.parse(job.payload.json).chunks.map((c) => ({ key: c.key, sha256: c.sha256, count: c.count }));
}

function waitReason(batch: Batch, now: Date): string {
  const gate = sealGate(batch, now);
  if (gate.ok) return '';
  if (gate.why === 'reconcile') return ' Ferry first compares its answers with what S3 already holds (the local database was rebuilt), so nothing is sent twice.';
  const ended = batch.leaseUntil ? ` ended on ${new Date(batch.leaseUntil).toISOString().slice(0, 16).replace('T', ' ')} UTC` : ' is not known';
  return ` Your lease on it${ended}, so Ferry checks the claim in S3 first; your answers are kept and published either way (marked late if the batch went to someone else).`;
}

// `now` is the sync service's lease clock.
export function submitView(ws: Workspace, batch: Batch, view: BatchView, answers: number, event: SyncEvent, now: Date): SubmitView {
  const chunks = queuedChunks(ws, batch);
  if (view.status === 'submitted') {
    const late = batch.claimState === 'lost' ? ` ${publishedLateNote(batch)}` : '';
    return { batch: view, state: 'submitted', message: `Submitted ${answers} answers of batch ${batch.batch} to S3.${late}`, chunks };
  }
  const why = event.message ? ` (${event.message})` : '';
  const waiting = batch.submitRequestedAt !== null ? waitReason(batch, now) : '';
  return { batch: view, state: 'queued', message: `Batch ${batch.batch} is submitted on this computer and queued for upload${why}.${waiting} Ferry will publish it when S3 can be reached.`, chunks };
}
