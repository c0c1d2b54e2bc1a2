// Prodigy's annotation web server for one batch and one annotator: loopback only, random basic-auth credentials,
// its own PRODIGY_HOME, ready only once it printed its start line and answered GET /project.
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { ChildProcess } from 'node:child_process';
import { ID_PATTERN, type Recipe } from '../../shared/project.ts';
import { FerryError } from '../../shared/result.ts';
import { assertPortFree, findFreePort, LOOPBACK_HOST, mentionsAddressInUse, portInUseError } from './loopback-port.ts';
import { LineRing, splitLines, type OutputStream } from './output-lines.ts';
import { describeCommand, describeExit, formatDuration, ProdigyProcessError, telltaleLine, type ProdigyExit } from './prodigy-errors.ts';
import { logProdigy } from './prodigy-log.ts';
import { trackProdigy } from './process-registry.ts';
import { buildRecipeArgs } from './recipe-args.ts';
import { waitUntilReady } from './server-readiness.ts';
import { childClosed, prodigyEnv, spawned, spawnProdigy, terminate } from './spawn-prodigy.ts';

export type ProdigyServerOptions = {
  readonly command: readonly string[];
  readonly recipe: Recipe;
  readonly dataset: string;
  readonly model?: string;
  readonly source: string;
  readonly labels: readonly string[];
  readonly extraArgs?: readonly string[];
  readonly configOverrides?: Readonly<Record<string, unknown>>; // the batch's prodigyConfig
  readonly home: string; // PRODIGY_HOME of the batch
  readonly session: string; // the annotator: ?session=NAME, session id DATASET-NAME
  readonly port?: number; // default: a free loopback port
  readonly readyTimeoutMs?: number; // default 30 s
  readonly stopGraceMs?: number; // between SIGINT, SIGTERM and SIGKILL; default 5 s
  readonly env?: NodeJS.ProcessEnv; // base environment, default process.env
  readonly signal?: AbortSignal; // aborting stops the server (before or after it is ready)
};

export interface ProdigyServer {
  readonly url: string; // http://127.0.0.1:PORT/?session=NAME
  readonly baseUrl: string; // http://127.0.0.1:PORT
  readonly port: number;
  readonly username: string;
  readonly password: string;
  readonly pid: number;
  readonly sessionId: string; // DATASET-NAME, what Prodigy stamps into _session_id
  readonly exited: Promise<ProdigyExit>;
  lastLines(count?: number): string[];
  stop(): Promise<ProdigyExit>;
  on(event: 'exit', listener: (exit: ProdigyExit) => void): () => void;
  on(event: 'line', listener: (line: string, stream: OutputStream) => void): () => void;
}

const RING_LINES = 200;
const FAILURE_LINES = 20;
const DEFAULT_READY_TIMEOUT_MS = 30_000;
const DEFAULT_STOP_GRACE_MS = 5_000;
const PORT_ATTEMPTS = 3;
// Keys Ferry owns: the env sets host/port, and harvest reads PRODIGY_HOME/prodigy.db, so a batch may not move either.
const RESERVED_CONFIG_KEYS = ['host', 'port', 'db', 'db_settings'];

function checkInputs(options: ProdigyServerOptions): void {
  if (!ID_PATTERN.test(options.session)) {
    throw new FerryError('invalid-request', `The Prodigy session name ${JSON.stringify(options.session)} must be letters, digits, ".", "_" or "-".`);
  }
  const reserved = Object.keys(options.configOverrides ?? {}).filter((key) => RESERVED_CONFIG_KEYS.includes(key));
  if (reserved.length > 0) {
    throw new FerryError(
      'invalid-request',
      `The batch's Prodigy config sets ${reserved.map((k) => `"${k}"`).join(', ')}, which Ferry manages itself (loopback host, a free port, the batch's own prodigy.db). Remove ${reserved.length > 1 ? 'them' : 'it'} from prodigyConfig.`,
    );
  }
}

function credentials(): { username: string; password: string } {
  return { username: `ferry-${randomBytes(4).toString('hex')}`, password: randomBytes(24).toString('base64url') };
}

type Attempt = { readonly kind: 'ready'; readonly server: ProdigyServer } | { readonly kind: 'port-taken'; readonly error: FerryError };

export async function startProdigyServer(options: ProdigyServerOptions): Promise<ProdigyServer> {
  checkInputs(options);
  const args = buildRecipeArgs(options);
  if (options.signal?.aborted) throw new FerryError('cancelled', `Starting Prodigy ${options.recipe} was cancelled.`);
  if (options.port !== undefined) await assertPortFree(options.port);
  for (let attempt = 1; ; attempt += 1) {
    const port = options.port ?? (await findFreePort());
    const result = await startOnPort(options, args, port);
    if (result.kind === 'ready') return result.server;
    // A port we picked ourselves can be grabbed between our check and Prodigy's bind: pick another.
    if (options.port !== undefined || attempt >= PORT_ATTEMPTS) throw result.error;
  }
}

