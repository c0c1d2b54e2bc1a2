// Pieces every lead screen uses: batch-state pills and stacked bars, counts, chips, breadcrumbs.
import { useEffect, useState } from 'react';
import { BATCH_STATES, type BatchCounts, type BatchState } from '../../../../shared/lead.ts';
import { ChevronIcon } from './lead-icons.tsx';

export const BATCH_STATE_TEXT: Readonly<Record<BatchState, string>> = {
  unclaimed: 'Unclaimed',
  claimed: 'Claimed',
  submitted: 'Submitted',
  in_review: 'In review',
  accepted: 'Accepted',
  rework: 'Rework',
  retired: 'Retired',
};

const numbers = new Intl.NumberFormat('en');

export function formatCount(value: number): string {
  return numbers.format(value);
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${formatCount(count)} ${count === 1 ? one : many}`;
}

// A stale claim is still "claimed" to the core; the pill says stale so it stands out in a long list.
export function BatchStatePill({ status, stale }: { readonly status: BatchState; readonly stale?: boolean }) {
  return (
    <span className="pill lead-pill" data-state={stale ? 'stale' : status} data-testid="batch-state" title={stale ? 'Claimed, but the claim is stale' : undefined}>
      <span className="pill-dot" aria-hidden="true" />
      {stale ? 'Stale claim' : BATCH_STATE_TEXT[status]}
    </span>
  );
}

function stateSummary(counts: BatchCounts): string {
  const parts = BATCH_STATES.filter((s) => counts[s] > 0).map((s) => `${formatCount(counts[s])} ${BATCH_STATE_TEXT[s].toLowerCase()}`);
  return parts.length ? parts.join(', ') : 'no batches';
}

// One bar per region, a segment per batch state; the label carries the numbers for screen readers.
export function StateBar({ counts, size = 'md' }: { readonly counts: BatchCounts; readonly size?: 'md' | 'lg' }) {
  const live = BATCH_STATES.reduce((sum, s) => sum + counts[s], 0);
  return (
    <div className="state-bar" data-size={size} role="img" aria-label={stateSummary(counts)} data-empty={live === 0 || undefined}>
      {live > 0 &&
        BATCH_STATES.filter((s) => counts[s] > 0).map((s) => (
          <span key={s} className="state-bar-segment" data-state={s} style={{ flexGrow: counts[s] }} title={`${BATCH_STATE_TEXT[s]}: ${formatCount(counts[s])}`} />
        ))}
    </div>
  );
}

// The states a region's batches are in, with their numbers: the legend of its stacked bar.
export function StateCounts({ counts }: { readonly counts: BatchCounts }) {
  return (
    <ul className="state-legend state-counts" aria-label="Batches by state">
      {BATCH_STATES.map((s) => (
        <li key={s} data-state={s} data-zero={counts[s] === 0 || undefined}>
          <span className="state-swatch" aria-hidden="true" />
          {BATCH_STATE_TEXT[s]}
          <strong>{formatCount(counts[s])}</strong>
        </li>
      ))}
    </ul>
  );
}

export function Chips({ items, label, mono }: { readonly items: readonly string[]; readonly label: string; readonly mono?: boolean }) {
  return (
    <ul className={mono ? 'chips chips-mono' : 'chips'} aria-label={label}>
      {items.map((item) => (
        <li key={item} className="chip">
          {item}
        </li>
      ))}
    </ul>
  );
}

export type Crumb = { readonly label: string; readonly href?: string };

export function Breadcrumbs({ items }: { readonly items: readonly Crumb[] }) {
  return (
    <nav className="breadcrumbs" aria-label="Breadcrumb">
      <ol>
        {items.map((item, i) => (
          <li key={`${i}-${item.label}`}>
            {i > 0 && <ChevronIcon className="breadcrumb-sep" />}
            {item.href && i < items.length - 1 ? <a href={item.href}>{item.label}</a> : <span aria-current={i === items.length - 1 ? 'page' : undefined}>{item.label}</span>}
          </li>
        ))}
      </ol>
    </nav>
  );
}

// Seconds since `at`, re-rendered every second while shown (the shared clock ticks too slowly for "12 s ago").
export function useSecondsSince(at: number | null): number | null {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (at === null) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [at]);
  return at === null ? null : Math.max(0, Math.floor((Math.max(now, Date.now()) - at) / 1000));
}

export function sinceText(seconds: number): string {
  if (seconds < 5) return 'just now';
  if (seconds < 90) return `${seconds} s ago`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min ago`;
  return `${Math.round(seconds / 3600)} h ago`;
}

// The accept / reject / ignore entries of a <dl>, coloured by data-series (region, batch, chart tooltip).
export function AnswerKindItems({ counts }: { readonly counts: { readonly accept: number; readonly reject: number; readonly ignore: number } }) {
  return (
    <>
      <div data-series="accept">
        <dt>Accept</dt>
        <dd>{formatCount(counts.accept)}</dd>
      </div>
      <div data-series="reject">
        <dt>Reject</dt>
        <dd>{formatCount(counts.reject)}</dd>
      </div>
      <div data-series="ignore">
        <dt>Ignore</dt>
        <dd>{formatCount(counts.ignore)}</dd>
      </div>
    </>
  );
}
