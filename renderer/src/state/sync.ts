// The last sync state the core pushed; null until the first `sync` event arrives.
import type { SyncEvent } from '../../../shared/api.ts';
import { ferry } from '../bridge/ferry.ts';
import { defineStore } from './store.ts';

type SyncStore = { readonly latest: SyncEvent | null };

export const useSync = defineStore<SyncStore>(() => ({ latest: null }));

ferry().on('sync', (latest) => useSync.setState({ latest }));
