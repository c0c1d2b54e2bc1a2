// Counts the S3 requests an operation really sends (every HTTP attempt, retries included), by SDK command name.
// The counter lives in an AsyncLocalStorage scope, so other work on the same client at the same time is not counted.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { S3Client } from '@aws-sdk/client-s3';

export type RequestCounts = Record<string, number>;

const scope = new AsyncLocalStorage<RequestCounts>();
const instrumented = new WeakSet<S3Client>();

function instrument(client: S3Client): void {
  if (instrumented.has(client)) return;
  instrumented.add(client);
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const counts = scope.getStore();
      const name = (context as { commandName?: string }).commandName ?? 'unknown';
      if (counts) counts[name] = (counts[name] ?? 0) + 1;
      return await next(args);
    },
    // Innermost step: runs once per HTTP attempt, inside the retry middleware.
    { step: 'deserialize', name: 'ferryRequestCounter', override: true },
  );
}

export async function countRequests<T>(client: S3Client, work: () => Promise<T>): Promise<{ readonly value: T; readonly counts: RequestCounts }> {
  instrument(client);
  const counts: RequestCounts = {};
  const value = await scope.run(counts, work);
  return { value, counts };
}

export function summarizeCounts(counts: RequestCounts): { list: number; get: number; other: number } {
  let list = 0;
  let get = 0;
  let other = 0;
  for (const [name, n] of Object.entries(counts)) {
    if (name === 'ListObjectsV2Command') list += n;
    else if (name === 'GetObjectCommand') get += n;
    else other += n;
  }
  return { list, get, other };
}
