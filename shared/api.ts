// The one typed contract between the renderer and the core: every command and every pushed event.
// Hosts (Electron IPC, the loopback WebSocket) carry exactly this; the core validates every request with zod.
import { z } from 'zod';
import { WorkspaceConfigSchema, type WorkspaceConfig } from './config.ts';
import type { Result } from './result.ts';
import type { ClaimChangeView, CreateBatchesView, ProgressDetail, ProjectSummary, RefillView, RerankView } from './lead.ts';
import { IdSchema, PoolSourceSchema, ReviewPolicySchema, type Project } from './project.ts';

// ---- domain shapes the renderer sees (never credentials) ----
export type DoctorCheckId = 'config' | 'credentials' | 'bucket' | 'list' | 'read' | 'write' | 'conditional-writes';
export type DoctorCheck = {
  readonly id: DoctorCheckId;
  readonly label: string;
  readonly ok: boolean;
  readonly skipped?: boolean;
  readonly message: string;
  readonly warning?: boolean;
};
export type DoctorReport = { readonly ok: boolean; readonly checks: readonly DoctorCheck[]; readonly endpoint: string };

export type AppInfo = {
  readonly version: string;
  readonly host: 'electron' | 'web';
  readonly configPath: string;
  readonly configured: boolean;
};

export type ConfigView = {
  readonly path: string;
  readonly exists: boolean;
  readonly config: Partial<WorkspaceConfig>;
  readonly problems: readonly string[];
};

export type LocalBatchStatus = 'claimed' | 'pulling' | 'ready' | 'annotating' | 'submitting' | 'submitted' | 'failed';

// One batch as the annotator's app knows it (from the local store, refreshed from S3).
export type BatchView = {
  readonly id: string; // "project/region/batch"
  readonly project: string;
  readonly region: string;
  readonly batch: string;
  readonly status: LocalBatchStatus;
  readonly recipe: string | null;
  readonly labels: readonly string[];
  readonly answered: number;
  readonly total: number;
  readonly unpublished: number;
  readonly leaseUntil: string | null;
  readonly lastSyncAt: string | null;
  readonly error: string | null;
  readonly prodigy: { readonly state: ProdigyEvent['state'] | 'idle'; readonly url?: string };
  // Whether the claim in S3 still names this annotator; `message` says in plain words what happened when it does not.
  readonly claim?: { readonly state: 'held' | 'lost' | 'unknown'; readonly holder?: string; readonly message?: string };
  // Answers of this batch are published marked late (the claim was lost); see docs/s3-layout.md.
  readonly late?: boolean;
};

export type OutboxView = { readonly pending: number; readonly failed: number; readonly nextAttemptAt: string | null };
export type StatusView = { readonly batches: readonly BatchView[]; readonly outbox: OutboxView; readonly prodigy: 'real' | 'stand-in' | 'missing'; readonly sync?: SyncEvent };

export type SubmitView = {
  readonly batch: BatchView;
  readonly state: 'submitted' | 'queued';
  readonly message: string;
  readonly chunks: readonly { readonly key: string; readonly sha256: string; readonly count: number }[];
};

const BatchIdSchema = z.string().regex(/^[A-Za-z0-9._-]+\/[A-Za-z0-9._-]+\/[A-Za-z0-9._-]+$/, 'a batch id "project/region/batch"');

// The team lead's batching options (lead.batches.*): the rule, its inputs, and where the pool comes from.
const LeadBatchingFields = {
  size: z.number().int().positive().optional(),
  strategy: z.enum(['sequential', 'random', 'uncertainty', 'margin', 'entropy', 'stratified']).optional(),
  by: z.string().min(1).optional(), // stratified: the meta field
  scoresFile: z.string().min(1).optional(), // a JSONL file on this computer
  seed: z.string().min(1).optional(),
  skipBadScores: z.boolean().optional(),
  poolFile: z.string().min(1).optional(), // instead of the project's pool: a path, s3://bucket/key.jsonl|.csv or s3://bucket/prefix/
  rescan: z.boolean().optional(),
};
const LeadClaimFields = {
  project: IdSchema,
  region: IdSchema,
  batch: IdSchema,
  reason: z.string().max(500).optional(),
  force: z.boolean().optional(),
  staleAfterHours: z.number().positive().optional(),
};

