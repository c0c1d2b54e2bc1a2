// One IPC channel in (ferry:invoke → core.dispatch) and one out (core events → ferry:event), trusted senders only.
import { ipcMain, webContents, type IpcMainInvokeEvent } from 'electron';
import type { Events } from '../../shared/api.ts';
import { err, type Result } from '../../shared/result.ts';
import { EVENT_NAMES, toErr, type Core } from '../host/core.ts';
import { EVENT_CHANNEL, INVOKE_CHANNEL } from './channels.ts';
import { isAppUrl, isTrustedSender } from './security-policy.ts';

function senderOf(event: IpcMainInvokeEvent) {
  const frame = event.senderFrame;
  return { webContentsId: event.sender.id, frameUrl: frame?.url, isMainFrame: frame !== null && frame.parent === null };
}

export function handleInvokeChannel(core: Core, trusted: ReadonlySet<number>): () => void {
  ipcMain.handle(INVOKE_CHANNEL, async (event, name: unknown, request: unknown): Promise<Result<unknown>> => {
    const sender = senderOf(event);
    if (!isTrustedSender(sender, trusted)) {
      console.warn(`[ferry] refused IPC "${String(name)}" from webContents ${sender.webContentsId} (${sender.frameUrl ?? 'no frame'})`);
      return err('access-denied', 'This window is not allowed to talk to Ferry.');
    }
    if (typeof name !== 'string') return err('invalid-request', 'A command name must be a string.');
    try {
      return await core.dispatch(name, request);
    } catch (error) {
      // dispatch already returns envelopes; this only keeps a bug from surfacing as Electron's bare "Error invoking remote method".
      return toErr(error);
    }
  });
  return () => ipcMain.removeHandler(INVOKE_CHANNEL);
}

export function forwardCoreEvents(core: Core, trusted: ReadonlySet<number>): () => void {
  const stops = EVENT_NAMES.map((name) =>
    core.on(name, (payload: Events[typeof name]) => {
      for (const id of trusted) {
        const contents = webContents.fromId(id);
        if (contents !== undefined && !contents.isDestroyed() && isAppUrl(contents.getURL())) contents.send(EVENT_CHANNEL, { event: name, payload });
      }
    }),
  );
  return () => stops.forEach((stop) => stop());
}
