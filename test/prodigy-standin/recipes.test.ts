// The Prodigy stand-in's recipes start as real processes and serve tasks of the documented shapes.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupStandins, makeProdigyHome, postJson, readDataset, runStandin, startStandin } from './harness.ts';

type Task = Record<string, unknown> & { _input_hash: number; _task_hash: number; _view_id: string; _session_id: string };
type Questions = { tasks: Task[]; total: number; progress: number | null; session_id: string };

const PNG_1PX = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
  'base64',
);

function jsonl(rows: readonly object[]): string {
  return rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
}

function fixture(home: string, name: string, body: string | Buffer): string {
  const path = join(home, name);
  writeFileSync(path, body);
  return path;
}

async function questions(url: string, sessionId: string | null = null): Promise<Questions> {
  const res = await postJson(`${url}/get_session_questions`, { session_id: sessionId });
  expect(res.status).toBe(200);
  return res.body as Questions;
}

function expectSigned32(value: unknown): void {
  expect(Number.isInteger(value)).toBe(true);
  expect(value as number).toBeGreaterThanOrEqual(-(2 ** 31));
  expect(value as number).toBeLessThan(2 ** 31);
}

afterEach(cleanupStandins);

describe('ner.manual and spans.manual', () => {
  it('ner.manual with blank:en tokenises on whitespace and punctuation and aligns given spans', async () => {
    const home = makeProdigyHome();
    const source = fixture(home, 'news.jsonl', jsonl([
      { text: 'Hello Apple, bye.', spans: [{ start: 6, end: 11, label: 'ORG' }], meta: { id: 't1' } },
      { text: 'Berlin is big' },
    ]));
    const app = await startStandin({ recipe: 'ner.manual', args: ['news_ner', 'blank:en', source, '--label', 'ORG,PERSON'] });
    const { tasks, session_id } = await questions(app.url);
    expect(tasks).toHaveLength(2);
    const first = tasks[0]!;
    expect(first._view_id).toBe('ner_manual');
    expect(first._session_id).toBe(session_id);
    expect(first.tokens).toEqual([
      { text: 'Hello', start: 0, end: 5, id: 0, ws: true },
      { text: 'Apple', start: 6, end: 11, id: 1, ws: false },
      { text: ',', start: 11, end: 12, id: 2, ws: true },
      { text: 'bye', start: 13, end: 16, id: 3, ws: false },
      { text: '.', start: 16, end: 17, id: 4, ws: false },
    ]);
    expect(first.spans).toEqual([{ start: 6, end: 11, label: 'ORG', token_start: 1, token_end: 1 }]);
    expect(first.meta).toEqual({ id: 't1' });
    expectSigned32(first._input_hash);
    expectSigned32(first._task_hash);
    const project = (await (await fetch(`${app.url}/project`)).json()) as Record<string, unknown>;
    expect(project).toMatchObject({ view_id: 'ner_manual', dataset: 'news_ner', recipe_name: 'ner.manual', labels: ['ORG', 'PERSON'] });
  });

  it('spans.manual serves spans_manual tasks with tokens', async () => {
    const home = makeProdigyHome();
    const source = fixture(home, 's.jsonl', jsonl([{ text: 'New York City' }]));
    const app = await startStandin({ recipe: 'spans.manual', args: ['sp', 'en_core_web_sm', source, '-l', 'LOC'] });
    const { tasks } = await questions(app.url);
    expect(tasks[0]).toMatchObject({ _view_id: 'spans_manual', text: 'New York City' });
    expect((tasks[0]!.tokens as unknown[]).length).toBe(3);
  });

  it('reads the source from stdin when it is "-"', async () => {
    const app = await startStandin({
      recipe: 'ner.manual',
      args: ['piped', 'blank:en', '-', '--label', 'X'],
      stdin: jsonl([{ text: 'from stdin one' }, { text: 'from stdin two' }]),
    });
    const { tasks } = await questions(app.url);
    expect(tasks.map((t) => t.text)).toEqual(['from stdin one', 'from stdin two']);
  });

  it('takes --label as a file with one label per line, and accepts -F with an existing file', async () => {
    const home = makeProdigyHome();
    const source = fixture(home, 'a.jsonl', jsonl([{ text: 'x' }]));
    const labels = fixture(home, 'labels.txt', 'PERSON\nORG\n\nGPE\n');
    const recipeFile = fixture(home, 'recipe.py', '# custom recipe (not imported by the stand-in)\n');
    const app = await startStandin({ recipe: 'ner.manual', args: ['ds', 'blank:en', source, '--label', labels, '-F', recipeFile] });
    const project = (await (await fetch(`${app.url}/project`)).json()) as { labels: string[] };
    expect(project.labels).toEqual(['PERSON', 'ORG', 'GPE']);
  });

  it('loads .txt (one text per line) and .csv (Text column, any case) sources', async () => {
    const home = makeProdigyHome();
    const txt = fixture(home, 'lines.txt', 'first line\n\nsecond line\n');
    const csv = fixture(home, 'rows.csv', 'id,TEXT\n7,"a, quoted text"\n8,plain\n');
    const a = await startStandin({ recipe: 'ner.manual', args: ['t1', 'blank:en', txt] });
    expect((await questions(a.url)).tasks.map((t) => t.text)).toEqual(['first line', 'second line']);
    const b = await startStandin({ recipe: 'ner.manual', args: ['t2', 'blank:en', csv, '--loader', 'csv'] });
    const rows = (await questions(b.url)).tasks;
    expect(rows.map((t) => t.text)).toEqual(['a, quoted text', 'plain']);
    expect(rows[0]!.meta).toEqual({ id: '7' });
  });
});

