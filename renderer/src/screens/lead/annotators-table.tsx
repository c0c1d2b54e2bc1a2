// A region's annotators: when each was last heard from, answers still on their laptop, what they hold and submitted.
import type { AnnotatorProgress } from '../../../../shared/lead.ts';
import { hrefForLead } from '../../state/route.ts';
import { RelativeTime } from '../../ui/relative-time.tsx';
import { ChevronRightIcon } from '../batch/icons.tsx';
import { formatCount } from './lead-parts.tsx';

const SOURCE_TEXT: Readonly<Record<AnnotatorProgress['lastSeenSource'], string>> = {
  heartbeat: 'app heartbeat',
  claim: 'last claim',
  submission: 'last submission',
  none: '',
};

function LastSeen({ person }: { readonly person: AnnotatorProgress }) {
  if (!person.lastSeen) return <span className="cell-faint">Never</span>;
  return (
    <>
      <RelativeTime iso={person.lastSeen} />
      <span className="cell-sub">{SOURCE_TEXT[person.lastSeenSource]}</span>
    </>
  );
}

export type AnnotatorRow = { readonly region: string; readonly person: AnnotatorProgress };

// `where` names the region shown (the drill-down), or is null for every region (the dashboard: a Region column).
type Props = { readonly project: string; readonly where: string | null; readonly rows: readonly AnnotatorRow[]; readonly selected: string | null };

export function AnnotatorsTable({ project, where, rows, selected }: Props) {
  return (
    <section className="card table-card" aria-labelledby="annotators-title">
      <div className="card-head">
        <h2 id="annotators-title">Annotators</h2>
        <p className="card-sub">Last seen from their apps’ heartbeats, claims and submissions; waiting is answers still on their laptop. Open one for their batches.</p>
      </div>
      {rows.length === 0 ? (
        <p className="card-empty">Nobody has claimed a batch{where ? ` in ${where}` : ''} yet.</p>
      ) : (
        <table className="batch-table" aria-label={where ? `Annotators in ${where}` : 'Annotators'}>
          <thead>
            <tr>
              <th scope="col">Annotator</th>
              {!where && <th scope="col">Region</th>}
              <th scope="col">Last seen</th>
              <th scope="col" className="cell-num">
                Waiting
              </th>
              <th scope="col" className="cell-num">
                Holds
              </th>
              <th scope="col" className="cell-num">
                Submitted
              </th>
              <th scope="col" className="cell-num">
                Answers
              </th>
              <th scope="col">
                <span className="visually-hidden">Open</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ region, person: p }) => (
              <tr key={`${region}/${p.name}`} className="batch-row" data-annotator={p.name} data-region={region} aria-current={selected === p.name ? 'true' : undefined}>
                <td>
                  <a className="row-link row-link-plain" href={hrefForLead({ view: 'region', project, region, annotator: selected === p.name ? null : p.name, batch: null })}>
                    {p.name}
                  </a>
                </td>
                {!where && <td className="mono">{region}</td>}
                <td className="cell-sync">
                  <LastSeen person={p} />
                </td>
                <td className="cell-num" data-testid="waiting">
                  {p.waiting > 0 ? <span className="cell-warning">{formatCount(p.waiting)}</span> : '0'}
                </td>
                <td className="cell-num">{formatCount(p.held)}</td>
                <td className="cell-num">{formatCount(p.submitted)}</td>
                <td className="cell-num cell-answers-split">
                  <span className="answers-total">{formatCount(p.answers.total)}</span>
                  <span className="answers-split">
                    <span data-series="accept">{formatCount(p.answers.accept)}</span>
                    <span data-series="reject">{formatCount(p.answers.reject)}</span>
                    <span data-series="ignore">{formatCount(p.answers.ignore)}</span>
                  </span>
                </td>
                <td className="cell-go" aria-hidden="true">
                  <ChevronRightIcon />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
