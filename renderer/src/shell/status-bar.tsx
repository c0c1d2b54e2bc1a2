// Bottom bar: is the core reachable, what the sync engine last said (with Sync now), and who this workspace annotates as.
import type { SyncState } from '../../../shared/api.ts';
import { relativeTime, fullDate, useClock } from '../state/clock.ts';
import { useConnection } from '../state/connection.ts';
import { syncNow, useSync } from '../state/sync.ts';
import { isConfigured, useWorkspace } from '../state/workspace.ts';

const CONNECTION_TEXT = {
  connecting: 'Connecting to Ferry…',
  connected: 'Connected',
  disconnected: 'Disconnected — reconnecting…',
  'signed-out': 'This link has expired — open the new link Ferry printed when it restarted',
} as const;

const SYNC_TEXT: Record<SyncState, string> = {
  online: 'Sync: up to date',
  offline: 'Sync: offline',
  syncing: 'Sync: syncing',
  'needs-attention': 'Sync: needs attention',
  unknown: 'Sync: unknown',
};

function SyncIndicator() {
  const latest = useSync((s) => s.latest);
  const now = useClock((s) => s.now);
  const state = latest?.state ?? 'unknown';
  // Answers are what a person counts; outbox jobs are the fallback when the core does not say.
  const waiting = latest?.answersWaiting;
  const pending = waiting !== undefined ? (waiting > 0 ? ` · ${waiting} ${waiting === 1 ? 'answer' : 'answers'} waiting` : '') : latest && latest.pending > 0 ? ` · ${latest.pending} pending` : '';
  const failed = latest && latest.failed > 0 ? ` · ${latest.failed} failed` : '';
  const retry = state === 'offline' && latest?.nextRetryAt ? ` · next try ${relativeTime(latest.nextRetryAt, now)}` : '';
  return (
    <span className="status-item" data-sync={state} title={latest?.message} aria-live="polite" data-testid="sync-state">
      <span className="status-dot" aria-hidden="true" />
      {SYNC_TEXT[state]}
      {pending}
      {failed}
      {retry}
    </span>
  );
}

function LastSuccess() {
  const at = useSync((s) => s.lastSuccessAt);
  const now = useClock((s) => s.now);
  if (!at) return null;
  return (
    <span className="status-item status-muted" data-testid="last-sync" title={`Last successful sync: ${fullDate(at)}`}>
      {`Last sync ${relativeTime(at, now)}`}
    </span>
  );
}

function SyncNowButton() {
  const requested = useSync((s) => s.requested);
  const error = useSync((s) => s.requestError);
  const connected = useConnection((s) => s.state === 'connected');
  const configured = useWorkspace((s) => isConfigured(s.view));
  return (
    <>
      <button type="button" className="status-button" disabled={requested || !connected || !configured} aria-busy={requested || undefined} onClick={() => void syncNow()}>
        {requested ? 'Syncing…' : 'Sync now'}
      </button>
      {error && (
        <span className="status-item status-error" title={error.message} role="alert">
          Sync now failed: {error.message}
        </span>
      )}
    </>
  );
}

function Identity() {
  const config = useWorkspace((s) => (s.view?.exists ? s.view.config : null));
  if (!config?.annotator || !config.region) return <span className="status-item status-muted">Workspace not configured</span>;
  return (
    <span className="status-item" title="annotator@region">
      {config.annotator}@{config.region}
    </span>
  );
}

export function StatusBar() {
  const connection = useConnection((s) => s.state);
  return (
    <footer className="status-bar">
      <span className="status-item" data-connection={connection} role="status" aria-live="polite">
        <span className="status-dot" aria-hidden="true" />
        {CONNECTION_TEXT[connection]}
      </span>
      <SyncIndicator />
      <LastSuccess />
      <SyncNowButton />
      <span className="status-spacer" />
      <Identity />
    </footer>
  );
}
