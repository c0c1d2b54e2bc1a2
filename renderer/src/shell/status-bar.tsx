// Bottom bar: is the core reachable, what the sync engine last said, and who this workspace annotates as.
import type { SyncState } from '../../../shared/api.ts';
import { useConnection } from '../state/connection.ts';
import { useSync } from '../state/sync.ts';
import { useWorkspace } from '../state/workspace.ts';

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
  const state = latest?.state ?? 'unknown';
  const pending = latest && latest.pending > 0 ? ` · ${latest.pending} pending` : '';
  return (
    <span className="status-item" data-sync={state} title={latest?.message}>
      <span className="status-dot" aria-hidden="true" />
      {SYNC_TEXT[state]}
      {pending}
    </span>
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
      <span className="status-spacer" />
      <Identity />
    </footer>
  );
}