describe('textcat.manual', () => {
  it('with several labels serves choice tasks with options, and saves accept as a list of ids', async () => {
    const home = makeProdigyHome();
    const source = fixture(home, 'c.jsonl', jsonl([{ text: 'great product' }]));
    const app = await startStandin({ recipe: 'textcat.manual', args: ['cats', source, '--label', 'POS,NEG', '--exclusive'] });
    const { tasks } = await questions(app.url, 'cats-ana');
    expect(tasks[0]).toMatchObject({ _view_id: 'choice', options: [{ id: 'POS', text: 'POS' }, { id: 'NEG', text: 'NEG' }] });
    const project = (await (await fetch(`${app.url}/project`)).json()) as Record<string, unknown>;
    expect(project.choice_style).toBe('single');
    const saved = await postJson(`${app.url}/give_answers`, { answers: [{ ...tasks[0], accept: ['POS'], answer: 'accept' }], session_id: 'cats-ana' });
    expect(saved.status).toBe(200);
    expect(readDataset(app.dbPath, 'cats')[0]!.content).toMatchObject({ accept: ['POS'], answer: 'accept' });
  });

  it('with one label serves classification tasks carrying that label', async () => {
    const home = makeProdigyHome();
    const source = fixture(home, 'c.jsonl', jsonl([{ text: 'spam spam' }]));
    const app = await startStandin({ recipe: 'textcat.manual', args: ['spam', source, '--label', 'SPAM'] });
    const { tasks } = await questions(app.url);
    expect(tasks[0]).toMatchObject({ _view_id: 'classification', label: 'SPAM', text: 'spam spam' });
    expect(tasks[0]).not.toHaveProperty('options');
  });
});

describe('image.manual and audio.manual', () => {
  it('serves a folder of images as data URIs with their paths', async () => {
    const home = makeProdigyHome();
    mkdirSync(join(home, 'imgs'));
    fixture(home, 'imgs/b.png', PNG_1PX);
    fixture(home, 'imgs/a.png', PNG_1PX);
    fixture(home, 'imgs/notes.txt', 'not an image');
    const app = await startStandin({ recipe: 'image.manual', args: ['boxes', join(home, 'imgs'), '--label', 'CAR'] });
    const { tasks } = await questions(app.url);
    expect(tasks.map((t) => t.path)).toEqual([join(home, 'imgs/a.png'), join(home, 'imgs/b.png')]);
    expect(tasks[0]!.image).toBe(`data:image/png;base64,${PNG_1PX.toString('base64')}`);
    expect(tasks[0]!._view_id).toBe('image_manual');
  });

  it('fetches local image paths from a JSONL, keeps URLs, and --remove-base64 stores the path instead of the data', async () => {
    const home = makeProdigyHome();
    const img = fixture(home, 'one.png', PNG_1PX);
    const source = fixture(home, 'imgs.jsonl', jsonl([{ image: img }, { image: 'http://127.0.0.1:9/cat.jpg' }]));
    const app = await startStandin({ recipe: 'image.manual', args: ['imgs', source, '--label', 'CAT', '--remove-base64'] });
    const { tasks } = await questions(app.url);
    expect(tasks[0]).toMatchObject({ path: img, image: expect.stringMatching(/^data:image\/png;base64,/) });
    expect(tasks[1]!.image).toBe('http://127.0.0.1:9/cat.jpg');
    const spans = [{ label: 'CAT', x: 0, y: 0, width: 1, height: 1, points: [[0, 0], [1, 0], [1, 1], [0, 1]], type: 'rect' }];
    await postJson(`${app.url}/give_answers`, { answers: [{ ...tasks[0], spans, answer: 'accept' }] });
    const saved = readDataset(app.dbPath, 'imgs')[0]!.content;
    expect(saved.image).toBe(img);
    expect(saved.spans).toEqual(spans);
  });

  it('audio.manual serves audio_manual tasks and drops base64 audio before saving', async () => {
    const home = makeProdigyHome();
    const source = fixture(home, 'a.jsonl', jsonl([{ audio: 'data:audio/wav;base64,UklGRg==', text: 'clip 1', meta: { k: 1 } }]));
    const app = await startStandin({ recipe: 'audio.manual', args: ['clips', source, '--label', 'SPEECH'] });
    const { tasks } = await questions(app.url);
    expect(tasks[0]).toMatchObject({ _view_id: 'audio_manual', audio: 'data:audio/wav;base64,UklGRg==' });
    const audioSpans = [{ start: 0.1, end: 0.4, label: 'SPEECH' }];
    await postJson(`${app.url}/give_answers`, { answers: [{ ...tasks[0], audio_spans: audioSpans, answer: 'accept' }] });
    const saved = readDataset(app.dbPath, 'clips')[0]!.content;
    expect(saved).not.toHaveProperty('audio');
    expect(saved.audio_spans).toEqual(audioSpans);
  });
});

