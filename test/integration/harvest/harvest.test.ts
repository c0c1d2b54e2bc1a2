// harvestAnswers and the harvest loop end to end: the Prodigy stand-in serving a batch, answers given over its
// REST API, db-out through runProdigyCommand, and a real SQLite store in a temp dir.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FerryError } from '../../../shared/result.ts';
import { harvestAnswers, MalformedExportError } from '../../../electron/harvest/harvest.ts';
import { startProdigyServer, runProdigyCommand, type ProdigyServer } from '../../../electron/prodigy/run-prodigy.ts';
import { openStore, type Store } from '../../../electron/store/store.ts';
import { answerTasks, removeTempDirs, STANDIN_COMMAND, tempDir, writeScript, writeTexts } from '../prodigy/prodigy-fixture.ts';

const servers: ProdigyServer[] = [];
const stores: Store[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
  for (const store of stores.splice(0)) store.close();
  removeTempDirs();
});

type Batch = { home: string; store: Store; batchId: string; server: ProdigyServer };

const DATASET = 'news';

function batchStore(dir: string): { store: Store; batchId: string } {
  const store = openStore(join(dir, 'ferry.db'));
  stores.push(store);
  const batch = store.upsertBatch({ project: 'news', region: 'emea', batch: 'b0001', status: 'annotating' });
  return { store, batchId: batch.id };
}

async function openBatch(annotator = 'alice'): Promise<Batch> {
  const home = tempDir('ferry-batch-');
  const { store, batchId } = batchStore(tempDir('ferry-data-'));
  const server = await startProdigyServer({
    command: STANDIN_COMMAND,
    recipe: 'textcat.manual',
    dataset: DATASET,
    source: writeTexts(home, 6),
    labels: ['POSITIVE', 'NEGATIVE'],
    home,
    session: annotator,
  });
  servers.push(server);
  return { home, store, batchId, server };
}

function harvest(batch: Batch, annotator = 'alice') {
  return harvestAnswers({ command: STANDIN_COMMAND, home: batch.home, dataset: DATASET, batchId: batch.batchId, annotator, store: batch.store });
}