async function startOnPort(options: ProdigyServerOptions, args: readonly string[], port: number): Promise<Attempt> {
  const operation = options.recipe;
  const { username, password } = credentials();
  const overrides = options.configOverrides ?? {};
  const env = prodigyEnv(
    options.home,
    {
      PRODIGY_HOST: LOOPBACK_HOST,
      PRODIGY_PORT: String(port),
      PRODIGY_BASIC_AUTH_USER: username,
      PRODIGY_BASIC_AUTH_PASS: password,
      PRODIGY_ALLOWED_SESSIONS: options.session,
      ...(Object.keys(overrides).length > 0 ? { PRODIGY_CONFIG_OVERRIDES: JSON.stringify(overrides) } : {}),
    },
    options.env,
  );
  const started = Date.now();
  const child = spawnProdigy(options.command, args, { home: options.home, env, stdin: 'ignore' });
  const closed = childClosed(child);
  const ring = new LineRing(RING_LINES);
  const events = new EventEmitter();
  function capture(stream: OutputStream) {
    return (line: string): void => {
      ring.push(line);
      events.emit('line', line, stream);
    };
  }
  if (child.stdout) splitLines(child.stdout, capture('stdout'));
  if (child.stderr) splitLines(child.stderr, capture('stderr'));
  await spawned(child, options.command);
  const pid = child.pid ?? -1;
  logProdigy({ operation, event: 'spawn', pid, message: describeCommand(options.command, args) });

  const grace = options.stopGraceMs ?? DEFAULT_STOP_GRACE_MS;
  let stopping: Promise<ProdigyExit> | undefined;
  function stop(): Promise<ProdigyExit> {
    // SIGINT first: Prodigy saves what is pending and prints its session summary.
    stopping ??= terminate(child, 'SIGINT', grace).then((exit) => {
      logProdigy({ operation, event: 'stop', pid, ms: Date.now() - started, exitCode: exit.exitCode, signal: exit.signal });
      return exit;
    });
    return stopping;
  }
  const untrack = trackProdigy({ child, operation, stop });
  void closed.then((exit) => {
    untrack();
    events.emit('exit', exit);
  });

  const baseUrl = `http://${LOOPBACK_HOST}:${port}`;
  const readyTimeoutMs = options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
  const outcome = await waitUntilReady({ baseUrl, username, password, closed, events, earlierLines: ring.last(), timeoutMs: readyTimeoutMs, signal: options.signal });
  if (outcome.kind !== 'ready') {
    const before = ring.last(FAILURE_LINES); // what it said while starting, not the traceback of our SIGINT
    const exit = outcome.kind === 'exited' ? outcome.exit : await stop();
    const lines = outcome.kind === 'exited' ? ring.last(FAILURE_LINES) : before;
    logProdigy({ operation, event: 'failed', pid, ms: Date.now() - started, exitCode: exit.exitCode, signal: exit.signal, message: outcome.kind });
    if (outcome.kind === 'port-taken' || (outcome.kind === 'exited' && mentionsAddressInUse(lines))) {
      return { kind: 'port-taken', error: portInUseError(port, lines.join('\n')) };
    }
    throw startFailure(outcome, exit, lines, readyTimeoutMs, options.recipe);
  }
  logProdigy({ operation, event: 'ready', pid, ms: Date.now() - started });
  const onAbort = (): void => void stop();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  void closed.then(() => options.signal?.removeEventListener('abort', onAbort));
  return { kind: 'ready', server: serverHandle({ child, port, baseUrl, username, password, options, ring, events, closed, stop }) };
}

type Outcome = Awaited<ReturnType<typeof waitUntilReady>>;

function startFailure(outcome: Exclude<Outcome, { kind: 'ready' | 'port-taken' }>, exit: ProdigyExit, lines: string[], timeoutMs: number, recipe: string): FerryError {
  switch (outcome.kind) {
    case 'cancelled':
      return new FerryError('cancelled', `Starting Prodigy ${recipe} was cancelled.`);
    case 'exited':
      return new ProdigyProcessError(`Prodigy ${recipe} ${describeExit(exit)} before it was ready.${lines.length > 0 ? ` It said: ${telltaleLine(lines)}` : ' It printed nothing.'}`, exit, lines);
    case 'timeout':
      return new ProdigyProcessError(
        `Prodigy did not become ready within ${formatDuration(timeoutMs)} (${outcome.reason}), so Ferry stopped it.`,
        exit,
        lines,
      );
  }
}

type HandleParts = {
  readonly child: ChildProcess;
  readonly port: number;
  readonly baseUrl: string;
  readonly username: string;
  readonly password: string;
  readonly options: ProdigyServerOptions;
  readonly ring: LineRing;
  readonly events: EventEmitter;
  readonly closed: Promise<ProdigyExit>;
  readonly stop: () => Promise<ProdigyExit>;
};

function serverHandle(parts: HandleParts): ProdigyServer {
  const { options, events } = parts;
  return {
    url: `${parts.baseUrl}/?session=${encodeURIComponent(options.session)}`,
    baseUrl: parts.baseUrl,
    port: parts.port,
    username: parts.username,
    password: parts.password,
    pid: parts.child.pid ?? -1,
    sessionId: `${options.dataset}-${options.session}`,
    exited: parts.closed,
    lastLines: (count?: number) => parts.ring.last(count),
    stop: parts.stop,
    on(event: 'exit' | 'line', listener: (...values: never[]) => void) {
      const forward = listener as (...values: unknown[]) => void;
      events.on(event, forward);
      return () => {
        events.off(event, forward);
      };
    },
  };
}
