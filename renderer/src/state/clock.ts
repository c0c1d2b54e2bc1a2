// The time screens measure "2 minutes ago" against: one shared clock ticking a few times a minute.
import { defineStore } from './store.ts';

type ClockStore = { readonly now: number };

const TICK_MS = 15_000;

export const useClock = defineStore<ClockStore>(() => ({ now: Date.now() }));

setInterval(() => useClock.setState({ now: Date.now() }), TICK_MS);

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

// "just now", "2 minutes ago", "yesterday"; `iso` in the past or (for leases) the future.
export function relativeTime(iso: string, now: number): string {
  // `now` re-renders the caller every tick; the real time keeps a moment just past from reading as ahead of a stale tick.
  const seconds = (new Date(iso).getTime() - Math.max(now, Date.now())) / 1000;
  const abs = Math.abs(seconds);
  if (abs < 45) return seconds <= 0 ? 'just now' : 'in a moment';
  if (abs < 45 * 60) return relative.format(Math.round(seconds / 60), 'minute');
  if (abs < 22 * 3600) return relative.format(Math.round(seconds / 3600), 'hour');
  return relative.format(Math.round(seconds / 86_400), 'day');
}

const dateTime = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
const fullDateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short' });

// "Mon 8 Dec, 09:14": short enough for a line of metadata.
export function shortDateTime(iso: string): string {
  return dateTime.format(new Date(iso));
}

// For a title attribute, where the exact moment matters more than brevity.
export function fullDate(iso: string): string {
  return fullDateTime.format(new Date(iso));
}
