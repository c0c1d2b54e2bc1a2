// The annotator's heartbeat for the lead's view: projects/P/heartbeats/R/A.json, one per project the annotator
// holds batches in. A pointer only A writes: created with If-None-Match: *, then replaced by If-Match on the ETag
// Ferry last wrote. A 412 means another Ferry of the same annotator wrote it meanwhile: read its ETag, write again.
// Not an outbox job: only the latest one matters, so nothing is queued while offline.
import type { S3Client } from '@aws-sdk/client-s3';
import { FerryError } from '../../shared/result.ts';
import { heartbeatKey } from '../../shared/s3-layout.ts';
import { headObject } from '../s3/head.ts';
import { createPointer, putIfMatch } from '../s3/objects.ts';
import type { S3Target } from '../projects/projects.ts';
import type { Store } from '../store/store.ts';

export const DEFAULT_HEARTBEAT_MS = 5 * 60_000;

export type Heartbeat = {
  readonly kind: 'ferry.heartbeat';
  readonly version: 1;
  readonly project: string;
  readonly region: string;
  readonly annotator: string;
  readonly lastSeenAt: string;
  // Answers not yet confirmed in S3: unsealed, or sealed into a chunk still in the outbox.
  readonly answersWaiting: number;
  // Batches of this project the annotator holds and has not submitted (ids "project/region/batch").
  readonly batchesHeld: readonly string[];
  readonly appVersion: string;
  readonly host: string;
};

export type HeartbeatContext = { readonly annotator: string; readonly region: string; readonly appVersion: string; readonly host: string };

// One heartbeat per project with local batches (none when the annotator holds nothing at all).
export function buildHeartbeats(store: Store, context: HeartbeatContext, now: Date): Heartbeat[] {
  const waiting = store.answersWaiting(context.annotator);
  const byProject = new Map<string, { held: string[]; waiting: number }>();
  for (const batch of store.listBatches()) {
    const entry = byProject.get(batch.project) ?? { held: [], waiting: 0 };
    if (batch.status !== 'submitted' && batch.claimState !== 'lost') entry.held.push(batch.id);
    entry.waiting += waiting.get(batch.id) ?? 0;
    byProject.set(batch.project, entry);
  }
  return [...byProject].map(([project, entry]) => ({
    kind: 'ferry.heartbeat',
    version: 1,
    project,
    region: context.region,
    annotator: context.annotator,
    lastSeenAt: now.toISOString(),
    answersWaiting: entry.waiting,
    batchesHeld: entry.held,
    appVersion: context.appVersion,
    host: context.host,
  }));
}

async function currentEtag(client: S3Client, bucket: string, key: string): Promise<string | null> {
  return (await headObject(client, bucket, key))?.etag ?? null;
}

// Writes one heartbeat; returns the ETag to use next time.
export async function writeHeartbeat(target: S3Target, heartbeat: Heartbeat, knownEtag: string | null, signal?: AbortSignal): Promise<string> {
  const key = heartbeatKey(target.prefix, heartbeat.project, heartbeat.region, heartbeat.annotator);
  const body = JSON.stringify(heartbeat, null, 2);
  const options = { contentType: 'application/json', ...(signal ? { signal } : {}) };
  let etag = knownEtag;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    if (etag === null) {
      const created = await createPointer(target.client, target.bucket, key, body, options);
      if (created.created) return created.etag;
      etag = await currentEtag(target.client, target.bucket, key);
      continue;
    }
    try {
      return (await putIfMatch(target.client, target.bucket, key, body, etag, options)).etag;
    } catch (error) {
      if (!(error instanceof FerryError) || (error.code !== 'conflict' && error.code !== 'not-found')) throw error;
      etag = await currentEtag(target.client, target.bucket, key);
    }
  }
  throw new FerryError('conflict', `s3://${target.bucket}/${key} kept changing while Ferry wrote your heartbeat (another Ferry of yours is writing it too); it is written again next time.`);
}