// ---- commands: name -> request schema; responses typed below ----
export const Commands = {
  'app.info': z.object({}).strict(),
  'config.get': z.object({}).strict(),
  'config.save': z.object({ config: WorkspaceConfigSchema }).strict(),
  'config.profiles': z.object({}).strict(),
  'doctor.run': z.object({ config: WorkspaceConfigSchema.optional() }).strict(),
  'batches.list': z.object({}).strict(),
  'batches.get': z.object({ id: BatchIdSchema }).strict(),
  'batches.claimNext': z.object({ project: z.string().min(1).optional() }).strict(),
  'batches.open': z.object({ id: BatchIdSchema }).strict(),
  'batches.stop': z.object({ id: BatchIdSchema }).strict(),
  'batches.submit': z.object({ id: BatchIdSchema }).strict(),
  'status.get': z.object({}).strict(),
  'sync.now': z.object({}).strict(),
  'lead.projects.list': z.object({}).strict(),
  'lead.project.get': z.object({ project: IdSchema }).strict(),
  'lead.project.create': z
    .object({
      name: IdSchema,
      recipe: z.string().min(1),
      labels: z.array(z.string().min(1)).min(1),
      regions: z.array(IdSchema).min(1),
      dataset: IdSchema.optional(),
      model: z.string().min(1).optional(),
      batchSize: z.number().int().positive().optional(),
      leaseDays: z.number().positive().optional(),
      prodigyArgs: z.array(z.string()).optional(),
      prodigyConfig: z.record(z.string(), z.unknown()).optional(),
      pool: z.object({ sources: z.array(PoolSourceSchema) }).strict().optional(),
      review: ReviewPolicySchema.optional(),
    })
    .strict(),
  'lead.batches.create': z.object({ project: IdSchema, region: IdSchema, count: z.number().int().positive().optional(), ...LeadBatchingFields }).strict(),
  'lead.batches.refill': z.object({ project: IdSchema, perRegion: z.number().int().positive(), regions: z.array(IdSchema).optional(), ...LeadBatchingFields }).strict(),
  'lead.batches.rerank': z.object({ project: IdSchema, regions: z.array(IdSchema).optional(), ...LeadBatchingFields, scoresFile: z.string().min(1) }).strict(),
  'lead.progress': z.object({ project: IdSchema, region: IdSchema.optional(), staleAfterHours: z.number().positive().optional() }).strict(),
  'lead.claims.release': z.object(LeadClaimFields).strict(),
  'lead.claims.reassign': z.object({ ...LeadClaimFields, to: IdSchema }).strict(),
} as const;

export type CommandName = keyof typeof Commands;
export type CommandRequest<K extends CommandName> = z.input<(typeof Commands)[K]>;

export type CommandResponses = {
  'app.info': AppInfo;
  'config.get': ConfigView;
  'config.save': ConfigView;
  'config.profiles': { readonly profiles: readonly string[]; readonly files: readonly string[] };
  'doctor.run': DoctorReport;
  'batches.list': { readonly batches: readonly BatchView[] };
  'batches.get': BatchView;
  'batches.claimNext': BatchView;
  // url is Prodigy's own address (behind basic auth with `login`).
  // browserUrl is what a browser tab should open; loginNeeded says whether it will ask for `login` (the web host
  // serves Prodigy through its own logged-in proxy, so it does not).
  'batches.open': {
    readonly batch: BatchView;
    readonly url: string;
    readonly browserUrl: string;
    readonly loginNeeded: boolean;
    readonly login: { readonly username: string; readonly password: string };
    readonly prodigy: 'real' | 'stand-in';
  };
  'batches.stop': BatchView;
  'batches.submit': SubmitView;
  'status.get': StatusView;
  'sync.now': SyncEvent;
  'lead.projects.list': { readonly projects: readonly ProjectSummary[]; readonly problems: readonly { readonly name: string; readonly message: string }[] };
  'lead.project.get': Project;
  // notes: e.g. unsupported files seen in a pool prefix (the project is created; those files are skipped)
  'lead.project.create': { readonly project: Project; readonly notes: readonly string[] };
  'lead.batches.create': CreateBatchesView;
  'lead.batches.refill': RefillView;
  'lead.batches.rerank': RerankView;
  'lead.progress': ProgressDetail;
  'lead.claims.release': ClaimChangeView;
  'lead.claims.reassign': ClaimChangeView;
};
export type CommandResponse<K extends CommandName> = CommandResponses[K];

// ---- events pushed from the core ----
export type ProgressEvent = {
  readonly operation: 'pull' | 'publish' | string;
  readonly id: string;
  readonly bytesDone: number;
  readonly bytesTotal: number;
  readonly filesDone: number;
  readonly filesTotal: number;
};
export type SyncState = 'online' | 'offline' | 'syncing' | 'needs-attention' | 'unknown';
export type SyncEvent = {
  readonly state: SyncState;
  readonly pending: number;
  readonly failed: number;
  readonly lastSyncAt: string | null;
  readonly nextRetryAt: string | null;
  readonly message?: string;
  // Answers S3 has not confirmed yet: not sealed into a chunk, or in a chunk still waiting in the outbox.
  readonly answersWaiting?: number;
};
export type ProdigyEvent = {
  readonly batch: string;
  readonly state: 'starting' | 'running' | 'stopping' | 'stopped' | 'failed';
  readonly url?: string;
  readonly lastLines?: readonly string[];
};
// Pushed when a batch's local state changes (claimed, pulled, answers harvested, submitted).
export type BatchEvent = { readonly batch: BatchView };

export type Events = {
  progress: ProgressEvent;
  sync: SyncEvent;
  prodigy: ProdigyEvent;
  batch: BatchEvent;
};
export type EventName = keyof Events;

// What the renderer sees as `window.ferry`, in Electron (preload) and in the browser (WebSocket client) alike.
export interface FerryApi {
  invoke<K extends CommandName>(name: K, request: CommandRequest<K>): Promise<Result<CommandResponse<K>>>;
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
}

// ---- wire format of the WebSocket host ----
export type WireRequest = { readonly id: number; readonly command: string; readonly request: unknown };
export type WireMessage =
  | { readonly kind: 'response'; readonly id: number; readonly result: Result<unknown> }
  | { readonly kind: 'event'; readonly event: EventName; readonly payload: unknown };
