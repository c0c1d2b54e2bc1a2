// The typed accessors other code uses instead of SQL: batches, answers, outbox, kv.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore, type AnswerInput, type PublishedAnswer, type Store } from '../../../electron/store/store.ts';
import { recordAnswersInSlices } from '../../../electron/store/record-in-slices.ts';
import { useTempDir } from './temp-dir.ts';

const tempDir = useTempDir();
const SHA = 'c'.repeat(64);

function storeAt(clock: { now: Date }): Store {
  return openStore(join(tempDir(), 'ferry.db'), { now: () => clock.now });
}

function seal(store: Store, annotator: string, published: readonly PublishedAnswer[], targetKey: string) {
  const job = { kind: 'result-chunk', batchId: 'p/emea/b1', targetKey, sha256: SHA, payload: { path: `/data/${targetKey}` } };
  return store.sealChunk({ batchId: 'p/emea/b1', annotator, job, published });
}

function answer(taskHash: number, value: AnswerInput['answer'] = 'accept', text = `t${taskHash}`): AnswerInput {
  return { taskHash, inputHash: taskHash * 7, answer: value, content: { text, _task_hash: taskHash, answer: value } };
}

describe('batches', () => {
  it('upserts by project/region/batch, keeps fields not given, and lists with filters', () => {
    const clock = { now: new Date('2025-01-01T00:00:00.000Z') };
    const store = storeAt(clock);
    store.upsertBatch({ project: 'p', region: 'emea', batch: 'b1', status: 'claimed', claimEtag: '"e1"', leaseUntil: '2025-01-02T00:00:00Z', manifest: { tasks: 2 } });
    clock.now = new Date('2025-01-01T01:00:00.000Z');
    const pulled = store.upsertBatch({ project: 'p', region: 'emea', batch: 'b1', status: 'ready', tasksTotal: 2, pulledAt: clock.now });
    expect(pulled).toMatchObject({ id: 'p/emea/b1', status: 'ready', claimEtag: '"e1"', leaseUntil: '2025-01-02T00:00:00.000Z', manifest: { tasks: 2 }, tasksTotal: 2 });
    expect(pulled.createdAt).toBe('2025-01-01T00:00:00.000Z');
    expect(pulled.updatedAt).toBe('2025-01-01T01:00:00.000Z');
    expect(store.getBatch('p/emea/b1')).toEqual(pulled);
    store.upsertBatch({ project: 'p', region: 'apac', batch: 'b2', status: 'claimed' });
    store.upsertBatch({ project: 'q', region: 'emea', batch: 'b3', status: 'failed', error: 'boom' });
    expect(store.listBatches().map((b) => b.id)).toEqual(['p/apac/b2', 'p/emea/b1', 'q/emea/b3']);
    expect(store.listBatches({ project: 'p' }).map((b) => b.id)).toEqual(['p/apac/b2', 'p/emea/b1']);
    expect(store.listBatches({ region: 'emea', status: ['ready', 'failed'] }).map((b) => b.id)).toEqual(['p/emea/b1', 'q/emea/b3']);
    expect(store.listBatches({ status: [] })).toEqual([]);
    store.close();
  });

  it('sets a status with its error, clears the error on the next status, and names a missing batch', () => {
    const store = storeAt({ now: new Date() });
    store.upsertBatch({ project: 'p', region: 'emea', batch: 'b1', status: 'pulling' });
    expect(store.setBatchStatus('p/emea/b1', 'failed', 'tasks.jsonl line 3: not JSON').error).toBe('tasks.jsonl line 3: not JSON');
    expect(store.setBatchStatus('p/emea/b1', 'pulling').error).toBeNull();
    expect(() => store.setBatchStatus('p/emea/nope', 'ready')).toThrow(/no local batch "p\/emea\/nope"/);
    store.close();
  });

  it('refuses names that would not be one S3 path segment and statuses outside the lifecycle', () => {
    const store = storeAt({ now: new Date() });
    expect(() => store.upsertBatch({ project: 'p', region: 'emea/x', batch: 'b1', status: 'claimed' })).toThrow(/Batch region "emea\/x" is not a valid name/);
    expect(() => store.upsertBatch({ project: 'p', region: 'emea', batch: 'b1', status: 'done' as never })).toThrow(/status "done" is not one of claimed, pulling/);
    expect(() => store.upsertBatch({ project: 'p', region: 'emea', batch: 'b1', status: 'claimed', leaseUntil: 'tomorrow' })).toThrow(/"tomorrow" is not a valid time/);
    store.close();
  });
});

