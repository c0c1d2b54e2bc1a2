// Serves the built renderer (dist/renderer) with strict security headers and a single-page-app fallback.
import { readFile, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { CONTENT_TYPES } from '../../../shared/content-types.ts';


export function contentSecurityPolicy(port: number): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}

export function securityHeaders(port: number): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(port),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cache-Control': 'no-store',
  };
}

export function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

// Returns the file a URL path names inside distDir, or undefined when it would escape it.
export function resolveInside(distDir: string, pathname: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const root = resolve(distDir);
  const file = resolve(join(root, decoded));
  return file === root || file.startsWith(root + sep) ? file : undefined;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

export type ServeOptions = { readonly distDir: string; readonly port: number; readonly headOnly: boolean; readonly extraHeaders?: Record<string, string> };

export async function serveRendererFile(res: ServerResponse, pathname: string, options: ServeOptions): Promise<void> {
  const headers = { ...securityHeaders(options.port), ...options.extraHeaders };
  const index = join(resolve(options.distDir), 'index.html');
  if (!(await isFile(index))) {
    sendText(res, 503, `Ferry's screens are not built: ${index} is missing. Run \`npm run build:renderer\` and reload.`, headers);
    return;
  }
  const requested = pathname === '/' ? index : resolveInside(options.distDir, pathname);
  if (requested === undefined) {
    sendText(res, 404, `Not found: ${pathname}`, headers);
    return;
  }
  let file = requested;
  if (requested !== index && !(await isFile(requested))) {
    // Paths without an extension are client-side routes; a missing asset is a real 404.
    if (extname(pathname) !== '') {
      sendText(res, 404, `Not found: ${pathname}`, headers);
      return;
    }
    file = index;
  }
  const body = await readFile(file);
  res.writeHead(200, {
    ...headers,
    'Content-Type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': body.length,
  });
  res.end(options.headOnly ? undefined : body);
}
