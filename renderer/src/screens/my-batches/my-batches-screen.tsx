// My batches: Get my batch, the batches this computer holds, and why there is nothing to get when there isn't.
import { useEffect } from 'react';
import { CrossIcon, InboxIcon } from '../../shell/icons.tsx';
import { dismissClaimProblem, getMyBatch, loadBatches, sortedBatches, useBatches } from '../../state/batches.ts';
import { hrefFor } from '../../state/route.ts';
import { isConfigured, useWorkspace } from '../../state/workspace.ts';
import { ErrorBanner } from '../../ui/error-banner.tsx';
import { StandinNotice } from '../batch/batch-parts.tsx';
import { DownloadIcon, InfoIcon } from '../batch/icons.tsx';
import { BatchTable } from './batch-table.tsx';

const NOTE_ID = 'get-batch-note';

function useRegion(): string {
  return useWorkspace((s) => s.view?.config.region ?? 'your region');
}

function GetBatchButton({ configured }: { readonly configured: boolean }) {
  const claiming = useBatches((s) => s.claiming.state === 'claiming');
  return (
    <button
      type="button"
      className="button button-primary button-lg"
      disabled={!configured || claiming}
      aria-busy={claiming || undefined}
      aria-describedby={configured ? undefined : NOTE_ID}
      onClick={() => void getMyBatch()}
    >
      <DownloadIcon />
      {claiming ? 'Getting your batch…' : 'Get my batch'}
    </button>
  );
}

// No batch left is news, not a fault: an informational banner with the core's own sentence.
function ClaimProblem() {
  const problem = useBatches((s) => s.claimProblem);
  if (!problem) return null;
  const news = problem.code === 'no-batches-left';
  return (
    <div className={news ? 'banner banner-info' : 'banner banner-error'} role={news ? 'status' : 'alert'} data-testid="claim-problem" data-code={problem.code}>
      {news ? <InfoIcon className="banner-icon" /> : <CrossIcon className="banner-icon" />}
      <div className="banner-body">
        <p className="banner-title">{news ? 'No batch to get right now' : 'Could not get a batch'}</p>
        <p>{problem.message}</p>
      </div>
      <button type="button" className="button button-quiet banner-dismiss" onClick={dismissClaimProblem}>
        Dismiss
      </button>
    </div>
  );
}

function ProdigyNotice() {
  const prodigy = useBatches((s) => s.prodigy);
  if (prodigy === 'stand-in') return <StandinNotice />;
  if (prodigy !== 'missing') return null;
  return (
    <p className="standin-notice standin-notice-warning" data-testid="prodigy-missing">
      <InfoIcon />
      <span>
        Prodigy was not found on this computer. Set the Prodigy command in <a href={hrefFor('settings')}>Settings</a> before you open a batch.
      </span>
    </p>
  );
}

function EmptyState({ configured }: { readonly configured: boolean }) {
  const region = useRegion();
  return (
    <div className="card empty-state" data-testid="empty-state">
      <div className="empty-state-icon">
        <InboxIcon />
      </div>
      <h2>No batches yet</h2>
      {configured ? (
        <>
          <p>
            Click <strong>Get my batch</strong> to claim the next batch for region <strong>{region}</strong>.
          </p>
          <p className="empty-state-note">It downloads to this computer, so you can keep annotating offline.</p>
        </>
      ) : (
        <p className="empty-state-note" id={NOTE_ID}>
          The workspace must be configured first: set the bucket, annotator and region in <a href={hrefFor('settings')}>Settings</a>.
        </p>
      )}
    </div>
  );
}

function LoadError() {
  const error = useBatches((s) => s.loadError);
  if (!error) return null;
  return <ErrorBanner title="Ferry could not list your batches" error={error} />;
}

function Batches({ configured }: { readonly configured: boolean }) {
  const byId = useBatches((s) => s.byId);
  const pulls = useBatches((s) => s.pulls);
  const claiming = useBatches((s) => s.claiming);
  const loaded = useBatches((s) => s.loaded);
  const region = useRegion();
  const batches = sortedBatches(byId);
  const finding = claiming.state === 'claiming' && (claiming.id === null || !byId[claiming.id]);
  if (configured && !loaded) return <div className="card table-card table-loading" aria-busy="true" />;
  if (batches.length === 0 && !finding) return <EmptyState configured={configured} />;
  return <BatchTable batches={batches} pulls={pulls} finding={finding} region={region} />;
}

export function MyBatchesScreen() {
  const configured = useWorkspace((s) => isConfigured(s.view));
  const region = useWorkspace((s) => s.view?.config.region);
  useEffect(() => {
    if (configured) void loadBatches();
  }, [configured]);
  return (
    <section className="screen" aria-labelledby="my-batches-title">
      <header className="screen-header screen-header-actions">
        <div className="screen-header-text">
          <h1 id="my-batches-title">My batches</h1>
          <p className="screen-lede">
            {region ? `Batches you hold for region ${region}, and what is still on its way to the bucket.` : 'Batches you hold for annotation, with what is still waiting to reach the bucket.'}
          </p>
        </div>
        <GetBatchButton configured={configured} />
      </header>
      <ProdigyNotice />
      <ClaimProblem />
      <LoadError />
      <Batches configured={configured} />
    </section>
  );
}
