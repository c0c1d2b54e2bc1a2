// Annotate: start Prodigy for this batch, reopen it, stop it; what went wrong, with Prodigy's last lines.
import { useEffect } from 'react';
import type { BatchView } from '../../../../shared/api.ts';
import { CrossIcon } from '../../shell/icons.tsx';
import { openInProdigy, sessionOf, stopProdigy, useBatchSessions, type BatchSession } from '../../state/batch-sessions.ts';
import { useBatches } from '../../state/batches.ts';
import { useWorkspace } from '../../state/workspace.ts';
import { StandinNotice } from './batch-parts.tsx';
import { ExternalIcon, PlayIcon, StopIcon } from './icons.tsx';

type Host = 'electron' | 'web';

// In Electron the main process opens its own logged-in Prodigy window after batches.open; a browser needs a tab.
async function openAndShow(id: string, host: Host): Promise<void> {
  const opened = await openInProdigy(id);
  if (opened && host === 'web') window.open(opened.browserUrl, '_blank', 'noopener');
}

function prodigyState(batch: BatchView, session: BatchSession): 'idle' | 'starting' | 'running' | 'stopping' | 'failed' {
  if (session.busy === 'open') return 'starting';
  if (session.busy === 'stop') return 'stopping';
  const last = session.prodigy?.state;
  if (last === 'starting' || last === 'stopping') return last;
  if (last === 'failed') return 'failed';
  return batch.prodigy.state === 'running' ? 'running' : 'idle';
}

function ProblemBanner({ title, message, lastLines }: { readonly title: string; readonly message: string | null; readonly lastLines: readonly string[] | undefined }) {
  return (
    <div className="banner banner-error" role="alert" data-testid="prodigy-error">
      <CrossIcon className="banner-icon" />
      <div className="banner-body">
        <p className="banner-title">{title}</p>
        {message && <p>{message}</p>}
        {lastLines && lastLines.length > 0 && (
          <details className="log-details">
            <summary>Prodigy&apos;s last {lastLines.length} lines</summary>
            <pre className="log-lines" data-testid="prodigy-last-lines" tabIndex={0} aria-label="Prodigy output">
              {lastLines.join('\n')}
            </pre>
          </details>
        )}
      </div>
    </div>
  );
}

function Login({ session }: { readonly session: BatchSession }) {
  // The web host serves Prodigy through a logged-in proxy; a login to type is shown only where one is asked for.
  if (!session.opened?.loginNeeded) return null;
  const { username, password } = session.opened.login;
  return (
    <div className="prodigy-login" data-testid="prodigy-login">
      <p>Your browser asks for Prodigy&apos;s login the first time you open it:</p>
      <dl className="login-list">
        <dt>User</dt>
        <dd>
          <code data-testid="prodigy-username">{username}</code>
        </dd>
        <dt>Password</dt>
        <dd>
          <code data-testid="prodigy-password">{password}</code>
        </dd>
      </dl>
    </div>
  );
}

function Running({ batch, session, host }: { readonly batch: BatchView; readonly session: BatchSession; readonly host: Host }) {
  const url = session.opened?.browserUrl ?? batch.prodigy.url;
  return (
    <div className="prodigy-running" data-testid="prodigy-running">
      <p className="running-line">
        <span className="live-dot" aria-hidden="true" />
        Prodigy is running
      </p>
      <p className="action-text">Ferry collects your answers every few seconds while you work. Save in Prodigy before you submit.</p>
      <div className="action-buttons">
        {host === 'web' && url ? (
          <a className="button button-secondary" href={url} target="_blank" rel="noopener noreferrer">
            <ExternalIcon />
            Reopen Prodigy
          </a>
        ) : (
          <button type="button" className="button button-secondary" onClick={() => void openAndShow(batch.id, host)}>
            <ExternalIcon />
            Show Prodigy
          </button>
        )}
        <button type="button" className="button button-secondary" onClick={() => void stopProdigy(batch.id)}>
          <StopIcon />
          Stop Prodigy
        </button>
      </div>
      {host === 'web' && <Login session={session} />}
    </div>
  );
}

export function ProdigyPanel({ batch }: { readonly batch: BatchView }) {
  const session = useBatchSessions((s) => sessionOf(s.byId, batch.id));
  const host: Host = useWorkspace((s) => s.info?.host ?? 'web');
  const standin = useBatches((s) => s.prodigy === 'stand-in') || session.opened?.prodigy === 'stand-in';
  const state = prodigyState(batch, session);
  const done = batch.status === 'submitted' || batch.status === 'submitting';

  // After a reload Prodigy may still run; asking again returns its address and login without starting another.
  const needsLogin = host === 'web' && state === 'running' && !session.opened && session.busy === null;
  useEffect(() => {
    if (needsLogin) void openInProdigy(batch.id);
  }, [needsLogin, batch.id]);

  const openError = session.error && session.error.action !== 'submit' ? session.error.error : null;
  const failedLines = session.prodigy?.state === 'failed' ? session.prodigy.lastLines : undefined;
  return (
    <section className="card action-card" aria-labelledby="annotate-title">
      <h2 id="annotate-title" className="action-title">
        Annotate
      </h2>
      {state === 'running' ? (
        <Running batch={batch} session={session} host={host} />
      ) : (
        <>
          <p className="action-text">{done ? 'This batch is submitted; its answers are with the team.' : 'Prodigy opens with this batch’s tasks. Your answers are kept on this computer until they reach the bucket.'}</p>
          <div className="action-buttons">
            <button
              type="button"
              className="button button-primary"
              disabled={done || state === 'starting' || state === 'stopping'}
              aria-busy={state === 'starting' || undefined}
              onClick={() => void openAndShow(batch.id, host)}
            >
              <PlayIcon />
              {state === 'starting' ? 'Starting Prodigy…' : state === 'stopping' ? 'Stopping Prodigy…' : 'Open in Prodigy'}
            </button>
          </div>
        </>
      )}
      {openError && <ProblemBanner title={openError.code === 'prodigy-not-found' ? 'Prodigy was not found' : 'Prodigy could not start'} message={openError.message} lastLines={failedLines} />}
      {!openError && state === 'failed' && <ProblemBanner title="Prodigy stopped unexpectedly" message={batch.error} lastLines={failedLines} />}
      {!openError && state !== 'failed' && batch.error && <ProblemBanner title="Last problem with this batch" message={batch.error} lastLines={undefined} />}
      {standin && <StandinNotice />}
    </section>
  );
}
