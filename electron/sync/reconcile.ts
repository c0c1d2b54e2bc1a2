// After a rebuilt database: compare a batch's answers with what S3 already holds under this annotator's results
// prefix, so rebuilding never publishes a duplicate. Chunks found in S3 are kept as done jobs (with their answers and
// size, so the submission marker can list them), answers whose latest revision in S3 has the same content
// count as published, others get the next revision; an existing submission marker marks the batch submitted.
import { join } from 'node:path';
import { parseResultChunkKey, resultsPrefix, submissionKey } from '../../shared/s3-layout.ts';
import { FerryError } from '../../shared/result.ts';
import { sha256Hex } from '../s3/hashing.ts';
import { getText, listKeys } from '../s3/objects.ts';
import { CHUNK_KIND } from '../publish/seal-chunks.ts';
import type { AdoptedRevision, Batch } from '../store/store.ts';
import type { Workspace } from '../workspace/workspace.ts';
import { SUBMISSION_KIND } from './outbox-worker.ts';

export type ReconcileResult = { readonly chunks: number; readonly published: number; readonly republish: number; readonly submitted: boolean; readonly skipped: readonly string[] };

type Latest = { readonly revision: number; readonly content: string };

// Key order must not decide equality: compare content with sorted keys.
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

// Returns how many answer lines the chunk holds.
function readLines(text: string, latest: Map<number, Latest>): number {
  let count = 0;
  for (const raw of text.split('\n')) {
    if (raw.trim().length === 0) continue;
    count += 1;
    const line = JSON.parse(raw) as Record<string, unknown> & { _ferry?: { revision?: unknown } };
    const taskHash = line._task_hash;
    const revision = typeof line._ferry?.revision === 'number' ? line._ferry.revision : 1;
    if (typeof taskHash !== 'number') continue;
    const { _ferry: _, ...content } = line;
    const seen = latest.get(taskHash);
    if (!seen || revision > seen.revision) latest.set(taskHash, { revision, content: canonicalJson(content) });
  }
  return count;
}

export async function reconcileBatch(ws: Workspace, batch: Batch, signal?: AbortSignal): Promise<ReconcileResult> {
  const { client, bucket, prefix } = ws.target;
  const annotator = ws.config.annotator;
  const latest = new Map<number, Latest>();
  const skipped: string[] = [];
  let chunks = 0;
  for await (const entry of listKeys(client, bucket, resultsPrefix(prefix, batch.project, batch.region, batch.batch, annotator), signal ? { signal } : {})) {
    const ref = parseResultChunkKey(prefix, entry.key);
    if (!ref) continue;
    const { text } = await getText(client, bucket, entry.key, signal ? { signal } : {});
    const body = Buffer.from(text, 'utf8');
    if (sha256Hex(body) !== ref.sha256) {
      skipped.push(`${entry.key} (its content does not match the SHA-256 in its name; left alone)`);
      continue;
    }
    const answers = readLines(text, latest);
    // Like any chunk S3 confirmed, its bytes are not kept locally: the marker lists it from the job's columns.
    const path = join(ws.outboxDir, `${ref.sha256}.jsonl`);
    ws.store.importDoneJob({ kind: CHUNK_KIND, targetKey: entry.key, batchId: batch.id, sha256: ref.sha256, payload: { path }, seq: ref.seq, answers, bytes: body.length });
    chunks += 1;
  }
  const adopted: AdoptedRevision[] = [];
  let published = 0;
  for (const answer of ws.store.listAnswers(batch.id, annotator)) {
    const inS3 = latest.get(answer.taskHash);
    if (!inS3) continue;
    const same = inS3.content === canonicalJson(answer.content);
    if (same) published += 1;
    adopted.push({ taskHash: answer.taskHash, revision: inS3.revision, published: same });
  }
  ws.store.adoptRevisions(batch.id, annotator, adopted);

  const markerKey = submissionKey(prefix, batch.project, batch.region, batch.batch, annotator);
  let submitted = false;
  try {
    const { text } = await getText(client, bucket, markerKey, signal ? { signal } : {});
    const json = JSON.parse(text) as unknown;
    ws.store.importDoneJob({ kind: SUBMISSION_KIND, targetKey: markerKey, batchId: batch.id, sha256: sha256Hex(Buffer.from(JSON.stringify(json), 'utf8')), payload: { json } });
    ws.store.upsertBatch({ project: batch.project, region: batch.region, batch: batch.batch, status: 'submitted', error: null });
    ws.store.clearSubmitRequest(batch.id);
    submitted = true;
  } catch (error) {
    if (!(error instanceof FerryError && error.code === 'not-found')) throw error;
  }
  ws.store.setNeedsReconcile(batch.id, false);
  return { chunks, published, republish: adopted.length - published, submitted, skipped };
}
