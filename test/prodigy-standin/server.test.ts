// The Prodigy stand-in's web server: start line, page, sessions, saving, routing, signals, port clashes.
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/moto.ts';
import { cleanupStandins, makeProdigyHome, postJson, readDataset, runStandin, startStandin, type Standin } from './harness.ts';

type Task = Record<string, unknown> & { text: string; _input_hash: number; _task_hash: number; _session_id: string; _annotator_id: string };
type Questions = { tasks: Task[]; total: number; progress: number | null; session_id: string };

function textsSource(home: string, count: number): string {
  const path = join(home, 'texts.jsonl');
  writeFileSync(path, Array.from({ length: count }, (_, i) => JSON.stringify({ text: `text number ${i + 1}` })).join('\n') + '\n');
  return path;
}

async function startNer(options: { count?: number; env?: Record<string, string> } = {}): Promise<Standin> {
  const home = makeProdigyHome();
  const source = textsSource(home, options.count ?? 4);
  return await startStandin({ home, recipe: 'ner.manual', args: ['ds', 'blank:en', source, '--label', 'PERSON'], env: options.env ?? {} });
}

async function ask(app: Standin, sessionId: string | null): Promise<Questions> {
  const res = await postJson(`${app.url}/get_session_questions`, { session_id: sessionId });
  expect(res.status).toBe(200);
  return res.body as Questions;
}

async function give(app: Standin, tasks: readonly Task[], answer: string, sessionId: string | null): Promise<{ progress: number | null }> {
  const res = await postJson(`${app.url}/give_answers`, { answers: tasks.map((t) => ({ ...t, answer })), session_id: sessionId });
  expect(res.status).toBe(200);
  return res.body as { progress: number | null };
}

afterEach(cleanupStandins);

describe('start line, version, project, page', () => {
  it('prints the two start lines, then serves /version and /project without db_settings', async () => {
    const app = await startNer({ env: { PRODIGY_CONFIG_OVERRIDES: '{"db_settings": {"sqlite": {"name": "other.db"}}}' } });
    const lines = app.output().split('\n');
    const at = lines.findIndex((l) => l === `✨  Starting the web server at http://127.0.0.1:${app.port} ...`);
    expect(at).toBeGreaterThanOrEqual(0);
    expect(lines[at + 1]).toBe('Open the app in your browser and start annotating!');
    const version = (await (await fetch(`${app.url}/version`)).json()) as Record<string, string>;
    expect(version).toMatchObject({ name: 'prodigy', version: '1.17.0-standin' });
    const project = (await (await fetch(`${app.url}/project/ds-zoe`)).json()) as Record<string, unknown>;
    expect(project).toMatchObject({ view_id: 'ner_manual', batch_size: 10, dataset: 'ds', recipe_name: 'ner.manual', version: '1.17.0-standin' });
    expect(project).not.toHaveProperty('db_settings');
  });

  it('GET / returns the annotation page with accept, reject, ignore and save buttons', async () => {
    const app = await startNer();
    const res = await fetch(`${app.url}/?session=ana`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    for (const [id, name] of [['accept', 'Accept'], ['reject', 'Reject'], ['ignore', 'Ignore'], ['save', 'Save']]) {
      expect(html).toMatch(new RegExp(`<button[^>]*id="${id}"[^>]*aria-label="${name}"`));
    }
    expect(html).toContain('id="counter"');
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)="https?:/);
  });
});

describe('sessions and saving', () => {
  it('a named session gets _session_id and _annotator_id DATASET-NAME; the default one is a timestamp', async () => {
    const app = await startNer();
    const named = await ask(app, 'ds-alice');
    expect(named.session_id).toBe('ds-alice');
    expect(named.tasks.every((t) => t._session_id === 'ds-alice' && t._annotator_id === 'ds-alice')).toBe(true);
    const plain = (await (await fetch(`${app.url}/get_questions`)).json()) as Questions;
    expect(plain.tasks).toEqual([]); // every task is held by ds-alice (feed_overlap false)
    const unnamed = await ask(app, null);
    expect(unnamed.session_id).toMatch(/^\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}$/);
  });

  it('give_answers saves each example with answer and _timestamp, linked to the dataset and the session dataset', async () => {
    const app = await startNer({ count: 2 });
    const { tasks } = await ask(app, 'ds-alice');
    const before = Math.floor(Date.now() / 1000);
    const res = await give(app, [tasks[0]!], 'accept', 'ds-alice');
    expect(res.progress).toBe(0.5);
    await give(app, [tasks[1]!], 'reject', 'ds-alice');
    const saved = readDataset(app.dbPath, 'ds');
    expect(saved.map((e) => e.content.answer)).toEqual(['accept', 'reject']);
    expect(saved[0]!.content).toMatchObject({ text: 'text number 1', _session_id: 'ds-alice', _annotator_id: 'ds-alice', _view_id: 'ner_manual' });
    expect(saved[0]!.content._timestamp as number).toBeGreaterThanOrEqual(before);
    expect(saved[0]!.input_hash).toBe(tasks[0]!._input_hash);
    expect(saved[0]!.task_hash).toBe(tasks[0]!._task_hash);
    expect(readDataset(app.dbPath, 'ds-alice').map((e) => e.id)).toEqual(saved.map((e) => e.id));
    const db = new Database(app.dbPath, { readonly: true });
    const rows = db.prepare('SELECT name, session, typeof(created) AS t FROM dataset ORDER BY id').all();
    db.close();
    expect(rows).toEqual([{ name: 'ds', session: 0, t: 'integer' }, { name: 'ds-alice', session: 1, t: 'integer' }]);
  });

  it('keeps URL-encoded session names (as the page sends them) and refuses ones with whitespace', async () => {
    const app = await startNer({ count: 1 });
    const { tasks } = await ask(app, 'ds-Henry%20Smith');
    expect(tasks[0]!._session_id).toBe('ds-Henry%20Smith');
    await give(app, tasks, 'accept', 'ds-Henry%20Smith');
    expect(readDataset(app.dbPath, 'ds-Henry%20Smith')).toHaveLength(1);
    const spaced = await postJson(`${app.url}/get_session_questions`, { session_id: 'ds-Henry Smith' });
    expect(spaced.status).toBe(400);
    expect((spaced.body as { detail: string }).detail).toContain("Invalid dataset name 'ds-Henry Smith'");
  });

  it('refuses answers without a valid answer field with HTTP 400 naming the item', async () => {
    const app = await startNer({ count: 1 });
    const { tasks } = await ask(app, 'ds-alice');
    const res = await postJson(`${app.url}/give_answers`, { answers: [{ ...tasks[0], answer: 'maybe' }], session_id: 'ds-alice' });
    expect(res.status).toBe(400);
    expect((res.body as { detail: string }).detail).toContain('answers[0].answer');
    expect(readDataset(app.dbPath, 'ds')).toEqual([]);
  });
});

