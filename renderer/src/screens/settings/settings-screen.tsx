// Connect / Settings: edit the workspace file, save it, and test the connection to the bucket with the values on screen.
import { useEffect, type FormEvent } from 'react';
import { CheckIcon, CrossIcon, WarningIcon } from '../../shell/icons.tsx';
import { DoctorReportView } from './doctor-report.tsx';
import { fieldSummary } from './form-model.ts';
import { loadSettings, saveSettings, testConnection, useSettings } from './settings-store.ts';
import { WorkspaceFields } from './workspace-fields.tsx';

function Intro() {
  const view = useSettings((s) => s.view);
  if (view && !view.exists) {
    return (
      <header className="screen-header">
        <p className="eyebrow">Welcome to Ferry</p>
        <h1 id="settings-title">Connect Ferry to your team&apos;s bucket</h1>
        <p className="screen-lede">
          Ferry keeps your batches and answers in your team&apos;s S3 bucket. Fill in the details your team lead gave you, test the connection, then save. They are kept in{' '}
          <code>{view.path}</code>.
        </p>
      </header>
    );
  }
  return (
    <header className="screen-header">
      <h1 id="settings-title">Settings</h1>
      <p className="screen-lede">
        Workspace file <code>{view?.path ?? '…'}</code>
      </p>
    </header>
  );
}

function FileProblems() {
  const general = useSettings((s) => s.fileProblems.general);
  if (general.length === 0) return null;
  return (
    <div className="banner banner-error" role="alert">
      <CrossIcon className="banner-icon" />
      <div>
        <p className="banner-title">The workspace file has problems Ferry cannot place on a field</p>
        <ul>
          {general.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      </div>
    </div>
  );
}

function SaveStatus() {
  const outcome = useSettings((s) => s.saveOutcome);
  const fieldErrors = useSettings((s) => s.fieldErrors.fields);
  const misplaced = Object.keys(fieldErrors).length > 0 ? `Not saved: ${fieldSummary(fieldErrors)}.` : null;
  const testError = useSettings((s) => s.testError);
  const testing = useSettings((s) => s.testing);
  return (
    <div className="action-status" role="status" aria-live="polite">
      {testing && <span className="status-note">Testing the connection…</span>}
      {!testing && testError && (
        <span className="status-note status-note-error">
          <CrossIcon />
          <span>{misplaced ? `Could not test: ${fieldSummary(fieldErrors)}.` : `Could not test: ${testError.message}`}</span>
        </span>
      )}
      {!testing && !testError && outcome?.kind === 'saved' && (
        <span className="status-note status-note-ok">
          <CheckIcon />
          <span>
            Saved to <code>{outcome.path}</code>
          </span>
        </span>
      )}
      {!testing && !testError && outcome?.kind === 'error' && (
        <span className="status-note status-note-error">
          <WarningIcon />
          <span>{misplaced ?? `Not saved: ${outcome.error.message}`}</span>
        </span>
      )}
    </div>
  );
}

function Actions() {
  const saving = useSettings((s) => s.saving);
  const testing = useSettings((s) => s.testing);
  return (
    <div className="card action-card">
      <h2 className="action-title">Check and save</h2>
      <p className="action-text">Test the connection with the values on screen before you save them.</p>
      <div className="action-buttons">
        <button type="button" className="button button-secondary" disabled={testing} aria-busy={testing || undefined} onClick={() => void testConnection()}>
          {testing ? 'Testing…' : 'Test connection'}
        </button>
        <button type="submit" className="button button-primary" disabled={saving}>
          {saving ? 'Saving…' : 'Save'}
        </button>
      </div>
      <SaveStatus />
    </div>
  );
}

function TestResults() {
  const report = useSettings((s) => s.report);
  return <div aria-live="polite">{report && <DoctorReportView report={report} />}</div>;
}

function LoadError() {
  const error = useSettings((s) => s.loadError);
  if (!error) return null;
  return (
    <div className="banner banner-error" role="alert">
      <CrossIcon className="banner-icon" />
      <div>
        <p className="banner-title">Ferry could not read the workspace settings</p>
        <p>{error.message}</p>
      </div>
    </div>
  );
}

export function SettingsScreen() {
  const loaded = useSettings((s) => s.view !== null);
  useEffect(() => {
    void loadSettings();
  }, []);
  function submit(event: FormEvent) {
    event.preventDefault();
    void saveSettings();
  }
  return (
    <section className="screen screen-settings" aria-labelledby="settings-title">
      <Intro />
      <LoadError />
      <FileProblems />
      {loaded && (
        <form className="settings-layout" onSubmit={submit} noValidate aria-labelledby="settings-title">
          <div className="settings-fields">
            <WorkspaceFields />
          </div>
          <aside className="settings-side" aria-label="Check and save">
            <Actions />
            <TestResults />
          </aside>
        </form>
      )}
    </section>
  );
}
