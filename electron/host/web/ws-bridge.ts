// Carries the shared contract over WebSocket: WireRequest in, WireMessage out, core events pushed to every client.
import type { WebSocket, WebSocketServer } from 'ws';
import type { Events, WireMessage } from '../../../shared/api.ts';
import { err, type Result } from '../../../shared/result.ts';
import { EVENT_NAMES, type Core } from '../core.ts';

// Responses to a message whose id cannot be read use this id; real request ids start at 1.
export const UNATTRIBUTED_ID = 0;

type ParsedRequest =
  | { readonly ok: true; readonly id: number; readonly command: string; readonly request: unknown }
  | { readonly ok: false; readonly id: number; readonly message: string };

export function parseWireRequest(data: string): ParsedRequest {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return { ok: false, id: UNATTRIBUTED_ID, message: 'The message is not JSON; send {"id": number, "command": string, "request": object}.' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, id: UNATTRIBUTED_ID, message: 'The message must be a JSON object {"id", "command", "request"}.' };
  }
  const record = value as Record<string, unknown>;
  const id = record.id;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 1) {
    return { ok: false, id: UNATTRIBUTED_ID, message: 'The message needs "id": a positive whole number the response will carry back.' };
  }
  if (typeof record.command !== 'string' || record.command.length === 0) {
    return { ok: false, id, message: 'The message needs "command": the name of a Ferry command such as "app.info".' };
  }
  return { ok: true, id, command: record.command, request: record.request };
}

function send(socket: WebSocket, message: WireMessage): void {
  // A client that left mid-request just misses its answer; the host carries on.
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
}

async function answer(core: Core, socket: WebSocket, data: string): Promise<void> {
  const parsed = parseWireRequest(data);
  let result: Result<unknown>;
  if (!parsed.ok) {
    result = err('invalid-request', parsed.message);
  } else {
    try {
      result = await core.dispatch(parsed.command, parsed.request);
    } catch (error) {
      result = err('internal', `Ferry's core failed on "${parsed.command}": ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  send(socket, { kind: 'response', id: parsed.id, result });
}

export type WireBridge = { close(): void };

// The latest sync state is replayed to clients that connect later, so the status bar is right after a reconnect.
export function bridgeCoreToSockets(core: Core, wss: WebSocketServer): WireBridge {
  let lastSync: Events['sync'] | undefined;
  const unsubscribe = EVENT_NAMES.map((event) =>
    core.on(event, (payload) => {
      if (event === 'sync') lastSync = payload as Events['sync'];
      const message: WireMessage = { kind: 'event', event, payload };
      for (const client of wss.clients) send(client, message);
    }),
  );
  wss.on('connection', (socket) => {
    if (lastSync) send(socket, { kind: 'event', event: 'sync', payload: lastSync });
    socket.on('message', (data, isBinary) => {
      const text = isBinary ? '' : data.toString();
      void answer(core, socket, text);
    });
    socket.on('error', () => socket.terminate());
  });
  return {
    close() {
      for (const off of unsubscribe) off();
    },
  };
}
