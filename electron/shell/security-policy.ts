// Who and what the shell trusts, in one place: the app origin, its CSP, external links, IPC senders, Prodigy.
// Plain Node (no electron import) so the rules are unit-tested without an Electron binary.

export const APP_SCHEME = 'ferry';
export const APP_HOST = 'app';
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "object-src 'none'",
].join('; ');

// The only places shell.openExternal may send a person: https, exact host, path prefix.
export const EXTERNAL_LINKS: ReadonlyArray<{ readonly host: string; readonly pathPrefix: string }> = [
  { host: 'prodi.gy', pathPrefix: '/docs' },
  { host: 'docs.aws.amazon.com', pathPrefix: '/' },
  { host: 'github.com', pathPrefix: '/explosion/prodigy-recipes' },
];

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

// Node's URL gives custom schemes the origin "null", so compare scheme and host instead.
export function isAppUrl(url: string): boolean {
  const parsed = parse(url);
  return parsed !== undefined && parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST && parsed.username === '' && parsed.password === '';
}

export function isAllowedExternalUrl(url: string): boolean {
  const parsed = parse(url);
  if (parsed === undefined || parsed.protocol !== 'https:' || parsed.username !== '' || parsed.password !== '' || parsed.port !== '') return false;
  return EXTERNAL_LINKS.some((link) => parsed.hostname === link.host && (link.pathPrefix === '/' || parsed.pathname === link.pathPrefix || parsed.pathname.startsWith(`${link.pathPrefix}/`)));
}

export type IpcSender = { readonly webContentsId: number; readonly frameUrl: string | undefined; readonly isMainFrame: boolean };

// An IPC message counts only from the main frame of a window we created, still showing our app.
export function isTrustedSender(sender: IpcSender, trustedWebContents: ReadonlySet<number>): boolean {
  return trustedWebContents.has(sender.webContentsId) && sender.isMainFrame && sender.frameUrl !== undefined && isAppUrl(sender.frameUrl);
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

// Prodigy is started by Ferry on a loopback port; nothing else may be opened in a Prodigy window.
export function isLoopbackHttpUrl(url: string): boolean {
  const parsed = parse(url);
  return parsed !== undefined && parsed.protocol === 'http:' && LOOPBACK_HOSTS.has(parsed.hostname) && parsed.username === '' && parsed.password === '';
}

export function httpOrigin(url: string): string | undefined {
  const parsed = parse(url);
  return parsed === undefined || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') ? undefined : parsed.origin;
}

export type BasicAuthChallenge = { readonly isProxy: boolean; readonly scheme: string; readonly host: string; readonly port: number };

// Answer a basic-auth challenge only for the exact Prodigy origin we opened (never a proxy, never a redirect elsewhere).
export function isChallengeFor(challenge: BasicAuthChallenge, prodigyUrl: string): boolean {
  const parsed = parse(prodigyUrl);
  if (parsed === undefined || challenge.isProxy || challenge.scheme.toLowerCase() !== 'basic') return false;
  const port = parsed.port === '' ? (parsed.protocol === 'https:' ? 443 : 80) : Number(parsed.port);
  const host = challenge.host.replace(/^\[(.*)\]$/, '$1');
  return host === parsed.hostname.replace(/^\[(.*)\]$/, '$1') && challenge.port === port;
}
