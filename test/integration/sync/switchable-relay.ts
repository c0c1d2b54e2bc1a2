// A TCP relay in front of moto_server that can be switched off and on again on the same port: off, connections are
// refused and open ones are cut (the laptop lost its network); on, traffic flows again. Real sockets, no mocks.
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export type Relay = {
  readonly endpoint: string;
  readonly port: number;
  readonly connections: () => number; // accepted so far (while on)
  down(): Promise<void>;
  up(): Promise<void>;
  stop(): Promise<void>;
};

export async function startRelay(target: string): Promise<Relay> {
  const upstream = new URL(target);
  const sockets = new Set<Socket>();
  let accepted = 0;
  let server: Server | null = null;
  let port = 0;

  function listen(): Promise<void> {
    const next = createServer((client) => {
      accepted += 1;
      const remote = createConnection({ host: upstream.hostname, port: Number(upstream.port) });
      for (const s of [client, remote]) {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(remote);
      remote.pipe(client);
      client.on('close', () => remote.destroy());
      remote.on('close', () => client.destroy());
    });
    server = next;
    return new Promise((resolve, reject) => {
      next.once('error', reject);
      next.listen(port, '127.0.0.1', () => {
        port = (next.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  async function down(): Promise<void> {
    const current = server;
    server = null;
    if (!current) return;
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => current.close(() => resolve()));
  }

  await listen();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    connections: () => accepted,
    down,
    async up() {
      if (!server) await listen();
    },
    stop: down,
  };
}
