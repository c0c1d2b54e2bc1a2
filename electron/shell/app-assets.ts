// Serves the built renderer for ferry://app/: only files under the renderer folder, always with the strict CSP.
// Plain Node (fetch's Response is global in Node 20 and Electron) so traversal rules are tested without Electron.
import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { APP_HOST, APP_SCHEME, CONTENT_SECURITY_POLICY } from './security-policy.ts';
import { CONTENT_TYPES } from '../../shared/content-types.ts';


export const APP_RESPONSE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cache-Control': 'no-cache',
};

export type AssetLookup = { readonly ok: true; readonly file: string } | { readonly ok: false; readonly status: number; readonly reason: string };

// Maps a ferry://app/ URL to a file under rootDir, or says why not (traversal, other host, odd characters).
export function locateAppAsset(rootDir: string, requestUrl: string): AssetLookup {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return { ok: false, status: 400, reason: 'not a URL' };
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return { ok: false, status: 403, reason: `only ${APP_SCHEME}://${APP_HOST}/ is served` };
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    return { ok: false, status: 400, reason: 'badly encoded path' };
  }
  // Backslashes and NULs never appear in our build output; refusing them closes Windows-style traversal.
  if (path.includes('\0') || path.includes('\\')) return { ok: false, status: 400, reason: 'unexpected characters in path' };
  const root = resolve(rootDir);
  const file = resolve(root, `.${path === '/' || path === '' ? '/index.html' : path}`);
  if (file !== root && !file.startsWith(root + sep)) return { ok: false, status: 403, reason: 'path escapes the app folder' };
  return { ok: true, file };
}

function refusal(status: number, reason: string): Response {
  return new Response(`${status} ${reason}\n`, { status, headers: { ...APP_RESPONSE_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' } });
}

export async function serveAppAsset(rootDir: string, requestUrl: string, method = 'GET'): Promise<Response> {
  if (method !== 'GET' && method !== 'HEAD') return refusal(405, `method ${method} not allowed`);
  const found = locateAppAsset(rootDir, requestUrl);
  if (!found.ok) return refusal(found.status, found.reason);
  try {
    const info = await stat(found.file);
    if (!info.isFile()) return refusal(404, 'not found');
    const body = method === 'HEAD' ? null : await readFile(found.file);
    const contentType = CONTENT_TYPES[extname(found.file).toLowerCase()] ?? 'application/octet-stream';
    return new Response(body, { status: 200, headers: { ...APP_RESPONSE_HEADERS, 'Content-Type': contentType, 'Content-Length': String(info.size) } });
  } catch (error) {
    const code = (error as { code?: string }).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? refusal(404, 'not found') : refusal(500, 'could not read the file');
  }
}
