// `window.ferry` for a normal browser: the shared contract over the web host's WebSocket, with reconnects.
import type { CommandName, CommandRequest, CommandResponse, EventName, Events, FerryApi, WireMessage, WireRequest } from '../../../shared/api.ts';
import { err, type Result } from '../../../shared/result.ts';

// 'signed-out': the host answers but refuses this page's token (it was restarted with a new one).
export type ConnectionState = 'connecting' | 'connected' | 'disconnected' | 'signed-out';

export interface ConnectedFerry extends FerryApi {
  readonly connection: ConnectionState;
  onConnectionChange(listener: (state: ConnectionState) => void): () => void;
}

export type Backoff = { readonly initialMs: number; readonly maxMs: number };

export type WebSocketFerryOptions = {
  readonly backoff?: Backoff;
  /** Asked after a failed handshake: false when the host refuses this page for good (401), so retrying is pointless. */
  readonly stillAuthorized?: () => Promise<boolean>;
};

const DEFAULT_BACKOFF: Backoff = { initialMs: 250, maxMs: 5000 };

type Pending = { readonly data: string; readonly command: string; sent: boolean; resolve(result: Result<unknown>): void };

export function reconnectDelay(attempt: number, backoff: Backoff): number {
  const base = Math.min(backoff.maxMs, backoff.initialMs * 2 ** attempt);
  // Jitter keeps several tabs from reconnecting in lockstep.
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

export function webSocketUrl(location: Pick<Location, 'protocol' | 'host'>): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
}

// A browser hides why a WebSocket handshake failed; a plain request to the page itself shows a 401.
export async function pageStillAuthorized(pageUrl: string): Promise<boolean> {
  try {
    const response = await fetch(pageUrl, { method: 'HEAD', cache: 'no-store', credentials: 'same-origin' });
    return response.status !== 401;
  } catch {
    return true;
  }
}

function signedOutError(command: string): Result<never> {
  return err('offline', `"${command}" was not sent: Ferry restarted with a new private link, so this page can no longer reach it. Open the link Ferry printed when it started.`);
}

export function connectWebSocketFerry(url: string, options: WebSocketFerryOptions = {}): ConnectedFerry {
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  let socket: WebSocket | undefined;
  let state: ConnectionState = 'connecting';
  let attempt = 0;
  let nextId = 1;
  const pending = new Map<number, Pending>();
  const eventListeners = new Map<EventName, Set<(payload: never) => void>>();
  const stateListeners = new Set<(state: ConnectionState) => void>();

  function setState(next: ConnectionState): void {
    if (next === state) return;
    state = next;
    for (const listener of stateListeners) listener(next);
  }

  function flush(): void {
    for (const entry of pending.values()) {
      if (!entry.sent && socket?.readyState === WebSocket.OPEN) {
        socket.send(entry.data);
        entry.sent = true;
      }
    }
  }

  function receive(event: MessageEvent): void {
    let message: WireMessage;
    try {
      message = JSON.parse(String(event.data)) as WireMessage;
    } catch {
      return;
    }
    if (message.kind === 'response') {
      const entry = pending.get(message.id);
      if (!entry) return;
      pending.delete(message.id);
      entry.resolve(message.result);
    } else if (message.kind === 'event') {
      for (const listener of eventListeners.get(message.event) ?? []) listener(message.payload as never);
    }
  }

  function dropInFlight(): void {
    // A request already sent may or may not have run; say so instead of silently re-sending it.
    for (const [id, entry] of pending) {
      if (!entry.sent) continue;
      pending.delete(id);
      entry.resolve(err('offline', `Lost the connection to Ferry's core while "${entry.command}" was running; it may or may not have finished. Try again once the status bar shows Connected.`));
    }
  }

  function open(): void {
    setState(attempt === 0 ? 'connecting' : 'disconnected');
    const ws = new WebSocket(url);
    let opened = false;
    socket = ws;
    ws.addEventListener('open', () => {
      opened = true;
      attempt = 0;
      setState('connected');
      flush();
    });
    ws.addEventListener('message', receive);
    ws.addEventListener('close', () => {
      if (socket !== ws) return;
      dropInFlight();
      setState('disconnected');
      void retry(opened);
    });
  }

  async function retry(wasOpen: boolean): Promise<void> {
    if (!wasOpen && options.stillAuthorized && !(await options.stillAuthorized())) {
      setState('signed-out');
      for (const entry of pending.values()) entry.resolve(signedOutError(entry.command));
      pending.clear();
      return;
    }
    setTimeout(open, reconnectDelay(attempt++, backoff));
  }

  open();

  return {
    get connection() {
      return state;
    },
    onConnectionChange(listener) {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
    invoke<K extends CommandName>(name: K, request: CommandRequest<K>): Promise<Result<CommandResponse<K>>> {
      if (state === 'signed-out') return Promise.resolve(signedOutError(name) as Result<CommandResponse<K>>);
      const id = nextId++;
      const wire: WireRequest = { id, command: name, request };
      return new Promise((resolve) => {
        pending.set(id, { data: JSON.stringify(wire), command: name, sent: false, resolve: resolve as (r: Result<unknown>) => void });
        flush();
      });
    },
    on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
      const set = eventListeners.get(event) ?? new Set();
      set.add(listener as (payload: never) => void);
      eventListeners.set(event, set);
      return () => set.delete(listener as (payload: never) => void);
    },
  };
}
