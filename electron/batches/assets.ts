// Finds the raw files a task points at (s3://bucket/key in image/audio/video/pdf fields) and fingerprints them
// so an annotator's pull can verify every byte against the manifest.
import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Asset } from '../../shared/batch.ts';
import { FerryError } from '../../shared/result.ts';
import { classifyS3Error } from '../s3/errors.ts';
import { base64ToHex } from '../s3/hashing.ts';

export const ASSET_FIELDS = ['image', 'audio', 'video', 'pdf'] as const;

export type AssetRef = { readonly field: (typeof ASSET_FIELDS)[number]; readonly bucket: string; readonly key: string };

export function parseS3Uri(value: string): { bucket: string; key: string } | null {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(value);
  return match ? { bucket: match[1]!, key: match[2]! } : null;
}

export function assetRefs(task: Record<string, unknown>): AssetRef[] {
  const refs: AssetRef[] = [];
  for (const field of ASSET_FIELDS) {
    const value = task[field];
    if (typeof value !== 'string') continue;
    const uri = parseS3Uri(value);
    if (uri) refs.push({ field, ...uri });
  }
  return refs;
}

function extensionOf(key: string): string {
  const match = /\.([A-Za-z0-9]{1,8})$/.exec(key);
  return match ? `.${match[1]!.toLowerCase()}` : '';
}

// Assets are stored locally by content: two tasks naming the same bytes share one file, and names can't collide.
export function assetPath(sha256: string, key: string): string {
  return `assets/${sha256}${extensionOf(key)}`;
}

export async function fingerprintAsset(client: S3Client, bucket: string, key: string): Promise<Asset> {
  let head;
  try {
    head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: 'ENABLED' }));
  } catch (error) {
    const classified = classifyS3Error(error, { op: 'read', bucket, key });
    if (classified.code === 'not-found') {
      throw new FerryError('not-found', `A task refers to s3://${bucket}/${key}, which does not exist. Fix the pool line or upload the file.`);
    }
    throw classified;
  }
  const bytes = head.ContentLength ?? 0;
  const known = head.Metadata?.sha256 ?? (head.ChecksumSHA256 && head.ChecksumType !== 'COMPOSITE' && !head.ChecksumSHA256.includes('-') ? base64ToHex(head.ChecksumSHA256) : undefined);
  if (known && /^[0-9a-f]{64}$/.test(known)) return { key: `s3://${bucket}/${key}`, path: assetPath(known, key), sha256: known, bytes };
  // No checksum stored with the object: read it once here, so every pull after this can verify.
  const hash = createHash('sha256');
  try {
    const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    for await (const chunk of object.Body as Readable) hash.update(chunk as Buffer);
  } catch (error) {
    throw classifyS3Error(error, { op: 'read', bucket, key });
  }
  const sha256 = hash.digest('hex');
  return { key: `s3://${bucket}/${key}`, path: assetPath(sha256, key), sha256, bytes };
}
