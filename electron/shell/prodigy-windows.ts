// At most one Prodigy window per batch, all closed before the app quits.
import { openProdigyWindow, type ProdigyCredentials, type ProdigyWindow, type ProdigyWindowOptions } from './prodigy-window.ts';

export type ProdigySession = { readonly batch: string; readonly url: string; readonly credentials: ProdigyCredentials };

export interface ProdigyWindows {
  // Opens (or focuses, for the same URL) the batch's window; onClosed runs once when the person closes it.
  show(session: ProdigySession, onClosed: () => void): ProdigyWindow;
  closeFor(batch: string): void;
  closeAll(): Promise<void>;
}

export function createProdigyWindows(defaults: Omit<ProdigyWindowOptions, 'onClosed' | 'title'>): ProdigyWindows {
  const open = new Map<string, ProdigyWindow>();
  return {
    show(session, onClosed) {
      const existing = open.get(session.batch);
      if (existing !== undefined && existing.url === session.url) {
        existing.focus();
        return existing;
      }
      existing?.close();
      const handle = openProdigyWindow(session.url, session.credentials, {
        ...defaults,
        title: `Prodigy — ${session.batch}`,
        onClosed() {
          if (open.get(session.batch) === handle) open.delete(session.batch);
          onClosed();
        },
      });
      open.set(session.batch, handle);
      return handle;
    },
    closeFor(batch) {
      open.get(batch)?.close();
    },
    async closeAll() {
      const handles = [...open.values()];
      handles.forEach((h) => h.close());
      await Promise.all(handles.map((h) => h.closed));
    },
  };
}
