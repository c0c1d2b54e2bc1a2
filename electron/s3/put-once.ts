// Create-once writes of data objects (Invariant 2): a 412 is success only when the same bytes are already there.
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { HttpRequest } from '@smithy/core/protocols';
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
    const command = new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: bytes,
      IfNoneMatch: '*',
      ChecksumAlgorithm: 'SHA256',
      ChecksumSHA256: hexToBase64(sha256),
      Metadata: { sha256 },
      ...(options.contentType ? { ContentType: options.contentType } : {}),
    });
    // SigV4 signs the body's SHA-256 (x-amz-content-sha256); Ferry knows it already, so the signer need not hash the
    // body once more. S3 still checks the body against it (and against x-amz-checksum-sha256).
    command.middlewareStack.add(
      (next) => async (args) => {
        if (HttpRequest.isInstance(args.request)) args.request.headers['x-amz-content-sha256'] = sha256;
        return await next(args);
      },
      { step: 'build', name: 'ferryKnownPayloadHash' },
    );
    const r = await client.send(command, { abortSignal: options.signal });
    return { created: true, etag: r.ETag ?? '', sha256 };
  } catch (error) {
    if (!isPreconditionFailed(error)) throw s3Failure(client, error, 'PutObject', bucket, key);
  }
  return await confirmSameContent(client, bucket, key, sha256, options.signal);
}