describe('answers', () => {
  it('records idempotently per task hash and annotator; a changed answer bumps the revision and is unpublished again', () => {
    const clock = { now: new Date('2025-01-01T00:00:00.000Z') };
    const store = storeAt(clock);
    store.upsertBatch({ project: 'p', region: 'emea', batch: 'b1', status: 'annotating' });
    expect(store.recordAnswers('p/emea/b1', 'ana', [answer(1), answer(2), answer(3, 'reject')])).toEqual({ inserted: 3, updated: 0, unchanged: 0 });
    expect(store.recordAnswers('p/emea/b1', 'ana', [answer(1), answer(2), answer(3, 'reject')])).toEqual({ inserted: 0, updated: 0, unchanged: 3 });
    expect(store.recordAnswers('p/emea/b1', 'ben', [answer(1)])).toEqual({ inserted: 1, updated: 0, unchanged: 0 });
    expect(store.countAnswers('p/emea/b1')).toEqual({ total: 4, unpublished: 4, accept: 3, reject: 1, ignore: 0 });

    const chunk = store.listUnpublishedAnswers('p/emea/b1', 'ana');
    expect(chunk.map((a) => [a.taskHash, a.revision, a.changeSeq, a.sealed])).toEqual([[1, 1, 1, false], [2, 1, 2, false], [3, 1, 3, false]]);
    expect(seal(store, 'ana', chunk, 'results/emea/b1/ana/000001-abc.jsonl')).toMatchObject({ state: 'sealed', marked: 3 });
    expect(store.countAnswers('p/emea/b1').unpublished).toBe(1); // ben's answer

    clock.now = new Date('2025-01-01T02:00:00.000Z');
    expect(store.recordAnswers('p/emea/b1', 'ana', [answer(2, 'reject'), answer(3, 'reject', 'edited span')])).toEqual({ inserted: 0, updated: 2, unchanged: 0 });
    const again = store.listUnpublishedAnswers('p/emea/b1', 'ana');
    // A changed answer moves to the end of the change log, past the seal mark.
    expect(again.map((a) => [a.taskHash, a.answer, a.revision, a.changeSeq, a.sealed])).toEqual([[2, 'reject', 2, 4, false], [3, 'reject', 2, 5, false]]);
    expect(again[1]?.content).toEqual({ text: 'edited span', _task_hash: 3, answer: 'reject' });
    expect(again[0]?.harvestedAt).toBe('2025-01-01T00:00:00.000Z');
    expect(again[0]?.updatedAt).toBe('2025-01-01T02:00:00.000Z');
    expect(store.listAnswers('p/emea/b1', 'ana').map((a) => [a.taskHash, a.sealed])).toEqual([[1, true], [2, false], [3, false]]);
    expect(store.countUnsealed('p/emea/b1', 'ana')).toBe(2);
    store.close();
  });

  it('seals nothing when an answer changed after the chunk was built, or the chunk is not the next stretch of the log', () => {
    const store = storeAt({ now: new Date() });
    store.upsertBatch({ project: 'p', region: 'emea', batch: 'b1', status: 'annotating' });
    store.recordAnswers('p/emea/b1', 'ana', [answer(1), answer(2), answer(3)]);
    const built = store.listUnpublishedAnswers('p/emea/b1', 'ana');
    store.recordAnswers('p/emea/b1', 'ana', [answer(2, 'ignore')]);
    expect(seal(store, 'ana', built, 'chunk-1')).toEqual({ state: 'stale', stale: 1 });
    expect(store.listJobs()).toEqual([]);
    // Skipping the first unsealed answer, or answers out of the log's order, is refused the same way.
    const now = store.listUnpublishedAnswers('p/emea/b1', 'ana');
    expect(now.map((a) => [a.taskHash, a.answer, a.revision])).toEqual([[1, 'accept', 1], [3, 'accept', 1], [2, 'ignore', 2]]);
    expect(seal(store, 'ana', now.slice(1), 'chunk-2').state).toBe('stale');
    expect(seal(store, 'ana', [now[1]!, now[0]!], 'chunk-3').state).toBe('stale');
    expect(seal(store, 'ana', now.slice(0, 2), 'chunk-4')).toMatchObject({ state: 'sealed', marked: 2 });
    expect(seal(store, 'ana', now.slice(0, 2), 'chunk-5').state).toBe('stale'); // sealed already: never in two chunks
    expect(store.listUnpublishedAnswers('p/emea/b1', 'ana').map((a) => [a.taskHash, a.answer, a.revision])).toEqual([[2, 'ignore', 2]]);
    expect(store.listJobs().map((j) => j.targetKey)).toEqual(['chunk-4']);
    // Waiting = unsealed answers plus those in chunks S3 has not confirmed; a confirmed chunk no longer counts.
    store.upsertBatch({ project: 'p', region: 'emea', batch: 'b2', status: 'annotating' });
    store.recordAnswers('p/emea/b2', 'ana', [answer(9)]);
    store.recordAnswers('p/emea/b2', 'ben', [answer(9)]);
    expect(store.answersWaiting('ana')).toEqual(new Map([['p/emea/b1', 3], ['p/emea/b2', 1]]));
    store.completeJob(store.startNextJob()!.id);
    expect(store.answersWaiting('ana')).toEqual(new Map([['p/emea/b1', 1], ['p/emea/b2', 1]]));
    store.close();
  });

  it('after a rebuild, adopts what S3 holds: same content counts as sealed, different content gets the next revision', () => {
    const store = storeAt({ now: new Date() });
    store.upsertBatch({ project: 'p', region: 'emea', batch: 'b1', status: 'annotating' });
    store.recordAnswers('p/emea/b1', 'ana', [answer(1), answer(2), answer(3), answer(4)]);
    const adopted = [
      { taskHash: 3, revision: 2, published: true },
      { taskHash: 1, revision: 1, published: true },
      { taskHash: 2, revision: 4, published: false },
    ];
    expect(store.adoptRevisions('p/emea/b1', 'ana', adopted)).toBe(3);
    expect(store.listAnswers('p/emea/b1', 'ana').map((a) => [a.taskHash, a.revision, a.sealed])).toEqual([[1, 1, true], [3, 2, true], [2, 5, false], [4, 1, false]]);
    const waiting = store.listUnpublishedAnswers('p/emea/b1', 'ana');
    expect(waiting.map((a) => [a.taskHash, a.revision])).toEqual([[2, 5], [4, 1]]);
    expect(seal(store, 'ana', waiting, 'chunk-1')).toMatchObject({ state: 'sealed', marked: 2 });
    expect(store.countAnswers('p/emea/b1').unpublished).toBe(0);
    store.close();
  });

  it('refuses a whole list with a bad answer (naming it) and answers for an unknown batch', () => {
    const store = storeAt({ now: new Date() });
    store.upsertBatch({ project: 'p', region: 'emea', batch: 'b1', status: 'annotating' });
    const bad = { taskHash: 9, inputHash: 1, answer: 'maybe', content: {} } as unknown as AnswerInput;
    expect(() => store.recordAnswers('p/emea/b1', 'ana', [answer(1), bad])).toThrow(/Answer 2 for batch p\/emea\/b1 \(task 9\): answer must be one of accept, reject, ignore, got "maybe"/);
    expect(() => store.recordAnswers('p/emea/b1', 'ana', [{ ...answer(1), taskHash: 1.5 }])).toThrow(/_task_hash must be an integer, got 1.5/);
    expect(store.countAnswers('p/emea/b1').total).toBe(0);
    expect(() => store.recordAnswers('p/emea/gone', 'ana', [answer(1)])).toThrow(/no local batch "p\/emea\/gone"/);
    store.close();
  });
});

