// Pieces both batch screens show: the status pill, progress bars, the short batch id, the stand-in notice.
import type { BatchView, LocalBatchStatus, ProgressEvent } from '../../../../shared/api.ts';
import { InfoIcon } from './icons.tsx';

export const STATUS_TEXT: Record<LocalBatchStatus, string> = {
  claimed: 'Claimed',
  pulling: 'Downloading',
  ready: 'Ready',
  annotating: 'Annotating',
  submitting: 'Submitting',
  submitted: 'Submitted',
  failed: 'Failed',
};

export function StatusPill({ status }: { readonly status: LocalBatchStatus }) {
  return (
    <span className="pill" data-status={status} data-testid="status-pill">
      <span className="pill-dot" aria-hidden="true" />
      {STATUS_TEXT[status]}
    </span>
  );
}

// "000012-3fa9c1d2e7" → "000012-3fa9": the queue position and enough hash to tell two apart.
export function shortBatchId(batch: string): string {
  const match = /^(\d{6})-([0-9a-f]+)$/.exec(batch);
  return match ? `${match[1]}-${match[2]!.slice(0, 4)}` : batch;
}

type BarProps = { readonly value: number; readonly max: number; readonly label: string; readonly tone?: 'accent' | 'success' | 'muted'; readonly size?: 'sm' | 'lg' };

// A meter drawn with a div so it can be styled alike in both colour schemes; the role carries the numbers.
export function ProgressBar({ value, max, label, tone = 'accent', size = 'sm' }: BarProps) {
  const share = max > 0 ? Math.min(1, Math.max(0, value / max)) : 0;
  return (
    <div className="bar" data-size={size} data-tone={tone} role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={max} aria-valuenow={value}>
      <div className="bar-fill" style={{ inlineSize: `${(share * 100).toFixed(1)}%` }} />
    </div>
  );
}

export function IndeterminateBar({ label }: { readonly label: string }) {
  return (
    <div className="bar bar-indeterminate" role="progressbar" aria-label={label}>
      <div className="bar-fill" />
    </div>
  );
}

const SIZE_UNITS = ['B', 'KB', 'MB', 'GB'] as const;

export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < SIZE_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(value < 10 ? 1 : 0)} ${SIZE_UNITS[unit]}`;
}

// The download of a batch that is being claimed: files and bytes as the core reports them.
export function PullProgress({ pull, batch }: { readonly pull: ProgressEvent | undefined; readonly batch: BatchView | undefined }) {
  if (!pull || pull.bytesTotal === 0) {
    return (
      <div className="pull-progress">
        <IndeterminateBar label="Downloading the batch" />
        <p className="pull-text">{batch ? 'Downloading tasks…' : 'Finding the next batch…'}</p>
      </div>
    );
  }
  return (
    <div className="pull-progress">
      <ProgressBar value={pull.bytesDone} max={pull.bytesTotal} label="Downloading the batch" />
      <p className="pull-text" data-testid="pull-text">
        {pull.filesDone} of {pull.filesTotal} files · {formatBytes(pull.bytesDone)} of {formatBytes(pull.bytesTotal)}
      </p>
    </div>
  );
}

export function StandinNotice() {
  return (
    <p className="standin-notice" data-testid="standin-notice">
      <InfoIcon />
      <span>Using the Prodigy stand-in — a test double, not Prodigy</span>
    </p>
  );
}
