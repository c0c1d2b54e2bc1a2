// "Is this cached file exactly what the manifest says?" — the test that lets a pull reuse what an earlier one verified.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';

export async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export async function alreadyThere(path: string, sha256: string, bytes: number): Promise<boolean> {
  try {
    const info = await stat(path);
    return info.size === bytes && (await fileSha256(path)) === sha256;
  } catch {
    return false;
  }
}
