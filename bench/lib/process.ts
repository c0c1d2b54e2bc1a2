// Runs peer tools and Ferry children with a wall-clock bound and an environment that can only reach loopback.
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { performance } from 'node:perf_hooks';

export type TimedRun = { readonly ms: number; readonly code: number | null; readonly signal: string | null; readonly stdout: string; readonly stderr: string; readonly timedOut: boolean };

export function findOnPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  return null;
}

// Benchmarks must never talk to anything but this machine.
export function assertLoopback(endpoint: string): void {
  const host = new URL(endpoint).hostname;
  if (host !== '127.0.0.1') throw new Error(`Benchmarks only target 127.0.0.1, not ${endpoint}.`);
}

// The loopback moto_server's credentials, for the benchmarks' own clients and (below) their children.
export const CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const REPO = new URL('../../', import.meta.url).pathname;

const DROPPED = /^(AWS_|RCLONE_|HTTPS?_PROXY$|ALL_PROXY$|NO_PROXY$)/i;

// A child environment without the caller's AWS/rclone settings or proxies, plus test credentials for loopback.
export function loopbackEnv(home: string, extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const kept = Object.fromEntries(Object.entries(process.env).filter(([k]) => !DROPPED.test(k)));
  return {
    ...kept,
    AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    // Point config lookups at files that do not exist, so ~/.aws of whoever runs the bench changes nothing.
    AWS_CONFIG_FILE: join(home, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'no-aws-credentials'),
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    NO_PROXY: '127.0.0.1',
    ...extra,
  };
}

export async function runTimed(command: string, args: readonly string[], options: { env: NodeJS.ProcessEnv; cwd?: string; timeoutMs: number }): Promise<TimedRun> {
  return await new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { env: options.env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (d: Buffer) => {
      stdout = (stdout + d.toString()).slice(-200_000);
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-20_000);
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ ms: performance.now() - started, code, signal, stdout, stderr, timedOut });
    });
  });
}

export function describeFailure(what: string, run: TimedRun): string {
  if (run.timedOut) return `${what} did not finish within the time limit and was stopped.`;
  // GNU time's report comes last on stderr; the child's own last words are what say why it failed.
  const own = (run.stderr.split(/^\s*Command being timed:/m)[0] ?? run.stderr).replace(/^Command exited with non-zero status \d+$/m, '');
  const lines = own.trim().split('\n');
  // A stack trace: its message, not just its last frames.
  const message = lines.find((l) => /^\w*Error\b|^FerryError|Error: /.test(l.trim()));
  const tail = [...(message ? [message.trim()] : []), ...lines.slice(-3)].join(' | ');
  return `${what} exited with ${run.code ?? run.signal}${tail ? `: ${tail}` : ''}`;
}

export type ProcessStats = { readonly cpuMs: number; readonly maxRssBytes: number };

const TIME_BIN = findOnPath('time') ?? '/usr/bin/time';

// GNU time's -v report (stderr) gives CPU and peak RSS of the whole child, whatever language it is written in.
export async function gnuTimeUsable(): Promise<boolean> {
  try {
    const run = await runTimed(TIME_BIN, ['-v', 'true'], { env: process.env, timeoutMs: 10_000 });
    return run.code === 0 && parseGnuTime(run.stderr) !== null;
  } catch {
    return false;
  }
}

export function commandLine(command: string, args: readonly string[], withTime: boolean): [string, string[]] {
  return withTime ? [TIME_BIN, ['-v', command, ...args]] : [command, [...args]];
}

export type FerryChildOutcome<R> = { readonly ok: true; readonly report: R; readonly run: TimedRun } | { readonly ok: false; readonly problem: string };

// One Ferry child (a ferry-*-child.ts of this checkout, or of FERRY_BENCH_SOURCE's), which prints its report as JSON on
// its last stdout line. FERRY_BENCH_NODE_ARGS: extra node flags for it, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"
// (start-up included; the pull child's FERRY_BENCH_CPU_PROFILE=<folder> profiles the pull alone).
export async function runFerryChild<R>(what: string, child: string, arg: string, runDir: string, options: { readonly withTime: boolean; readonly source?: string; readonly timeoutMs: number }): Promise<FerryChildOutcome<R>> {
  const nodeArgs = (process.env.FERRY_BENCH_NODE_ARGS ?? '').split(' ').filter((a) => a.length > 0);
  const [command, args] = commandLine(process.execPath, [...nodeArgs, '--import', 'tsx', child, arg], options.withTime);
  const env = loopbackEnv(runDir, { ...(options.source ? { FERRY_BENCH_SOURCE: options.source } : {}), ...(options.withTime ? {} : { FERRY_BENCH_SAMPLE_RSS: '1' }) });
  const run = await runTimed(command, args, { env, cwd: REPO, timeoutMs: options.timeoutMs });
  if (run.code !== 0 || run.timedOut) return { ok: false, problem: describeFailure(what, run) };
  const line = run.stdout.trim().split('\n').pop() ?? '';
  try {
    return { ok: true, report: JSON.parse(line) as R, run };
  } catch {
    return { ok: false, problem: `${what} printed no report (last line: ${line.slice(0, 200)})` };
  }
}

export function parseGnuTime(stderr: string): ProcessStats | null {
  const user = /User time \(seconds\): ([\d.]+)/.exec(stderr);
  const system = /System time \(seconds\): ([\d.]+)/.exec(stderr);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
  if (!user || !system || !rss) return null;
  return { cpuMs: Math.round((Number(user[1]) + Number(system[1])) * 1000), maxRssBytes: Number(rss[1]) * 1024 };
}
