// The core behind every host (Electron IPC, loopback web host, CLI): validates requests, runs handlers, emits events.
import { EventEmitter } from 'node:events';
import { Commands, type CommandName, type CommandResponse, type EventName, type Events } from '../../shared/api.ts';
import { err, FerryError, ok, type Result } from '../../shared/result.ts';
import type { z } from 'zod';
import { createHandlers } from './handlers.ts';
import { createAnnotator, type Annotator, type AnnotatorOptions } from '../annotator/annotator.ts';
import { workspaceHolder, type WorkspaceHolder } from '../workspace/workspace.ts';

export type HostKind = 'electron' | 'web' | 'cli';

export type CoreOptions = {
  readonly configPath: string;
  readonly host: HostKind;
  readonly version: string;
  readonly nativeBinding?: string; // the Electron shell's build of better-sqlite3
  readonly annotator?: AnnotatorOptions;
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
  readonly workspaces: WorkspaceHolder;
  close(): Promise<void>;
}

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
  const workspaces = workspaceHolder(options.configPath, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  const annotator = createAnnotator(context, workspaces, options.annotator);
  const handlers = createHandlers(context, { workspaces, annotator });
  return {
    context,
    annotator,
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
      await workspaces.reset();
      events.removeAllListeners();
    },
  };
}
