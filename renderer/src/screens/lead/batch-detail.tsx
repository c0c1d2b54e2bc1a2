// One batch of the drill-down: its state, holder, lease and answers; on a stale claim, Release and Reassign to….
import type { ReactNode } from 'react';
import type { BatchProgress, RegionProgress } from '../../../../shared/lead.ts';
import { useClock } from '../../state/clock.ts';
import { RelativeTime } from '../../ui/relative-time.tsx';
import { ClaimActions, ClaimOutcome } from './claim-actions.tsx';
import { AnswerKindItems, BatchStatePill } from './lead-parts.tsx';
import { StaleReasons } from './stale-claims.tsx';

function Row({ label, children }: { readonly label: string; readonly children: ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

export function BatchDetail({ project, batch, region }: { readonly project: string; readonly batch: BatchProgress | null; readonly region: RegionProgress }) {
  const now = useClock((s) => s.now);
  if (!batch) {
    return (
      <aside className="card detail-card detail-card-empty" aria-label="Batch details">
        <p>Select a batch to see who holds it, its lease and its answers.</p>
      </aside>
    );
  }
  const stale = region.staleClaims.find((s) => s.batch === batch.batch);
  const a = batch.answers;
  return (
    <aside className="card detail-card" aria-labelledby="batch-detail-title" data-testid="batch-detail" data-batch={batch.batch}>
      <div className="detail-head">
        <h2 id="batch-detail-title" className="mono">
          {batch.batch}
        </h2>
        <BatchStatePill status={batch.status} stale={batch.stale} />
      </div>
      <dl className="detail-list">
        <Row label="Region">{batch.region}</Row>
        <Row label="Claimed by">{batch.holder ?? <span className="cell-faint">Nobody</span>}</Row>
        <Row label="Claimed">
          <RelativeTime iso={batch.claimedAt} missing="—" />
        </Row>
        {batch.status === 'claimed' && (
          <Row label="Lease until">
            <span className={batch.leaseUntil && Date.parse(batch.leaseUntil) < now ? 'cell-danger' : undefined}>
              {batch.leaseUntil && Date.parse(batch.leaseUntil) < now && 'ended '}
              <RelativeTime iso={batch.leaseUntil} missing="—" />
            </span>
          </Row>
        )}
        <Row label="Submitted by">{batch.submittedBy.length ? batch.submittedBy.join(', ') : <span className="cell-faint">Not yet</span>}</Row>
      </dl>
      <dl className="detail-answers" aria-label="Answers by kind">
        <AnswerKindItems counts={a} />
      </dl>
      <ClaimOutcome />
      {stale ? (
        <div className="detail-stale" data-testid="detail-stale">
          <p className="detail-stale-title">This claim is stale</p>
          <StaleReasons reasons={stale.reasons} />
          <ClaimActions target={{ project, region: batch.region, batch: batch.batch }} holder={stale.annotator} annotators={region.annotators.map((p) => p.name)} />
        </div>
      ) : (
        batch.status === 'claimed' &&
        batch.holder && (
          <p className="detail-note">
            {batch.holder} holds it and was heard from recently. Ferry frees only stale claims: a passed lease, or silence longer than the stale limit.
          </p>
        )
      )}
    </aside>
  );
}
