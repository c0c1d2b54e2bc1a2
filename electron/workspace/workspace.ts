// A workspace = the config file + what it opens: the local store and the S3 client. Opened lazily, once per core.
import type { S3Client } from '@aws-sdk/client-s3';
import type { WorkspaceConfig } from '../../shared/config.ts';
import { loadWorkspaceConfig } from '../config/workspace-file.ts';
import type { S3Target } from '../projects/projects.ts';
import { createS3Client, keyPrefix } from '../s3/client.ts';
import { openStore, type Store } from '../store/store.ts';
import { outboxDir, storePath } from './paths.ts';

export type Workspace = {
  readonly configPath: string;
  readonly config: WorkspaceConfig;
  readonly store: Store;
  readonly client: S3Client;
  readonly target: S3Target;
  readonly outboxDir: string;
  close(): void;
};

export type WorkspaceOptions = { readonly nativeBinding?: string };

export async function openWorkspace(configPath: string, options: WorkspaceOptions = {}): Promise<Workspace> {
  const config = await loadWorkspaceConfig(configPath);
  const store = openStore(storePath(config.dataDir), options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  store.resetActiveJobs(); // uploads cut short by a crash run again; they are create-once, so that is safe
  const client = createS3Client(config);
  return {
    configPath,
    config,
    store,
    client,
    target: { client, bucket: config.bucket, prefix: keyPrefix(config) },
    outboxDir: outboxDir(config.dataDir),
    close() {
      store.close();
      client.destroy();
    },
  };
}

// One open workspace at a time; saving new settings closes it so the next command reopens with them.
export function workspaceHolder(configPath: string, options: WorkspaceOptions = {}) {
  let current: Promise<Workspace> | undefined;
  return {
    get(): Promise<Workspace> {
      current ??= openWorkspace(configPath, options).catch((error: unknown) => {
        current = undefined;
        throw error;
      });
      return current;
    },
    async reset(): Promise<void> {
      const previous = current;
      current = undefined;
      if (previous) (await previous.catch(() => undefined))?.close();
    },
  };
}

export type WorkspaceHolder = ReturnType<typeof workspaceHolder>;
