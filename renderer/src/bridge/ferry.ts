// The renderer's only door to the core: the Electron preload's `window.ferry`, or a WebSocket client in a browser.
import type { FerryApi } from '../../../shared/api.ts';
import { connectWebSocketFerry, pageStillAuthorized, webSocketUrl, type ConnectedFerry, type ConnectionState } from './ws-client.ts';

declare global {
  interface Window {
    ferry?: FerryApi;
  }
}

export type { ConnectionState };

function fromPreload(api: FerryApi): ConnectedFerry {
  // IPC to the main process has no connection to lose.
  return {
    connection: 'connected',
    onConnectionChange() {
      return () => undefined;
    },
    invoke(name, request) {
      return api.invoke(name, request);
    },
    on(event, listener) {
      return api.on(event, listener);
    },
  };
}

let bridge: ConnectedFerry | undefined;

export function ferry(): ConnectedFerry {
  bridge ??= window.ferry
    ? fromPreload(window.ferry)
    : connectWebSocketFerry(webSocketUrl(window.location), { stillAuthorized: () => pageStillAuthorized(`${window.location.origin}/`) });
  return bridge;
}
