// The low-level half of the one Prodigy wrapper: environment, spawn, "did it start", and stop with escalation.
// Only run-prodigy.ts and prodigy-server.ts use this; everything else goes through them.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { FerryError } from '../../shared/result.ts';
import { describeCommand, notFoundError } from './prodigy-errors.ts';

import type { ProdigyExit } from './prodigy-errors.ts';

export type { ProdigyExit } from './prodigy-errors.ts';

// Variables Ferry sets itself; inherited values would point Prodigy at another database, port or session list.
const CONTROLLED_VARIABLES = [
  'PRODIGY_HOME',
  'PRODIGY_HOST',
  'PRODIGY_PORT',
  'PRODIGY_CONFIG',
  'PRODIGY_CONFIG_OVERRIDES',
  'PRODIGY_ALLOWED_SESSIONS',
  'PRODIGY_BASIC_AUTH_USER',
  'PRODIGY_BASIC_AUTH_PASS',
];

export function prodigyEnv(home: string, extra: Record<string, string>, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  for (const name of CONTROLLED_VARIABLES) delete env[name];
  return {
    ...env,
    // Python block-buffers a piped stdout: without this the start line arrives only when the buffer fills.
    PYTHONUNBUFFERED: '1',
    // Prodigy prints ✨ and ✔; a Windows console code page would make that a UnicodeEncodeError.
    PYTHONIOENCODING: 'utf-8',
    PRODIGY_HOME: resolve(home), // Prodigy runs in home, so a relative path would point below itself
    ...extra,
  };
}

export type SpawnOptions = {
  readonly home: string;
  readonly env: NodeJS.ProcessEnv;
  readonly stdin: 'pipe' | 'ignore';
};

// cwd = PRODIGY_HOME so a stray ./prodigy.json in Ferry's working directory can't change Prodigy's database.
export function spawnProdigy(command: readonly string[], args: readonly string[], options: SpawnOptions): ChildProcess {
  const [file, ...prefix] = command;
  if (file === undefined) throw notFoundError(command, 'is empty');
  const home = resolve(options.home);
  mkdirSync(home, { recursive: true });
  return spawn(file, [...prefix, ...args], {
    cwd: home,
    env: options.env,
    stdio: [options.stdin, 'pipe', 'pipe'],
    windowsHide: true,
  });
}

// Resolves once the OS started the child; a missing or non-executable command becomes prodigy-not-found.
export async function spawned(child: ChildProcess, command: readonly string[]): Promise<void> {
  if (child.pid !== undefined) return;
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', () => resolve());
    child.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') reject(notFoundError(command, 'was not found (not on PATH and not an existing file)'));
      else if (error.code === 'EACCES') reject(notFoundError(command, 'is not executable'));
      else reject(new FerryError('prodigy-failed', `Ferry could not start Prodigy (${describeCommand(command)}): ${error.message}`, error.stack));
    });
  });
}

export function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

const closings = new WeakMap<ChildProcess, Promise<ProdigyExit>>();

// Resolves when the child exited and its output is drained ('close'); if a grandchild keeps the pipes open, 2 s after exit.
// Call it right after spawning (it is memoised per child) so no event can be missed.
export function childClosed(child: ChildProcess): Promise<ProdigyExit> {
  const known = closings.get(child);
  if (known) return known;
  const closing = new Promise<ProdigyExit>((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    function done(exitCode: number | null, signal: NodeJS.Signals | null): void {
      if (timer) clearTimeout(timer);
      resolve({ exitCode, signal });
    }
    child.once('close', done);
    child.once('error', () => {
      if (child.pid === undefined) done(null, null); // never started: there will be no 'close'
    });
    child.once('exit', (exitCode, signal) => {
      timer = setTimeout(() => done(exitCode, signal), 2000);
      timer.unref();
    });
  });
  closings.set(child, closing);
  return closing;
}

function send(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    child.kill(signal);
  } catch {
    // gone between the check and the kill
  }
}

// Asks politely, then firmly, then forcefully: first signal, after graceMs SIGTERM, after graceMs more SIGKILL.
export async function terminate(child: ChildProcess, first: NodeJS.Signals, graceMs: number): Promise<ProdigyExit> {
  const closed = childClosed(child);
  const ladder: NodeJS.Signals[] = first === 'SIGKILL' ? ['SIGKILL'] : first === 'SIGTERM' ? ['SIGTERM', 'SIGKILL'] : [first, 'SIGTERM', 'SIGKILL'];
  for (const signal of ladder) {
    if (!isRunning(child)) break;
    send(child, signal);
    if (signal === 'SIGKILL') break;
    let timer: NodeJS.Timeout | undefined;
    const waited = await Promise.race([
      closed.then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), graceMs);
      }),
    ]);
    if (timer) clearTimeout(timer);
    if (waited) break;
  }
  return await closed;
}
