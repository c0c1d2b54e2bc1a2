// The one wrapper for every Prodigy process (cf. GitHub Desktop's git()): plain commands here (db-out, db-in, stats,
// drop…), the annotation web server in prodigy-server.ts. Expected exit codes, typed errors, timing per operation.
import { FerryError } from '../../shared/result.ts';
import { describeCommand, describeExit, formatDuration, ProdigyProcessError, telltaleLine } from './prodigy-errors.ts';
import { LineRing, splitLines } from './output-lines.ts';
import { logProdigy } from './prodigy-log.ts';
import { trackProdigy } from './process-registry.ts';
import { childClosed, prodigyEnv, spawned, spawnProdigy, terminate, type ProdigyExit } from './spawn-prodigy.ts';

export { startProdigyServer, type ProdigyServer, type ProdigyServerOptions } from './prodigy-server.ts';
export { stopAllProdigy } from './process-registry.ts';
export { ProdigyProcessError, type ProdigyExit } from './prodigy-errors.ts';
export { liveProdigyPids } from './process-registry.ts';
export { setProdigyLogSink, type ProdigyLogEntry, type ProdigyLogSink } from './prodigy-log.ts';

export type ProdigyCommandOptions = {
  readonly home: string; // PRODIGY_HOME: one per batch, holding its own prodigy.db
  readonly env?: NodeJS.ProcessEnv; // base environment (default process.env); Ferry's PRODIGY_* always win
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
  readonly input?: string | Uint8Array; // written to stdin (db-in DATASET -)
  readonly okExitCodes?: readonly number[]; // default [0]
  readonly operation?: string; // name in logs and errors; default: the first argument ("db-out")
};

export type ProdigyCommandResult = { readonly stdout: string; readonly stderr: string; readonly exitCode: number };

const FAILURE_LINES = 20;
const STOP_GRACE_MS = 3000;

function tailLines(text: string, count: number): string[] {
  return text.split(/\r?\n/).filter((line) => line.trim().length > 0).slice(-count);
}

export async function runProdigyCommand(command: readonly string[], args: readonly string[], options: ProdigyCommandOptions): Promise<ProdigyCommandResult> {
  const operation = options.operation ?? args[0] ?? 'prodigy';
  if (options.signal?.aborted) throw new FerryError('cancelled', `Prodigy ${operation} was cancelled before it started.`);
  const started = Date.now();
  const child = spawnProdigy(command, args, {
    home: options.home,
    env: prodigyEnv(options.home, {}, options.env),
    stdin: options.input === undefined ? 'ignore' : 'pipe',
  });
  const closed = childClosed(child);
  const stdoutChunks: Buffer[] = [];
  const stderrRing = new LineRing(200);
  let stderrText = '';
  child.stdout?.on('data', (chunk: Buffer) => stdoutChunks.push(chunk));
  if (child.stderr) {
    splitLines(child.stderr, (line) => {
      stderrRing.push(line);
      stderrText += `${line}\n`;
    });
  }
  await spawned(child, command);

  let stopReason: 'timeout' | 'aborted' | undefined;
  const untrack = trackProdigy({ child, operation, stop: () => terminate(child, 'SIGTERM', STOP_GRACE_MS) });
  function stopFor(reason: 'timeout' | 'aborted'): void {
    stopReason ??= reason;
    void terminate(child, 'SIGTERM', STOP_GRACE_MS);
  }
  const onAbort = (): void => stopFor('aborted');
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) onAbort(); // aborted while the OS was still starting it
  logProdigy({ operation, event: 'spawn', pid: child.pid, message: describeCommand(command, args) });
  const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => stopFor('timeout'), options.timeoutMs);
  if (child.stdin && options.input !== undefined) {
    child.stdin.on('error', () => undefined); // EPIPE when Prodigy exits without reading stdin; the exit code tells the story
    child.stdin.end(options.input);
  }

  let exit: ProdigyExit;
  try {
    exit = await closed;
  } finally {
    if (timer) clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    untrack();
  }
  const ms = Date.now() - started;
  const stdout = Buffer.concat(stdoutChunks).toString('utf8');
  logProdigy({ operation, event: 'exit', pid: child.pid, ms, exitCode: exit.exitCode, signal: exit.signal });

  if (stopReason === 'aborted') throw new FerryError('cancelled', `Prodigy ${operation} was cancelled.`);
  const stderrTail = stderrRing.last(FAILURE_LINES);
  const lastLines = stderrTail.length > 0 ? stderrTail : tailLines(stdout, FAILURE_LINES);
  if (stopReason === 'timeout') {
    throw new ProdigyProcessError(`Prodigy ${operation} did not finish within ${formatDuration(options.timeoutMs ?? 0)} and was stopped.`, exit, lastLines);
  }
  const okCodes = options.okExitCodes ?? [0];
  if (exit.exitCode === null || !okCodes.includes(exit.exitCode)) {
    const last = telltaleLine(lastLines);
    const message = `Prodigy ${operation} ${describeExit(exit)}${last ? `: ${last}` : '.'}`;
    logProdigy({ operation, event: 'failed', pid: child.pid, ms, exitCode: exit.exitCode, signal: exit.signal, message });
    throw new ProdigyProcessError(message, exit, lastLines);
  }
  return { stdout, stderr: stderrText, exitCode: exit.exitCode };
}
