// Downloads a batch's assets a few at a time. The first failure stops the others and the pull waits for them,
// so no download keeps writing into the cache after the pull has reported its error.
import { setMaxListeners } from 'node:events';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Asset, BatchManifest } from '../../shared/batch.ts';
import { FerryError } from '../../shared/result.ts';
import { parseS3Uri } from '../batches/assets.ts';
import type { S3Target } from '../projects/projects.ts';
import { downloadToFile } from '../s3/objects.ts';
import { alreadyThere } from './verified-file.ts';

export type AssetTarget = { readonly asset: Asset; readonly path: string };

export type AssetPullEvents = {
  readonly concurrency: number;
  readonly signal?: AbortSignal;
  // Bytes of each unfinished download so far (for progress), then its completion.
  readonly onBytes: (asset: Asset, bytesDone: number) => void;
  readonly onDone: (asset: Asset, reused: boolean) => void;
};

// A missing object gets the batch's context: which batch needs it and what a person can do about it.
export function missingObjectError(error: unknown, batch: string, what: string): unknown {
  if (!(error instanceof FerryError) || error.code !== 'not-found') return error;
  return new FerryError(
    'not-found',
    `Batch ${batch} needs ${what}, which is no longer in S3 (it was deleted or moved after the batch was created). Ask your team lead to restore it or recreate the batch; the files already downloaded are kept.`,
    error.detail ?? error.message,
  );
}

// One listing per asset folder instead of a stat per asset: on a cold cache most assets are simply not there yet.
async function filesAlreadyCached(items: readonly AssetTarget[]): Promise<Set<string>> {
  const present = new Set<string>();
  for (const folder of new Set(items.map((i) => dirname(i.path)))) {
    try {
      for (const name of await readdir(folder)) present.add(join(folder, name));
    } catch {
      await mkdir(folder, { recursive: true }); // missing: made once here, not once per download
    }
  }
  return present;
}

async function pullOne(target: S3Target, manifest: BatchManifest, item: AssetTarget, present: ReadonlySet<string>, signal: AbortSignal, events: AssetPullEvents): Promise<void> {
  const { asset, path } = item;
  if (present.has(path) && (await alreadyThere(path, asset.sha256, asset.bytes))) {
    events.onDone(asset, true);
    return;
  }
  const uri = parseS3Uri(asset.key);
  if (!uri) throw new FerryError('malformed-input', `The manifest of batch ${manifest.batch} lists asset "${asset.key}", which is not an s3:// address.`);
  try {
    await downloadToFile(target.client, uri.bucket, uri.key, path, {
      expectedSha256: asset.sha256,
      expectedSize: asset.bytes,
      signal,
      onProgress: (transfer) => events.onBytes(asset, transfer.bytesDone),
    });
  } catch (error) {
    throw missingObjectError(error, manifest.batch, asset.key);
  }
  events.onDone(asset, false);
}

export async function pullAssets(target: S3Target, manifest: BatchManifest, items: readonly AssetTarget[], events: AssetPullEvents): Promise<void> {
  const present = await filesAlreadyCached(items);
  const stop = new AbortController();
  // Every download in flight listens on this signal (SDK request, retry wait, stream); that is not a leak.
  setMaxListeners(Math.max(10, 4 * events.concurrency), stop.signal);
  const onOuterAbort = (): void => stop.abort();
  events.signal?.addEventListener('abort', onOuterAbort, { once: true });
  if (events.signal?.aborted) stop.abort();
  const queue = [...items];
  const finished = new Set<AssetTarget>();
  let firstError: unknown;
  async function worker(): Promise<void> {
    for (let next = queue.shift(); next && !stop.signal.aborted; next = queue.shift()) {
      try {
        await pullOne(target, manifest, next, present, stop.signal, events);
        finished.add(next);
      } catch (error) {
        firstError ??= error; // the cause; the siblings stopped by it only report "cancelled"
        stop.abort();
      }
    }
  }
  try {
    await Promise.all(Array.from({ length: Math.min(events.concurrency, Math.max(1, items.length)) }, worker));
  } finally {
    events.signal?.removeEventListener('abort', onOuterAbort);
  }
  if (firstError === undefined && events.signal?.aborted) {
    throw new FerryError('cancelled', `Pulling batch ${manifest.batch} was cancelled; the files downloaded so far are kept and the next pull resumes.`);
  }
  if (firstError === undefined) return;
  if (firstError instanceof FerryError && firstError.code === 'disk-full') {
    // Partial downloads are only worth keeping when there is room to finish them; on a full disk they give the space back.
    await Promise.all(items.filter((i) => !finished.has(i)).map((i) => rm(`${i.path}.part`, { force: true })));
  }
  throw firstError;
}