describe('outbox', () => {
  function job(targetKey: string, sha256 = SHA) {
    return { kind: 'chunk', batchId: 'p/emea/b1', targetKey, sha256, payload: { path: `/data/outbox/${targetKey}` } };
  }

  it('enqueues idempotently per kind and key, and refuses different content for the same key', () => {
    const store = storeAt({ now: new Date('2025-01-01T00:00:00.000Z') });
    store.upsertBatch({ project: 'p', region: 'emea', batch: 'b1', status: 'annotating' });
    const first = store.enqueueJob(job('k1'));
    expect(first.created).toBe(true);
    expect(first.job).toMatchObject({ kind: 'chunk', targetKey: 'k1', state: 'queued', attempts: 0, payload: { path: '/data/outbox/k1' } });
    expect(store.enqueueJob(job('k1'))).toEqual({ job: first.job, created: false });
    expect(() => store.enqueueJob(job('k1', 'd'.repeat(64)))).toThrow(/already holds a different chunk for k1/);
    expect(store.enqueueJob({ kind: 'heartbeat', targetKey: 'k1', sha256: SHA, payload: { json: { lastSeen: 1 } } }).job.payload).toEqual({ json: { lastSeen: 1 } });
    expect(store.listJobs().length).toBe(2);
    store.close();
  });

  it('runs jobs in order, backs off on retry, and counts pending and failed', () => {
    const clock = { now: new Date('2025-01-01T00:00:00.000Z') };
    const store = storeAt(clock);
    store.upsertBatch({ project: 'p', region: 'emea', batch: 'b1', status: 'annotating' });
    const a = store.enqueueJob(job('a')).job;
    const b = store.enqueueJob(job('b')).job;
    expect(store.startNextJob()?.id).toBe(a.id);
    expect(store.retryJob(a.id, 'ECONNRESET', new Date('2025-01-01T00:05:00.000Z'))).toMatchObject({ state: 'queued', attempts: 1, lastError: 'ECONNRESET' });
    expect(store.startNextJob()?.id).toBe(b.id);
    expect(store.startNextJob()).toBeUndefined();
    expect(store.outboxCounts()).toEqual({ pending: 2, failed: 0, nextAttemptAt: '2025-01-01T00:05:00.000Z' });
    expect(store.completeJob(b.id).state).toBe('done');
    expect(() => store.completeJob(b.id)).toThrow(/is done, not active/);
    clock.now = new Date('2025-01-01T00:05:00.000Z');
    expect(store.startNextJob()).toMatchObject({ id: a.id, attempts: 2 });
    expect(store.failJob(a.id, 'AccessDenied on results/…', 'needs-attention').state).toBe('needs-attention');
    expect(store.outboxCounts()).toEqual({ pending: 0, failed: 1, nextAttemptAt: null });
    expect(store.requeueJob(a.id).state).toBe('queued');
    expect(store.listJobs({ state: 'queued' }).map((j) => j.id)).toEqual([a.id]);
    store.close();
  });

  it('resetActiveJobs puts jobs a crashed run left active back in the queue, in a new connection', () => {
    const path = join(tempDir(), 'ferry.db');
    const crashed = openStore(path);
    crashed.upsertBatch({ project: 'p', region: 'emea', batch: 'b1', status: 'annotating' });
    for (const key of ['a', 'b', 'c']) crashed.enqueueJob(job(key));
    crashed.startNextJob();
    crashed.startNextJob();
    crashed.completeJob(crashed.listJobs({ state: 'active' })[0]?.id ?? -1);
    crashed.close();
    const restarted = openStore(path);
    expect(restarted.listJobs({ state: 'active' }).map((j) => j.targetKey)).toEqual(['b']);
    expect(restarted.resetActiveJobs()).toBe(1);
    expect(restarted.listJobs().map((j) => [j.targetKey, j.state])).toEqual([['a', 'done'], ['b', 'queued'], ['c', 'queued']]);
    expect(restarted.resetActiveJobs()).toBe(0);
    restarted.close();
  });
});