describe('review', () => {
  it('merges two annotators\' answers by input hash and serves versions and sessions', async () => {
    const home = makeProdigyHome();
    const source = fixture(home, 'r.jsonl', jsonl([{ text: 'Ada met Bob' }, { text: 'No names here' }]));
    const ner = await startStandin({ home, recipe: 'ner.manual', args: ['gold', 'blank:en', source, '--label', 'PERSON'], env: { PRODIGY_CONFIG_OVERRIDES: '{"feed_overlap": true}' } });
    const ada = { start: 0, end: 3, token_start: 0, token_end: 0, label: 'PERSON' };
    const bob = { start: 8, end: 11, token_start: 2, token_end: 2, label: 'PERSON' };
    for (const [who, spans] of [['alice', [ada, bob]], ['bob', [ada]]] as const) {
      const { tasks } = await questions(ner.url, `gold-${who}`);
      const answers = tasks.map((t) => ({ ...t, spans: t.text === 'Ada met Bob' ? spans : [], answer: 'accept' }));
      expect((await postJson(`${ner.url}/give_answers`, { answers, session_id: `gold-${who}` })).status).toBe(200);
    }
    expect((await ner.stop()).code).toBe(0);

    const review = await startStandin({ home, recipe: 'review', args: ['gold_reviewed', 'gold', '--view-id', 'ner_manual'] });
    const { tasks } = await questions(review.url, 'gold_reviewed-lead');
    expect(tasks).toHaveLength(2);
    const conflict = tasks.find((t) => t.text === 'Ada met Bob')!;
    expect(conflict._view_id).toBe('review');
    expect(conflict.view_id).toBe('ner_manual');
    expect(conflict.sessions).toEqual(['gold-alice', 'gold-bob']);
    const versions = conflict.versions as { spans: unknown[]; sessions: string[]; answer: string }[];
    expect(versions).toHaveLength(2);
    expect(versions.map((v) => v.sessions)).toEqual(expect.arrayContaining([['gold-alice'], ['gold-bob']]));
    const agreed = tasks.find((t) => t.text === 'No names here')!;
    expect((agreed.versions as { sessions: string[] }[])[0]!.sessions).toEqual(['gold-alice', 'gold-bob']);
  });
});

describe('CLI errors and help', () => {
  it('bare prodigy lists recipes and commands; RECIPE --help prints usage; both exit 0', async () => {
    const home = makeProdigyHome();
    const bare = await runStandin([], { home });
    expect(bare.code).toBe(0);
    expect(bare.stdout).toContain('ner.manual');
    expect(bare.stdout).toContain('db-out');
    const help = await runStandin(['textcat.manual', '--help'], { home });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--exclusive');
  });

  it('an unknown option, unknown recipe or missing -F file exits 1 with a message', async () => {
    const home = makeProdigyHome();
    const source = fixture(home, 'a.jsonl', jsonl([{ text: 'x' }]));
    const bogus = await runStandin(['ner.manual', 'ds', 'blank:en', source, '--frobnicate'], { home });
    expect(bogus.code).toBe(1);
    expect(bogus.stderr).toContain('unrecognized arguments: --frobnicate');
    const unknown = await runStandin(['ner.teachh', 'ds'], { home });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("Can't find recipe or command 'ner.teachh'");
    const noFile = await runStandin(['ner.manual', 'ds', 'blank:en', source, '-F', join(home, 'missing.py')], { home });
    expect(noFile.code).toBe(1);
    expect(noFile.stderr).toContain('Invalid recipe file path');
  });

  it('a malformed source line names the file and line and exits 1', async () => {
    const home = makeProdigyHome();
    const source = fixture(home, 'broken.jsonl', '{"text": "ok"}\n\n{"text": "oops"\n');
    const res = await runStandin(['ner.manual', 'ds', 'blank:en', source], { home });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`line 3 of ${source}`);
    expect(res.stdout).not.toContain('Starting the web server');
  });

  it('a task without the key the recipe needs is refused with its file and line', async () => {
    const home = makeProdigyHome();
    const source = fixture(home, 'img.jsonl', jsonl([{ image: 'http://127.0.0.1:9/a.png' }, { text: 'no image' }]));
    const res = await runStandin(['image.manual', 'ds', source], { home });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`${source} line 2`);
    expect(res.stderr).toContain("'image'");
  });
});
