// Loopback ports for Prodigy: a free one from the OS (bind port 0), or a check that a requested one is free.
import { createServer } from 'node:net';
import { FerryError } from '../../shared/result.ts';

export const LOOPBACK_HOST = '127.0.0.1';

function bindOnce(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port, host: LOOPBACK_HOST, exclusive: true }, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : port;
      server.close(() => resolve(bound));
    });
  });
}

export async function findFreePort(): Promise<number> {
  return await bindOnce(0);
}

export function portInUseError(port: number, detail?: string): FerryError {
  return new FerryError(
    'port-in-use',
    `Port ${port} on ${LOOPBACK_HOST} is already in use, so Prodigy can't start there. Close the program using it, or let Ferry pick a free port.`,
    detail,
  );
}

export async function assertPortFree(port: number): Promise<void> {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new FerryError('invalid-request', `Port ${port} is not a valid TCP port (1–65535).`);
  }
  try {
    await bindOnce(port);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw portInUseError(port, (error as Error).message);
    throw new FerryError('port-in-use', `Ferry could not check port ${port} on ${LOOPBACK_HOST}: ${(error as Error).message}`, code);
  }
}

// uvicorn/waitress/asyncio wordings on Linux, macOS and Windows.
const ADDRESS_IN_USE = /address already in use|EADDRINUSE|Errno (98|48)\b|WinError 10048|only one usage of each socket address/i;

export function mentionsAddressInUse(lines: readonly string[]): boolean {
  return lines.some((line) => ADDRESS_IN_USE.test(line));
}
