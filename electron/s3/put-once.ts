// Create-once writes of data objects (Invariant 2): a 412 is success only when the same bytes are already there.
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { FerryError } from '../../shared/result.ts';
import { isPreconditionFailed, s3Failure } from './failure.ts';
import { hexToBase64, sha256Hex } from './hashing.ts';
import { headObject } from './head.ts';

export type PutOnceResult = { readonly created: boolean; readonly etag: string; readonly sha256: string };

// After a 412 on a create-once write: the same bytes already there is success; anything else is a conflict.
export async function confirmSameContent(client: S3Client, bucket: string, key: string, sha256: string, signal?: AbortSignal): Promise<PutOnceResult> {
  const head = await headObject(client, bucket, key, signal ? { signal } : {});
  if (head && head.sha256 === sha256) return { created: false, etag: head.etag, sha256 };
  const found = head ? (head.sha256 ? `SHA-256 ${head.sha256}` : 'no recorded SHA-256') : 'nothing (it was removed meanwhile)';
  throw new FerryError(
    'conflict',
    `s3://${bucket}/${key} already exists with different content (${found}; Ferry's copy is SHA-256 ${sha256}). Ferry never overwrites data in S3; ask your team lead to check this object.`,
  );
}


// Create-once write of a data object; a retry after success returns {created:false}.
// `sha256`: the body's SHA-256 when the caller just computed it (the outbox does), so it is not hashed once more.
export async function putObjectOnce(
  client: S3Client,
  bucket: string,
  key: string,
  body: Buffer | string,
  options: { readonly contentType?: string; readonly signal?: AbortSignal; readonly sha256?: string } = {},
): Promise<PutOnceResult> {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const sha256 = options.sha256 ?? sha256Hex(bytes);
  try {
    const r = await client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: bytes,
        IfNoneMatch: '*',
        ChecksumAlgorithm: 'SHA256',
        ChecksumSHA256: hexToBase64(sha256),
        Metadata: { sha256 },
        ...(options.contentType ? { ContentType: options.contentType } : {}),
      }),
      { abortSignal: options.signal },
    );
    return { created: true, etag: r.ETag ?? '', sha256 };
  } catch (error) {
    if (!isPreconditionFailed(error)) throw s3Failure(client, error, 'PutObject', bucket, key);
  }
  return await confirmSameContent(client, bucket, key, sha256, options.signal);
}
