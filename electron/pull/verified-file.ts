// "Is this cached file exactly what the manifest says?" — the test that lets a pull reuse what an earlier one verified.
import { stat } from 'node:fs/promises';
import { sha256OfFile } from '../s3/hashing.ts';

export async function alreadyThere(path: string, sha256: string, bytes: number): Promise<boolean> {
  try {
    const info = await stat(path);
    return info.size === bytes && (await sha256OfFile(path)).sha256 === sha256;
  } catch {
    return false;
  }
}
