// Where a workspace keeps things on disk, under its dataDir; one folder per batch so a batch can be removed whole.
import { join } from 'node:path';

export type BatchPaths = {
  readonly root: string;
  readonly manifest: string; // batch.json as pulled
  readonly tasks: string; // tasks.jsonl as pulled (checksummed against the manifest)
  readonly localTasks: string; // tasks.jsonl with asset references rewritten to local files: Prodigy's source
  readonly assets: string; // folder the batch's assets land in
  readonly prodigyHome: string; // PRODIGY_HOME of this batch: its own prodigy.db
};

export function storePath(dataDir: string): string {
  return join(dataDir, 'ferry.db');
}

export function outboxDir(dataDir: string): string {
  return join(dataDir, 'outbox');
}

export function batchPaths(dataDir: string, project: string, region: string, batch: string): BatchPaths {
  const root = join(dataDir, 'batches', project, region, batch);
  return {
    root,
    manifest: join(root, 'batch.json'),
    tasks: join(root, 'tasks.jsonl'),
    localTasks: join(root, 'prodigy-tasks.jsonl'),
    assets: join(root, 'assets'),
    prodigyHome: join(root, 'prodigy-home'),
  };
}
