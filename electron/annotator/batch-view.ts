// What the renderer and `ferry status` see of a local batch: the store row plus live counts and Prodigy state.
import type { BatchView } from '../../shared/api.ts';
import type { BatchManifest } from '../../shared/batch.ts';
import type { Batch, Store } from '../store/store.ts';

export type ProdigyState = BatchView['prodigy'];

export function toBatchView(store: Store, batch: Batch, prodigy: ProdigyState = { state: 'idle' }, problem?: string): BatchView {
  const manifest = batch.manifest as BatchManifest | null;
  const counts = store.countAnswers(batch.id);
  return {
    id: batch.id,
    project: batch.project,
    region: batch.region,
    batch: batch.batch,
    status: batch.status,
    recipe: manifest?.recipe ?? null,
    labels: manifest?.labels ?? [],
    answered: counts.total,
    total: batch.tasksTotal ?? manifest?.tasks.count ?? 0,
    unpublished: counts.unpublished,
    leaseUntil: batch.leaseUntil,
    lastSyncAt: batch.lastSyncAt,
    error: problem ?? batch.error,
    prodigy,
    claim: { state: batch.claimState, ...(batch.claimHolder ? { holder: batch.claimHolder } : {}), ...(batch.claimNote ? { message: batch.claimNote } : {}) },
    late: batch.claimState === 'lost',
  };
}
