// startProdigyServer against the Prodigy stand-in (a real process speaking Prodigy's CLI/env/REST contract),
// and against small scripts that fail the ways a real Prodigy can: exit at start, never ready, port taken.
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { FerryError } from '../../../shared/result.ts';
import { startProdigyServer, stopAllProdigy, type ProdigyServer, type ProdigyServerOptions } from '../../../electron/prodigy/run-prodigy.ts';
import { liveProdigyPids } from '../../../electron/prodigy/process-registry.ts';
import { setProdigyLogSink } from '../../../electron/prodigy/prodigy-log.ts';
import { answerTasks, callProdigy, processGone, removeTempDirs, spawnedDuring, STANDIN_COMMAND, tempDir, writeScript, writeTexts } from './prodigy-fixture.ts';

const servers: ProdigyServer[] = [];
const blockers: Server[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
  await Promise.all(blockers.splice(0).map((b) => new Promise((resolve) => b.close(resolve))));
  removeTempDirs();
});

function textcatOptions(overrides: Partial<ProdigyServerOptions> = {}): ProdigyServerOptions {
  const dir = tempDir();
  return {
    command: STANDIN_COMMAND,
    recipe: 'textcat.manual',
    dataset: 'news',
    source: writeTexts(dir, 5),
    labels: ['POSITIVE', 'NEGATIVE'],
    home: dir,
    session: 'alice',
    ...overrides,
  };
}

async function start(options: ProdigyServerOptions): Promise<ProdigyServer> {
  const server = await startProdigyServer(options);
  servers.push(server);
  return server;
}

async function failure(promise: Promise<unknown>): Promise<FerryError & { lastLines?: string[]; exitCode?: number | null }> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(FerryError);
    return error as FerryError & { lastLines?: string[] };
  }
  throw new Error('expected the promise to reject');
}

async function occupyPort(): Promise<number> {
  const blocker = createServer();
  blockers.push(blocker);
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  return (blocker.address() as { port: number }).port;
}

