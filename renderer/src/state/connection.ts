// Whether the renderer can reach Ferry's core right now (always true under Electron IPC).
import { ferry, type ConnectionState } from '../bridge/ferry.ts';
import { defineStore } from './store.ts';

type ConnectionStore = { readonly state: ConnectionState };

export const useConnection = defineStore<ConnectionStore>(() => ({ state: ferry().connection }));

ferry().onConnectionChange((state) => useConnection.setState({ state }));
