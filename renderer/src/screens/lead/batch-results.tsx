// What a Create batches, Refill or Rerank run did: batches made and retired, what was left, and every note by name.
import type { CreateBatchesView, CreatedBatchView, RefillView, RerankView } from '../../../../shared/lead.ts';
import { CheckIcon, WarningIcon } from '../../shell/icons.tsx';
import { formatCount, plural } from './lead-parts.tsx';

function Notes({ notes, title = 'Notes' }: { readonly notes: readonly string[]; readonly title?: string }) {
  if (notes.length === 0) return null;
  return (
    <div className="result-notes" data-testid="result-notes">
      <p className="result-notes-title">
        <WarningIcon />
        {title}
      </p>
      <ul>
        {notes.map((note) => (
          <li key={note}>{note}</li>
        ))}
      </ul>
    </div>
  );
}

function Stat({ label, value, tone, title }: { readonly label: string; readonly value: number; readonly tone?: 'good' | 'warn'; readonly title?: string }) {
  return (
    <div className="result-stat" data-tone={tone} title={title}>
      <dt>{label}</dt>
      <dd>{formatCount(value)}</dd>
    </div>
  );
}

function CreatedList({ created }: { readonly created: readonly CreatedBatchView[] }) {
  if (created.length === 0) return null;
  const shown = created.slice(0, 8);
  return (
    <table className="mini-table" aria-label="Batches created">
      <thead>
        <tr>
          <th scope="col">Batch</th>
          <th scope="col">Region</th>
          <th scope="col" className="cell-num">
            Tasks
          </th>
          <th scope="col" className="cell-num">
            Priority
          </th>
        </tr>
      </thead>
      <tbody>
        {shown.map((b) => (
          <tr key={`${b.region}/${b.batch}`}>
            <td className="mono">{b.batch}</td>
            <td className="mono">{b.region}</td>
            <td className="cell-num">{b.tasks}</td>
            <td className="cell-num">{b.priority}</td>
          </tr>
        ))}
        {created.length > shown.length && (
          <tr>
            <td colSpan={4} className="cell-faint">
              and {plural(created.length - shown.length, 'more batch', 'more batches')}
            </td>
          </tr>
        )}
      </tbody>
    </table>
  );
}

function Headline({ children }: { readonly children: string }) {
  return (
    <p className="result-headline">
      <CheckIcon />
      {children}
    </p>
  );
}

function raceNote(lostRaces: number, repaired: readonly string[]): string[] {
  return [
    ...(lostRaces > 0 ? [`Another lead changed the batches meanwhile; Ferry planned again ${plural(lostRaces, 'time')}.`] : []),
    ...(repaired.length ? [`Finished ${plural(repaired.length, 'batch', 'batches')} an interrupted run had left half-written: ${repaired.join(', ')}.`] : []),
  ];
}

export function CreateResult({ result }: { readonly result: CreateBatchesView }) {
  const tasks = result.created.reduce((n, b) => n + b.tasks, 0);
  return (
    <div className="result" data-testid="create-result" role="status">
      <Headline>{`Created ${plural(result.created.length, 'batch', 'batches')} (${plural(tasks, 'task')}) for ${result.region} by ${result.strategy}.`}</Headline>
      <dl className="result-stats">
        <Stat label="Created" value={result.created.length} tone="good" />
        <Stat label="Skipped" value={result.skipped} title="Already in a live batch" />
        <Stat label="Left in pool" value={result.remaining} />
        <Stat label="Unscored" value={result.unscored} tone={result.unscored ? 'warn' : undefined} />
      </dl>
      <CreatedList created={result.created} />
      <Notes notes={[...result.notes, ...raceNote(result.lostRaces, result.repaired)]} />
    </div>
  );
}

export function RefillResult({ result }: { readonly result: RefillView }) {
  const { pool } = result;
  return (
    <div className="result" data-testid="refill-result" role="status">
      <Headline>{`Created ${plural(result.created.length, 'batch', 'batches')}, so each region has ${result.perRegion} unclaimed where the pool allowed.`}</Headline>
      <table className="mini-table" aria-label="Refill per region">
        <thead>
          <tr>
            <th scope="col">Region</th>
            <th scope="col" className="cell-num">
              Unclaimed before
            </th>
            <th scope="col" className="cell-num">
              Created
            </th>
            <th scope="col" className="cell-num">
              Short
            </th>
          </tr>
        </thead>
        <tbody>
          {result.regions.map((r) => (
            <tr key={r.region}>
              <td className="mono">{r.region}</td>
              <td className="cell-num">{r.unclaimedBefore}</td>
              <td className="cell-num">{r.created}</td>
              <td className="cell-num" data-tone={r.short ? 'warn' : undefined}>
                {r.short}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="result-line">Pool: {plural(pool.items, 'item')} from {plural(pool.inputs.length, 'source')}.</p>
      <Notes title="Deleted from the pool since the last run" notes={pool.deleted} />
      <Notes title="Files Ferry cannot make tasks of (skipped)" notes={pool.unsupported} />
      <Notes notes={[...result.notes, ...raceNote(result.lostRaces, result.repaired)]} />
    </div>
  );
}

export function RerankResult({ result }: { readonly result: RerankView }) {
  return (
    <div className="result" data-testid="rerank-result" role="status">
      <Headline>{`Rebuilt the unclaimed batches by ${result.strategy}: ${formatCount(result.retired.length)} retired, ${formatCount(result.created.length)} created.`}</Headline>
      <dl className="result-stats">
        <Stat label="Retired" value={result.retired.length} />
        <Stat label="Created" value={result.created.length} tone="good" />
        <Stat label="Kept (claimed)" value={result.kept.length} />
      </dl>
      <CreatedList created={result.created} />
      <Notes notes={[...result.notes, ...raceNote(result.lostRaces, [])]} />
    </div>
  );
}