describe('startProdigyServer with the Prodigy stand-in', () => {
  it('starts textcat.manual on loopback behind basic auth, with the session in the URL and the labels in /project', async () => {
    const server = await start(textcatOptions());
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?session=alice`);
    expect(server.sessionId).toBe('news-alice');
    expect(server.lastLines().some((line) => line.includes(`Starting the web server at http://127.0.0.1:${server.port}`))).toBe(true);

    expect((await callProdigy(server, '/project', undefined, false)).status).toBe(401);
    const project = await callProdigy(server, '/project');
    expect(project.status).toBe(200);
    expect(project.body).toMatchObject({ labels: ['POSITIVE', 'NEGATIVE'], dataset: 'news', recipe_name: 'textcat.manual' });

    const page = await fetch(server.url, { headers: { authorization: `Basic ${Buffer.from(`${server.username}:${server.password}`).toString('base64')}` } });
    expect(page.status).toBe(200);
    await page.body?.cancel();
  });

  it('only lets the batch annotator in: another session name is refused', async () => {
    const server = await start(textcatOptions());
    const other = await callProdigy(server, '/get_session_questions', { session_id: 'news-bob' });
    expect(other.status).toBe(400);
    expect(JSON.stringify(other.body)).toContain('not allowed');
  });

  it('takes 3 answers over the REST API and stops on SIGINT with exit code 0, the process gone', async () => {
    const server = await start(textcatOptions());
    const answered = await answerTasks(server, 3, 'accept', { accept: ['POSITIVE'] });
    expect(answered.map((t) => t.text)).toEqual(['Sentence number 1 about Berlin', 'Sentence number 2 about Berlin', 'Sentence number 3 about Berlin']);
    const exitEvents: unknown[] = [];
    server.on('exit', (exit) => exitEvents.push(exit));
    const exit = await server.stop();
    expect(exit).toEqual({ exitCode: 0, signal: null });
    expect(await server.stop()).toBe(exit); // idempotent: the same outcome, no second signal
    expect(await server.exited).toEqual(exit);
    expect(exitEvents).toEqual([exit]);
    expect(processGone(server.pid)).toBe(true);
    expect(liveProdigyPids()).not.toContain(server.pid);
  });

  it('starts ner.manual with blank:en by default and the batch config overrides applied', async () => {
    const server = await start(textcatOptions({ recipe: 'ner.manual', labels: ['PERSON', 'ORG'], dataset: 'ents', configOverrides: { batch_size: 3 } }));
    const project = await callProdigy(server, '/project');
    expect(project.body).toMatchObject({ labels: ['PERSON', 'ORG'], view_id: 'ner_manual', batch_size: 3, dataset: 'ents' });
    const tasks = await answerTasks(server, 2);
    expect(tasks[0]).toHaveProperty('tokens');
  });

  it('emits output lines and keeps them for lastLines()', async () => {
    const server = await start(textcatOptions());
    const lines: string[] = [];
    server.on('line', (line) => lines.push(line));
    await server.stop();
    expect(lines.length).toBeGreaterThan(0); // the session summary printed on shutdown
    expect(server.lastLines().slice(-lines.length)).toEqual(lines);
  });

  it('refuses batch config that would move Prodigy off its port or database', async () => {
    const error = await failure(startProdigyServer(textcatOptions({ configOverrides: { db_settings: { sqlite: { name: 'x.db' } } } })));
    expect(error.code).toBe('invalid-request');
    expect(error.message).toContain('"db_settings"');
  });

  it('stopAllProdigy stops every running server', async () => {
    const a = await start(textcatOptions());
    const b = await start(textcatOptions({ session: 'bob' }));
    expect(liveProdigyPids()).toEqual(expect.arrayContaining([a.pid, b.pid]));
    await stopAllProdigy();
    expect(await a.exited).toEqual({ exitCode: 0, signal: null });
    expect(await b.exited).toEqual({ exitCode: 0, signal: null });
    expect(processGone(a.pid) && processGone(b.pid)).toBe(true);
    expect(liveProdigyPids()).toEqual([]);
  });

  it('an abort signal stops a running server', async () => {
    const controller = new AbortController();
    const server = await start(textcatOptions({ signal: controller.signal }));
    controller.abort();
    expect(await server.exited).toEqual({ exitCode: 0, signal: null });
  });
});

