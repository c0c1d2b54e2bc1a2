// Small files a pull writes into the batch cache (manifest copy, Prodigy's tasks file): whole or not at all,
// and a full disk is said as such, naming the folder, instead of surfacing as a bare ENOSPC.
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { FerryError } from '../../shared/result.ts';

function errnoOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : undefined;
}

export function localWriteError(error: unknown, path: string): unknown {
  const code = errnoOf(error);
  const folder = dirname(path);
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new FerryError('disk-full', `Not enough disk space in ${folder} to write ${basename(path)}. Free some space and try again.`, code);
  }
  if (code === 'EFBIG') {
    return new FerryError('disk-full', `${basename(path)} in ${folder} would be larger than this system lets one file be (EFBIG: a file-size limit is set). Lift the limit or move dataDir, then try again.`, code);
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new FerryError('internal', `Ferry may not write ${basename(path)} in ${folder} (${code}). Check that dataDir is writable.`, code);
  }
  return error;
}

// Written beside the target and renamed over it, so a reader never sees half a file.
export async function writeLocalFile(path: string, body: string): Promise<void> {
  const tmp = `${path}.tmp`;
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(tmp, body);
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw localWriteError(error, path);
  }
}
