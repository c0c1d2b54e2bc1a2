// Release or Reassign to… on a stale claim: a modal dialog asks first; the core does a compare-and-swap, so a claim
// the holder renewed a moment ago is refused and the core's sentence is shown.
import { useEffect, useId, useRef, useState } from 'react';
import { changeClaim, forgetOutcome, useLead, type ClaimTarget } from '../../state/lead.ts';
import { CheckIcon } from '../../shell/icons.tsx';
import { ErrorBanner } from '../../ui/error-banner.tsx';

type Mode = 'release' | 'reassign';
type Props = { readonly target: ClaimTarget; readonly holder: string; readonly annotators: readonly string[] };

function ClaimDialog({ mode, target, holder, annotators, onClose }: Props & { readonly mode: Mode; readonly onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const ids = useId();
  const [to, setTo] = useState('');
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const working = useLead((s) => s.claim.state === 'working');
  // The latest onClose, so the dialog opens once per mount rather than on every render of its parent.
  const close = useRef(onClose);
  useEffect(() => {
    close.current = onClose;
  });
  useEffect(() => {
    const node = dialog.current;
    const opener = document.activeElement;
    node?.showModal();
    const cancel = (event: Event) => {
      event.preventDefault();
      close.current();
    };
    node?.addEventListener('cancel', cancel);
    return () => {
      node?.removeEventListener('cancel', cancel);
      node?.close();
      if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
    };
  }, []);
  async function confirm() {
    const name = to.trim();
    if (mode === 'reassign' && !/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(name)) {
      setProblem(name ? `"${name}" is not an annotator name: letters, digits, ".", "_" or "-".` : 'Name the annotator who gets the batch.');
      return;
    }
    if (mode === 'reassign' && name === holder) {
      setProblem(`${holder} already holds this batch.`);
      return;
    }
    await changeClaim(target, mode === 'release' ? null : name, reason.trim() || undefined);
    onClose();
  }
  const others = annotators.filter((a) => a !== holder);
  const title = mode === 'release' ? `Release batch ${target.batch}?` : `Reassign batch ${target.batch}`;
  return (
    <dialog ref={dialog} className="dialog" aria-labelledby={`${ids}-title`} aria-describedby={`${ids}-body`} data-testid="claim-dialog">
      <h2 id={`${ids}-title`} className="dialog-title">
        {title}
      </h2>
      <div id={`${ids}-body`} className="dialog-body">
        {mode === 'release' ? (
          <p>
            {holder}’s claim ends and the batch goes back to region {target.region}’s queue for the next annotator. Anything {holder} publishes later is kept and flagged as late.
          </p>
        ) : (
          <p>
            The batch moves from {holder} to the annotator you name, with a fresh lease. Anything {holder} publishes later is kept and flagged as late.
          </p>
        )}
      </div>
      {mode === 'reassign' && (
        <div className="field" data-invalid={problem ? true : undefined}>
          <label className="field-label" htmlFor={`${ids}-to`}>
            Give it to
          </label>
          <input id={`${ids}-to`} className="input input-mono" list={`${ids}-people`} value={to} autoComplete="off" spellCheck={false} aria-invalid={problem ? true : undefined} onChange={(e) => {
              setTo(e.target.value);
              setProblem(null);
            }} />
          <datalist id={`${ids}-people`}>
            {others.map((a) => (
              <option key={a} value={a} />
            ))}
          </datalist>
          {problem && <p className="field-error">{problem}</p>}
        </div>
      )}
      <div className="field">
        <label className="field-label" htmlFor={`${ids}-reason`}>
          Reason <span className="field-optional">Optional</span>
        </label>
        <input id={`${ids}-reason`} className="input" value={reason} placeholder="On leave until Monday" autoComplete="off" onChange={(e) => setReason(e.target.value)} />
      </div>
      <div className="dialog-actions">
        <button type="button" className="button button-secondary" onClick={onClose} disabled={working}>
          Cancel
        </button>
        <button type="button" className="button button-primary" onClick={() => void confirm()} disabled={working} aria-busy={working || undefined}>
          {working ? (mode === 'release' ? 'Releasing…' : 'Reassigning…') : mode === 'release' ? 'Release' : 'Reassign'}
        </button>
      </div>
    </dialog>
  );
}

export function ClaimActions(props: Props) {
  const [mode, setMode] = useState<Mode | null>(null);
  const busy = useLead((s) => s.claim.state === 'working' && s.claim.batch === props.target.batch);
  return (
    <div className="claim-actions">
      <button type="button" className="button button-secondary button-sm" disabled={busy} onClick={() => setMode('release')} aria-label={`Release ${props.target.batch}`}>
        Release
      </button>
      <button type="button" className="button button-quiet button-sm" disabled={busy} onClick={() => setMode('reassign')} aria-label={`Reassign ${props.target.batch} to…`}>
        Reassign to…
      </button>
      {mode && <ClaimDialog {...props} mode={mode} onClose={() => setMode(null)} />}
    </div>
  );
}

// What the last Release / Reassign did, in the core's words when it refused.
export function ClaimOutcome() {
  const outcome = useLead((s) => s.claim);
  if (outcome.state === 'failed') {
    return <ErrorBanner title={`Batch ${outcome.batch ?? ''} was not changed`} error={outcome.error} testId="claim-error" onDismiss={() => forgetOutcome('claim')} />;
  }
  if (outcome.state !== 'done') return null;
  const v = outcome.value;
  return (
    <div className="banner banner-success" role="status" data-testid="claim-done">
      <CheckIcon className="banner-icon" />
      <div className="banner-body">
        <p className="banner-title">{v.action === 'release' ? `Released batch ${v.batch}` : `Reassigned batch ${v.batch} to ${v.to}`}</p>
        <p>
          {v.action === 'release' ? `It is back in region ${v.region}’s queue.` : `${v.to} holds it now, with a fresh lease.`} Anything {v.formerHolder} publishes for it later is kept and flagged as late.
        </p>
      </div>
      <button type="button" className="button button-quiet banner-dismiss" onClick={() => forgetOutcome('claim')}>
        Dismiss
      </button>
    </div>
  );
}
