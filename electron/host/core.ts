// The core behind every host (Electron IPC, loopback web host, CLI): validates requests, runs handlers, emits events.
import { EventEmitter } from 'node:events';
import { Commands, type CommandName, type CommandResponse, type EventName, type Events } from '../../shared/api.ts';
import { err, FerryError, ok, type Result } from '../../shared/result.ts';
import type { z } from 'zod';
import { createHandlers } from './handlers.ts';
import { createAnnotator, type Annotator, type AnnotatorOptions } from '../annotator/annotator.ts';
import { createSyncService, type SyncService, type SyncServiceOptions } from '../sync/sync-service.ts';
import type { S3ClientOptions } from '../s3/client.ts';
import { workspaceHolder, type WorkspaceHolder } from '../workspace/workspace.ts';

export type HostKind = 'electron' | 'web' | 'cli';

export type CoreOptions = {
  readonly configPath: string;
  readonly host: HostKind;
  readonly version: string;
  readonly nativeBinding?: string; // the Electron shell's build of better-sqlite3
  readonly annotator?: AnnotatorOptions;
  // Background sync; autoSync defaults to on for the app and the web host, off for one-shot CLI commands.
  readonly sync?: SyncServiceOptions;
  // The S3 data client's attempts and timeouts; defaults suit real networks (tests shorten them).
  readonly s3?: S3ClientOptions;
};

export interface CoreContext extends CoreOptions {
  emit<E extends EventName>(event: E, payload: Events[E]): void;
}

export type Handlers = {
  [K in CommandName]: (request: z.output<(typeof Commands)[K]>) => Promise<CommandResponse<K>>;
};

export interface Core {
  dispatch(command: string, request: unknown): Promise<Result<unknown>>;
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
  readonly context: CoreContext;
  readonly annotator: Annotator;
  readonly sync: SyncService;
  readonly workspaces: WorkspaceHolder;
  close(): Promise<void>;
}

// Every event of the contract, for the hosts that forward them; a Record keyed by EventName makes a new event a type error here.
const EVENTS: Readonly<Record<EventName, true>> = { progress: true, sync: true, prodigy: true, batch: true };
export const EVENT_NAMES = Object.keys(EVENTS) as EventName[];

function isCommand(name: string): name is CommandName {
  return Object.hasOwn(Commands, name);
}

export function toErr(error: unknown) {
  if (error instanceof FerryError) return { ok: false as const, error: error.toShape() };
  const message = error instanceof Error ? error.message : String(error);
  return err('internal', `Something went wrong inside Ferry: ${message}`, error instanceof Error ? error.stack : undefined);
}

export function createCore(options: CoreOptions): Core {
  const events = new EventEmitter();
  events.setMaxListeners(100);
  const context: CoreContext = {
    ...options,
    emit(event, payload) {
      events.emit(event, payload);
    },
  };
  const workspaces = workspaceHolder(options.configPath, { ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}), ...(options.s3 ? { s3: options.s3 } : {}) });
  const sync = createSyncService(context, workspaces, { autoSync: options.host !== 'cli', ...options.sync });
  const annotator = createAnnotator(context, workspaces, sync, options.annotator);
  sync.attach(annotator.syncHost());
  sync.start();
  const handlers = createHandlers(context, { workspaces, annotator });
  return {
    context,
    annotator,
    sync,
    workspaces,
    async dispatch(command, request) {
      if (!isCommand(command)) return err('unknown-command', `Ferry has no command "${command}".`);
      const parsed = Commands[command].safeParse(request ?? {});
      if (!parsed.success) {
        const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '(request)'}: ${i.message}`).join('; ');
        return err('invalid-request', `The request for "${command}" is not valid: ${detail}`);
      }
      try {
        const handler = handlers[command] as (r: unknown) => Promise<unknown>;
        return ok(await handler(parsed.data));
      } catch (error) {
        return toErr(error);
      }
    },
    on(event, listener) {
      events.on(event, listener);
      return () => events.off(event, listener);
    },
    async close() {
      await annotator.stopAll(); // Prodigy stops cleanly and its last answers are harvested
      await sync.close(); // the round in flight ends (uploads are create-once, so a cut one is simply redone)
      await workspaces.reset();
      events.removeAllListeners();
    },
  };
}
