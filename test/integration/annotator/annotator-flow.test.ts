// The annotator's path end to end in-process: project, batches, Get my batch, Prodigy (stand-in), harvest, submit;
// then a plain S3 client (not Ferry's code) checks what landed in the bucket.
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { createProject } from '../../../electron/projects/projects.ts';
import { createBatches } from '../../../electron/batches/create-batches.ts';
import { rawClient } from '../../helpers/s3-fixture.ts';
import { makeWorkspace, textPool, writePool, type TestWorkspace } from '../../helpers/workspace-fixture.ts';
import { cleanupStandins, postJson } from '../../prodigy-standin/harness.ts';

type AnswerLine = { answer: string; meta: { task_id: string }; _input_hash: unknown; _task_hash: unknown; _ferry: { source: string } };

const open: TestWorkspace[] = [];
afterEach(async () => {
  for (const ws of open.splice(0)) await ws.core.close();
  await cleanupStandins();
});

async function answerTasks(url: string, login: { username: string; password: string }, sessionId: string, answers: string[]) {
  const auth = { authorization: `Basic ${Buffer.from(`${login.username}:${login.password}`).toString('base64')}` };
  const base = new URL(url).origin;
  const questions = (await postJson(`${base}/get_session_questions`, { session_id: sessionId }, auth)).body as { tasks: Record<string, unknown>[] };
  const given = questions.tasks.slice(0, answers.length).map((task, i) => ({ ...task, answer: answers[i] }));
  const res = await postJson(`${base}/give_answers`, { answers: given, session_id: sessionId }, auth);
  expect(res.status).toBe(200);
  return given;
}

async function bodyOf(bucket: string, key: string): Promise<string> {
  const r = await rawClient().send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return await r.Body!.transformToString();
}

describe('annotator path', () => {
  it('claims, pulls, annotates in the stand-in, and submits chunks plus a marker that a plain S3 client can read', async () => {
    const ws = await makeWorkspace();
    open.push(ws);
    const { target } = await ws.core.workspaces.get();
    await createProject(target, { name: 'news', recipe: 'textcat.manual', labels: ['POSITIVE', 'NEGATIVE'], regions: ['emea', 'apac'], createdBy: 'lead' });
    const pool = writePool(ws.dir, 'pool.jsonl', textPool(12));
    const created = await createBatches(target, { project: 'news', region: 'emea', poolFile: pool, size: 5, createdBy: 'lead' });
    expect(created.created.map((b) => b.tasks)).toEqual([5, 5, 2]);

    const progress: number[] = [];
    ws.core.on('progress', (p) => progress.push(p.filesDone));
    const batch = await ws.core.annotator.claimNext();
    expect(batch.id).toBe(`news/emea/${created.created[0]!.batch}`);
    expect(batch.status).toBe('ready');
    expect(batch.total).toBe(5);
    expect(progress.length).toBeGreaterThan(0);

    const opened = await ws.core.annotator.open(batch.id);
    expect(opened.prodigy).toBe('stand-in');
    expect(opened.url).toContain('?session=alice');
    const given = await answerTasks(opened.url, opened.login, 'news-alice', ['accept', 'reject', 'accept']);

    const submitted = await ws.core.annotator.submit(batch.id);
    expect(submitted.state).toBe('submitted');
    expect(submitted.batch.status).toBe('submitted');
    expect(submitted.batch.answered).toBe(3);

    const prefix = `team/projects/news/`;
    const listed = await rawClient().send(new ListObjectsV2Command({ Bucket: ws.config.bucket, Prefix: `${prefix}results/emea/${created.created[0]!.batch}/alice/` }));
    const chunkKeys = (listed.Contents ?? []).map((o) => o.Key!);
    expect(chunkKeys).toHaveLength(1);
    const lines = (await bodyOf(ws.config.bucket, chunkKeys[0]!)).trim().split('\n').map((l) => JSON.parse(l) as AnswerLine);
    expect(lines.map((l) => l.answer).sort()).toEqual(['accept', 'accept', 'reject']);
    expect(new Set(lines.map((l) => l.meta.task_id))).toEqual(new Set(given.map((g) => (g as { meta?: { task_id: string } }).meta?.task_id)));
    for (const line of lines) {
      expect(typeof line._input_hash).toBe('number');
      expect(typeof line._task_hash).toBe('number');
      expect(line._ferry).toMatchObject({ project: 'news', region: 'emea', batch: created.created[0]!.batch, annotator: 'alice' });
      expect(line._ferry.source).toMatch(/^pool\.jsonl:\d+$/);
    }
    const marker = JSON.parse(await bodyOf(ws.config.bucket, `${prefix}submissions/emea/${created.created[0]!.batch}/alice.json`));
    expect(marker).toMatchObject({ kind: 'ferry.submission', annotator: 'alice', answers: { total: 3, accept: 2, reject: 1, ignore: 0 }, tasks: 5 });
    expect(marker.chunks).toEqual([expect.objectContaining({ key: chunkKeys[0], count: 3 })]);

    // A second submit (a double click, or a retry after a crash) creates nothing new.
    const again = await ws.core.annotator.submit(batch.id);
    expect(again.state).toBe('submitted');
    const after = await rawClient().send(new ListObjectsV2Command({ Bucket: ws.config.bucket, Prefix: `${prefix}results/` }));
    expect(after.KeyCount).toBe(1);
  });

  it('says plainly when no batch is left for the region', async () => {
    const ws = await makeWorkspace({ region: 'apac' });
    open.push(ws);
    const { target } = await ws.core.workspaces.get();
    await createProject(target, { name: 'news', recipe: 'textcat.manual', labels: ['A'], regions: ['emea', 'apac'], createdBy: 'lead' });
    await expect(ws.core.annotator.claimNext()).rejects.toMatchObject({ code: 'no-batches-left', message: expect.stringContaining('region "apac"') });
  });
});

describe('Get my batch after an interrupted pull', () => {
  it('finishes the batch it already holds instead of claiming another', async () => {
    const ws = await makeWorkspace();
    open.push(ws);
    const { target, store } = await ws.core.workspaces.get();
    await createProject(target, { name: 'news', recipe: 'textcat.manual', labels: ['A', 'B'], regions: ['emea'], createdBy: 'lead' });
    await createBatches(target, { project: 'news', region: 'emea', poolFile: writePool(ws.dir, 'pool.jsonl', textPool(6)), size: 3, createdBy: 'lead' });
    const first = await ws.core.annotator.claimNext();
    // What a crash mid-download leaves behind: the claim is ours, the pull never finished.
    store.upsertBatch({ project: first.project, region: first.region, batch: first.batch, status: 'pulling', pulledAt: null });
    const again = await ws.core.annotator.claimNext();
    expect(again.id).toBe(first.id);
    expect(again.status).toBe('ready');
    expect(store.listBatches()).toHaveLength(1);
  });
});
