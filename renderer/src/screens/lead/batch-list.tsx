// A region's batches as a virtualised list (a region can hold thousands): only the rows in view are in the page.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef } from 'react';
import type { BatchProgress } from '../../../../shared/lead.ts';
import { relativeTime, useClock } from '../../state/clock.ts';
import { hrefForLead } from '../../state/route.ts';
import { BatchStatePill, formatCount } from './lead-parts.tsx';

const ROW_HEIGHT = 48;

type Props = {
  readonly project: string;
  readonly region: string;
  readonly annotator: string | null;
  readonly batches: readonly BatchProgress[];
  readonly selected: string | null;
  readonly label: string;
};

function Who({ batch }: { readonly batch: BatchProgress }) {
  if (batch.holder && batch.status === 'claimed') return <span>{batch.holder}</span>;
  if (batch.submittedBy.length) return <span>{batch.submittedBy.join(', ')}</span>;
  if (batch.holder) return <span>{batch.holder}</span>;
  return <span className="cell-faint">—</span>;
}

function Lease({ batch, now }: { readonly batch: BatchProgress; readonly now: number }) {
  if (batch.status !== 'claimed' || !batch.leaseUntil) return <span className="cell-faint">—</span>;
  const passed = Date.parse(batch.leaseUntil) < now;
  return <span className={passed ? 'cell-danger' : undefined}>{passed ? `ended ${relativeTime(batch.leaseUntil, now)}` : `until ${relativeTime(batch.leaseUntil, now).replace(/^in /, '')}`}</span>;
}

export function BatchList({ project, region, annotator, batches, selected, label }: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  const now = useClock((s) => s.now);
  const virtual = useVirtualizer({ count: batches.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });
  return (
    <div className="vlist" data-testid="batch-list" data-count={batches.length}>
      <div className="vlist-head" aria-hidden="true">
        <span>Batch</span>
        <span>Status</span>
        <span>Annotator</span>
        <span className="cell-num">Answers</span>
        <span>Lease</span>
      </div>
      {batches.length === 0 ? (
        <p className="card-empty">No batches match.</p>
      ) : (
        <div className="vlist-scroll" ref={scroller}>
          <ul className="vlist-body" aria-label={label} style={{ blockSize: virtual.getTotalSize() }}>
            {virtual.getVirtualItems().map((item) => {
              const b = batches[item.index]!;
              return (
                <li key={b.batch} className="vlist-row" data-batch={b.batch} data-state={b.status} data-stale={b.stale || undefined} aria-setsize={batches.length} aria-posinset={item.index + 1} style={{ transform: `translateY(${item.start}px)`, blockSize: ROW_HEIGHT }}>
                  <a className="vlist-link" href={hrefForLead({ view: 'region', project, region, annotator, batch: b.batch })} aria-current={selected === b.batch ? 'true' : undefined}>
                    <span className="mono vlist-id">{b.batch}</span>
                    <span>
                      <BatchStatePill status={b.status} stale={b.stale} />
                    </span>
                    <span className="vlist-who">
                      <Who batch={b} />
                    </span>
                    <span className="cell-num">{b.answers.total ? formatCount(b.answers.total) : <span className="cell-faint">0</span>}</span>
                    <span className="vlist-lease">
                      <Lease batch={b} now={now} />
                    </span>
                  </a>
                </li>
              );
            })}
          </ul>
        </div>
      )}
    </div>
  );
}
