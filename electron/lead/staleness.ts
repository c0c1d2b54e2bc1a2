// When a claim counts as stale: its lease has passed, or nothing was heard from the holder for `staleAfterMs`
// (no heartbeat newer than that, or — without any heartbeat — no claim or renewal newer than that).
import type { StaleReason } from '../../shared/lead.ts';

export type ClaimTimes = { readonly claimedAt: string; readonly leaseUntil: string; readonly renewedAt?: string | null };

export const DEFAULT_STALE_AFTER_HOURS = 24;

export function staleReasons(claim: ClaimTimes, heartbeatAt: string | null, now: Date, staleAfterMs: number): StaleReason[] {
  const reasons: StaleReason[] = [];
  const at = now.getTime();
  if (Date.parse(claim.leaseUntil) < at) reasons.push('lease-expired');
  if (heartbeatAt !== null) {
    if (Date.parse(heartbeatAt) < at - staleAfterMs) reasons.push('heartbeat-old');
  } else if (Date.parse(claim.renewedAt ?? claim.claimedAt) < at - staleAfterMs) {
    reasons.push('no-heartbeat');
  }
  return reasons;
}

export function ago(iso: string, now: Date): string {
  const s = Math.max(0, Math.round((now.getTime() - Date.parse(iso)) / 1000));
  if (s < 90) return `${s} s ago`;
  if (s < 90 * 60) return `${Math.round(s / 60)} min ago`;
  if (s < 36 * 3600) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} days ago`;
}