describe('routing', () => {
  it('answered tasks are not served again, in the same run or after a restart', async () => {
    const app = await startNer({ count: 3 });
    const first = await ask(app, 'ds-alice');
    await give(app, first.tasks.slice(0, 2), 'accept', 'ds-alice');
    const again = await ask(app, 'ds-bob');
    expect(again.tasks.map((t) => t.text)).toEqual([]); // text 3 is still held by alice
    await postJson(`${app.url}/end_session`, { session_id: 'ds-alice' });
    expect((await ask(app, 'ds-bob')).tasks.map((t) => t.text)).toEqual(['text number 3']);
    expect((await app.stop()).code).toBe(0);

    const restarted = await startStandin({ home: app.home, recipe: 'ner.manual', args: ['ds', 'blank:en', join(app.home, 'texts.jsonl')] });
    expect((await ask(restarted, 'ds-carol')).tasks.map((t) => t.text)).toEqual(['text number 3']);
  });

  it('feed_overlap false splits tasks between sessions in batches; a session re-gets its own unanswered tasks', async () => {
    const app = await startNer({ count: 5, env: { PRODIGY_CONFIG_OVERRIDES: '{"batch_size": 2}' } });
    const alice = await ask(app, 'ds-alice');
    const bob = await ask(app, 'ds-bob');
    expect(alice.tasks.map((t) => t.text)).toEqual(['text number 1', 'text number 2']);
    expect(bob.tasks.map((t) => t.text)).toEqual(['text number 3', 'text number 4']);
    expect((await ask(app, 'ds-alice')).tasks.map((t) => t.text)).toEqual(['text number 5']);
    // Everything is handed out: alice's next request re-sends her own unanswered tasks (a page reload).
    expect((await ask(app, 'ds-alice')).tasks.map((t) => t.text)).toEqual(['text number 1', 'text number 2']);
  });

  it('feed_overlap true gives every session every task until that session answered it', async () => {
    const app = await startNer({ count: 2, env: { PRODIGY_CONFIG_OVERRIDES: '{"feed_overlap": true}' } });
    const alice = await ask(app, 'ds-alice');
    await give(app, alice.tasks, 'accept', 'ds-alice');
    expect((await ask(app, 'ds-bob')).tasks.map((t) => t.text)).toEqual(['text number 1', 'text number 2']);
    expect((await ask(app, 'ds-alice')).tasks).toEqual([]);
  });
});

describe('process lifecycle', () => {
  it('SIGINT prints a session summary and exits 0; SIGTERM exits 0 too', async () => {
    const app = await startNer({ count: 2 });
    const { tasks } = await ask(app, 'ds-alice');
    await give(app, tasks, 'accept', 'ds-alice');
    const exit = await app.stop('SIGINT');
    expect(exit.code).toBe(0);
    expect(exit.output).toContain('✔ Saved 2 annotations to database SQLite');
    expect(exit.output).toContain('Session ID: ds-alice');
    const other = await startNer();
    expect((await other.stop('SIGTERM')).code).toBe(0);
  });

  it('a port already taken makes it exit non-zero with a message naming the port', async () => {
    const port = await freePort();
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      const home = makeProdigyHome();
      const res = await runStandin(['ner.manual', 'ds', 'blank:en', textsSource(home, 1)], { home, env: { PRODIGY_PORT: String(port) } });
      expect(res.code).not.toBe(0);
      expect(res.stderr).toContain(`http://127.0.0.1:${port}`);
      expect(res.stderr).toContain('Address already in use');
      expect(res.stdout).not.toContain('Starting the web server');
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
