// A full disk while harvesting or sealing, said as such: SQLite's SQLITE_FULL and the file system's ENOSPC/EDQUOT
// become `disk-full` naming the folder. The store's transaction either committed or not, so nothing is half-written.
import { FerryError } from '../../shared/result.ts';

const DISK_FULL_CODES = new Set(['ENOSPC', 'EDQUOT', 'SQLITE_FULL']);

export function isDiskFull(error: unknown): boolean {
  if (error instanceof FerryError) return error.code === 'disk-full';
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && DISK_FULL_CODES.has(code);
}

// `doing` completes "Not enough disk space in FOLDER to …".
export function diskFullError(error: unknown, folder: string, doing: string): FerryError {
  if (error instanceof FerryError) return error;
  const code = String((error as { code?: unknown }).code);
  return new FerryError(
    'disk-full',
    `Not enough disk space in ${folder} to ${doing}. Nothing was lost: what was saved before is intact, and Prodigy still holds your answers. Free some space; Ferry carries on by itself.`,
    `${code}: ${error instanceof Error ? error.message : String(error)}`,
  );
}
