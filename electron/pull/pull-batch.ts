// Brings a claimed batch into the local cache: tasks and every asset, each verified against the manifest's SHA-256.
// Files land under their final name only once verified, so an interrupted pull resumes and never leaves a bad file.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { BatchManifest } from '../../shared/batch.ts';
import { FerryError } from '../../shared/result.ts';
import { batchTasksKey, unsafeKeyReason } from '../../shared/s3-layout.ts';
import { parseS3Uri } from '../batches/assets.ts';
import type { S3Target } from '../projects/projects.ts';
import { downloadToFile } from '../s3/objects.ts';
import type { BatchPaths } from '../workspace/paths.ts';
import { parseTasks } from './tasks-file.ts';

export type PullProgress = { readonly bytesDone: number; readonly bytesTotal: number; readonly filesDone: number; readonly filesTotal: number };

export type PullOptions = {
  readonly concurrency?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: PullProgress) => void;
};

export type PullResult = PullProgress & { readonly reused: number; readonly tasks: number };

async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

// A file already in the cache counts only if it is exactly what the manifest says.
async function alreadyThere(path: string, sha256: string, bytes: number): Promise<boolean> {
  try {
    const info = await stat(path);
    return info.size === bytes && (await fileSha256(path)) === sha256;
  } catch {
    return false;
  }
}

export function cachePathFor(root: string, relative: string): string {
  const reason = unsafeKeyReason(relative);
  if (reason !== null) throw new FerryError('unsafe-key', `Refused to store "${relative}" in the batch cache: ${reason}. Ask your team lead to fix the batch manifest.`);
  const full = resolve(root, ...relative.split('/'));
  if (!full.startsWith(resolve(root) + sep)) throw new FerryError('unsafe-key', `Refused to store "${relative}": it would land outside the batch cache folder.`);
  return full;
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
      for (const field of ['image', 'audio', 'video', 'pdf']) {
        const value = copy[field];
        if (typeof value === 'string' && local.has(value)) copy[field] = local.get(value);
      }
      return JSON.stringify(copy);
    })
    .join('\n')}\n`;
}

export async function pullBatch(target: S3Target, manifest: BatchManifest, paths: BatchPaths, options: PullOptions = {}): Promise<PullResult> {
  const { project, region, batch } = manifest;
  const assetTargets = manifest.assets.map((asset) => ({ asset, path: cachePathFor(paths.root, asset.path) }));
  await mkdir(paths.root, { recursive: true });
  await writeFile(`${paths.manifest}.tmp`, JSON.stringify(manifest, null, 2));
  await rename(`${paths.manifest}.tmp`, paths.manifest);

  const filesTotal = 1 + assetTargets.length;
  const bytesTotal = manifest.tasks.bytes + manifest.assets.reduce((n, a) => n + a.bytes, 0);
  let bytesDone = 0;
  let filesDone = 0;
  let reused = 0;
  const report = throttle(options.onProgress);
  const progress = (): PullProgress => ({ bytesDone, bytesTotal, filesDone, filesTotal });

  const tasksKey = batchTasksKey(target.prefix, project, region, batch);
  if (await alreadyThere(paths.tasks, manifest.tasks.sha256, manifest.tasks.bytes)) {
    reused += 1;
  } else {
    await downloadToFile(target.client, target.bucket, tasksKey, paths.tasks, {
      expectedSha256: manifest.tasks.sha256,
      expectedSize: manifest.tasks.bytes,
      ...(options.signal ? { signal: options.signal } : {}),
    });
  }
  bytesDone += manifest.tasks.bytes;
  filesDone += 1;
  report(progress(), true);
  const tasks = parseTasks(await readFile(paths.tasks, 'utf8'), `${tasksKey}`, manifest);

  const queue = [...assetTargets];
  const inFlight = new Map<string, number>();
  const worker = async (): Promise<void> => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const { asset, path } = next;
      if (await alreadyThere(path, asset.sha256, asset.bytes)) {
        reused += 1;
      } else {
        const uri = parseS3Uri(asset.key);
        if (!uri) throw new FerryError('malformed-input', `The manifest of batch ${batch} lists asset "${asset.key}", which is not an s3:// address.`);
        await mkdir(dirname(path), { recursive: true });
        await downloadToFile(target.client, uri.bucket, uri.key, path, {
          expectedSha256: asset.sha256,
          expectedSize: asset.bytes,
          ...(options.signal ? { signal: options.signal } : {}),
          onProgress: (transfer) => {
            inFlight.set(asset.key, transfer.bytesDone);
            report({ ...progress(), bytesDone: bytesDone + [...inFlight.values()].reduce((a, b) => a + b, 0) });
          },
        });
      }
      inFlight.delete(asset.key);
      bytesDone += asset.bytes;
      filesDone += 1;
      report(progress());
    }
  };
  const workers = Array.from({ length: Math.min(options.concurrency ?? 16, Math.max(1, queue.length)) }, worker);
  await Promise.all(workers);

  await writeFile(`${paths.localTasks}.tmp`, localizeTasks(tasks, manifest, paths.root));
  await rename(`${paths.localTasks}.tmp`, paths.localTasks);
  report(progress(), true);
  return { ...progress(), reused, tasks: tasks.length };
}
