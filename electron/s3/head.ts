// HEAD of one object, and the "is what is already there the same bytes?" check behind create-once writes.
import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { isNotFound, s3Failure } from './failure.ts';
import { base64ToHex } from './hashing.ts';

export type ObjectHead = {
  readonly key: string;
  readonly etag: string;
  readonly size: number;
  // Our own x-amz-meta-sha256, else S3's full-object SHA-256 checksum (single PUTs only); hex.
  readonly sha256: string | undefined;
  readonly metadata: Readonly<Record<string, string>>;
  readonly contentType: string | undefined;
  readonly lastModified: Date | undefined;
};

export async function headObject(client: S3Client, bucket: string, key: string, options: { signal?: AbortSignal } = {}): Promise<ObjectHead | null> {
  try {
    const r = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: 'ENABLED' }), { abortSignal: options.signal });
    const metadata = r.Metadata ?? {};
    const etag = r.ETag ?? '';
    // A multipart ETag ("…-N") comes with a checksum-of-part-checksums, not the object's SHA-256.
    const fullObjectSha = r.ChecksumSHA256 && !etag.includes('-') && r.ChecksumType !== 'COMPOSITE' ? base64ToHex(r.ChecksumSHA256) : undefined;
    return {
      key,
      etag,
      size: r.ContentLength ?? 0,
      sha256: metadata.sha256 ?? fullObjectSha,
      metadata,
      contentType: r.ContentType,
      lastModified: r.LastModified,
    };
  } catch (error) {
    if (isNotFound(error)) return null;
    throw s3Failure(client, error, 'HeadObject', bucket, key);
  }
}
