// The last sync state the core pushed (null until the first `sync` event), and Sync now.
import type { OutboxView, SyncEvent } from '../../../shared/api.ts';
import type { FerryErrorShape } from '../../../shared/result.ts';
import { ferry } from '../bridge/ferry.ts';
import { defineStore } from './store.ts';

type SyncStore = {
  readonly latest: SyncEvent | null;
  // The most recent sync that reached S3, kept across later offline attempts.
  readonly lastSuccessAt: string | null;
  readonly requested: boolean;
  readonly requestError: FerryErrorShape | null;
};

export const useSync = defineStore<SyncStore>(() => ({ latest: null, lastSuccessAt: null, requested: false, requestError: null }));

function receive(latest: SyncEvent): void {
  const lastSuccessAt = latest.lastSyncAt ?? useSync.getState().lastSuccessAt;
  useSync.setState({ latest, lastSuccessAt });
}

ferry().on('sync', receive);

// Before any sync event, status.get says where sync stands (or at least how much the outbox holds).
export function statusSeen(outbox: OutboxView, sync: SyncEvent | undefined): void {
  if (useSync.getState().latest !== null) return;
  if (sync) receive(sync);
  else useSync.setState({ latest: { state: 'unknown', pending: outbox.pending, failed: outbox.failed, lastSyncAt: null, nextRetryAt: outbox.nextAttemptAt } });
}

export async function syncNow(): Promise<void> {
  if (useSync.getState().requested) return;
  useSync.setState({ requested: true, requestError: null });
  const result = await ferry().invoke('sync.now', {});
  if (result.ok) receive(result.value);
  useSync.setState({ requested: false, requestError: result.ok ? null : result.error });
}
