// Submit: hand the batch's answers to the bucket, asking first when tasks are still unanswered.
import { useCallback, useState } from 'react';
import type { BatchView } from '../../../../shared/api.ts';
import { CheckIcon, WarningIcon } from '../../shell/icons.tsx';
import { hrefFor } from '../../state/route.ts';
import { sessionOf, submitBatch, useBatchSessions } from '../../state/batch-sessions.ts';
import { ErrorBanner } from '../../ui/error-banner.tsx';
import { ConfirmDialog } from './confirm-dialog.tsx';
import { UploadIcon } from './icons.tsx';

function Outcome({ batch }: { readonly batch: BatchView }) {
  const session = useBatchSessions((s) => sessionOf(s.byId, batch.id));
  const error = session.error?.action === 'submit' ? session.error.error : null;
  if (error) return <ErrorBanner title="Not submitted" error={error} testId="submit-error" />;
  // The core may have finished publishing since the submit answered "queued"; the batch's status is the truth.
  if (batch.status === 'submitted') {
    return (
      <p className="done-text" data-testid="submit-outcome">
        {session.submitted?.state === 'submitted' ? session.submitted.message : 'Your answers are in the team’s bucket.'} Nothing more to do here.
      </p>
    );
  }
  if (session.submitted?.state === 'queued' || batch.status === 'submitting') {
    return (
      <div className="banner banner-warning" role="status" data-testid="submit-queued">
        <WarningIcon className="banner-icon" />
        <div className="banner-body">
          <p className="banner-title">Waiting to publish</p>
          <p>{session.submitted?.message ?? 'Submitted on this computer. Ferry publishes the answers as soon as it can reach S3.'}</p>
        </div>
      </div>
    );
  }
  return null;
}

export function SubmitPanel({ batch }: { readonly batch: BatchView }) {
  const busy = useBatchSessions((s) => sessionOf(s.byId, batch.id).busy === 'submit');
  const [asking, setAsking] = useState(false);
  const cancel = useCallback(() => setAsking(false), []);
  const submitted = batch.status === 'submitted';
  const unanswered = Math.max(0, batch.total - batch.answered);

  function start() {
    if (unanswered > 0) setAsking(true);
    else void submitBatch(batch.id);
  }
  function confirm() {
    setAsking(false);
    void submitBatch(batch.id);
  }

  return (
    <section className="card action-card" data-done={submitted || undefined} aria-labelledby="submit-title">
      {submitted ? (
        <div className="done-head">
          <span className="done-icon" aria-hidden="true">
            <CheckIcon />
          </span>
          <h2 id="submit-title" className="action-title">
            Submitted
          </h2>
        </div>
      ) : (
        <>
          <h2 id="submit-title" className="action-title">
            Submit
          </h2>
          <p className="action-text">Stops Prodigy, collects its last answers and sends them to your team’s bucket.</p>
          <div className="action-buttons">
            {/* Primary once there is something to send; until then Open in Prodigy is the next step. */}
            <button type="button" className={batch.answered > 0 ? 'button button-primary' : 'button button-secondary'} disabled={busy} aria-busy={busy || undefined} onClick={start}>
              <UploadIcon />
              {busy ? 'Submitting…' : batch.status === 'submitting' ? 'Try publishing again' : 'Submit'}
            </button>
          </div>
        </>
      )}
      <div aria-live="polite">
        <Outcome batch={batch} />
      </div>
      {submitted && (
        <a className="button button-secondary" href={hrefFor('my-batches')}>
          Back to My batches
        </a>
      )}
      <ConfirmDialog open={asking} title={`${batch.answered} of ${batch.total} tasks answered — submit anyway?`} confirmLabel="Submit anyway" cancelLabel="Keep annotating" onConfirm={confirm} onCancel={cancel}>
        <p>
          {unanswered === 1 ? 'One task has' : `${unanswered} tasks have`} no answer yet. Ferry sends the answers you gave; answers you saved in Prodigy in the last few seconds are
          collected first.
        </p>
      </ConfirmDialog>
    </section>
  );
}
