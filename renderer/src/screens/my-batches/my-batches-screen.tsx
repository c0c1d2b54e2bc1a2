// My batches — placeholder empty state until the batches capability lands; replace this component wholesale.
import { InboxIcon } from '../../shell/icons.tsx';
import { hrefFor } from '../../state/route.ts';
import { isConfigured, useWorkspace } from '../../state/workspace.ts';

export function MyBatchesScreen() {
  const configured = useWorkspace((s) => isConfigured(s.view));
  return (
    <section className="screen" aria-labelledby="my-batches-title">
      <header className="screen-header">
        <h1 id="my-batches-title">My batches</h1>
        <p className="screen-lede">Batches you hold for annotation, with what is still waiting to reach the bucket.</p>
      </header>
      <div className="card empty-state">
        <div className="empty-state-icon">
          <InboxIcon />
        </div>
        <h2>No batches yet</h2>
        <p>When you take a batch from your team&apos;s pool it appears here, ready to open in Prodigy.</p>
        <button type="button" className="button button-primary" disabled aria-describedby="get-batch-note">
          Get my batch
        </button>
        <p className="empty-state-note" id="get-batch-note">
          {configured ? (
            'Taking batches arrives in a later release of Ferry.'
          ) : (
            <>
              The workspace must be configured first: set the bucket, annotator and region in <a href={hrefFor('settings')}>Settings</a>.
            </>
          )}
        </p>
      </div>
    </section>
  );
}