describe('kv', () => {
  it('stores, replaces and deletes values', () => {
    const store = storeAt({ now: new Date() });
    expect(store.getValue('cursor')).toBeUndefined();
    store.setValue('cursor', 'a');
    store.setValue('cursor', 'b');
    expect(store.getValue('cursor')).toBe('b');
    expect(store.deleteValue('cursor')).toBe(true);
    expect(store.deleteValue('cursor')).toBe(false);
    store.close();
  });
});

describe('recordAnswersInSlices', () => {
  it('writes a large harvest slice by slice with the same totals, and stops between slices when aborted', async () => {
    const store = storeAt({ now: new Date() });
    store.upsertBatch({ project: 'p', region: 'emea', batch: 'b1', status: 'annotating' });
    const list = Array.from({ length: 1050 }, (_, i) => answer(i));
    const progress: number[] = [];
    expect(await recordAnswersInSlices(store, 'p/emea/b1', 'ana', list, { sliceSize: 500, onProgress: (done) => progress.push(done) })).toEqual({ inserted: 1050, updated: 0, unchanged: 0 });
    expect(progress).toEqual([500, 1000, 1050]);
    const controller = new AbortController();
    const changed = list.map((a) => ({ ...a, answer: 'ignore' as const }));
    const run = recordAnswersInSlices(store, 'p/emea/b1', 'ana', changed, { sliceSize: 500, signal: controller.signal, onProgress: () => controller.abort() });
    await expect(run).rejects.toThrow(/cancelled after 500 of 1050/);
    expect(store.countAnswers('p/emea/b1')).toMatchObject({ total: 1050, ignore: 500, accept: 550 });
    store.close();
  });
});

describe('sealChunk', () => {
  it('queues the chunk and marks its answers together, or does neither', () => {
    const store = storeAt({ now: new Date() });
    store.upsertBatch({ project: 'p', region: 'emea', batch: 'b1', status: 'annotating' });
    store.recordAnswers('p/emea/b1', 'ana', [answer(1), answer(2)]);
    const published = store.listUnpublishedAnswers('p/emea/b1', 'ana');
    const job = { kind: 'chunk', batchId: 'p/emea/b1', targetKey: 'results/emea/b1/ana/000001.jsonl', sha256: SHA, payload: { path: '/data/000001.jsonl' } };
    store.enqueueJob({ ...job, sha256: 'e'.repeat(64) });
    expect(() => store.sealChunk({ batchId: 'p/emea/b1', annotator: 'ana', job, published })).toThrow(/already holds a different chunk/);
    expect(store.countAnswers('p/emea/b1').unpublished).toBe(2);
    const sealed = store.sealChunk({ batchId: 'p/emea/b1', annotator: 'ana', job: { ...job, targetKey: 'results/emea/b1/ana/000002.jsonl' }, published });
    expect(sealed).toMatchObject({ created: true, marked: 2 });
    expect(store.countAnswers('p/emea/b1').unpublished).toBe(0);
    store.close();
  });
});
