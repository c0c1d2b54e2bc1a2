// One batch: what it is, how far along, and the two things to do with it — annotate in Prodigy, then submit.
import { useEffect, useRef, useState } from 'react';
import type { BatchView } from '../../../../shared/api.ts';
import type { FerryErrorShape } from '../../../../shared/result.ts';
import { WarningIcon } from '../../shell/icons.tsx';
import { ferry } from '../../bridge/ferry.ts';
import { batchUpdated, useBatches } from '../../state/batches.ts';
import { fullDate, shortDateTime } from '../../state/clock.ts';
import { hrefFor } from '../../state/route.ts';
import { ErrorBanner } from '../../ui/error-banner.tsx';
import { RelativeTime } from '../../ui/relative-time.tsx';
import { ProgressBar, shortBatchId, StatusPill } from './batch-parts.tsx';
import { ArrowLeftIcon } from './icons.tsx';
import { ProdigyPanel } from './prodigy-panel.tsx';
import { SubmitPanel } from './submit-panel.tsx';

function BackLink() {
  return (
    <a className="back-link" href={hrefFor('my-batches')}>
      <ArrowLeftIcon />
      My batches
    </a>
  );
}

// Only a submitted batch is known to be in the bucket; until then answers wait on this computer.
function meterNote(batch: BatchView): string {
  if (batch.status === 'submitted') return 'All answers are in the bucket';
  if (batch.status === 'submitting') return 'Waiting on this computer until S3 can be reached';
  const kept = batch.unpublished > 0 ? batch.unpublished : batch.answered;
  return kept > 0 ? `${kept} ${kept === 1 ? 'answer' : 'answers'} kept on this computer until you submit` : 'No answers yet';
}

function AnswerMeter({ batch }: { readonly batch: BatchView }) {
  const share = batch.total > 0 ? Math.round((batch.answered / batch.total) * 100) : 0;
  return (
    <section className="card meter-card" aria-labelledby="meter-title">
      <h2 id="meter-title" className="meter-title">
        Answers
      </h2>
      <p className="meter-figure" data-testid="answer-meter" aria-live="polite">
        <span className="meter-answered">{batch.answered}</span> <span className="meter-of">/ {batch.total}</span> <span className="meter-caption">tasks answered</span>
      </p>
      <ProgressBar value={batch.answered} max={batch.total} label="Tasks answered" size="lg" tone={batch.status === 'submitted' ? 'success' : 'accent'} />
      <p className="meter-foot">
        <span>{share}% done</span>
        <span>{meterNote(batch)}</span>
      </p>
    </section>
  );
}

function Details({ batch }: { readonly batch: BatchView }) {
  return (
    <section className="card details-card" aria-labelledby="details-title">
      <h2 id="details-title" className="details-title">
        Details
      </h2>
      <dl className="details-list">
        <dt>Project</dt>
        <dd>{batch.project}</dd>
        <dt>Region</dt>
        <dd>{batch.region}</dd>
        <dt>Batch</dt>
        <dd>
          <code>{batch.batch}</code>
        </dd>
        <dt>Claim ends</dt>
        <dd>{batch.leaseUntil ? fullDate(batch.leaseUntil) : '—'}</dd>
        <dt>Last sync</dt>
        <dd>{batch.lastSyncAt ? <RelativeTime iso={batch.lastSyncAt} /> : 'Not yet'}</dd>
      </dl>
    </section>
  );
}

function Header({ batch }: { readonly batch: BatchView }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [batch.id]);
  return (
    <header className="screen-header batch-header">
      <BackLink />
      <div className="batch-title-row">
        <h1 id="batch-title" ref={heading} tabIndex={-1} title={batch.id}>
          {batch.project} <span className="title-sep">/</span> {shortBatchId(batch.batch)}
        </h1>
        <StatusPill status={batch.status} />
      </div>
      <div className="batch-meta">
        {batch.recipe && <span className="meta-item meta-recipe">{batch.recipe}</span>}
        {batch.labels.length > 0 && (
          <span className="meta-item">
            <ul className="label-chips" aria-label="Labels">
              {batch.labels.map((label) => (
                <li key={label} className="chip">
                  {label}
                </li>
              ))}
            </ul>
          </span>
        )}
        {batch.leaseUntil && batch.status !== 'submitted' && (
          <span className="meta-item" title={fullDate(batch.leaseUntil)}>
            Yours until {shortDateTime(batch.leaseUntil)}
          </span>
        )}
      </div>
    </header>
  );
}

// Someone else holds the batch now (a lead's takeover, or the lease ran out); the core's sentence says what happened.
function ClaimLost({ batch }: { readonly batch: BatchView }) {
  if (batch.claim?.state !== 'lost') return null;
  return (
    <div className="banner banner-warning" role="alert" data-testid="claim-lost">
      <WarningIcon className="banner-icon" />
      <div className="banner-body">
        <p className="banner-title">This batch is no longer yours</p>
        <p>{batch.claim.message ?? (batch.claim.holder ? `${batch.claim.holder} holds it now.` : 'Another annotator holds it now.')}</p>
        {batch.late && <p className="banner-detail">Answers you submit are kept and published marked late.</p>}
      </div>
    </div>
  );
}

// The store has the batch when we came from My batches; after a reload, ask the core for it.
function useBatch(id: string): { batch: BatchView | null; error: FerryErrorShape | null } {
  const batch = useBatches((s) => s.byId[id] ?? null);
  const [error, setError] = useState<FerryErrorShape | null>(null);
  useEffect(() => {
    let live = true;
    void ferry()
      .invoke('batches.get', { id })
      .then((result) => {
        if (!live) return;
        if (result.ok) batchUpdated(result.value);
        else setError(result.error);
      });
    return () => {
      live = false;
    };
  }, [id]);
  return { batch, error };
}

export function BatchScreen({ id }: { readonly id: string }) {
  const { batch, error } = useBatch(id);
  if (!batch) {
    return (
      <section className="screen" aria-labelledby="batch-title">
        <header className="screen-header batch-header">
          <BackLink />
          <h1 id="batch-title">{id}</h1>
        </header>
        {error ? (
          <ErrorBanner title="Ferry could not show this batch" error={error} />
        ) : (
          <div className="card table-loading" aria-busy="true" />
        )}
      </section>
    );
  }
  return (
    <section className="screen" aria-labelledby="batch-title" data-batch={batch.id}>
      <Header batch={batch} />
      <ClaimLost batch={batch} />
      <div className="batch-layout">
        <div className="batch-main">
          <AnswerMeter batch={batch} />
          <Details batch={batch} />
        </div>
        <aside className="batch-side" aria-label="Actions">
          {/* Once submitted, Prodigy has nothing more to do with the batch (the core refuses to reopen it). */}
          {batch.status !== 'submitted' && batch.status !== 'submitting' && <ProdigyPanel batch={batch} />}
          <SubmitPanel batch={batch} />
        </aside>
      </div>
    </section>
  );
}
