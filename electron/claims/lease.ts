// Keeping a claim while working, and noticing when it is gone (invariant 3, docs/s3-layout.md rule 5). The holder
// renews by compare-and-swap on the ETag it stored; a 412 means the claim changed: either another Ferry of the same
// annotator renewed it (same annotator and claimedAt: still ours), or a lead released or reassigned it (lost).
import { ClaimSchema, type Claim } from '../../shared/batch.ts';
import { FerryError } from '../../shared/result.ts';
import { claimKey } from '../../shared/s3-layout.ts';
import { getJson, putIfMatch } from '../s3/objects.ts';
import type { S3Target } from '../projects/projects.ts';

export const DAY_MS = 24 * 60 * 60 * 1000;

export type ClaimRef = { readonly project: string; readonly region: string; readonly batch: string };
// What this app holds: the claim as it wrote it (null when unknown, e.g. after a rebuild) and its ETag.
export type MyClaim = { readonly annotator: string; readonly claim: Claim | null; readonly etag: string | null };

export type ClaimCheck =
  | { readonly state: 'held'; readonly claim: Claim; readonly etag: string; readonly renewed: boolean }
  | { readonly state: 'lost'; readonly found: Claim | null; readonly holder: string | null; readonly why: 'other-annotator' | 'newer-claim' | 'released' | 'unreadable' };

// Renew when less than half the lease is left, and at least once a day while the batch is being worked on.
export function renewalDue(claim: Pick<Claim, 'claimedAt' | 'leaseUntil' | 'renewedAt'>, leaseDays: number, now: Date): boolean {
  const left = new Date(claim.leaseUntil).getTime() - now.getTime();
  const lastWritten = new Date(claim.renewedAt ?? claim.claimedAt).getTime();
  return left < (leaseDays * DAY_MS) / 2 || now.getTime() - lastWritten >= DAY_MS;
}

function isOurs(found: Claim, mine: MyClaim): boolean {
  if (found.annotator !== mine.annotator) return false;
  return mine.claim === null || found.claimedAt === mine.claim.claimedAt;
}

// Reads the claim object and says whether it is still ours. Network failures are thrown (the caller is offline).
export async function checkClaim(target: S3Target, ref: ClaimRef, mine: MyClaim, signal?: AbortSignal): Promise<ClaimCheck> {
  const key = claimKey(target.prefix, ref.project, ref.region, ref.batch);
  let found: { value: Claim; etag: string };
  try {
    found = await getJson(target.client, target.bucket, key, ClaimSchema, signal ? { signal } : {});
  } catch (error) {
    if (error instanceof FerryError && error.code === 'not-found') return { state: 'lost', found: null, holder: null, why: 'released' };
    if (error instanceof FerryError && error.code === 'malformed-input') return { state: 'lost', found: null, holder: null, why: 'unreadable' };
    throw error;
  }
  if ((mine.etag !== null && found.etag === mine.etag) || isOurs(found.value, mine)) return { state: 'held', claim: found.value, etag: found.etag, renewed: false };
  return { state: 'lost', found: found.value, holder: found.value.annotator, why: found.value.annotator === mine.annotator ? 'newer-claim' : 'other-annotator' };
}

// CAS renewal: a fresh lease of leaseDays from now. On 412 the claim is read again and judged.
export async function renewClaim(target: S3Target, ref: ClaimRef, mine: MyClaim & { readonly claim: Claim; readonly etag: string }, leaseDays: number, now: Date, signal?: AbortSignal): Promise<ClaimCheck> {
  const key = claimKey(target.prefix, ref.project, ref.region, ref.batch);
  const renewed: Claim = ClaimSchema.parse({ ...mine.claim, leaseUntil: new Date(now.getTime() + leaseDays * DAY_MS).toISOString(), renewedAt: now.toISOString() });
  try {
    const { etag } = await putIfMatch(target.client, target.bucket, key, JSON.stringify(renewed, null, 2), mine.etag, { contentType: 'application/json', ...(signal ? { signal } : {}) });
    return { state: 'held', claim: renewed, etag, renewed: true };
  } catch (error) {
    if (error instanceof FerryError && error.code === 'conflict') return await checkClaim(target, ref, { ...mine, etag: null }, signal);
    // moto and S3 answer 404 to If-Match on a missing key: the claim was released.
    if (error instanceof FerryError && error.code === 'not-found') return { state: 'lost', found: null, holder: null, why: 'released' };
    throw error;
  }
}

function day(iso: string): string {
  return new Date(iso).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
}

// The plain-words note shown on the batch once its claim is lost.
export function lostClaimNote(batch: string, ourLeaseUntil: string | null, check: Extract<ClaimCheck, { state: 'lost' }>, now: Date): string {
  const ended = ourLeaseUntil !== null && new Date(ourLeaseUntil).getTime() <= now.getTime();
  const lease = ourLeaseUntil === null ? 'Your lease' : ended ? `Your lease on batch ${batch} ended on ${day(ourLeaseUntil)}` : `Your lease on batch ${batch} (until ${day(ourLeaseUntil)})`;
  const after = 'your answers are still published, marked late.';
  if (check.why === 'released') return `${lease}${ended ? ' and' : ' was cut short:'} the claim was released by your team lead; ${after}`;
  if (check.why === 'unreadable') return `The claim on batch ${batch} in S3 is not a valid claim any more, so Ferry treats it as lost; ${after}`;
  if (check.why === 'newer-claim') return `${lease}${ended ? ' and' : ' was replaced:'} batch ${batch} was claimed again for ${check.holder} (a newer claim); ${after}`;
  return ended ? `${lease} and it was given to ${check.holder}; ${after}` : `${lease} was cut short: your team lead gave batch ${batch} to ${check.holder}; ${after}`;
}
