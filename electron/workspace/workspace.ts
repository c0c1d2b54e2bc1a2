// A workspace = the config file + what it opens: the local store and the S3 clients. Opened lazily, once per core.
import type { S3Client } from '@aws-sdk/client-s3';
import { basename } from 'node:path';
import type { WorkspaceConfig } from '../../shared/config.ts';
import { loadWorkspaceConfig } from '../config/workspace-file.ts';
import type { S3Target } from '../projects/projects.ts';
import { createS3Client, keyPrefix, type S3ClientOptions } from '../s3/client.ts';
import type { Store } from '../store/store.ts';
import { outboxDir, storePath } from './paths.ts';
import { findBatchFolders, rebuildFromBatchFolders, type LocalRebuild } from './rebuild-local.ts';
import { openStoreOrSetAside, type StoreRecovery } from './recover-store.ts';

export type Workspace = {
  readonly configPath: string;
  readonly config: WorkspaceConfig;
  readonly store: Store;
  readonly client: S3Client;
  // For the online check only: one attempt, short timeouts, so "offline" is known in seconds.
  readonly probeClient: S3Client;
  // For batch pulls: every file is checked against the manifest's SHA-256, so the SDK's own check is skipped.
  readonly pullTarget: S3Target;
  readonly target: S3Target;
  readonly outboxDir: string;
  // Set when this open found ferry.db damaged or missing and rebuilt it.
  readonly recovery: (StoreRecovery & { readonly rebuilt: LocalRebuild; readonly message: string }) | null;
  close(): void;
};

// `s3`: the data client's attempts and timeouts (fault tests keep them short; the app uses the defaults).
export type WorkspaceOptions = { readonly nativeBinding?: string; readonly s3?: S3ClientOptions };

// Kept in the store so the app can say what happened after it restarts too (sync/sync-service.ts shows it).
export const RECOVERY_NOTICE_KEY = 'notice.recovery';
// Set while a rebuild runs: a rebuild cut short (a crash, a kill) runs again at the next open. Every step is idempotent.
const REBUILDING_KEY = 'recovery.rebuilding';

function recoveryMessage(recovery: StoreRecovery, rebuilt: LocalRebuild): string {
  const what =
    recovery.reason === 'damaged'
      ? `Ferry's local database was damaged (${recovery.problem}), so it was set aside as ${recovery.setAside.map((p) => basename(p)).join(', ')} (not deleted)`
      : "Ferry's local database was missing";
  const from = `${rebuilt.batches.length} batch folder${rebuilt.batches.length === 1 ? '' : 's'} and ${rebuilt.answers} answer${rebuilt.answers === 1 ? '' : 's'} from Prodigy's databases`;
  const rest = rebuilt.problems.length > 0 ? ` Not yet read: ${rebuilt.problems.join(' ')}` : '';
  return `${what} and rebuilt from ${from}. Before publishing, Ferry compares them with what S3 already holds, so nothing is sent twice.${rest}`;
}

export async function openWorkspace(configPath: string, options: WorkspaceOptions = {}): Promise<Workspace> {
  const config = await loadWorkspaceConfig(configPath);
  const dbPath = storePath(config.dataDir);
  const opened = openStoreOrSetAside(dbPath, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  const { store } = opened;
  store.resetActiveJobs(); // uploads cut short by a crash run again; they are create-once, so that is safe
  let recovery: Workspace['recovery'] = null;
  const missing = !opened.existed && (await findBatchFolders(config.dataDir)).length > 0;
  const unfinished = store.getValue(REBUILDING_KEY);
  const reason: StoreRecovery | null =
    opened.recovery ??
    (missing ? { reason: 'missing', problem: `${dbPath} was not there`, setAside: [], at: new Date().toISOString() } : null) ??
    (unfinished ? (JSON.parse(unfinished) as StoreRecovery) : null);
  if (reason) {
    try {
      store.setValue(REBUILDING_KEY, JSON.stringify(reason));
      const rebuilt = await rebuildFromBatchFolders(store, config);
      const message = recoveryMessage(reason, rebuilt);
      store.setValue(RECOVERY_NOTICE_KEY, JSON.stringify({ at: reason.at, message }));
      store.deleteValue(REBUILDING_KEY);
      recovery = { ...reason, rebuilt, message };
    } catch (error) {
      store.close();
      throw error;
    }
  }
  const client = createS3Client(config, options.s3);
  const probeClient = createS3Client(config, { maxAttempts: 1, connectionTimeoutMs: 2_000, requestTimeoutMs: 5_000, maxSockets: 2 });
  const pullClient = createS3Client(config, { ...options.s3, verifiedByCaller: true });
  return {
    configPath,
    config,
    store,
    client,
    probeClient,
    pullTarget: { client: pullClient, bucket: config.bucket, prefix: keyPrefix(config) },
    target: { client, bucket: config.bucket, prefix: keyPrefix(config) },
    outboxDir: outboxDir(config.dataDir),
    recovery,
    close() {
      store.close();
      client.destroy();
      probeClient.destroy();
      pullClient.destroy();
    },
  };
}

// Called before the open workspace is closed (settings saved, core closing), so background work can stop first.
export type BeforeClose = (ws: Workspace) => Promise<void> | void;

// One open workspace at a time; saving new settings closes it so the next command reopens with them.
export function workspaceHolder(configPath: string, options: WorkspaceOptions = {}) {
  let current: Promise<Workspace> | undefined;
  const beforeClose = new Set<BeforeClose>();
  const opened = new Set<() => void>();
  return {
    get(): Promise<Workspace> {
      if (!current) {
        current = openWorkspace(configPath, options).catch((error: unknown) => {
          current = undefined;
          throw error;
        });
        void current.then(() => opened.forEach((listener) => listener()), () => undefined);
      }
      return current;
    },
    // Whether a workspace is open (or opening) now, without opening one.
    isOpen(): boolean {
      return current !== undefined;
    },
    async reset(): Promise<void> {
      const previous = current;
      current = undefined;
      const ws = previous ? await previous.catch(() => undefined) : undefined;
      if (!ws) return;
      for (const listener of beforeClose) await listener(ws);
      ws.close();
    },
    onBeforeClose(listener: BeforeClose): () => void {
      beforeClose.add(listener);
      return () => beforeClose.delete(listener);
    },
    onOpen(listener: () => void): () => void {
      opened.add(listener);
      return () => opened.delete(listener);
    },
  };
}

export type WorkspaceHolder = ReturnType<typeof workspaceHolder>;
