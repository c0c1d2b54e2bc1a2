// Is the bucket reachable right now? One cheap request (a 1-key listing under the workspace prefix) with a short
// timeout and no SDK retries. Any HTTP answer, even 403, means the network is up; only a failure to get one is offline.
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { FerryError } from '../../shared/result.ts';
import { classifyS3Error, isRetryable } from '../s3/errors.ts';
import { clientLabel } from '../s3/client.ts';

export const DEFAULT_PROBE_TIMEOUT_MS = 3_000;

export type ProbeResult = { readonly reachable: true; readonly ms: number } | { readonly reachable: false; readonly ms: number; readonly reason: string };

function hasHttpAnswer(error: unknown): boolean {
  const status = (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
  return typeof status === 'number' && status > 0;
}

export async function probeBucket(client: S3Client, bucket: string, prefix: string, options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<ProbeResult> {
  const started = Date.now();
  const timeout = AbortSignal.timeout(options.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  try {
    await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, MaxKeys: 1 }), { abortSignal: signal });
    return { reachable: true, ms: Date.now() - started };
  } catch (error) {
    if (options.signal?.aborted) throw new FerryError('cancelled', 'The connection check was cancelled.');
    // 5xx/SlowDown is an answer too: the endpoint is there, just busy (the outbox backs off on its own).
    if (hasHttpAnswer(error)) return { reachable: true, ms: Date.now() - started };
    const endpoint = clientLabel(client).endpoint;
    if (timeout.aborted) return { reachable: false, ms: Date.now() - started, reason: `Cannot reach ${endpoint}: no answer within ${options.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS} ms.` };
    const ferry = classifyS3Error(error, { op: 'ListObjectsV2', bucket, key: prefix, endpoint });
    if (ferry.code === 'endpoint-unreachable' || isRetryable(error)) return { reachable: false, ms: Date.now() - started, reason: ferry.message };
    return { reachable: true, ms: Date.now() - started }; // e.g. credentials refused locally: not a network problem
  }
}
