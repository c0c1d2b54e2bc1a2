// One refresh of a project's state from S3: list every region's batches, claims, submissions, reviews and heartbeats,
// and GET only the small markers whose ETag is new since the last refresh (claims, submissions, heartbeats).
import { ClaimSchema, SubmissionSchema } from '../../shared/batch.ts';
import { HeartbeatSchema, RetirementSchema } from '../../shared/lead.ts';
import { FerryError } from '../../shared/result.ts';
import {
  batchPrefix,
  claimsPrefix,
  heartbeatsPrefix,
  parseBatchKey,
  parseClaimKey,
  parseHeartbeatKey,
  parseReviewKey,
  parseSubmissionKey,
  reviewPrefix,
  submissionsPrefix,
  type Verdict,
} from '../../shared/s3-layout.ts';
import type { IndexedObject, LeadIndexStore, LeadObjectKind } from '../store/lead-index.ts';
import { getText, listKeys } from '../s3/objects.ts';
import type { S3Target } from '../projects/projects.ts';
import { mapLimit } from '../batches/map-limit.ts';
import { createLimiter, type Limiter } from './limiter.ts';

export type ClaimBody =
  | { readonly kind: 'claim'; readonly annotator: string; readonly claimedAt: string; readonly leaseUntil: string; readonly renewedAt: string | null }
  | { readonly kind: 'retired'; readonly retiredAt: string; readonly reason: string }
  | { readonly kind: 'unreadable'; readonly problem: string };
export type SubmissionBody = { readonly annotator: string; readonly submittedAt: string; readonly late: boolean; readonly answers: { accept: number; reject: number; ignore: number; total: number } } | { readonly unreadable: string };
export type HeartbeatBody = { readonly annotator: string; readonly lastSeen: string | null; readonly waiting: number; readonly appVersion: string | null };

export type RegionSnapshot = {
  readonly region: string;
  readonly batches: ReadonlySet<string>;
  readonly claims: ReadonlyMap<string, ClaimBody>; // batch -> what is at its claim key
  readonly submissions: readonly (SubmissionBody & { readonly batch: string; readonly annotator: string })[];
  readonly heartbeats: ReadonlyMap<string, HeartbeatBody>; // annotator -> heartbeat
  readonly inReview: ReadonlySet<string>;
  readonly verdicts: ReadonlyMap<string, Verdict>;
};

export type SnapshotStats = { cold: boolean; changed: number; removed: number };

const REGION_CONCURRENCY = 4; // each region runs its five listings at once
const GET_CONCURRENCY = 16;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function claimBody(text: string): ClaimBody {
  const raw = parseJson(text);
  const claim = ClaimSchema.safeParse(raw);
  if (claim.success) return { kind: 'claim', annotator: claim.data.annotator, claimedAt: claim.data.claimedAt, leaseUntil: claim.data.leaseUntil, renewedAt: claim.data.renewedAt ?? null };
  const retired = RetirementSchema.safeParse(raw);
  if (retired.success) return { kind: 'retired', retiredAt: retired.data.retiredAt, reason: retired.data.reason };
  return { kind: 'unreadable', problem: raw === undefined ? 'not valid JSON' : 'not a claim or a retirement record' };
}

function submissionBody(text: string): SubmissionBody {
  const parsed = SubmissionSchema.safeParse(parseJson(text));
  if (!parsed.success) return { unreadable: 'not a submission marker' };
  const s = parsed.data;
  return { annotator: s.annotator, submittedAt: s.submittedAt, late: s.late, answers: s.answers };
}

function heartbeatBody(text: string, annotator: string): HeartbeatBody {
  const parsed = HeartbeatSchema.safeParse(parseJson(text));
  const h = parsed.success ? parsed.data : {};
  const waiting = h.answersWaiting ?? h.unsynced ?? h.waiting ?? 0;
  return { annotator, lastSeen: h.lastSeenAt ?? h.lastSeen ?? null, waiting: Number.isFinite(waiting) ? waiting : 0, appVersion: h.appVersion ?? null };
}

type Scope = { readonly target: S3Target; readonly project: string; readonly index: LeadIndexStore; readonly gets: Limiter; readonly stats: SnapshotStats; readonly signal?: AbortSignal };

