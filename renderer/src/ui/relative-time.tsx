// A moment as "2 minutes ago" against the shared clock, with the exact date in its title; `missing` when there is none.
import { fullDate, relativeTime, useClock } from '../state/clock.ts';

export function RelativeTime({ iso, missing }: { readonly iso: string | null; readonly missing?: string }) {
  const now = useClock((s) => s.now);
  if (!iso) return <span className="cell-faint">{missing}</span>;
  return (
    <time dateTime={iso} title={fullDate(iso)}>
      {relativeTime(iso, now)}
    </time>
  );
}
