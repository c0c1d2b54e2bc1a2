// Stale claims: batches whose lease has passed or whose holder has gone quiet, each with Release and Reassign to….
import type { RegionProgress, StaleClaim, StaleReason } from '../../../../shared/lead.ts';
import { useClock } from '../../state/clock.ts';
import { hrefForLead } from '../../state/route.ts';
import { RelativeTime } from '../../ui/relative-time.tsx';
import { ClaimActions, ClaimOutcome } from './claim-actions.tsx';
import { CheckCircleIcon } from './lead-icons.tsx';

export const STALE_TEXT: Readonly<Record<StaleReason, string>> = {
  'lease-expired': 'Lease expired',
  'no-heartbeat': 'No word from the app',
  'heartbeat-old': 'App silent',
};

export function StaleReasons({ reasons }: { readonly reasons: readonly StaleReason[] }) {
  return (
    <span className="stale-reasons">
      {reasons.map((r) => (
        <span key={r} className="tag tag-danger" data-reason={r}>
          {STALE_TEXT[r]}
        </span>
      ))}
    </span>
  );
}

type Row = StaleClaim & { readonly region: string };

function StaleRow({ project, row, annotators }: { readonly project: string; readonly row: Row; readonly annotators: readonly string[] }) {
  const now = useClock((s) => s.now);
  const expired = Date.parse(row.leaseUntil) < now;
  return (
    <tr className="stale-row" data-batch={`${row.region}/${row.batch}`}>
      <td>
        <a className="mono strong-link" href={hrefForLead({ view: 'region', project, region: row.region, annotator: null, batch: row.batch })}>
          {row.batch}
        </a>
        <span className="cell-sub">{row.region}</span>
      </td>
      <td>{row.annotator}</td>
      <td className={expired ? 'cell-danger' : undefined}>
        {expired && 'ended '}
        <RelativeTime iso={row.leaseUntil} missing="Never" />
      </td>
      <td>
        <RelativeTime iso={row.lastSeen ?? row.renewedAt ?? row.claimedAt} missing="Never" />
      </td>
      <td>
        <StaleReasons reasons={row.reasons} />
      </td>
      <td className="cell-actions">
        <ClaimActions target={{ project, region: row.region, batch: row.batch }} holder={row.annotator} annotators={annotators} />
      </td>
    </tr>
  );
}

export function StaleClaimsCard({ project, regions, only }: { readonly project: string; readonly regions: readonly RegionProgress[]; readonly only?: string }) {
  const shown = regions.filter((r) => !only || r.region === only);
  const rows: Row[] = shown.flatMap((r) => r.staleClaims.map((s) => ({ ...s, region: r.region })));
  const peopleOf = (region: string) => regions.find((r) => r.region === region)?.annotators.map((a) => a.name) ?? [];
  return (
    <section className="card table-card stale-card" aria-labelledby="stale-title" data-testid="stale-claims" data-count={rows.length}>
      <div className="card-head">
        <h2 id="stale-title">Stale claims</h2>
        <p className="card-sub">Held batches whose lease has passed, or whose holder’s app has been silent.</p>
      </div>
      <div className="card-banners">
        <ClaimOutcome />
      </div>
      {rows.length === 0 ? (
        <p className="card-empty" data-testid="no-stale">
          <CheckCircleIcon />
          No stale claims{only ? ` in ${only}` : ''}: every held batch has a live lease and a holder who was heard from.
        </p>
      ) : (
        <table className="batch-table" aria-label="Stale claims">
          <thead>
            <tr>
              <th scope="col">Batch</th>
              <th scope="col">Held by</th>
              <th scope="col">Lease</th>
              <th scope="col">Last heard</th>
              <th scope="col">Why</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <StaleRow key={`${row.region}/${row.batch}`} project={project} row={row} annotators={peopleOf(row.region)} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
