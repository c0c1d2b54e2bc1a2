// The shell's trust rules: app origin, IPC senders, external links, Prodigy's loopback origin and its basic auth.
import { describe, expect, it } from 'vitest';
import { isAllowedExternalUrl, isAppUrl, isChallengeFor, isLoopbackHttpUrl, isTrustedSender } from '../../../electron/shell/security-policy.ts';
import { shellPaths } from '../../../electron/shell/paths.ts';

describe('isAppUrl', () => {
  it('accepts only ferry://app/', () => {
    expect(isAppUrl('ferry://app/index.html')).toBe(true);
    for (const url of ['ferry://evil/index.html', 'ferry://app.evil.com/', 'ferry://user:pw@app/', 'file:///index.html', 'http://app/', 'not a url']) expect(isAppUrl(url), url).toBe(false);
  });
});

describe('isTrustedSender', () => {
  const trusted = new Set([7]);
  it('trusts the main frame of a window we created that still shows the app', () => {
    expect(isTrustedSender({ webContentsId: 7, frameUrl: 'ferry://app/index.html', isMainFrame: true }, trusted)).toBe(true);
  });
  it.each([
    ['an unknown window', { webContentsId: 8, frameUrl: 'ferry://app/index.html', isMainFrame: true }],
    ['a sub-frame', { webContentsId: 7, frameUrl: 'ferry://app/index.html', isMainFrame: false }],
    ['a navigated-away page', { webContentsId: 7, frameUrl: 'https://example.com/', isMainFrame: true }],
    ['a Prodigy page', { webContentsId: 7, frameUrl: 'http://127.0.0.1:8080/', isMainFrame: true }],
    ['a destroyed frame', { webContentsId: 7, frameUrl: undefined, isMainFrame: true }],
  ])('refuses %s', (_label, sender) => {
    expect(isTrustedSender(sender, trusted)).toBe(false);
  });
});

describe('isAllowedExternalUrl', () => {
  it('opens allow-listed https pages only', () => {
    expect(isAllowedExternalUrl('https://prodi.gy/docs/recipes')).toBe(true);
    expect(isAllowedExternalUrl('https://docs.aws.amazon.com/cli/latest/userguide/')).toBe(true);
    for (const url of ['http://prodi.gy/docs', 'https://prodi.gy/buy', 'https://prodi.gy/docsevil', 'https://evil.prodi.gy/docs', 'https://prodi.gy.evil.com/docs', 'https://user@prodi.gy/docs', 'https://prodi.gy:8443/docs', 'file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share']) {
      expect(isAllowedExternalUrl(url), url).toBe(false);
    }
  });
});

describe('Prodigy window rules', () => {
  it('opens only http on loopback', () => {
    expect(isLoopbackHttpUrl('http://127.0.0.1:8081/?session=ana')).toBe(true);
    expect(isLoopbackHttpUrl('http://[::1]:8081/')).toBe(true);
    for (const url of ['https://127.0.0.1:8081/', 'http://10.0.0.5:8081/', 'http://127.0.0.1.evil.com/', 'http://u:p@127.0.0.1:8081/']) expect(isLoopbackHttpUrl(url), url).toBe(false);
  });

  it('answers basic auth only for the exact Prodigy host and port, never for a proxy', () => {
    const url = 'http://127.0.0.1:8081/?session=ana';
    expect(isChallengeFor({ isProxy: false, scheme: 'basic', host: '127.0.0.1', port: 8081 }, url)).toBe(true);
    expect(isChallengeFor({ isProxy: false, scheme: 'basic', host: '::1', port: 8081 }, 'http://[::1]:8081/')).toBe(true);
    expect(isChallengeFor({ isProxy: false, scheme: 'basic', host: '127.0.0.1', port: 8082 }, url)).toBe(false);
    expect(isChallengeFor({ isProxy: true, scheme: 'basic', host: '127.0.0.1', port: 8081 }, url)).toBe(false);
    expect(isChallengeFor({ isProxy: false, scheme: 'basic', host: 'localhost', port: 8081 }, url)).toBe(false);
    expect(isChallengeFor({ isProxy: false, scheme: 'ntlm', host: '127.0.0.1', port: 8081 }, url)).toBe(false);
  });
});

describe('shellPaths', () => {
  it('loads the Electron-ABI SQLite build from resources when packaged and from build/native in a checkout', () => {
    const at = { appPath: '/opt/Ferry/resources/app.asar', resourcesPath: '/opt/Ferry/resources', userData: '/home/a/.config/Ferry' };
    expect(shellPaths({ ...at, isPackaged: true }).sqliteBinding).toBe('/opt/Ferry/resources/native/better_sqlite3.node');
    expect(shellPaths({ ...at, appPath: '/src/ferry', isPackaged: false }).sqliteBinding).toBe('/src/ferry/build/native/electron/better_sqlite3.node');
    expect(shellPaths({ ...at, isPackaged: true }).defaultConfig).toBe('/home/a/.config/Ferry/workspace.json');
    expect(shellPaths({ ...at, isPackaged: true }).preload).toBe('/opt/Ferry/resources/app.asar/dist/electron/preload.cjs');
  });
});
