// Runs build/bundle-electron.mjs and checks what ships: main's security settings, and a preload that exposes
// only window.ferry = { invoke, on } (run for real in a VM with a recording 'electron' module, since the
// Electron binary is not available here).
import { execFile } from 'node:child_process';
import { builtinModules } from 'node:module';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../../electron/shell/security-policy.ts';

const run = promisify(execFile);
const outdir = mkdtempSync(join(tmpdir(), 'ferry-bundle-'));
let mainCode = '';
let preloadCode = '';
type Metafile = { outputs: Record<string, { imports: { path: string; external?: boolean }[] }> };
let externals: { main: string[]; preload: string[] } = { main: [], preload: [] };

// esbuild's own account of what each bundle still loads at run time (not a text search, which strings fool).
function externalImports(meta: Metafile, bundle: string): string[] {
  const output = Object.entries(meta.outputs).find(([file]) => file.endsWith(bundle))?.[1];
  return [...new Set((output?.imports ?? []).filter((i) => i.external === true).map((i) => i.path))].sort();
}

beforeAll(async () => {
  const metafile = join(outdir, 'meta.json');
  const { stdout } = await run(process.execPath, [resolve('build/bundle-electron.mjs'), '--outdir', outdir, '--metafile', metafile]);
  expect(stdout).toContain('bundled');
  const meta = JSON.parse(readFileSync(metafile, 'utf8')) as { main: Metafile; preload: Metafile };
  externals = { main: externalImports(meta.main, 'main.cjs'), preload: externalImports(meta.preload, 'preload.cjs') };
  mainCode = readFileSync(join(outdir, 'main.cjs'), 'utf8');
  preloadCode = readFileSync(join(outdir, 'preload.cjs'), 'utf8');
}, 120_000);

afterAll(() => rmSync(outdir, { recursive: true, force: true }));

type Recorded = { channel: string; args: unknown[] };

function loadPreload() {
  const invoked: Recorded[] = [];
  const handlers = new Map<string, (...args: unknown[]) => void>();
  const exposed: { key: string; api: unknown }[] = [];
  const requested: string[] = [];
  let reply: (args: unknown[]) => Promise<unknown> = async () => ({ ok: true, value: 'pong' });
  const ipcRenderer = {
    invoke: (channel: string, ...args: unknown[]) => (invoked.push({ channel, args }), reply(args)),
    on: (channel: string, handler: (...args: unknown[]) => void) => handlers.set(channel, handler),
    send: () => {
      throw new Error('the preload must not use ipcRenderer.send');
    },
  };
  const electron = { ipcRenderer, contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.push({ key, api }) } };
  const module = { exports: {} };
  runInNewContext(preloadCode, {
    require: (name: string) => {
      requested.push(name);
      if (name !== 'electron') throw new Error(`a sandboxed preload cannot require ${name}`);
      return electron;
    },
    module,
    exports: module.exports,
    console,
  });
  return { invoked, handlers, exposed, requested, ipcRenderer, setReply: (fn: typeof reply) => (reply = fn) };
}

describe('build/bundle-electron.mjs', () => {
  it('writes both bundles', () => {
    expect(existsSync(join(outdir, 'main.cjs'))).toBe(true);
    expect(existsSync(join(outdir, 'preload.cjs'))).toBe(true);
  });

  it('main needs nothing at run time but electron, better-sqlite3 and Node built-ins', () => {
    const builtins = new Set(builtinModules);
    expect(externals.main).toContain('electron');
    expect(externals.main.filter((m) => m !== 'electron' && m !== 'better-sqlite3' && !m.startsWith('node:') && !builtins.has(m))).toEqual([]);
  });

  it('main keeps the window locked down and serves the app with the strict CSP', () => {
    for (const setting of ['contextIsolation: true', 'sandbox: true', 'nodeIntegration: false', 'webSecurity: true', 'webviewTag: false']) expect(mainCode).toContain(setting);
    expect(mainCode).not.toMatch(/nodeIntegration: true|contextIsolation: false|sandbox: false|webSecurity: false/);
    for (const directive of CONTENT_SECURITY_POLICY.split('; ')) expect(mainCode).toContain(directive);
    for (const call of ['registerSchemesAsPrivileged', 'requestSingleInstanceLock', 'setPermissionRequestHandler', 'setWindowOpenHandler', 'will-navigate', 'enableSandbox']) expect(mainCode).toContain(call);
  });

  it('preload requires only electron and exposes exactly window.ferry = { invoke, on }, never ipcRenderer', () => {
    expect(externals.preload).toEqual(['electron']);
    expect(preloadCode).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer/);
    const { exposed, requested, ipcRenderer } = loadPreload();
    expect(requested).toEqual(['electron']);
    expect(exposed.map((e) => e.key)).toEqual(['ferry']);
    const api = exposed[0]?.api as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual(['invoke', 'on']);
    expect(Object.values(api).every((v) => typeof v === 'function' && v !== ipcRenderer.invoke && v !== ipcRenderer.on)).toBe(true);
  });

  it('invoke goes over ferry:invoke with the command name and request, and failures come back as envelopes', async () => {
    const { exposed, invoked, setReply } = loadPreload();
    const api = exposed[0]?.api as { invoke(name: string, request: unknown): Promise<unknown> };
    expect(await api.invoke('app.info', {})).toEqual({ ok: true, value: 'pong' });
    expect(invoked).toEqual([{ channel: 'ferry:invoke', args: ['app.info', {}] }]);
    setReply(async () => {
      throw new Error("Error invoking remote method 'ferry:invoke': boom");
    });
    expect(await api.invoke('config.get', {})).toMatchObject({ ok: false, error: { code: 'internal' } });
  });

  it('on() delivers only the payload of its own event (never the IPC event object) until unsubscribed', () => {
    const { exposed, handlers, ipcRenderer } = loadPreload();
    const api = exposed[0]?.api as { on(event: string, listener: (...args: unknown[]) => void): () => void };
    const seen: unknown[][] = [];
    const stop = api.on('sync', (...args) => seen.push(args));
    const deliver = handlers.get('ferry:event');
    expect(deliver).toBeTypeOf('function');
    const ipcEvent = { sender: ipcRenderer, senderId: 0 };
    deliver?.(ipcEvent, { event: 'sync', payload: { state: 'online', pending: 0 } });
    deliver?.(ipcEvent, { event: 'progress', payload: { id: 'x' } });
    deliver?.(ipcEvent, 'garbage');
    expect(seen).toEqual([[{ state: 'online', pending: 0 }]]);
    stop();
    deliver?.(ipcEvent, { event: 'sync', payload: { state: 'offline' } });
    expect(seen).toHaveLength(1);
  });
});
