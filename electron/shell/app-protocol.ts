// The ferry://app/ scheme: registered as privileged before ready, then served from the built renderer folder.
import { protocol, type Session } from 'electron';
import { serveAppAsset } from './app-assets.ts';
import { APP_SCHEME } from './security-policy.ts';

// Must run before app 'ready': standard + secure gives ferry://app a real origin, so 'self' in the CSP means it.
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
  ]);
}

export function serveAppProtocol(session: Session, rendererDir: string): void {
  session.protocol.handle(APP_SCHEME, (request) => serveAppAsset(rendererDir, request.url, request.method));
}