describe('harvestAnswers', () => {
  it('nothing saved yet (Prodigy has no such dataset) → 0 answers, not an error', async () => {
    const batch = await openBatch();
    expect(await harvest(batch)).toEqual({ examples: 0, inserted: 0, updated: 0, answered: 0 });
  });

  it('3 answers given in Prodigy → 3 answers in the store; harvesting again inserts nothing', async () => {
    const batch = await openBatch();
    const tasks = await answerTasks(batch.server, 3, 'accept', { accept: ['POSITIVE'] });
    expect(await harvest(batch)).toEqual({ examples: 3, inserted: 3, updated: 0, answered: 3 });

    const stored = batch.store.listAnswers(batch.batchId, 'alice');
    expect(stored.map((a) => a.taskHash).sort()).toEqual(tasks.map((t) => t._task_hash).sort());
    expect(stored.every((a) => a.answer === 'accept' && (a.content as { accept: string[] }).accept[0] === 'POSITIVE')).toBe(true);
    expect((stored[0]?.content as { _session_id: string })._session_id).toBe('news-alice');

    expect(await harvest(batch)).toEqual({ examples: 3, inserted: 0, updated: 0, answered: 3 });
    expect(batch.store.countAnswers(batch.batchId)).toMatchObject({ total: 3, accept: 3 });
  });

  it('harvests what was saved after Prodigy exited (the final harvest)', async () => {
    const batch = await openBatch();
    await answerTasks(batch.server, 2, 'reject');
    expect(await batch.server.stop()).toEqual({ exitCode: 0, signal: null });
    expect(await harvest(batch)).toMatchObject({ examples: 2, inserted: 2, answered: 2 });
    expect(batch.store.countAnswers(batch.batchId)).toMatchObject({ reject: 2 });
  });

  it('a changed answer for the same task counts as updated, not as a new answer', async () => {
    const batch = await openBatch();
    const [task] = await answerTasks(batch.server, 1, 'accept', { accept: ['POSITIVE'] });
    expect(await harvest(batch)).toMatchObject({ inserted: 1, updated: 0, answered: 1 });
    // Prodigy's app sends the task again after "undo": same task hash, new answer.
    const res = await fetch(`${batch.server.baseUrl}/give_answers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${batch.server.username}:${batch.server.password}`).toString('base64')}` },
      body: JSON.stringify({ session_id: batch.server.sessionId, answers: [{ ...task, accept: ['POSITIVE'], answer: 'reject' }] }),
    });
    expect(res.status).toBe(200);
    expect(await harvest(batch)).toEqual({ examples: 1, inserted: 0, updated: 1, answered: 1 });
    expect(batch.store.listAnswers(batch.batchId)[0]).toMatchObject({ answer: 'reject', revision: 2 });
    expect(await harvest(batch)).toMatchObject({ inserted: 0, updated: 0 });
  });

  it("only this annotator's session is harvested", async () => {
    const batch = await openBatch();
    await answerTasks(batch.server, 1);
    const others = [
      { text: 'from bob', answer: 'accept', _session_id: 'news-bob', _annotator_id: 'news-bob' },
      { text: 'default session', answer: 'accept', _session_id: '2024-02-06_10-17-19', _annotator_id: '2024-02-06_10-17-19' },
    ];
    await runProdigyCommand(STANDIN_COMMAND, ['db-in', DATASET, '-'], { home: batch.home, input: others.map((o) => JSON.stringify(o)).join('\n') });
    expect(await harvest(batch)).toEqual({ examples: 1, inserted: 1, updated: 0, answered: 1 });
    expect(batch.store.listAnswers(batch.batchId).map((a) => a.annotator)).toEqual(['alice']);
  });

  it('a malformed db-out line → malformed-input naming dataset and line, the good lines kept', async () => {
    const dir = tempDir();
    const { store, batchId } = batchStore(dir);
    const good = (n: number) => JSON.stringify({ text: `t${n}`, answer: 'accept', _task_hash: n, _input_hash: -n, _session_id: 'news-alice', _annotator_id: 'news-alice' });
    const exported = [good(1), '{"text": "cut off', good(2), JSON.stringify({ text: 'no answer', _task_hash: 9, _input_hash: 9, _session_id: 'news-alice' })];
    // A Prodigy whose db-out prints a damaged export (a disk error, a half-written line).
    const command = writeScript(dir, 'damaged-db-out.py', `import sys\nassert sys.argv[1:] == ["db-out", "news"], sys.argv\nprint(${JSON.stringify(exported.join('\n'))})\n`);
    let caught: unknown;
    try {
      await harvestAnswers({ command, home: dir, dataset: DATASET, batchId, annotator: 'alice', store });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(MalformedExportError);
    const error = caught as MalformedExportError;
    expect(error.code).toBe('malformed-input');
    expect(error.message).toContain('db-out of news line 2');
    expect(error.message).toContain('and 1 more line');
    expect(error.detail).toContain('db-out of news line 4: answer must be one of accept, reject, ignore');
    expect(error.result).toEqual({ examples: 2, inserted: 2, updated: 0, answered: 2 });
    expect(store.listAnswers(batchId).map((a) => a.taskHash).sort()).toEqual([1, 2]);
  });

  it('db-out failing for another reason → prodigy-failed with Prodigy\'s message', async () => {
    const dir = tempDir();
    const { store, batchId } = batchStore(dir);
    const command = writeScript(dir, 'locked.py', 'import sys\nprint("\\u2718 Database is locked", file=sys.stderr)\nprint("  try again later", file=sys.stderr)\nsys.exit(1)\n');
    let caught: unknown;
    try {
      await harvestAnswers({ command, home: dir, dataset: DATASET, batchId, annotator: 'alice', store });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(FerryError);
    expect((caught as FerryError).code).toBe('prodigy-failed');
    expect((caught as FerryError).message).toContain('Database is locked');
  });
});
