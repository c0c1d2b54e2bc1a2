// Maps an S3 key (relative to a batch or workspace prefix) to a file under a cache folder, refusing any that would escape it.
import { isAbsolute, join, relative, resolve } from 'node:path';
import { FerryError } from '../../shared/result.ts';
import { unsafeKeyReason } from '../../shared/s3-layout.ts';

export function cachePathForKey(cacheRoot: string, relativeKey: string): string {
  const reason = unsafeKeyReason(relativeKey);
  if (reason !== null) throw new FerryError('unsafe-key', `Refused to store the S3 key ${JSON.stringify(relativeKey)} under ${cacheRoot}: ${reason}.`);
  const root = resolve(cacheRoot);
  const path = join(root, ...relativeKey.split('/'));
  // Belt and braces: whatever the string rules missed, the resolved path must stay inside the root.
  const inside = relative(root, path);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) {
    throw new FerryError('unsafe-key', `Refused to store the S3 key ${JSON.stringify(relativeKey)} under ${cacheRoot}: it resolves outside that folder.`);
  }
  return path;
}
