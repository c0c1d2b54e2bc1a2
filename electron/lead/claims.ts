// A lead releases or reassigns a claim by compare-and-swap on the ETag Ferry read, so it cannot race the holder's
// renewal: a claim renewed since it was read is left alone and the lead is told why. What happened is kept as an
// immutable release record, so the former holder's later results are recognised as late.
import { ClaimSchema, type Claim } from '../../shared/batch.ts';
import { HeartbeatSchema, ReleaseRecordSchema, RetirementSchema, type ClaimChangeView, type ReleaseRecord } from '../../shared/lead.ts';
import { FerryError } from '../../shared/result.ts';
import { assertId, claimKey, heartbeatKey, parseSubmissionKey, releaseRecordKey, submissionsPrefix } from '../../shared/s3-layout.ts';
import { deleteIfMatch, getText, listKeys, putIfMatch, putObjectOnce } from '../s3/objects.ts';
import { DAY_MS } from '../claims/lease.ts';
import { assertRegion, readProject, type S3Target } from '../projects/projects.ts';
import { ago, DEFAULT_STALE_AFTER_HOURS, staleReasons } from './staleness.ts';

export type ClaimChangeInput = {
  readonly project: string;
  readonly region: string;
  readonly batch: string;
  readonly actor: string; // the lead
  readonly reason?: string;
  readonly force?: boolean; // release a claim that is not stale
  readonly staleAfterHours?: number;
  readonly appVersion: string;
  readonly now?: () => Date;
};

// What the app shows (ClaimChangeView) plus what the CLI and tests look at.
export type ClaimChange = ClaimChangeView & {
  readonly record: ReleaseRecord;
  readonly claim: Claim | null; // the new holder's claim (reassign)
};

type Current = { readonly claim: Claim; readonly etag: string };

async function readClaim(target: S3Target, key: string, input: ClaimChangeInput): Promise<Current> {
  let text: string;
  let etag: string;
  try {
    ({ text, etag } = await getText(target.client, target.bucket, key));
  } catch (error) {
    if (error instanceof FerryError && error.code === 'not-found') {
      throw new FerryError('not-found', `Batch ${input.batch} of region ${input.region} is not claimed by anyone, so there is no claim to release (annotators can already get it).`);
    }
    throw error;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new FerryError('malformed-input', `s3://${target.bucket}/${key} is not valid JSON; Ferry does not change a claim it cannot read. Look at the object and fix or remove it by hand.`);
  }
  const retired = RetirementSchema.safeParse(raw);
  if (retired.success) throw new FerryError('conflict', `Batch ${input.batch} was retired on ${retired.data.retiredAt} (${retired.data.reason}); a retired batch stays retired and cannot be released or reassigned.`);
  const claim = ClaimSchema.safeParse(raw);
  if (!claim.success) throw new FerryError('malformed-input', `s3://${target.bucket}/${key} is not a claim Ferry understands (${claim.error.issues.map((i) => `${i.path.join('.') || '(object)'}: ${i.message}`).join('; ')}).`);
  return { claim: claim.data, etag };
}

async function lastHeartbeat(target: S3Target, input: ClaimChangeInput, annotator: string): Promise<string | null> {
  try {
    const { text } = await getText(target.client, target.bucket, heartbeatKey(target.prefix, input.project, input.region, annotator));
    const hb = HeartbeatSchema.safeParse(JSON.parse(text));
    return hb.success ? (hb.data.lastSeenAt ?? hb.data.lastSeen ?? null) : null;
  } catch {
    return null; // no heartbeat (yet): staleness falls back to the claim's own times
  }
}

async function submittedBy(target: S3Target, project: string, input: ClaimChangeInput, annotator: string): Promise<boolean> {
  for await (const o of listKeys(target.client, target.bucket, submissionsPrefix(target.prefix, project, input.region, input.batch))) {
    if (parseSubmissionKey(target.prefix, o.key)?.annotator === annotator) return true;
  }
  return false;
}

function notStaleMessage(current: Current, heartbeat: string | null, now: Date, hours: number): string {
  const { claim } = current;
  const renewed = claim.renewedAt ? `renewed it ${ago(claim.renewedAt, now)} (${claim.renewedAt})` : `claimed it ${ago(claim.claimedAt, now)} (${claim.claimedAt})`;
  const seen = heartbeat ? `, and their app was last seen ${ago(heartbeat, now)}` : '';
  return `${claim.annotator} holds batch ${claim.batch} and the claim is not stale: they ${renewed}, the lease runs until ${claim.leaseUntil}${seen}. Ferry releases only stale claims (lease expired, or nothing heard for ${hours} h); pass --force to release it anyway.`;
}

