// The Prodigy stand-in honours PRODIGY_HOME, PORT, HOST, CONFIG, CONFIG_OVERRIDES, ALLOWED_SESSIONS and BASIC_AUTH.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/moto.ts';
import { cleanupStandins, makeProdigyHome, postJson, readDataset, startStandin, type StandinEnv } from './harness.ts';

type Questions = { tasks: Record<string, unknown>[] };

function source(home: string, count = 3): string {
  const path = join(home, 'in.jsonl');
  writeFileSync(path, Array.from({ length: count }, (_, i) => JSON.stringify({ text: `t${i}` })).join('\n'));
  return path;
}

async function start(home: string, env: StandinEnv = {}, extra: { cwd?: string; port?: number | null } = {}) {
  return await startStandin({ home, recipe: 'ner.manual', args: ['ds', 'blank:en', source(home)], env, ...extra });
}

async function batchSize(url: string, headers: Record<string, string> = {}): Promise<number> {
  const res = await fetch(`${url}/project`, { headers });
  return ((await res.json()) as { batch_size: number }).batch_size;
}

afterEach(cleanupStandins);

describe('home, port, host', () => {
  it('keeps its database at PRODIGY_HOME/prodigy.db and reads PRODIGY_HOME/prodigy.json', async () => {
    const home = makeProdigyHome();
    writeFileSync(join(home, 'prodigy.json'), JSON.stringify({ batch_size: 3 }));
    const app = await start(home);
    expect(existsSync(join(home, 'prodigy.db'))).toBe(true);
    expect(await batchSize(app.url)).toBe(3);
  });

  it('listens on PRODIGY_PORT and PRODIGY_HOST, and names localhost:8080 when neither is set', async () => {
    const home = makeProdigyHome();
    const port = await freePort();
    const app = await start(home, { PRODIGY_HOST: '127.0.0.1' }, { port });
    expect(app.port).toBe(port);
    expect(app.output()).toContain(`http://127.0.0.1:${port} ...`);
    await app.stop();
    // 8080 may be taken on a shared machine: either way the stand-in names localhost:8080.
    const other = makeProdigyHome();
    const defaults = await start(other, { PRODIGY_HOST: undefined }, { port: null }).catch((err: Error) => err);
    const said = defaults instanceof Error ? defaults.message : defaults.output();
    expect(said).toContain('http://localhost:8080');
  });
});

describe('config files and overrides', () => {
  it('merges ./prodigy.json, PRODIGY_CONFIG, then PRODIGY_CONFIG_OVERRIDES (last wins)', async () => {
    const home = makeProdigyHome();
    const cwd = join(home, 'project');
    mkdirSync(cwd);
    writeFileSync(join(cwd, 'prodigy.json'), JSON.stringify({ batch_size: 4, instructions: 'help.txt' }));
    writeFileSync(join(cwd, 'help.txt'), 'Mark every person.');
    const local = await start(home, {}, { cwd });
    const project = (await (await fetch(`${local.url}/project`)).json()) as Record<string, unknown>;
    expect(project).toMatchObject({ batch_size: 4, instructions: 'Mark every person.' });
    await local.stop();

    const configFile = join(home, 'custom.json');
    writeFileSync(configFile, JSON.stringify({ batch_size: 5 }));
    const configured = await start(home, { PRODIGY_CONFIG: configFile });
    expect(await batchSize(configured.url)).toBe(5);
    await configured.stop();

    const overridden = await start(home, { PRODIGY_CONFIG: configFile, PRODIGY_CONFIG_OVERRIDES: '{"batch_size": 2}' });
    expect(await batchSize(overridden.url)).toBe(2);
    expect(((await postJson(`${overridden.url}/get_session_questions`, { session_id: 'ds-a' })).body as Questions).tasks).toHaveLength(2);
  });

  it('takes port, host and the sqlite path/name from PRODIGY_CONFIG_OVERRIDES', async () => {
    const home = makeProdigyHome();
    const port = await freePort();
    const dbDir = join(home, 'elsewhere');
    const overrides = { port, host: '127.0.0.1', db_settings: { sqlite: { path: dbDir, name: 'team.db' } } };
    const app = await start(home, { PRODIGY_CONFIG_OVERRIDES: JSON.stringify(overrides), PRODIGY_HOST: undefined }, { port: null });
    expect(app.url).toBe(`http://127.0.0.1:${port}`);
    const { tasks } = (await postJson(`${app.url}/get_session_questions`, { session_id: 'ds-a' })).body as Questions;
    await postJson(`${app.url}/give_answers`, { answers: [{ ...tasks[0], answer: 'accept' }], session_id: 'ds-a' });
    expect(readDataset(join(dbDir, 'team.db'), 'ds')).toHaveLength(1);
    expect(existsSync(join(home, 'prodigy.db'))).toBe(false);
  });

  it('refuses invalid JSON in PRODIGY_CONFIG_OVERRIDES or prodigy.json with a message naming it', async () => {
    const home = makeProdigyHome();
    const bad = await start(home, { PRODIGY_CONFIG_OVERRIDES: '{"batch_size": ' }).catch((err: Error) => err);
    expect(bad).toBeInstanceOf(Error);
    expect((bad as Error).message).toContain('Invalid JSON in PRODIGY_CONFIG_OVERRIDES');
    writeFileSync(join(home, 'prodigy.json'), '{\n  "port": 1,\n  oops\n}');
    const badFile = await start(home).catch((err: Error) => err);
    expect((badFile as Error).message).toContain(`${join(home, 'prodigy.json')} at line 3`);
  });
});

describe('access control', () => {
  it('PRODIGY_ALLOWED_SESSIONS refuses a stranger with HTTP 400 and serves listed names', async () => {
    const app = await start(makeProdigyHome(), { PRODIGY_ALLOWED_SESSIONS: 'alice,bob' });
    const stranger = await postJson(`${app.url}/get_session_questions`, { session_id: 'ds-mallory' });
    expect(stranger.status).toBe(400);
    expect((stranger.body as { detail: string }).detail).toContain("Session 'ds-mallory' is not allowed");
    const page = await fetch(`${app.url}/?session=mallory`);
    expect(page.status).toBe(400);
    expect(await page.text()).toContain('PRODIGY_ALLOWED_SESSIONS');
    const answers = await postJson(`${app.url}/give_answers`, { answers: [], session_id: 'ds-mallory' });
    expect(answers.status).toBe(400);
    expect((await postJson(`${app.url}/get_session_questions`, { session_id: 'ds-alice' })).status).toBe(200);
    expect((await fetch(`${app.url}/?session=bob`)).status).toBe(200);
  });

  it('PRODIGY_BASIC_AUTH_USER/PASS: 401 with WWW-Authenticate without or with wrong creds, 200 with them', async () => {
    const app = await start(makeProdigyHome(), { PRODIGY_BASIC_AUTH_USER: 'team', PRODIGY_BASIC_AUTH_PASS: 's3cret' });
    const none = await fetch(`${app.url}/project`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Basic /);
    expect((await fetch(`${app.url}/`)).status).toBe(401);
    const wrong = `Basic ${Buffer.from('team:nope').toString('base64')}`;
    expect((await fetch(`${app.url}/project`, { headers: { Authorization: wrong } })).status).toBe(401);
    const right = { Authorization: `Basic ${Buffer.from('team:s3cret').toString('base64')}` };
    expect(await batchSize(app.url, right)).toBe(10);
    expect((await fetch(`${app.url}/`, { headers: right })).status).toBe(200);
    expect((await postJson(`${app.url}/get_session_questions`, { session_id: 'ds-a' }, right)).status).toBe(200);
  });
});
