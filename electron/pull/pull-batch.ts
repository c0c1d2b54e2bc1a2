// Brings a claimed batch into the local cache: tasks and every asset, each verified against the manifest's SHA-256.
// Files land under their final name only once verified, so an interrupted pull resumes and never leaves a bad file.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Asset, BatchManifest } from '../../shared/batch.ts';
import { FerryError } from '../../shared/result.ts';
import { batchTasksKey, unsafeKeyReason } from '../../shared/s3-layout.ts';
import type { S3Target } from '../projects/projects.ts';
import { ASSET_FIELDS } from '../batches/assets.ts';
import { cachePathForKey } from '../s3/cache-path.ts';
import { downloadToFile } from '../s3/objects.ts';
import type { BatchPaths } from '../workspace/paths.ts';
import { writeLocalFile } from './local-files.ts';
import { missingObjectError, pullAssets } from './pull-assets.ts';
import { parseTasks } from './tasks-file.ts';
import { alreadyThere } from './verified-file.ts';

export type PullProgress = { readonly bytesDone: number; readonly bytesTotal: number; readonly filesDone: number; readonly filesTotal: number };

export type PullOptions = {
  readonly concurrency?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: PullProgress) => void;
};

export type PullResult = PullProgress & { readonly reused: number; readonly tasks: number };

// The manifest decides where an asset lands; a path that would leave the batch folder refuses the whole batch up front.
function assetCachePath(root: string, manifest: BatchManifest, asset: Asset): string {
  try {
    return cachePathForKey(root, asset.path);
  } catch (error) {
    if (!(error instanceof FerryError)) throw error;
    const reason = unsafeKeyReason(asset.path) ?? 'it would land outside the batch cache folder';
    throw new FerryError(
      'unsafe-key',
      `Batch ${manifest.batch} was refused: its manifest puts asset ${asset.key} at "${asset.path}", and ${reason}. Nothing of this batch was downloaded; ask your team lead to recreate the batch.`,
      `cache folder: ${root}`,
    );
  }
}

function throttle(fn: ((p: PullProgress) => void) | undefined, everyMs = 200): (p: PullProgress, force?: boolean) => void {
  let last = 0;
  return (p, force = false) => {
    const now = Date.now();
    if (fn && (force || now - last >= everyMs)) {
      last = now;
      fn(p);
    }
  };
}

// Local copy of the tasks for Prodigy: s3:// asset references become the verified local files.
export function localizeTasks(lines: readonly Record<string, unknown>[], manifest: BatchManifest, root: string): string {
  const local = new Map(manifest.assets.map((a) => [a.key, join(root, ...a.path.split('/'))]));
  return `${lines
    .map((task) => {
      const copy: Record<string, unknown> = { ...task };
      for (const field of ASSET_FIELDS) {
        const value = copy[field];
        if (typeof value === 'string' && local.has(value)) copy[field] = local.get(value);
      }
      return JSON.stringify(copy);
    })
    .join('\n')}\n`;
}

export async function pullBatch(target: S3Target, manifest: BatchManifest, paths: BatchPaths, options: PullOptions = {}): Promise<PullResult> {
  const { project, region, batch } = manifest;
  const assetTargets = manifest.assets.map((asset) => ({ asset, path: assetCachePath(paths.root, manifest, asset) }));
  await writeLocalFile(paths.manifest, JSON.stringify(manifest, null, 2));

  const filesTotal = 1 + assetTargets.length;
  const bytesTotal = manifest.tasks.bytes + manifest.assets.reduce((n, a) => n + a.bytes, 0);
  let bytesDone = 0;
  let filesDone = 0;
  let reused = 0;
  const report = throttle(options.onProgress);
  const progress = (): PullProgress => ({ bytesDone, bytesTotal, filesDone, filesTotal });

  const tasksKey = batchTasksKey(target.prefix, project, region, batch);
  const tasksUri = `s3://${target.bucket}/${tasksKey}`;
  if (await alreadyThere(paths.tasks, manifest.tasks.sha256, manifest.tasks.bytes)) {
    reused += 1;
  } else {
    await downloadToFile(target.client, target.bucket, tasksKey, paths.tasks, {
      expectedSha256: manifest.tasks.sha256,
      expectedSize: manifest.tasks.bytes,
      ...(options.signal ? { signal: options.signal } : {}),
    }).catch((error: unknown) => {
      throw missingObjectError(error, batch, `its tasks file ${tasksUri}`);
    });
  }
  bytesDone += manifest.tasks.bytes;
  filesDone += 1;
  report(progress(), true);
  const tasks = parseTasks(await readFile(paths.tasks, 'utf8'), tasksUri, manifest);

  const inFlight = new Map<string, number>();
  await pullAssets(target, manifest, assetTargets, {
    concurrency: options.concurrency ?? 16,
    ...(options.signal ? { signal: options.signal } : {}),
    onBytes: (asset, done) => {
      inFlight.set(asset.key, done);
      report({ ...progress(), bytesDone: bytesDone + [...inFlight.values()].reduce((a, b) => a + b, 0) });
    },
    onDone: (asset, wasThere) => {
      inFlight.delete(asset.key);
      if (wasThere) reused += 1;
      bytesDone += asset.bytes;
      filesDone += 1;
      report(progress());
    },
  });

  await writeLocalFile(paths.localTasks, localizeTasks(tasks, manifest, paths.root));
  report(progress(), true);
  return { ...progress(), reused, tasks: tasks.length };
}
