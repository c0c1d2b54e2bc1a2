// Seals a batch's not-yet-published answers into immutable chunk files and queues them in the outbox, atomically:
// a crash before the seal leaves the answers unsealed (sealed again, same bytes); after it, the outbox owns them.
import { mkdir, open, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { resultChunkKey } from '../../shared/s3-layout.ts';
import type { Store } from '../store/store.ts';
import { buildChunk } from './chunk.ts';

export const CHUNK_KIND = 'result-chunk';
// At most one PUT per 1,000 answers (issue 4's budget), and small enough to re-send cheaply.
export const MAX_CHUNK_ANSWERS = 1000;

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
};

export type SealedChunk = { readonly key: string; readonly sha256: string; readonly count: number; readonly jobId: number };

async function writeDurably(path: string, body: Buffer): Promise<void> {
  const tmp = `${path}.tmp`;
  const handle = await open(tmp, 'w');
  try {
    await handle.writeFile(body);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, path);
}

function nextSequence(store: Store, batchId: string): number {
  return store.listJobs({ batchId, kind: CHUNK_KIND }).length;
}

export async function sealChunks(target: SealTarget, maxAnswers = MAX_CHUNK_ANSWERS): Promise<SealedChunk[]> {
  await mkdir(target.outboxDir, { recursive: true });
  const sealed: SealedChunk[] = [];
  for (;;) {
    const answers = target.store.listUnpublishedAnswers(target.batchId, target.annotator, maxAnswers);
    if (answers.length === 0) return sealed;
    const chunk = buildChunk(answers, { project: target.project, region: target.region, batch: target.batch, annotator: target.annotator, late: target.late ?? false });
    const seq = nextSequence(target.store, target.batchId);
    const key = resultChunkKey(target.prefix, target.project, target.region, target.batch, target.annotator, seq, chunk.sha256);
    const path = join(target.outboxDir, `${chunk.sha256}.jsonl`);
    await writeDurably(path, chunk.body);
    const { job } = target.store.sealChunk({
      batchId: target.batchId,
      annotator: target.annotator,
      job: { kind: CHUNK_KIND, targetKey: key, batchId: target.batchId, sha256: chunk.sha256, payload: { path } },
      published: answers.map((a) => ({ taskHash: a.taskHash, revision: a.revision })),
    });
    sealed.push({ key, sha256: chunk.sha256, count: chunk.count, jobId: job.id });
  }
}

