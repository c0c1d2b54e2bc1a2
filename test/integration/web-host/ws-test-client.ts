// A minimal WebSocket client for the web host tests: request/response by id, and waiting for pushed events.
import WebSocket from 'ws';
import type { EventName, WireMessage } from '../../../shared/api.ts';
import type { Result } from '../../../shared/result.ts';

export type TestSocket = {
  readonly socket: WebSocket;
  call(command: string, request: unknown): Promise<Result<unknown>>;
  sendRaw(data: string): void;
  nextResponse(id: number): Promise<Result<unknown>>;
  nextEvent(event: EventName): Promise<unknown>;
  close(): Promise<void>;
};

export async function openSocket(url: string, options: WebSocket.ClientOptions = {}): Promise<TestSocket> {
  const socket = new WebSocket(url, options);
  const messages: WireMessage[] = [];
  const waiters: Array<() => void> = [];
  socket.on('message', (data) => {
    messages.push(JSON.parse(data.toString()) as WireMessage);
    for (const wake of waiters.splice(0)) wake();
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.on('error', reject);
    socket.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused with HTTP ${res.statusCode}`)));
  });

  async function waitFor<T>(pick: (m: WireMessage) => T | undefined): Promise<T> {
    for (;;) {
      const index = messages.findIndex((m) => pick(m) !== undefined);
      if (index >= 0) return pick(messages.splice(index, 1)[0]!) as T;
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  }

  let nextId = 1;
  const client: TestSocket = {
    socket,
    async call(command, request) {
      const id = nextId++;
      socket.send(JSON.stringify({ id, command, request }));
      return await client.nextResponse(id);
    },
    sendRaw(data) {
      socket.send(data);
    },
    nextResponse(id) {
      return waitFor((m) => (m.kind === 'response' && m.id === id ? m.result : undefined));
    },
    nextEvent(event) {
      return waitFor((m) => (m.kind === 'event' && m.event === event ? m.payload : undefined));
    },
    async close() {
      if (socket.readyState === socket.CLOSED) return;
      await new Promise<void>((resolve) => {
        socket.once('close', () => resolve());
        socket.close();
      });
    },
  };
  return client;
}

// Resolves with the HTTP status the server answered a refused upgrade with (or the connection error).
export async function refusedUpgrade(url: string, options: WebSocket.ClientOptions): Promise<number | string> {
  const socket = new WebSocket(url, options);
  return await new Promise((resolve) => {
    socket.once('open', () => {
      socket.close();
      resolve('opened');
    });
    socket.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 'no status');
      res.resume();
      socket.terminate();
    });
    socket.on('error', (error) => resolve(error.message));
  });
}
