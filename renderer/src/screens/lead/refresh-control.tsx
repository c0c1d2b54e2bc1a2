// Refresh with "updated N s ago", and what the last refresh cost (a warm one lists and reads only what changed).
import type { RefreshStats } from '../../../../shared/lead.ts';
import { progressOf, refreshProgress, useLead } from '../../state/lead.ts';
import { RefreshIcon } from './lead-icons.tsx';
import { plural, sinceText, useSecondsSince } from './lead-parts.tsx';

function costText(refresh: RefreshStats): string {
  const q = refresh.requests;
  return `${refresh.cold ? 'Full read' : 'Warm refresh'}: ${plural(q.list + q.get + q.other, 'request')} (${q.list} list, ${q.get} get) in ${refresh.ms} ms`;
}

export function RefreshControl({ project, region }: { readonly project: string; readonly region?: string }) {
  const entry = useLead((s) => progressOf(s.progress, project));
  const seconds = useSecondsSince(entry.receivedAt);
  return (
    <div className="refresh-control">
      <div className="refresh-text">
        <span className="refresh-ago" data-testid="updated-ago" aria-live="off">
          {entry.loading && entry.detail === null ? 'Reading progress…' : seconds === null ? 'Not read yet' : `Updated ${sinceText(seconds)}`}
        </span>
        {entry.detail && <span className="refresh-cost">{costText(entry.detail.refresh)}</span>}
      </div>
      <button type="button" className="button button-secondary" disabled={entry.loading} aria-busy={entry.loading || undefined} onClick={() => void refreshProgress(project, region)}>
        <RefreshIcon className={entry.loading ? 'icon icon-spin' : 'icon'} />
        {entry.loading ? 'Refreshing…' : 'Refresh'}
      </button>
    </div>
  );
}