// Lists one marker prefix, reads what changed, writes the index, and returns every listed object with its body.
async function syncMarkers(scope: Scope, region: string, kind: LeadObjectKind, prefix: string, describe: (key: string) => { batch: string | null; annotator: string | null } | null, read: (text: string, ref: { batch: string | null; annotator: string | null }) => unknown): Promise<IndexedObject[]> {
  const { target, index } = scope;
  const known = index.objectsUnder(kind, target.bucket, prefix);
  if (known.size > 0) scope.stats.cold = false;
  const listed: { key: string; etag: string; ref: { batch: string | null; annotator: string | null } }[] = [];
  for await (const o of listKeys(target.client, target.bucket, prefix, scope.signal ? { signal: scope.signal } : {})) {
    const ref = describe(o.key);
    if (ref) listed.push({ key: o.key, etag: o.etag, ref });
  }
  const changed = listed.filter((l) => known.get(l.key)?.etag !== l.etag);
  const fresh = await mapLimit(
    changed,
    GET_CONCURRENCY,
    (l) =>
      scope.gets(async (): Promise<IndexedObject | null> => {
        try {
          const { text, etag } = await getText(target.client, target.bucket, l.key, scope.signal ? { signal: scope.signal } : {});
          return { key: l.key, project: scope.project, region, kind, batch: l.ref.batch, annotator: l.ref.annotator, etag: etag || l.etag, body: read(text, l.ref) };
        } catch (error) {
          if (error instanceof FerryError && error.code === 'not-found') return null; // gone between the listing and the read
          throw error;
        }
      }),
    scope.signal,
  );
  const upserts = fresh.filter((o): o is IndexedObject => o !== null);
  const listedKeys = new Set(listed.map((l) => l.key));
  const gone = [...known.keys()].filter((k) => !listedKeys.has(k));
  fresh.forEach((o, i) => {
    if (o === null) gone.push(changed[i]!.key);
  });
  index.applyObjects(target.bucket, upserts, gone.map((key) => ({ kind, key })));
  scope.stats.changed += upserts.length;
  scope.stats.removed += gone.length;
  const byKey = new Map(upserts.map((o) => [o.key, o]));
  const goneSet = new Set(gone);
  return listed.filter((l) => !goneSet.has(l.key)).map((l) => byKey.get(l.key) ?? known.get(l.key)).filter((o): o is IndexedObject => o !== undefined);
}

async function listingOnly(scope: Scope, region: string): Promise<{ batches: Set<string>; inReview: Set<string>; verdicts: Map<string, Verdict> }> {
  const { target } = scope;
  const batches = new Set<string>();
  const inReview = new Set<string>();
  const verdicts = new Map<string, Verdict>();
  const opts = scope.signal ? { signal: scope.signal } : {};
  await Promise.all([
    (async () => {
      for await (const o of listKeys(target.client, target.bucket, batchPrefix(target.prefix, scope.project, region), opts)) {
        const ref = parseBatchKey(target.prefix, o.key);
        if (ref?.file === 'batch.json') batches.add(ref.batch);
      }
    })(),
    (async () => {
      for await (const o of listKeys(target.client, target.bucket, reviewPrefix(target.prefix, scope.project, region), opts)) {
        const ref = parseReviewKey(target.prefix, o.key);
        if (ref?.kind === 'chunk') inReview.add(ref.batch);
        else if (ref?.kind === 'verdict') verdicts.set(ref.batch, verdicts.get(ref.batch) === 'rework' ? 'rework' : ref.verdict);
      }
    })(),
  ]);
  return { batches, inReview, verdicts };
}

async function regionSnapshot(scope: Scope, region: string): Promise<RegionSnapshot> {
  const { target, project } = scope;
  const p = target.prefix;
  const [listing, claims, submissions, heartbeats] = await Promise.all([
    listingOnly(scope, region),
    syncMarkers(scope, region, 'claim', claimsPrefix(p, project, region), (k) => {
      const r = parseClaimKey(p, k);
      return r ? { batch: r.batch, annotator: null } : null;
    }, (text) => claimBody(text)),
    syncMarkers(scope, region, 'submission', submissionsPrefix(p, project, region), (k) => {
      const r = parseSubmissionKey(p, k);
      return r ? { batch: r.batch, annotator: r.annotator } : null;
    }, (text) => submissionBody(text)),
    syncMarkers(scope, region, 'heartbeat', heartbeatsPrefix(p, project, region), (k) => {
      const r = parseHeartbeatKey(p, k);
      return r ? { batch: null, annotator: r.annotator } : null;
    }, (text, ref) => heartbeatBody(text, ref.annotator!)),
  ]);
  return {
    region,
    batches: listing.batches,
    inReview: listing.inReview,
    verdicts: listing.verdicts,
    claims: new Map(claims.map((o) => [o.batch!, o.body as ClaimBody])),
    submissions: submissions.map((o) => ({ ...(o.body as SubmissionBody), batch: o.batch!, annotator: o.annotator! })),
    heartbeats: new Map(heartbeats.map((o) => [o.annotator!, o.body as HeartbeatBody])),
  };
}

export async function snapshotProject(target: S3Target, project: string, regions: readonly string[], index: LeadIndexStore, signal?: AbortSignal): Promise<{ regions: RegionSnapshot[]; stats: SnapshotStats }> {
  const stats: SnapshotStats = { cold: true, changed: 0, removed: 0 };
  const scope: Scope = { target, project, index, gets: createLimiter(GET_CONCURRENCY), stats, ...(signal ? { signal } : {}) };
  const snapshots = await mapLimit(regions, REGION_CONCURRENCY, (region) => regionSnapshot(scope, region), signal);
  return { regions: snapshots, stats };
}
