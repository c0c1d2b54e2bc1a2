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

// ---- commands: name -> request schema; responses typed below ----
export const Commands = {
  'app.info': z.object({}).strict(),
  'config.get': z.object({}).strict(),
  'config.save': z.object({ config: WorkspaceConfigSchema }).strict(),
  'config.profiles': z.object({}).strict(),
  'doctor.run': z.object({ config: WorkspaceConfigSchema.optional() }).strict(),
} as const;

export type CommandName = keyof typeof Commands;
export type CommandRequest<K extends CommandName> = z.input<(typeof Commands)[K]>;

export type CommandResponses = {
  'app.info': AppInfo;
  'config.get': ConfigView;
  'config.save': ConfigView;
  'config.profiles': { readonly profiles: readonly string[]; readonly files: readonly string[] };
  'doctor.run': DoctorReport;
};
export type CommandResponse<K extends CommandName> = CommandResponses[K];

// ---- events pushed from the core ----
export type ProgressEvent = {
  readonly operation: string;
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

export type Events = {
  progress: ProgressEvent;
  sync: SyncEvent;
  prodigy: ProdigyEvent;
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
