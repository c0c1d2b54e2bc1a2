// Rebuilds a fresh ferry.db from what survives on disk: every batch folder's batch.json (as pulled) and the answers
// in each batch's own Prodigy database (db-out, the same harvest as while annotating). Every rebuilt batch is marked
// "compare with S3 first" and its claim "unknown": nothing is published until sync/reconcile.ts has done both.
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BatchManifestSchema, type BatchManifest } from '../../shared/batch.ts';
import type { WorkspaceConfig } from '../../shared/config.ts';
import { harvestAnswers } from '../harvest/harvest.ts';
import { resolveProdigyCommand } from '../prodigy/resolve-command.ts';
import type { Store } from '../store/store.ts';
import { batchPaths } from './paths.ts';

export type LocalRebuild = {
  readonly batches: readonly string[];
  readonly answers: number;
  // Folders or databases that could not be read, each said plainly (the rest was rebuilt).
  readonly problems: readonly string[];
};

async function subfolders(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  } catch {
    return [];
  }
}

// dataDir/batches/P/R/B/batch.json, three levels down.
export async function findBatchFolders(dataDir: string): Promise<{ project: string; region: string; batch: string }[]> {
  const root = join(dataDir, 'batches');
  const found: { project: string; region: string; batch: string }[] = [];
  for (const project of await subfolders(root)) {
    for (const region of await subfolders(join(root, project))) {
      for (const batch of await subfolders(join(root, project, region))) {
        if (existsSync(join(root, project, region, batch, 'batch.json'))) found.push({ project, region, batch });
      }
    }
  }
  return found;
}

async function readManifest(path: string): Promise<BatchManifest> {
  return BatchManifestSchema.parse(JSON.parse(await readFile(path, 'utf8')));
}

export async function rebuildFromBatchFolders(store: Store, config: WorkspaceConfig, options: { signal?: AbortSignal } = {}): Promise<LocalRebuild> {
  const batches: string[] = [];
  const problems: string[] = [];
  let answers = 0;
  const command = await resolveProdigyCommand(config.prodigyCommand).catch(() => null);
  for (const ref of await findBatchFolders(config.dataDir)) {
    const paths = batchPaths(config.dataDir, ref.project, ref.region, ref.batch);
    let manifest: BatchManifest;
    try {
      manifest = await readManifest(paths.manifest);
    } catch (error) {
      problems.push(`${paths.manifest} could not be read (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); that batch was left out.`);
      continue;
    }
    const pulled = existsSync(paths.localTasks);
    const batch = store.upsertBatch({ ...ref, status: pulled ? 'ready' : 'claimed', manifest, tasksTotal: manifest.tasks.count, ...(pulled ? { pulledAt: new Date() } : {}) });
    store.markClaimUnknown(batch.id);
    store.setNeedsReconcile(batch.id, true);
    batches.push(batch.id);
    if (!existsSync(join(paths.prodigyHome, 'prodigy.db'))) continue;
    if (command === null) {
      problems.push(`Prodigy could not be started, so the answers in ${paths.prodigyHome} are read when you next open batch ${ref.batch}.`);
      continue;
    }
    try {
      const result = await harvestAnswers({ command, home: paths.prodigyHome, dataset: manifest.dataset, batchId: batch.id, annotator: config.annotator, store, ...(options.signal ? { signal: options.signal } : {}) });
      answers += result.answered;
    } catch (error) {
      problems.push(`The answers in ${paths.prodigyHome} could not be read yet (${error instanceof Error ? error.message : String(error)}); Ferry reads them again when you open batch ${ref.batch}.`);
    }
  }
  return { batches, answers, problems };
}
