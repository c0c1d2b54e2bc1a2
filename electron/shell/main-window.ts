// The app window: sandboxed, context-isolated, no Node, showing only ferry://app/ and trusted for IPC.
import { BrowserWindow } from 'electron';
import { APP_ENTRY_URL, isAppUrl } from './security-policy.ts';
import { guardNavigation } from './web-guards.ts';

export type MainWindowOptions = { readonly preloadPath: string; readonly iconPath?: string; readonly devTools: boolean };

export function createMainWindow(options: MainWindowOptions, trusted: Set<number>): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    title: 'Ferry',
    show: false,
    ...(options.iconPath === undefined ? {} : { icon: options.iconPath }),
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      devTools: options.devTools,
    },
  });
  const id = window.webContents.id;
  trusted.add(id);
  window.webContents.once('destroyed', () => trusted.delete(id));
  guardNavigation(window.webContents, isAppUrl);
  window.once('ready-to-show', () => window.show());
  void window.loadURL(APP_ENTRY_URL);
  return window;
}
