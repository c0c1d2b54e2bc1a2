// The local batches as a table: one row per batch, the whole row opens its Batch view.
import { useEffect, useRef } from 'react';
import type { BatchView, ProgressEvent } from '../../../../shared/api.ts';
import { PullProgress, ProgressBar, shortBatchId, StatusPill } from '../batch/batch-parts.tsx';
import { ChevronRightIcon } from '../batch/icons.tsx';
import { hrefForBatch, returnedTo, useRoute } from '../../state/route.ts';
import { RelativeTime } from '../../ui/relative-time.tsx';

function LastSync({ batch }: { readonly batch: BatchView }) {
  if (batch.lastSyncAt) return <RelativeTime iso={batch.lastSyncAt} />;
  if (batch.unpublished > 0) return <span className="cell-warning">{batch.unpublished} not in S3 yet</span>;
  return <span className="cell-faint">Not yet</span>;
}

function Answers({ batch, pull }: { readonly batch: BatchView; readonly pull: ProgressEvent | undefined }) {
  if (batch.status === 'claimed' || batch.status === 'pulling') return <PullProgress pull={pull} batch={batch} />;
  return (
    <div className="answers-cell">
      <ProgressBar value={batch.answered} max={batch.total} label={`Answers in batch ${batch.batch}`} tone={batch.status === 'submitted' ? 'success' : 'accent'} />
      <span className="answers-count">
        {batch.answered} / {batch.total}
      </span>
    </div>
  );
}

function BatchRow({ batch, pull }: { readonly batch: BatchView; readonly pull: ProgressEvent | undefined }) {
  const link = useRef<HTMLAnchorElement>(null);
  const returnTo = useRoute((s) => s.returnTo);
  useEffect(() => {
    if (returnTo !== batch.id) return;
    link.current?.focus();
    returnedTo();
  }, [returnTo, batch.id]);
  return (
    <tr className="batch-row" data-batch={batch.id} data-status={batch.status}>
      <td className="cell-project">{batch.project}</td>
      <td className="cell-batch">
        <a ref={link} className="row-link" href={hrefForBatch(batch.id)} title={batch.batch}>
          {shortBatchId(batch.batch)}
        </a>
      </td>
      <td className="cell-recipe">{batch.recipe ?? '—'}</td>
      <td className="cell-status">
        <StatusPill status={batch.status} />
        {batch.claim?.state === 'lost' && <span className="tag-warning">Claim lost</span>}
      </td>
      <td className="cell-answers">
        <Answers batch={batch} pull={pull} />
      </td>
      <td className="cell-sync">
        <LastSync batch={batch} />
      </td>
      <td className="cell-go" aria-hidden="true">
        <ChevronRightIcon />
      </td>
    </tr>
  );
}

// Shown from the click until the core names the batch it claimed.
function FindingRow({ region }: { readonly region: string }) {
  return (
    <tr className="batch-row batch-row-pending" data-testid="finding-row">
      <td colSpan={4} className="cell-finding">
        Looking for the next batch for region {region}…
      </td>
      <td className="cell-answers">
        <PullProgress pull={undefined} batch={undefined} />
      </td>
      <td colSpan={2} />
    </tr>
  );
}

type TableProps = {
  readonly batches: readonly BatchView[];
  readonly pulls: Readonly<Record<string, ProgressEvent>>;
  readonly finding: boolean;
  readonly region: string;
};

export function BatchTable({ batches, pulls, finding, region }: TableProps) {
  return (
    <div className="card table-card">
      <table className="batch-table" aria-label="Your batches">
        <thead>
          <tr>
            <th scope="col">Project</th>
            <th scope="col">Batch</th>
            <th scope="col">Recipe</th>
            <th scope="col">Status</th>
            <th scope="col">Answers</th>
            <th scope="col">Last sync</th>
            <th scope="col">
              <span className="visually-hidden">Open</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {finding && <FindingRow region={region} />}
          {batches.map((batch) => (
            <BatchRow key={batch.id} batch={batch} pull={pulls[batch.id]} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
