// The team lead's records in S3 (ledger entries, retirements, release records) and the progress report shapes.
// docs/s3-layout.md describes the S3 objects; docs/lead.md the commands that produce and read them.
import { z } from 'zod';
import { BatchManifestSchema } from './batch.ts';
import { IdSchema } from './project.ts';

// ---- the batch ledger: projects/P/ledger/SEQ.json, created once each ----
export const LedgerReserveSchema = z.object({ manifest: BatchManifestSchema }).strict();
export const LedgerRetireSchema = z.object({ region: IdSchema, batch: IdSchema }).strict();

export const LedgerEntrySchema = z
  .object({
    kind: z.literal('ferry.ledger'),
    version: z.literal(1),
    project: IdSchema,
    seq: z.number().int().nonnegative(),
    action: z.enum(['create', 'refill', 'rerank-retire', 'rerank-create']),
    createdAt: z.string(),
    createdBy: z.string(),
    nonce: z.string(), // makes every entry's bytes unique, so a retried write recognises its own entry
    reserve: z.array(LedgerReserveSchema).default([]), // new batches: their complete manifests
    retire: z.array(LedgerRetireSchema).default([]), // retirement candidates; each one counts only if its retirement pointer won
  })
  .strict();
export type LedgerEntry = z.infer<typeof LedgerEntrySchema>;

// ---- a retired batch: written at the batch's claim key with If-None-Match, so it and an annotator's claim cannot both win ----
export const RetirementSchema = z
  .object({
    kind: z.literal('ferry.retired'),
    version: z.literal(1),
    project: IdSchema,
    region: IdSchema,
    batch: IdSchema,
    ledgerSeq: z.number().int().nonnegative(),
    retiredAt: z.string(),
    retiredBy: z.string(),
    reason: z.string(),
  })
  .strict();
export type Retirement = z.infer<typeof RetirementSchema>;

// ---- a lead's release or reassignment of a claim: projects/P/releases/R/B/STAMP-A.json, created once ----
export const ReleaseRecordSchema = z
  .object({
    kind: z.literal('ferry.release'),
    version: z.literal(1),
    project: IdSchema,
    region: IdSchema,
    batch: IdSchema,
    action: z.enum(['release', 'reassign']),
    formerHolder: IdSchema,
    formerClaim: z.object({ claimedAt: z.string(), leaseUntil: z.string(), renewedAt: z.string().optional(), etag: z.string() }).strict(),
    to: IdSchema.optional(),
    releasedAt: z.string(),
    releasedBy: z.string(),
    reason: z.string().optional(),
    forced: z.boolean(),
  })
  .strict();
export type ReleaseRecord = z.infer<typeof ReleaseRecordSchema>;

// ---- heartbeats (written by annotators' apps); read tolerantly: only the fields the lead's view needs ----
export const HeartbeatSchema = z
  .object({
    annotator: z.string().optional(),
    lastSeenAt: z.string().optional(),
    lastSeen: z.string().optional(),
    answersWaiting: z.number().optional(),
    unsynced: z.number().optional(), // the first proposed name of answersWaiting
    waiting: z.number().optional(),
    appVersion: z.string().optional(),
  })
  .passthrough();

// ---- the progress report (ferry progress --json, lead.progress) ----
export const BATCH_STATES = ['unclaimed', 'claimed', 'submitted', 'in_review', 'accepted', 'rework'] as const;
export type BatchState = (typeof BATCH_STATES)[number] | 'retired';

export type BatchCounts = { readonly [K in (typeof BATCH_STATES)[number]]: number } & { readonly retired: number; readonly total: number };
export type AnswerCounts = { readonly accept: number; readonly reject: number; readonly ignore: number; readonly total: number };
export type DayCount = AnswerCounts & { readonly day: string };

export type AnnotatorProgress = {
  readonly name: string;
  readonly lastSeen: string | null; // heartbeat time; without a heartbeat, the latest claim or submission time
  readonly lastSeenSource: 'heartbeat' | 'claim' | 'submission' | 'none';
  readonly waiting: number; // answers on their laptop not yet in S3 (heartbeat), 0 without one
  readonly held: number; // batches they hold now (claimed, not yet submitted)
  readonly submitted: number;
  readonly answers: AnswerCounts;
};

