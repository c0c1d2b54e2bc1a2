// Every region of a project on one row: its batches by state (a stacked bar and the numbers), answers, people, stale claims.
import { BATCH_STATES, type RegionProgress } from '../../../../shared/lead.ts';
import { hrefForLead } from '../../state/route.ts';
import { BATCH_STATE_TEXT, formatCount, plural, StateBar } from './lead-parts.tsx';

function RegionRow({ project, region }: { readonly project: string; readonly region: RegionProgress }) {
  const b = region.batches;
  const a = region.answers;
  const waiting = region.annotators.reduce((n, p) => n + p.waiting, 0);
  return (
    <tr className="batch-row region-row" data-region={region.region}>
      <td className="cell-region">
        <span className="region-name">
          <a className="row-link" href={hrefForLead({ view: 'region', project, region: region.region, annotator: null, batch: null })}>
            {region.region}
          </a>
          <span className="cell-sub" data-testid="batches-total">
            {plural(b.total - b.retired, 'batch', 'batches')}
            {b.retired > 0 && ` · ${formatCount(b.retired)} retired`}
          </span>
        </span>
        <StateBar counts={b} />
      </td>
      {BATCH_STATES.map((s) => (
        <td key={s} className="cell-num" data-testid={`batches-${s}`} data-zero={b[s] === 0 || undefined}>
          {formatCount(b[s])}
        </td>
      ))}
      <td className="cell-num cell-answers-split" data-testid="answers">
        <span className="answers-total" data-testid="answers-total">
          {formatCount(a.total)}
        </span>
        <span className="answers-split">
          <span data-series="accept" data-testid="answers-accept" title="Accept">
            {formatCount(a.accept)}
          </span>
          <span data-series="reject" data-testid="answers-reject" title="Reject">
            {formatCount(a.reject)}
          </span>
          <span data-series="ignore" data-testid="answers-ignore" title="Ignore">
            {formatCount(a.ignore)}
          </span>
        </span>
      </td>
      <td className="cell-num" data-testid="annotators">
        {formatCount(region.annotators.length)}
        {waiting > 0 && <span className="cell-sub cell-warning">{formatCount(waiting)} waiting</span>}
      </td>
      <td className="cell-num" data-testid="stale" data-alert={region.staleClaims.length > 0 || undefined}>
        {region.staleClaims.length > 0 ? <span className="count-alert">{formatCount(region.staleClaims.length)}</span> : '0'}
      </td>
    </tr>
  );
}

export function RegionTable({ project, regions }: { readonly project: string; readonly regions: readonly RegionProgress[] }) {
  return (
    <section className="card table-card" aria-labelledby="regions-title">
      <div className="card-head">
        <h2 id="regions-title">Regions</h2>
        <p className="card-sub">Batches by state; answers as accept · reject · ignore. Open a region for its annotators and batches.</p>
      </div>
      <div className="table-scroll">
        <table className="batch-table region-table" aria-label="Progress per region">
          <thead>
            <tr>
              <th scope="col">Region</th>
              {BATCH_STATES.map((s) => (
                <th key={s} scope="col" className="cell-num th-state" data-state={s}>
                  {BATCH_STATE_TEXT[s]}
                </th>
              ))}
              <th scope="col" className="cell-num">
                Answers
              </th>
              <th scope="col" className="cell-num">
                People
              </th>
              <th scope="col" className="cell-num">
                Stale
              </th>
            </tr>
          </thead>
          <tbody>
            {regions.map((r) => (
              <RegionRow key={r.region} project={project} region={r} />
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
