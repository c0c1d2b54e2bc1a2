// Lets a browser tab reach a batch's Prodigy without a login prompt: a loopback port of its own that adds Prodigy's
// basic-auth header, and admits only the browser holding this web host's token cookie (cookies ignore ports).
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { allowedHosts, allowedOrigins, readCookie, sameToken, tokenCookieName } from './guard.ts';

export type ProdigyProxyOptions = {
  readonly target: string; // Prodigy's base URL, http://127.0.0.1:PORT
  readonly username: string;
  readonly password: string;
  readonly hostPort: number; // the web host's port: its cookie name carries it
  readonly token: string;
};

export type ProdigyProxy = { readonly port: number; readonly target: string; close(): Promise<void> };

function refuse(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
  res.end(text);
}

export async function startProdigyProxy(options: ProdigyProxyOptions): Promise<ProdigyProxy> {
  const target = new URL(options.target);
  const authorization = `Basic ${Buffer.from(`${options.username}:${options.password}`).toString('base64')}`;
  let port = 0;

  function forward(req: IncomingMessage, res: ServerResponse): void {
    const host = (req.headers.host ?? '').toLowerCase();
    if (!allowedHosts(port).has(host)) return refuse(res, 403, `This Prodigy address only answers to 127.0.0.1:${port}.`);
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedOrigins(port).has(origin.toLowerCase())) return refuse(res, 403, `Requests from ${origin} may not reach Prodigy.`);
    if (!sameToken(readCookie(req.headers.cookie, tokenCookieName(options.hostPort)), options.token)) {
      return refuse(res, 401, "Open Prodigy from Ferry's page (Open in Prodigy): this address works only in the browser that has Ferry open.");
    }
    const headers = { ...req.headers, host: target.host, authorization };
    delete headers.cookie; // Ferry's token is not Prodigy's business
    delete headers.origin;
    const upstream = httpRequest({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => {
      if (!res.headersSent) refuse(res, 502, 'Prodigy did not answer: it may have stopped. Go back to Ferry and open the batch again.');
      else res.destroy();
    });
    req.pipe(upstream);
  }

  const server = createServer(forward);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    port,
    target: options.target,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