describe('startProdigyServer failures', () => {
  it('a command that does not exist → prodigy-not-found naming it', async () => {
    const error = await failure(startProdigyServer(textcatOptions({ command: ['no-such-prodigy-xyz'] })));
    expect(error.code).toBe('prodigy-not-found');
    expect(error.message).toContain('no-such-prodigy-xyz');
    expect(error.message).toContain('prodigyCommand in Settings');
  });

  it('Prodigy exiting at start → prodigy-failed with its exit code and output', async () => {
    const command = ['python3', '-c', 'import sys; print("boom"); print("bad licence", file=sys.stderr); sys.exit(3)'];
    const error = await failure(startProdigyServer(textcatOptions({ command })));
    expect(error.code).toBe('prodigy-failed');
    expect(error.message).toContain('exited with code 3 before it was ready');
    expect(error.lastLines).toEqual(expect.arrayContaining(['boom', 'bad licence']));
    expect(error.exitCode).toBe(3);
    expect(error.detail).toContain('boom');
  });

  it('the stand-in refusing bad arguments → prodigy-failed with its own error line', async () => {
    const error = await failure(startProdigyServer(textcatOptions({ source: '/nowhere/tasks.jsonl' })));
    expect(error.code).toBe('prodigy-failed');
    expect(error.lastLines?.join('\n')).toContain('/nowhere/tasks.jsonl');
  });

  it('a requested port that is taken → port-in-use naming the port, nothing started', async () => {
    const port = await occupyPort();
    const before = liveProdigyPids().length;
    const error = await failure(startProdigyServer(textcatOptions({ port })));
    expect(error.code).toBe('port-in-use');
    expect(error.message).toContain(String(port));
    expect(liveProdigyPids()).toHaveLength(before);
  });

  it('Prodigy reporting "address already in use" → port-in-use', async () => {
    const dir = tempDir();
    const command = writeScript(dir, 'bind-fails.py', [
      'import os, sys',
      'print("✨  Starting the web server at http://127.0.0.1:" + os.environ["PRODIGY_PORT"] + " ...", flush=True)',
      'print("ERROR: [Errno 98] error while attempting to bind on address: address already in use", file=sys.stderr, flush=True)',
      'sys.exit(1)',
    ].join('\n'));
    const port = await (async () => {
      const probe = await occupyPort();
      await new Promise((resolve) => blockers.pop()?.close(resolve));
      return probe; // free again: only Prodigy's own report can say it is taken
    })();
    const error = await failure(startProdigyServer(textcatOptions({ command, port })));
    expect(error.code).toBe('port-in-use');
    expect(error.message).toContain(String(port));
  });

  it('a port Ferry picked that Prodigy still finds taken → tries other ports, then port-in-use', async () => {
    const dir = tempDir();
    const command = writeScript(dir, 'always-taken.py', 'import sys\nprint("OSError: [Errno 98] Address already in use", file=sys.stderr)\nsys.exit(1)\n');
    const spawns: number[] = [];
    const previous = setProdigyLogSink((entry) => {
      if (entry.event === 'spawn' && entry.pid !== undefined) spawns.push(entry.pid);
    });
    try {
      const error = await failure(startProdigyServer(textcatOptions({ command })));
      expect(error.code).toBe('port-in-use');
    } finally {
      setProdigyLogSink(previous);
    }
    expect(spawns).toHaveLength(3);
  });

  it('Prodigy that never becomes ready → prodigy-failed after readyTimeoutMs, and it is stopped', async () => {
    const dir = tempDir();
    const command = writeScript(dir, 'silent.py', 'import os, time\nprint("pid", os.getpid(), flush=True)\ntime.sleep(600)\n');
    let error: FerryError | undefined;
    // The pid from Ferry's spawn log, not the script's output: on a loaded machine Python may not print within 300 ms.
    const [pid] = await spawnedDuring(async () => (error = await failure(startProdigyServer(textcatOptions({ command, readyTimeoutMs: 300 })))));
    expect(error?.code).toBe('prodigy-failed');
    expect(error?.message).toContain('did not become ready within 300 ms');
    expect(error?.message).toContain('never printed "Starting the web server');
    expect(pid).toBeGreaterThan(0);
    expect(processGone(pid!)).toBe(true);
  });

  it('a start line but no answer on /project → timeout names the HTTP side', async () => {
    const dir = tempDir();
    const command = writeScript(dir, 'no-http.py', 'import os, time\nprint("Starting the web server at http://127.0.0.1:" + os.environ["PRODIGY_PORT"], flush=True)\ntime.sleep(600)\n');
    const error = await failure(startProdigyServer(textcatOptions({ command, readyTimeoutMs: 500 })));
    expect(error.code).toBe('prodigy-failed');
    expect(error.message).toContain('GET /project did not answer');
  });

  it('stop() escalates to SIGTERM when Prodigy ignores SIGINT', async () => {
    const dir = tempDir();
    const command = writeScript(dir, 'stubborn.py', [
      'import os, signal, http.server',
      'signal.signal(signal.SIGINT, signal.SIG_IGN)',
      'class H(http.server.BaseHTTPRequestHandler):',
      '    def do_GET(self):',
      '        self.send_response(200); self.end_headers(); self.wfile.write(b"{}")',
      '    def log_message(self, *a): pass',
      'srv = http.server.HTTPServer(("127.0.0.1", int(os.environ["PRODIGY_PORT"])), H)',
      'print("Starting the web server at http://127.0.0.1:" + os.environ["PRODIGY_PORT"], flush=True)',
      'srv.serve_forever()',
    ].join('\n'));
    const server = await start(textcatOptions({ command, stopGraceMs: 200 }));
    const exit = await server.stop();
    expect(exit).toEqual({ exitCode: null, signal: 'SIGTERM' });
    expect(processGone(server.pid)).toBe(true);
  });
});
