// The web host's Prodigy proxy: the browser holding Ferry's token cookie reaches Prodigy without a login prompt;
// anyone else (no cookie, wrong cookie, foreign Host or Origin) does not.
import { afterEach, describe, expect, it } from 'vitest';
import { startProdigyServer, type ProdigyServer } from '../../../electron/prodigy/run-prodigy.ts';
import { startProdigyProxy, type ProdigyProxy } from '../../../electron/host/web/prodigy-proxy.ts';
import { tokenCookieName } from '../../../electron/host/web/guard.ts';
import { makeProdigyHome, STANDIN_BIN } from '../../prodigy-standin/harness.ts';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

let server: ProdigyServer | undefined;
let proxy: ProdigyProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  await server?.stop();
});

describe('Prodigy proxy of the web host', () => {
  it('adds the login for the browser that holds the token cookie, and refuses everyone else', async () => {
    const home = makeProdigyHome();
    const source = join(home, 'tasks.jsonl');
    writeFileSync(source, '{"text": "one"}\n{"text": "two"}\n');
    server = await startProdigyServer({ command: ['python3', STANDIN_BIN], recipe: 'textcat.manual', dataset: 'ds', source, labels: ['A', 'B'], home, session: 'ada' });
    expect((await fetch(`${server.baseUrl}/project`)).status).toBe(401); // Prodigy itself wants its login
    proxy = await startProdigyProxy({ target: server.baseUrl, username: server.username, password: server.password, hostPort: 4242, token: 'secret-token' });
    const base = `http://127.0.0.1:${proxy.port}`;
    const cookie = `${tokenCookieName(4242)}=secret-token`;

    const ok = await fetch(`${base}/project`, { headers: { cookie } });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { labels: string[] }).labels).toEqual(['A', 'B']);
    const answered = await fetch(`${base}/get_session_questions`, { method: 'POST', headers: { cookie, 'content-type': 'application/json', origin: base }, body: JSON.stringify({ session_id: 'ds-ada' }) });
    expect(answered.status).toBe(200);

    expect((await fetch(`${base}/project`)).status).toBe(401);
    expect((await fetch(`${base}/project`, { headers: { cookie: `${tokenCookieName(4242)}=wrong-token!` } })).status).toBe(401);
    expect((await fetch(`${base}/project`, { headers: { cookie, origin: 'http://evil.example' } })).status).toBe(403);
  });
});
