// The loopback host's gatekeeping: DNS-rebinding (Host), cross-site (Origin) and the per-launch token.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export type GuardVerdict =
  | { readonly allowed: true; readonly viaQuery: boolean }
  | { readonly allowed: false; readonly status: 401 | 403; readonly reason: string };

export function createToken(): string {
  return randomBytes(32).toString('base64url');
}

// Cookies are shared across ports on one host, so the name carries the port to keep two running hosts apart.
export function tokenCookieName(port: number): string {
  return `ferry_token_${port}`;
}

export function tokenCookie(port: number, token: string): string {
  return `${tokenCookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}

export function allowedHosts(port: number): ReadonlySet<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
}

export function allowedOrigins(port: number): ReadonlySet<string> {
  return new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);
}

export function sameToken(candidate: string | undefined, token: string): boolean {
  if (candidate === undefined) return false;
  const a = Buffer.from(candidate);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export type GuardOptions = { readonly port: number; readonly token: string; readonly checkOrigin: boolean };

// Order matters: Host first (a rebinding page never gets further), then Origin, then the token.
export function judgeRequest(req: IncomingMessage, url: URL, options: GuardOptions): GuardVerdict {
  const { port, token } = options;
  const host = (req.headers.host ?? '').toLowerCase();
  if (!allowedHosts(port).has(host)) {
    return { allowed: false, status: 403, reason: `Ferry's local host only answers to 127.0.0.1:${port} or localhost:${port}, not "${host}".` };
  }
  const origin = req.headers.origin;
  if (options.checkOrigin && origin !== undefined && !allowedOrigins(port).has(origin.toLowerCase())) {
    return { allowed: false, status: 403, reason: `Requests from ${origin} are not allowed; only Ferry's own page may talk to this host.` };
  }
  const queryToken = url.searchParams.get('token') ?? undefined;
  if (sameToken(queryToken, token)) return { allowed: true, viaQuery: true };
  if (sameToken(readCookie(req.headers.cookie, tokenCookieName(port)), token)) return { allowed: true, viaQuery: false };
  const why = queryToken !== undefined ? 'The token in this link is not the one this Ferry host was started with.' : 'This page needs the token Ferry printed when it started.';
  return { allowed: false, status: 401, reason: `${why} Open the full link (http://127.0.0.1:${port}/?token=...) that Ferry printed, or restart Ferry to get a new one.` };
}
