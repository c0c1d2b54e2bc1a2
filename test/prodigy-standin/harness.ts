// Starts the Prodigy stand-in as a real process (temp PRODIGY_HOME, free port) and waits for its start line.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { freePort } from '../helpers/moto.ts';

export const STANDIN_DIR = dirname(fileURLToPath(import.meta.url));
export const STANDIN_BIN = join(STANDIN_DIR, 'bin', 'prodigy');
export const READY_LINE = 'Open the app in your browser and start annotating!';

/** Environment for a child: inherited PRODIGY_* variables are dropped so a developer's own setup can't leak in. */
export type StandinEnv = Record<string, string | undefined>;

export type StandinOptions = {
  readonly recipe: string;
  readonly args: readonly string[];
  /** Extra variables; a key set to undefined is removed (e.g. PRODIGY_HOST to test the default). */
  readonly env?: StandinEnv;
  /** PRODIGY_HOME; a fresh temp dir when omitted. */
  readonly home?: string;
  /** PRODIGY_PORT; a free port when omitted (pass null to leave it unset). */
  readonly port?: number | null;
  /** Written to the child's stdin, then closed (for source "-"). */
  readonly stdin?: string;
  readonly cwd?: string;
};

export type StandinExit = { readonly code: number | null; readonly signal: NodeJS.Signals | null; readonly output: string };

export type Standin = {
  /** Base URL from the start line, with localhost spelled 127.0.0.1 so Node's fetch hits the IPv4 listener. */
  readonly url: string;
  readonly port: number;
  readonly home: string;
  /** Default sqlite file: PRODIGY_HOME/prodigy.db. */
  readonly dbPath: string;
  readonly child: ChildProcess;
  /** stdout and stderr so far, interleaved as received. */
  output(): string;
  /** Sends the signal (SIGINT by default) and resolves when the process has exited. */
  stop(signal?: NodeJS.Signals): Promise<StandinExit>;
};

export type CommandResult = { readonly code: number | null; readonly stdout: string; readonly stderr: string };

const live = new Set<Standin>();
const homes = new Set<string>();

/** A fresh, empty PRODIGY_HOME under the OS temp dir; removed by cleanupStandins(). */
export function makeProdigyHome(): string {
  const home = mkdtempSync(join(tmpdir(), 'prodigy-standin-'));
  homes.add(home);
  return home;
}

function childEnv(home: string, extra: StandinEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('PRODIGY_')) env[key] = value;
  env.PRODIGY_HOME = home;
  env.PRODIGY_HOST = '127.0.0.1';
  env.PYTHONDONTWRITEBYTECODE = '1';
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

function waitForExit(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/** Spawns `python3 bin/prodigy RECIPE ARGS` and resolves once it printed the ready line; rejects with its output if it exits first. */
export async function startStandin(options: StandinOptions): Promise<Standin> {
  const home = options.home ?? makeProdigyHome();
  const port = options.port === undefined ? await freePort() : options.port;
  const portEnv: StandinEnv = port === null ? { PRODIGY_PORT: undefined } : { PRODIGY_PORT: String(port) };
  const child = spawn('python3', [STANDIN_BIN, options.recipe, ...options.args], {
    cwd: options.cwd ?? home,
    env: childEnv(home, { ...portEnv, ...options.env }),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  const append = (chunk: Buffer): void => {
    output += chunk.toString('utf8');
  };
  child.stdout.on('data', append);
  child.stderr.on('data', append);
  child.stdin.on('error', () => undefined);
  child.stdin.end(options.stdin ?? '');
  const exited = waitForExit(child);

  const url = await new Promise<string>((resolve, reject) => {
    const guard = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the Prodigy stand-in printed no start line within 30 s:\n${output}`));
    }, 30_000);
    const check = (): void => {
      const match = /Starting the web server at (http:\/\/\S+) \.\.\./.exec(output);
      if (match?.[1] && output.includes(READY_LINE)) {
        clearTimeout(guard);
        child.stdout.off('data', check);
        resolve(match[1].replace('//localhost:', '//127.0.0.1:'));
      }
    };
    child.stdout.on('data', check);
    void exited.then(({ code, signal }) => {
      clearTimeout(guard);
      reject(new Error(`the Prodigy stand-in exited (code ${code}, signal ${signal}) before starting:\n${output}`));
    });
  });

  const standin: Standin = {
    url,
    port: Number(new URL(url).port),
    home,
    dbPath: join(home, 'prodigy.db'),
    child,
    output: () => output,
    async stop(signal: NodeJS.Signals = 'SIGINT') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const { code, signal: how } = await exited;
      clearTimeout(killer);
      live.delete(standin);
      return { code, signal: how, output };
    },
  };
  live.add(standin);
  return standin;
}

/** Runs a plain command (db-out, db-in, stats, …, or a recipe expected to fail) to completion. */
export async function runStandin(
  args: readonly string[],
  options: { home: string; env?: StandinEnv; stdin?: string; cwd?: string },
): Promise<CommandResult> {
  const child = spawn('python3', [STANDIN_BIN, ...args], {
    cwd: options.cwd ?? options.home,
    env: childEnv(options.home, options.env ?? {}),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  child.stdin.on('error', () => undefined);
  child.stdin.end(options.stdin ?? '');
  const code = await new Promise<number | null>((resolve) => child.once('close', (c) => resolve(c)));
  return { code, stdout, stderr };
}

/** POSTs JSON to the stand-in and returns status and parsed body. */
export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
}

export type DbExample = { readonly id: number; readonly input_hash: number; readonly task_hash: number; readonly content: Record<string, unknown> };

/** Reads a dataset's examples straight from the stand-in's sqlite file (read-only). */
export function readDataset(dbPath: string, dataset: string): DbExample[] {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    const rows = db
      .prepare(
        'SELECT e.id, e.input_hash, e.task_hash, e.content FROM example e JOIN link l ON l.example_id = e.id ' +
          'JOIN dataset d ON d.id = l.dataset_id WHERE d.name = ? ORDER BY l.id',
      )
      .all(dataset) as { id: number; input_hash: number; task_hash: number; content: Buffer }[];
    return rows.map((r) => ({ ...r, content: JSON.parse(r.content.toString('utf8')) as Record<string, unknown> }));
  } finally {
    db.close();
  }
}

/** Stops every stand-in still running and removes temp homes; call from afterEach/afterAll. */
export async function cleanupStandins(): Promise<void> {
  await Promise.all([...live].map((s) => s.stop('SIGKILL')));
  for (const home of homes) rmSync(home, { recursive: true, force: true });
  homes.clear();
}
