// The loopback web host against a real core over real HTTP and WebSocket: gatekeeping, static files, the wire contract.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../electron/host/core.ts';
import { startWebHost, type WebHost } from '../../../electron/host/web-host.ts';
import type { SyncEvent } from '../../../shared/api.ts';
import { openSocket, refusedUpgrade } from './ws-test-client.ts';

type RawResponse = { status: number; headers: Record<string, string | string[] | undefined>; body: string };

// node:http rather than fetch, because the tests must forge Host and Origin headers.
function rawGet(port: number, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

let dir: string;
let core: Core;
let host: WebHost;

function cookieHeader(): string {
  return `ferry_token_${host.port}=${host.token}`;
}

function wsUrl(): string {
  return `ws://127.0.0.1:${host.port}/ws`;
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ferry-web-host-'));
  const dist = join(dir, 'dist');
  await mkdir(join(dist, 'assets'), { recursive: true });
  await writeFile(join(dist, 'index.html'), '<!doctype html><title>Ferry</title><script type="module" src="./assets/app.js"></script>');
  await writeFile(join(dist, 'assets', 'app.js'), 'console.log("ferry")');
  await writeFile(join(dist, 'assets', 'app.css'), 'body{}');
  await writeFile(join(dir, 'secret.txt'), 'outside the dist folder');
  core = createCore({ configPath: join(dir, 'ferry.json'), host: 'web', version: '0.0.0-test' });
  host = await startWebHost({ core, port: 0, distDir: dist });
});

afterEach(async () => {
  await host.close();
  await core.close();
  await rm(dir, { recursive: true, force: true });
});

describe('HTTP gatekeeping', () => {
  it('hands out a tokenised loopback URL with a 32-byte base64url token', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${host.token}`);
    expect(host.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('answers a request without the token with 401 and an explanation', async () => {
    const res = await rawGet(host.port, '/');
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.body).toContain('token');
  });

  it('answers a wrong token, in the query or the cookie, with 401', async () => {
    expect((await rawGet(host.port, '/?token=not-the-token')).status).toBe(401);
    expect((await rawGet(host.port, '/', { Cookie: `ferry_token_${host.port}=${'x'.repeat(43)}` })).status).toBe(401);
    // A cookie for another Ferry host on the same machine does not open this one.
    expect((await rawGet(host.port, '/', { Cookie: `ferry_token_1=${host.token}` })).status).toBe(401);
  });

  it('refuses a foreign Host header (DNS rebinding) with 403 even with the token', async () => {
    const res = await rawGet(host.port, `/?token=${host.token}`, { Host: `evil.example:${host.port}` });
    expect(res.status).toBe(403);
    expect(res.body).toContain('evil.example');
    expect((await rawGet(host.port, '/', { Host: `127.0.0.1:1`, Cookie: cookieHeader() })).status).toBe(403);
    expect((await rawGet(host.port, '/', { Host: `localhost:${host.port}`, Cookie: cookieHeader() })).status).toBe(200);
  });

  it('refuses a non-GET request from a foreign Origin with 403, and non-GET from its own page with 405', async () => {
    const foreign = await rawGet(host.port, '/', { Cookie: cookieHeader(), Origin: 'http://evil.example' }, 'POST');
    expect(foreign.status).toBe(403);
    const own = await rawGet(host.port, '/', { Cookie: cookieHeader(), Origin: `http://127.0.0.1:${host.port}` }, 'POST');
    expect(own.status).toBe(405);
  });

  it('trades the query token for an HttpOnly SameSite=Strict cookie and drops it from the address', async () => {
    const res = await rawGet(host.port, `/?token=${host.token}`);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/');
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toContain(`ferry_token_${host.port}=${host.token}`);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
  });

  it('listens on loopback only', async (ctx) => {
    const external = Object.values(networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal);
    if (!external) return ctx.skip();
    const outcome = await new Promise<string>((resolve) => {
      const req = httpRequest({ host: external.address, port: host.port, path: '/' }, () => resolve('answered'));
      req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
      req.end();
    });
    expect(outcome).toBe('ECONNREFUSED');
  });
});

describe('starting', () => {
  it('refuses a port that is already taken with port-in-use', async () => {
    await expect(startWebHost({ core, port: host.port, distDir: join(dir, 'dist') })).rejects.toMatchObject({ code: 'port-in-use' });
  });

  it('restarts on the same port with the same token so an open page reconnects', async () => {
    const { port, token } = host;
    await host.close();
    host = await startWebHost({ core, port, token, distDir: join(dir, 'dist') });
    expect(host.url).toBe(`http://127.0.0.1:${port}/?token=${token}`);
    expect((await rawGet(port, '/', { Cookie: `ferry_token_${port}=${token}` })).status).toBe(200);
  });

  it('refuses a reused token too short to be secret', async () => {
    await expect(startWebHost({ core, port: 0, token: 'short', distDir: join(dir, 'dist') })).rejects.toMatchObject({ code: 'invalid-request' });
  });
});

