// The loopback web host: serves the renderer and the core's contract to a normal browser on 127.0.0.1 only.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { FerryError } from '../../shared/result.ts';
import type { Core } from './core.ts';
import { createToken, judgeRequest, tokenCookie } from './web/guard.ts';
import { securityHeaders, sendText, serveRendererFile } from './web/static-files.ts';
import { bridgeCoreToSockets } from './web/ws-bridge.ts';
import { withProdigyTabs } from './web/prodigy-tabs.ts';

export type WebHostOptions = {
  readonly core: Core;
  /** 0 or absent picks a free port. */
  readonly port?: number;
  /** The built renderer, normally dist/renderer. */
  readonly distDir: string;
  /** Reuse a token (with the same port) so pages opened before a restart reconnect; normally a fresh one is made. */
  readonly token?: string;
};

export type WebHost = {
  /** Open this in a browser: it carries the token once, then a cookie does. */
  readonly url: string;
  readonly token: string;
  readonly port: number;
  close(): Promise<void>;
};

const WS_PATH = '/ws';
const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

function rejectUpgrade(socket: Duplex, status: 401 | 403 | 404, reason: string): void {
  const text = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' }[status];
  socket.end(`HTTP/1.1 ${status} ${text}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(reason)}\r\nConnection: close\r\n\r\n${reason}`);
}

function requestUrl(req: IncomingMessage): URL {
  // The Host header is judged separately; a fixed base keeps URL parsing independent of it.
  return new URL(req.url ?? '/', 'http://127.0.0.1');
}

async function listen(server: ReturnType<typeof createServer>, port: number): Promise<number> {
  return await new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') reject(new FerryError('port-in-use', `Port ${port} on 127.0.0.1 is already in use: stop whatever holds it, or start Ferry's web host on another port (0 picks a free one).`));
      else reject(error);
    });
    server.listen(port, '127.0.0.1', () => {
      server.removeAllListeners('error');
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  if (options.token !== undefined && !/^[A-Za-z0-9_-]{43,}$/.test(options.token)) {
    throw new FerryError('invalid-request', 'A web host token must be at least 32 random bytes in base64url (43+ characters of A-Z, a-z, 0-9, "-" or "_").');
  }
  const token = options.token ?? createToken();
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  let port = options.port ?? 0;
  const tabs = withProdigyTabs(options.core, () => ({ hostPort: port, token }));
  const bridge = bridgeCoreToSockets(tabs.core, wss);

  async function serveHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = requestUrl(req);
    const method = req.method ?? 'GET';
    const readOnly = method === 'GET' || method === 'HEAD';
    const verdict = judgeRequest(req, url, { port, token, checkOrigin: !readOnly });
    if (!verdict.allowed) {
      sendText(res, verdict.status, verdict.reason, securityHeaders(port));
      return;
    }
    if (!readOnly) {
      sendText(res, 405, `Ferry's local host only serves pages (GET); commands go over the WebSocket at ${WS_PATH}.`, { ...securityHeaders(port), Allow: 'GET, HEAD' });
      return;
    }
    if (verdict.viaQuery) {
      // Trade the token in the address bar for a cookie, so it does not linger in history or get copied along.
      url.searchParams.delete('token');
      res.writeHead(303, { ...securityHeaders(port), 'Set-Cookie': tokenCookie(port, token), Location: `${url.pathname}${url.search}` });
      res.end();
      return;
    }
    await serveRendererFile(res, url.pathname, { distDir: options.distDir, port, headOnly: method === 'HEAD' });
  }

  const server = createServer((req, res) => {
    serveHttp(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendText(res, 500, `Ferry's local host failed to answer: ${error instanceof Error ? error.message : String(error)}`);
      else res.destroy();
    });
  });

  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    const url = requestUrl(req);
    const verdict = judgeRequest(req, url, { port, token, checkOrigin: true });
    if (!verdict.allowed) return rejectUpgrade(socket, verdict.status, verdict.reason);
    if (url.pathname !== WS_PATH) return rejectUpgrade(socket, 404, `Ferry's WebSocket is at ${WS_PATH}.`);
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  try {
    port = await listen(server, port);
  } catch (error) {
    bridge.close();
    throw error;
  }

  let closing: Promise<void> | undefined;
  async function shutDown(): Promise<void> {
    bridge.close();
    await tabs.close();
    for (const client of wss.clients) client.terminate();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    token,
    port,
    close() {
      closing ??= shutDown();
      return closing;
    },
  };
}
