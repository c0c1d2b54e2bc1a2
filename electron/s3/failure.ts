// Where every SDK call's error becomes a FerryError, with the client's endpoint and profile in the message.
import type { S3Client } from '@aws-sdk/client-s3';
import type { FerryError } from '../../shared/result.ts';
import { clientLabel } from './client.ts';
import { classifyS3Error } from './errors.ts';

export function s3Failure(client: S3Client, error: unknown, op: string, bucket: string, key?: string): FerryError {
  const label = clientLabel(client);
  return classifyS3Error(error, { op, bucket, ...(key !== undefined ? { key } : {}), endpoint: label.endpoint, ...(label.profile ? { profile: label.profile } : {}) });
}

export function isPreconditionFailed(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  return e?.$metadata?.httpStatusCode === 412 || e?.name === 'PreconditionFailed';
}

export function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  return e?.$metadata?.httpStatusCode === 404 || e?.name === 'NotFound' || e?.name === 'NoSuchKey';
}