describe('serving the renderer', () => {
  it('serves index.html with the strict CSP and nosniff', async () => {
    const res = await rawGet(host.port, '/', { Cookie: cookieHeader() });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toContain('<title>Ferry</title>');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toBe(
      `default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self' ws://127.0.0.1:${host.port} ws://localhost:${host.port}; frame-ancestors 'none'; base-uri 'none'`,
    );
  });

  it('serves assets with their content types, falls back to index.html for routes, 404s missing assets', async () => {
    const js = await rawGet(host.port, '/assets/app.js', { Cookie: cookieHeader() });
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.body).toBe('console.log("ferry")');
    expect((await rawGet(host.port, '/assets/app.css', { Cookie: cookieHeader() })).headers['content-type']).toBe('text/css; charset=utf-8');
    const route = await rawGet(host.port, '/settings', { Cookie: cookieHeader() });
    expect(route.status).toBe(200);
    expect(route.body).toContain('<title>Ferry</title>');
    expect((await rawGet(host.port, '/assets/missing.js', { Cookie: cookieHeader() })).status).toBe(404);
  });

  it('never serves a file outside the dist folder', async () => {
    const res = await rawGet(host.port, '/%2e%2e/secret.txt', { Cookie: cookieHeader() });
    expect(res.status).toBe(404);
    expect(res.body).not.toContain('outside the dist folder');
  });

  it('says how to build the renderer when dist has no index.html', async () => {
    const bare = await startWebHost({ core, port: 0, distDir: join(dir, 'no-such-dist') });
    try {
      const res = await rawGet(bare.port, '/', { Cookie: `ferry_token_${bare.port}=${bare.token}` });
      expect(res.status).toBe(503);
      expect(res.body).toContain('npm run build:renderer');
    } finally {
      await bare.close();
    }
  });
});

describe('WebSocket contract', () => {
  it('refuses an upgrade without the token (401) and from a foreign Origin (403)', async () => {
    expect(await refusedUpgrade(wsUrl(), {})).toBe(401);
    expect(await refusedUpgrade(wsUrl(), { headers: { Cookie: cookieHeader() }, origin: 'http://evil.example' })).toBe(403);
    expect(await refusedUpgrade(wsUrl(), { headers: { Cookie: cookieHeader(), Host: `evil.example:${host.port}` } })).toBe(403);
  });

  it('round-trips app.info with the cookie, from its own Origin', async () => {
    const client = await openSocket(wsUrl(), { headers: { Cookie: cookieHeader() }, origin: `http://127.0.0.1:${host.port}` });
    try {
      const result = await client.call('app.info', {});
      expect(result).toEqual({ ok: true, value: { version: '0.0.0-test', host: 'web', configPath: join(dir, 'ferry.json'), configured: false } });
    } finally {
      await client.close();
    }
  });

  it('answers an unknown command with unknown-command and a bad payload with invalid-request', async () => {
    const client = await openSocket(`${wsUrl()}?token=${host.token}`);
    try {
      const unknown = await client.call('batches.steal', {});
      expect(unknown.ok).toBe(false);
      if (!unknown.ok) expect(unknown.error.code).toBe('unknown-command');
      const bad = await client.call('app.info', { surprise: true });
      expect(bad.ok).toBe(false);
      if (!bad.ok) expect(bad.error.code).toBe('invalid-request');
    } finally {
      await client.close();
    }
  });

  it('answers malformed messages with invalid-request and keeps serving', async () => {
    const client = await openSocket(`${wsUrl()}?token=${host.token}`);
    try {
      client.sendRaw('{not json');
      const notJson = await client.nextResponse(0);
      expect(notJson.ok === false && notJson.error.code).toBe('invalid-request');
      client.sendRaw(JSON.stringify([1, 2, 3]));
      expect((await client.nextResponse(0)).ok).toBe(false);
      client.sendRaw(JSON.stringify({ id: 7, request: {} }));
      const noCommand = await client.nextResponse(7);
      expect(noCommand.ok === false && noCommand.error.message).toContain('"command"');
      client.socket.send(Buffer.from([0xff, 0x00]), { binary: true });
      expect((await client.nextResponse(0)).ok).toBe(false);
      expect((await client.call('app.info', {})).ok).toBe(true);
    } finally {
      await client.close();
    }
  });

  it('pushes core events to every connected client, and replays the last sync state to late joiners', async () => {
    const first = await openSocket(`${wsUrl()}?token=${host.token}`);
    const second = await openSocket(`${wsUrl()}?token=${host.token}`);
    try {
      const sync: SyncEvent = { state: 'syncing', pending: 3, failed: 0, lastSyncAt: null, nextRetryAt: null };
      const arrivals = Promise.all([first.nextEvent('sync'), second.nextEvent('sync')]);
      core.context.emit('sync', sync);
      expect(await arrivals).toEqual([sync, sync]);
      const prodigy = first.nextEvent('prodigy');
      core.context.emit('prodigy', { batch: 'b-1', state: 'running', url: 'http://127.0.0.1:8080' });
      expect(await prodigy).toEqual({ batch: 'b-1', state: 'running', url: 'http://127.0.0.1:8080' });
      const late = await openSocket(`${wsUrl()}?token=${host.token}`);
      try {
        expect(await late.nextEvent('sync')).toEqual(sync);
      } finally {
        await late.close();
      }
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('stops pushing and disconnects clients on close', async () => {
    const client = await openSocket(`${wsUrl()}?token=${host.token}`);
    const closed = new Promise<void>((resolve) => client.socket.once('close', () => resolve()));
    const extra = await startWebHost({ core, port: 0, distDir: join(dir, 'dist') });
    const extraClient = await openSocket(`ws://127.0.0.1:${extra.port}/ws?token=${extra.token}`);
    const extraClosed = new Promise<void>((resolve) => extraClient.socket.once('close', () => resolve()));
    await extra.close();
    await extraClosed;
    // The first host still forwards events after another host on the same core closed.
    const event = client.nextEvent('progress');
    core.context.emit('progress', { operation: 'download', id: 'b-1', bytesDone: 1, bytesTotal: 2, filesDone: 0, filesTotal: 1 });
    expect(await event).toMatchObject({ bytesDone: 1 });
    await host.close();
    await closed;
    host = await startWebHost({ core, port: 0, distDir: join(dir, 'dist') });
  });
});