// After a failed compare-and-swap: read the claim again and say what changed.
async function raceMessage(target: S3Target, key: string, before: Current, action: string): Promise<string> {
  try {
    const { text } = await getText(target.client, target.bucket, key);
    const now = ClaimSchema.safeParse(JSON.parse(text));
    if (now.success && now.data.annotator === before.claim.annotator) {
      const when = now.data.renewedAt ? `renewed the claim at ${now.data.renewedAt}` : 'changed the claim';
      return `${now.data.annotator} ${when} (lease now until ${now.data.leaseUntil}) after Ferry read it, so it was not ${action}: their app is alive and working on it. Nothing was changed.`;
    }
    if (now.success) return `The claim on batch ${before.claim.batch} changed hands while Ferry was working: ${now.data.annotator} holds it now. Nothing was changed.`;
    return `The claim on batch ${before.claim.batch} was changed by someone else while Ferry was working. Nothing was changed.`;
  } catch {
    return `The claim on batch ${before.claim.batch} was removed by someone else (another lead?) while Ferry was working. Nothing was changed.`;
  }
}

async function changeClaim(target: S3Target, input: ClaimChangeInput, to: string | null): Promise<ClaimChange> {
  const now = (input.now ?? (() => new Date()))();
  const project = await readProject(target, input.project);
  assertRegion(project, input.region);
  assertId('batch', input.batch);
  if (to !== null) assertId('annotator', to);
  const hours = input.staleAfterHours ?? DEFAULT_STALE_AFTER_HOURS;
  const key = claimKey(target.prefix, project.name, input.region, input.batch);
  const current = await readClaim(target, key, input);
  const action = to === null ? 'release' : 'reassign';
  if (to !== null && to === current.claim.annotator) throw new FerryError('invalid-request', `${to} already holds batch ${input.batch}; there is nothing to reassign.`);
  if (await submittedBy(target, project.name, input, current.claim.annotator)) {
    throw new FerryError('conflict', `${current.claim.annotator} already submitted batch ${input.batch}; its claim stays so nobody annotates it again. Send it for rework in review instead.`);
  }
  const heartbeat = await lastHeartbeat(target, input, current.claim.annotator);
  const reasons = staleReasons(current.claim, heartbeat, now, hours * 3600 * 1000);
  if (reasons.length === 0 && input.force !== true) throw new FerryError('conflict', notStaleMessage(current, heartbeat, now, hours));
  let claim: Claim | null = null;
  try {
    if (to === null) await deleteIfMatch(target.client, target.bucket, key, current.etag);
    else {
      claim = ClaimSchema.parse({ kind: 'ferry.claim', version: 1, project: project.name, region: input.region, batch: input.batch, annotator: to, claimedAt: now.toISOString(), leaseUntil: new Date(now.getTime() + project.leaseDays * DAY_MS).toISOString(), appVersion: input.appVersion });
      await putIfMatch(target.client, target.bucket, key, JSON.stringify(claim, null, 2), current.etag);
    }
  } catch (error) {
    if (error instanceof FerryError && error.code === 'conflict') throw new FerryError('conflict', await raceMessage(target, key, current, action === 'release' ? 'released' : 'reassigned'));
    throw error;
  }
  const record = ReleaseRecordSchema.parse({
    kind: 'ferry.release',
    version: 1,
    project: project.name,
    region: input.region,
    batch: input.batch,
    action,
    formerHolder: current.claim.annotator,
    formerClaim: { claimedAt: current.claim.claimedAt, leaseUntil: current.claim.leaseUntil, ...(current.claim.renewedAt ? { renewedAt: current.claim.renewedAt } : {}), etag: current.etag },
    ...(to !== null ? { to } : {}),
    releasedAt: now.toISOString(),
    releasedBy: input.actor,
    ...(input.reason ? { reason: input.reason } : {}),
    forced: reasons.length === 0,
  });
  const recordKey = releaseRecordKey(target.prefix, project.name, input.region, input.batch, now, current.claim.annotator);
  try {
    await putObjectOnce(target.client, target.bucket, recordKey, JSON.stringify(record, null, 2), { contentType: 'application/json' });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new FerryError('internal', `The claim on ${input.batch} was ${action === 'release' ? 'released' : `reassigned to ${to}`}, but its release record could not be written (${message}). ${current.claim.annotator}'s app will still see that it lost the batch; write s3://${target.bucket}/${recordKey} by hand if later results must be flagged.`);
  }
  return { project: project.name, region: input.region, batch: input.batch, action, formerHolder: current.claim.annotator, to, staleReasons: reasons, forced: reasons.length === 0, recordKey, record, claim };
}

export async function releaseClaim(target: S3Target, input: ClaimChangeInput): Promise<ClaimChange> {
  return await changeClaim(target, input, null);
}

export async function reassignClaim(target: S3Target, input: ClaimChangeInput & { readonly to: string }): Promise<ClaimChange> {
  if (!input.to) throw new FerryError('invalid-request', 'Name the annotator to give the batch to: --to ANNOTATOR.');
  return await changeClaim(target, input, input.to);
}
