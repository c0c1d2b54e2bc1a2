// Seals a batch's not-yet-published answers into immutable chunk files and queues them in the outbox, atomically:
// a crash before the seal leaves the answers unsealed (sealed again, same bytes); after it, the outbox owns them.
// Safe with two processes on one dataDir (no lock): the chunk file is written first, named by its SHA-256, so a file
// another process also wrote is the same bytes; the store's IMMEDIATE transaction then re-checks that the chunk is still
// the next stretch of unsealed answers, at the revisions it holds, before it takes the next sequence number and seals it.
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { resultChunkKey } from '../../shared/s3-layout.ts';
import { FerryError } from '../../shared/result.ts';
import type { Store } from '../store/store.ts';
import { buildChunk, chunkOf, ferryOpen, type ChunkContent } from './chunk.ts';
import type { FerryAnswerContext } from '../../shared/batch.ts';
import type { PublishedAnswer } from '../store/store.ts';
import { diskFullError, isDiskFull } from './disk-full.ts';
import { keepFreshChunk } from './fresh-chunks.ts';

export const CHUNK_KIND = 'result-chunk';
// At most one PUT per 1,000 answers (issue 4's budget), and small enough to re-send cheaply.
export const MAX_CHUNK_ANSWERS = 1000;
// Another process sealing the same answers makes a round stale; each stale round means it made progress.
const MAX_STALE_ROUNDS = 1000;

export type SealTarget = {
  readonly store: Store;
  readonly prefix: string;
  readonly outboxDir: string;
  readonly project: string;
  readonly region: string;
  readonly batch: string;
  readonly batchId: string;
  readonly annotator: string;
  readonly late?: boolean;
  readonly signal?: AbortSignal;
  // Each chunk as soon as it is queued, so an upload can start while the next one is sealed.
  readonly onSealed?: (chunk: SealedChunk) => void;
};

export type SealedChunk = { readonly key: string; readonly sha256: string; readonly count: number; readonly jobId: number };

async function writeDurably(path: string, body: Buffer): Promise<void> {
  // A name of its own per writer: two processes sealing the same bytes must not share a temp file.
  const tmp = `${path}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    const handle = await open(tmp, 'w');
    try {
      await handle.writeFile(body);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw error;
  }
}

// The next chunk after the seal mark: built by SQLite when every answer in it is plain, else line by line in JS.
function nextChunk(target: SealTarget, context: Omit<FerryAnswerContext, 'task' | 'source'>, maxAnswers: number): { chunk: ChunkContent; published: readonly PublishedAnswer[] } | undefined {
  const stretch = target.store.readSealableStretch(target.batchId, target.annotator, maxAnswers, ferryOpen(context));
  if (stretch.answers.length === 0) return undefined;
  // Both lists carry taskHash, revision and changeSeq, all the seal reads of them: no copy needed.
  if (stretch.body !== null) return { chunk: chunkOf(stretch.body, stretch.answers), published: stretch.answers };
  const answers = target.store.listSealableAnswers(target.batchId, target.annotator, maxAnswers);
  if (answers.length === 0) return undefined;
  return { chunk: buildChunk(answers, context), published: answers };
}

export async function sealChunks(target: SealTarget, maxAnswers = MAX_CHUNK_ANSWERS): Promise<SealedChunk[]> {
  const sealed: SealedChunk[] = [];
  try {
    await mkdir(target.outboxDir, { recursive: true });
    const context = { project: target.project, region: target.region, batch: target.batch, annotator: target.annotator, late: target.late ?? false };
    for (let staleRounds = 0; ; ) {
      if (target.signal?.aborted) throw new FerryError('cancelled', `Sealing answers of ${target.batchId} was cancelled; the rest is sealed next time.`);
      const next = nextChunk(target, context, maxAnswers);
      if (next === undefined) return sealed;
      const { chunk, published } = next;
      const path = join(target.outboxDir, `${chunk.sha256}.jsonl`);
      await writeDurably(path, chunk.body);
      const outcome = target.store.sealChunk({
        batchId: target.batchId,
        annotator: target.annotator,
        job: {
          kind: CHUNK_KIND,
          targetKey: (seq) => resultChunkKey(target.prefix, target.project, target.region, target.batch, target.annotator, seq, chunk.sha256),
          batchId: target.batchId,
          sha256: chunk.sha256,
          bytes: chunk.body.length,
          payload: { path },
        },
        published,
      });
      if (outcome.state === 'stale') {
        // The file stays: it is content-addressed, so at worst an unused file (the same bytes may be queued later).
        if ((staleRounds += 1) > MAX_STALE_ROUNDS) throw new FerryError('internal', `Sealing answers of ${target.batchId} kept racing another Ferry process; try again.`);
        continue;
      }
      if (outcome.created) keepFreshChunk(chunk.sha256, chunk.body);
      const done: SealedChunk = { key: outcome.job.targetKey, sha256: chunk.sha256, count: chunk.count, jobId: outcome.job.id };
      sealed.push(done);
      target.onSealed?.(done);
    }
  } catch (error) {
    if (isDiskFull(error)) throw diskFullError(error, target.outboxDir, `seal the answers of batch ${target.batch} into a chunk`);
    throw error;
  }
}
