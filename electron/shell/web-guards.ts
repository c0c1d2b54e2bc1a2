// Guards every web page the shell creates: no navigation away, no new windows, no webviews, no permissions.
import { shell, type Session, type WebContents } from 'electron';
import { isAllowedExternalUrl } from './security-policy.ts';

// Allow-listed https links open in the person's browser; everything else is dropped.
export function openExternalIfAllowed(url: string): boolean {
  if (!isAllowedExternalUrl(url)) {
    console.warn(`[ferry] refused to open ${url}: not on the external link allow-list (electron/shell/security-policy.ts)`);
    return false;
  }
  void shell.openExternal(url);
  return true;
}

// Applied to every webContents at creation (app 'web-contents-created').
export function guardNewWindowsAndWebviews(contents: WebContents): void {
  contents.setWindowOpenHandler(({ url }) => {
    openExternalIfAllowed(url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

// Navigation (including server redirects) may only stay where `isAllowed` says.
export function guardNavigation(contents: WebContents, isAllowed: (url: string) => boolean): void {
  contents.on('will-navigate', (event) => {
    if (isAllowed(event.url)) return;
    event.preventDefault();
    openExternalIfAllowed(event.url);
  });
  contents.on('will-redirect', (event) => {
    if (!isAllowed(event.url)) event.preventDefault();
  });
}

// Ferry needs no camera, microphone, notifications, geolocation, HID, serial or USB.
export function denyAllPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}
