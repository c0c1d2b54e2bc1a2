// What the status bar shows, and how often it hears about it: online / offline / syncing / needs-attention with the
// outbox counts, last successful sync and next retry. A change of state goes out at once; count updates within one
// state at most every `throttleMs` (a trailing event carries the latest), so a 100k-answer publish is not an event storm.
import type { SyncEvent, SyncState } from '../../shared/api.ts';
import type { Store } from '../store/store.ts';

export type Connectivity = 'unknown' | 'online' | 'offline';

export const DEFAULT_EVENT_THROTTLE_MS = 250;
export const LAST_SYNC_KEY = 'sync.lastSyncAt';
// A notice (recovery, late work) stays in the message this long unless an error takes its place.
const NOTICE_MS = 10 * 60_000;

export function syncStateOf(connectivity: Connectivity, counts: { pending: number; failed: number }, busy: boolean): SyncState {
  if (connectivity === 'offline') return 'offline';
  if (counts.failed > 0) return 'needs-attention';
  if (busy || counts.pending > 0) return 'syncing';
  return connectivity === 'unknown' ? 'unknown' : 'online';
}

export function createSyncStatus(emit: (event: SyncEvent) => void, options: { throttleMs?: number } = {}) {
  const throttleMs = options.throttleMs ?? DEFAULT_EVENT_THROTTLE_MS;
  let connectivity: Connectivity = 'unknown';
  let busy = false;
  let networkMessage: string | null = null;
  let nextProbeAt: string | null = null;
  let notice: { text: string; until: number } | null = null;
  let lastSent: { json: string; state: SyncState; at: number } | null = null;
  let trailing: NodeJS.Timeout | undefined;

  function attentionMessage(store: Store): string | null {
    return store.listJobs({ state: ['needs-attention', 'failed'], limit: 1 })[0]?.lastError ?? null;
  }

  // Cheap part first (outbox counts use an index); answersWaiting scans the answers, so only for events sent.
  function stateOf(store: Store) {
    const counts = store.outboxCounts();
    return { counts, state: syncStateOf(connectivity, counts, busy) };
  }

  function snapshot(store: Store, annotator: string, current = stateOf(store)): SyncEvent {
    const { counts, state } = current;
    const answersWaiting = [...store.answersWaiting(annotator).values()].reduce((n, v) => n + v, 0);
    const text =
      state === 'offline'
        ? networkMessage
        : state === 'needs-attention'
          ? attentionMessage(store)
          : notice && notice.until > Date.now()
            ? notice.text
            : null;
    return {
      state,
      pending: counts.pending,
      failed: counts.failed,
      lastSyncAt: store.getValue(LAST_SYNC_KEY) ?? null,
      nextRetryAt: state === 'offline' ? (nextProbeAt ?? counts.nextAttemptAt) : counts.nextAttemptAt,
      answersWaiting,
      ...(text ? { message: text } : {}),
    };
  }

  function send(event: SyncEvent): void {
    const json = JSON.stringify(event);
    if (lastSent?.json === json) return;
    lastSent = { json, state: event.state, at: Date.now() };
    emit(event);
  }

  // Sends the current state now, or (within a throttle window, same state) as the window's trailing event.
  // Returns the full event only when it computed one (callers that need it use snapshot()).
  function publish(store: Store, annotator: string): SyncEvent | undefined {
    const now = Date.now();
    const current = stateOf(store);
    if (!lastSent || lastSent.state !== current.state || now - lastSent.at >= throttleMs) {
      if (trailing) clearTimeout(trailing);
      trailing = undefined;
      const event = snapshot(store, annotator, current);
      send(event);
      return event;
    }
    if (!trailing) {
      trailing = setTimeout(() => {
        trailing = undefined;
        try {
          send(snapshot(store, annotator));
        } catch {
          // the store closed meanwhile (settings saved, app quitting): nothing left to report
        }
      }, throttleMs - (now - lastSent.at));
      trailing.unref();
    }
    return undefined;
  }

  return {
    publish,
    snapshot,
    get connectivity(): Connectivity {
      return connectivity;
    },
    setBusy(value: boolean): void {
      busy = value;
    },
    online(store: Store, at: Date): void {
      connectivity = 'online';
      networkMessage = null;
      nextProbeAt = null;
      store.setValue(LAST_SYNC_KEY, at.toISOString());
    },
    offline(message: string, probeAt: Date | null): void {
      connectivity = 'offline';
      networkMessage = message;
      nextProbeAt = probeAt ? probeAt.toISOString() : null;
    },
    notice(text: string): void {
      notice = { text, until: Date.now() + NOTICE_MS };
    },
    close(): void {
      if (trailing) clearTimeout(trailing);
      trailing = undefined;
    },
  };
}
