// The Electron main process: a thin shell around the same core the CLI and the web host use.
// Security: custom ferry://app protocol with a strict CSP, sandboxed isolated renderer, one validated IPC channel.
import { existsSync } from 'node:fs';
import { app, BrowserWindow, dialog, Menu, session } from 'electron';
import type { CommandResponse } from '../shared/api.ts';
import { createCore, type Core } from './host/core.ts';
import { stopAllProdigy } from './prodigy/process-registry.ts';
import { registerAppScheme, serveAppProtocol } from './shell/app-protocol.ts';
import { forwardCoreEvents, handleInvokeChannel } from './shell/ipc-bridge.ts';
import { createMainWindow } from './shell/main-window.ts';
import { buildAppMenu } from './shell/menu.ts';
import { shellPaths } from './shell/paths.ts';
import { createProdigyWindows, type ProdigyWindows } from './shell/prodigy-windows.ts';
import { denyAllPermissions, guardNewWindowsAndWebviews } from './shell/web-guards.ts';
import { SQLITE_BINDING_ENV } from './store/native-binding.ts';

// Quitting waits for Prodigy to stop and answers to be harvested, but never hangs the app forever.
const SHUTDOWN_DEADLINE_MS = 15_000;

app.enableSandbox();
registerAppScheme();

const paths = shellPaths({ appPath: app.getAppPath(), isPackaged: app.isPackaged, resourcesPath: process.resourcesPath, userData: app.getPath('userData') });
const devTools = !app.isPackaged;
const trusted = new Set<number>();
let core: Core | undefined;
let prodigyWindows: ProdigyWindows | undefined;
let mainWindow: BrowserWindow | undefined;
const iconOption = existsSync(paths.icon) ? { iconPath: paths.icon } : {};

function showMainWindow(): void {
  if (core === undefined) return;
  if (mainWindow !== undefined && !mainWindow.isDestroyed()) {
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
    return;
  }
  const window = createMainWindow({ preloadPath: paths.preload, devTools, ...iconOption }, trusted);
  // Closing the app window ends the session (Prodigy windows included), except on macOS where apps stay in the dock.
  window.on('closed', () => {
    mainWindow = undefined;
    if (process.platform !== 'darwin') app.quit();
  });
  mainWindow = window;
}

function start(): void {
  if (!existsSync(paths.rendererEntry) || !existsSync(paths.preload)) {
    dialog.showErrorBox('Ferry is incomplete', `The app's interface was not found (${paths.rendererEntry} or ${paths.preload}). Run "npm run build" and start Ferry again.`);
    app.exit(1);
    return;
  }
  // Every store the core opens in this process loads the Electron-ABI SQLite build (see docs/native-modules.md).
  if (process.env[SQLITE_BINDING_ENV] === undefined && existsSync(paths.sqliteBinding)) process.env[SQLITE_BINDING_ENV] = paths.sqliteBinding;

  denyAllPermissions(session.defaultSession);
  serveAppProtocol(session.defaultSession, paths.rendererDir);
  Menu.setApplicationMenu(buildAppMenu({ isMac: process.platform === 'darwin', devTools }));

  const running = createCore({ configPath: process.env.FERRY_CONFIG ?? paths.defaultConfig, host: 'electron', version: app.getVersion() });
  core = running;

  // Annotator path hook: when the core opens a batch in Prodigy, the shell shows it in its own window, logged in;
  // closing that window stops that Prodigy (which harvests once more), and a Prodigy that stops closes its window.
  const windows = createProdigyWindows({ devTools, ...iconOption });
  prodigyWindows = windows;
  running.on('prodigy', (event) => {
    if (event.state === 'stopped' || event.state === 'failed') windows.closeFor(event.batch);
  });
  const shellCore: Core = {
    ...running,
    async dispatch(command, request) {
      const result = await running.dispatch(command, request);
      if (command === 'batches.open' && result.ok) {
        const opened = result.value as CommandResponse<'batches.open'>;
        const id = opened.batch.id;
        windows.show({ batch: id, url: opened.url, credentials: opened.login }, () => void running.dispatch('batches.stop', { id }));
      }
      return result;
    },
  };
  handleInvokeChannel(shellCore, trusted);
  forwardCoreEvents(running, trusted);

  showMainWindow();
}

async function shutdown(): Promise<void> {
  await prodigyWindows?.closeAll();
  // core.close() must harvest and stop what it started and close the store; stopAllProdigy() then makes
  // sure no Prodigy child (SIGINT first, so it saves) outlives the app even if the core missed one.
  await core?.close();
  await stopAllProdigy();
}

function withDeadline(work: Promise<void>): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      console.error(`[ferry] shutdown took longer than ${SHUTDOWN_DEADLINE_MS} ms; quitting anyway`);
      resolve();
    }, SHUTDOWN_DEADLINE_MS);
    work.catch((error: unknown) => console.error('[ferry] shutdown failed:', error)).finally(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => showMainWindow());
  app.on('web-contents-created', (_event, contents) => guardNewWindowsAndWebviews(contents));
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (core !== undefined && BrowserWindow.getAllWindows().length === 0) showMainWindow();
  });

  let shutdownState: 'running' | 'stopping' | 'stopped' = 'running';
  app.on('before-quit', (event) => {
    if (shutdownState === 'stopped') return;
    event.preventDefault();
    if (shutdownState === 'stopping') return;
    shutdownState = 'stopping';
    void withDeadline(shutdown()).then(() => {
      shutdownState = 'stopped';
      app.quit();
    });
  });

  void app.whenReady().then(start);
}
