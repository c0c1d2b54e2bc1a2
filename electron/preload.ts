// Exposes window.ferry (FerryApi) to the sandboxed, context-isolated renderer. Bundled to dist/electron/preload.cjs
// because a sandboxed preload can only require 'electron'. ipcRenderer itself never crosses the bridge.
import { contextBridge, ipcRenderer } from 'electron';
import type { CommandName, CommandRequest, CommandResponse, EventName, Events, FerryApi } from '../shared/api.ts';
import { err, type Result } from '../shared/result.ts';
import { EVENT_CHANNEL, INVOKE_CHANNEL } from './shell/channels.ts';

type Listener = (payload: unknown) => void;
const listeners = new Map<string, Set<Listener>>();

// Only the payload reaches the page, never the IpcRendererEvent (its `sender` is ipcRenderer).
ipcRenderer.on(EVENT_CHANNEL, (_event, message: unknown) => {
  if (typeof message !== 'object' || message === null) return;
  const { event, payload } = message as { event?: unknown; payload?: unknown };
  if (typeof event !== 'string') return;
  for (const listener of listeners.get(event) ?? []) {
    try {
      listener(payload);
    } catch (error) {
      console.error(`[ferry] a "${event}" listener failed:`, error);
    }
  }
});

const ferry: FerryApi = {
  async invoke<K extends CommandName>(name: K, request: CommandRequest<K>): Promise<Result<CommandResponse<K>>> {
    if (typeof name !== 'string') return err('invalid-request', 'A command name must be a string.');
    try {
      return (await ipcRenderer.invoke(INVOKE_CHANNEL, name, request)) as Result<CommandResponse<K>>;
    } catch (error) {
      return err('internal', `Ferry's main process did not answer "${name}": ${error instanceof Error ? error.message : String(error)}`);
    }
  },
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
    if (typeof listener !== 'function') throw new TypeError('window.ferry.on needs a listener function');
    const set = listeners.get(event) ?? new Set<Listener>();
    listeners.set(event, set);
    const wrapped = listener as Listener;
    set.add(wrapped);
    return () => {
      set.delete(wrapped);
    };
  },
};

contextBridge.exposeInMainWorld('ferry', ferry);
