// A separate, sandboxed window on Prodigy's loopback URL: no preload, no Node, basic auth answered only for
// that origin. Closing it calls onClosed, which is where the annotator path stops Prodigy and harvests.
import { BrowserWindow, session as electronSession, type Session } from 'electron';
import { FerryError } from '../../shared/result.ts';
import { httpOrigin, isChallengeFor, isLoopbackHttpUrl } from './security-policy.ts';
import { denyAllPermissions, guardNavigation } from './web-guards.ts';

export type ProdigyCredentials = { readonly username: string; readonly password: string };

export type ProdigyWindowOptions = {
  readonly onClosed: () => void;
  readonly title?: string;
  readonly iconPath?: string;
  readonly devTools?: boolean;
};

export type ProdigyWindow = {
  readonly url: string;
  readonly window: BrowserWindow;
  readonly closed: Promise<void>;
  focus(): void;
  close(): void;
};

// In-memory partition: Prodigy's pages never share cookies or storage with the app window, nothing persists.
const PRODIGY_PARTITION = 'prodigy';
// Wrong credentials make Chromium ask again; stop answering instead of looping.
const MAX_AUTH_ANSWERS = 3;
const guardedSessions = new WeakSet<Session>();

function prodigySession(): Session {
  const ses = electronSession.fromPartition(PRODIGY_PARTITION);
  if (!guardedSessions.has(ses)) {
    denyAllPermissions(ses);
    guardedSessions.add(ses);
  }
  return ses;
}

export function openProdigyWindow(url: string, credentials: ProdigyCredentials, options: ProdigyWindowOptions): ProdigyWindow {
  const origin = httpOrigin(url);
  if (!isLoopbackHttpUrl(url) || origin === undefined) {
    throw new FerryError('invalid-request', `Ferry only opens Prodigy on this computer (http://127.0.0.1:PORT/), not ${url}.`);
  }
  const window = new BrowserWindow({
    width: 1200,
    height: 860,
    title: options.title ?? 'Prodigy',
    ...(options.iconPath === undefined ? {} : { icon: options.iconPath }),
    webPreferences: {
      session: prodigySession(),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      devTools: options.devTools ?? false,
    },
  });
  let answered = 0;
  window.webContents.on('login', (event, _details, challenge, callback) => {
    event.preventDefault();
    if (isChallengeFor(challenge, url) && answered < MAX_AUTH_ANSWERS) {
      answered += 1;
      callback(credentials.username, credentials.password);
    } else {
      callback();
    }
  });
  guardNavigation(window.webContents, (target) => httpOrigin(target) === origin);
  const closed = new Promise<void>((resolve) => {
    window.once('closed', () => {
      resolve();
      options.onClosed();
    });
  });
  void window.loadURL(url);
  return {
    url,
    window,
    closed,
    focus() {
      if (!window.isDestroyed()) window.focus();
    },
    close() {
      if (!window.isDestroyed()) window.close();
    },
  };
}