export type StaleReason = 'lease-expired' | 'no-heartbeat' | 'heartbeat-old';
export type StaleClaim = {
  readonly batch: string;
  readonly annotator: string;
  readonly claimedAt: string;
  readonly leaseUntil: string;
  readonly renewedAt: string | null;
  readonly lastSeen: string | null;
  readonly reasons: readonly StaleReason[];
};

export type RegionProgress = {
  readonly region: string;
  readonly batches: BatchCounts;
  readonly answers: AnswerCounts;
  readonly annotators: readonly AnnotatorProgress[];
  readonly staleClaims: readonly StaleClaim[];
  readonly answersPerDay: readonly DayCount[];
};

export type RefreshStats = {
  readonly cold: boolean;
  readonly ms: number;
  readonly requests: { readonly list: number; readonly get: number; readonly other: number };
  readonly changed: number; // objects read because they were new or changed since the last refresh
  readonly removed: number;
};

export type ProgressReport = {
  readonly project: string;
  readonly generatedAt: string;
  readonly staleAfterHours: number;
  readonly regions: readonly RegionProgress[];
  readonly totals: { readonly batches: BatchCounts; readonly answers: AnswerCounts };
  readonly answersPerDay: readonly DayCount[];
  readonly refresh: RefreshStats;
};

export type BatchProgress = {
  readonly region: string;
  readonly batch: string;
  readonly status: BatchState;
  readonly holder: string | null;
  readonly claimedAt: string | null;
  readonly leaseUntil: string | null;
  readonly submittedBy: readonly string[];
  readonly answers: AnswerCounts;
  readonly stale: boolean;
};

// lead.progress adds the drill-down: every batch (of one region when asked) with its status, holder and answers.
export type ProgressDetail = ProgressReport & { readonly batches: readonly BatchProgress[] };

// ---- contract views of the lead's commands (lead.*) ----
export type ProjectSummary = {
  readonly name: string;
  readonly recipe: string;
  readonly labels: readonly string[];
  readonly regions: readonly string[];
  readonly dataset: string;
  readonly batchSize: number;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly poolSources: number;
  readonly reviewStages: number;
};

export type CreatedBatchView = { readonly batch: string; readonly region: string; readonly tasks: number; readonly priority: number; readonly key: string };

export type CreateBatchesView = {
  readonly project: string;
  readonly region: string;
  readonly strategy: string;
  readonly created: readonly CreatedBatchView[];
  readonly skipped: number;
  readonly remaining: number;
  readonly unscored: number;
  readonly ledgerSeq: number | null;
  readonly lostRaces: number;
  readonly repaired: readonly string[];
  readonly notes: readonly string[];
};

export type RefillView = {
  readonly project: string;
  readonly perRegion: number;
  readonly strategy: string;
  readonly regions: readonly { readonly region: string; readonly unclaimedBefore: number; readonly created: number; readonly short: number }[];
  readonly created: readonly CreatedBatchView[];
  readonly ledgerSeq: number | null;
  readonly lostRaces: number;
  readonly repaired: readonly string[];
  readonly pool: { readonly items: number; readonly inputs: readonly { readonly uri: string; readonly items: number; readonly listedKeys?: number; readonly fullScan?: boolean }[]; readonly deleted: readonly string[]; readonly unsupported: readonly string[] };
  readonly notes: readonly string[];
};

export type RerankView = {
  readonly project: string;
  readonly strategy: string;
  readonly retired: readonly { readonly region: string; readonly batch: string }[];
  readonly kept: readonly { readonly region: string; readonly batch: string }[];
  readonly created: readonly CreatedBatchView[];
  readonly retireSeq: number | null;
  readonly createSeq: number | null;
  readonly lostRaces: number;
  readonly notes: readonly string[];
};

export type ClaimChangeView = {
  readonly project: string;
  readonly region: string;
  readonly batch: string;
  readonly action: 'release' | 'reassign';
  readonly formerHolder: string;
  readonly to: string | null;
  readonly staleReasons: readonly StaleReason[];
  readonly forced: boolean;
  readonly recordKey: string;
};
