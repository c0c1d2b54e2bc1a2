// The one typed contract between the renderer and the core: every command and every pushed event.
// Hosts (Electron IPC, the loopback WebSocket) carry exactly this; the core validates every request with zod.
import { z } from 'zod';
import { WorkspaceConfigSchema, type WorkspaceConfig } from './config.ts';
import type { Result } from './result.ts';

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
};

export type OutboxView = { readonly pending: number; readonly failed: number; readonly nextAttemptAt: string | null };
export type StatusView = { readonly batches: readonly BatchView[]; readonly outbox: OutboxView; readonly prodigy: 'real' | 'stand-in' | 'missing' };

export type SubmitView = {
  readonly batch: BatchView;
  readonly state: 'submitted' | 'queued';
  readonly message: string;
  readonly chunks: readonly { readonly key: string; readonly sha256: string; readonly count: number }[];
};

const BatchIdSchema = z.string().regex(/^[A-Za-z0-9._-]+\/[A-Za-z0-9._-]+\/[A-Za-z0-9._-]+$/, 'a batch id "project/region/batch"');

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
  // url is Prodigy's own address; browserUrl carries its one-time basic-auth login for a browser tab.
  'batches.open': { readonly batch: BatchView; readonly url: string; readonly browserUrl: string; readonly login: { readonly username: string; readonly password: string }; readonly prodigy: 'real' | 'stand-in' };
  'batches.stop': BatchView;
  'batches.submit': SubmitView;
  'status.get': StatusView;
  'sync.now': SyncEvent;
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
