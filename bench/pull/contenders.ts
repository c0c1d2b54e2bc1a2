// One timed, verified run of each contender (Ferry's pullBatch in a child process, rclone, aws) into a fresh folder.
// Every contender runs under GNU time when it is there, so CPU and peak RSS are measured the same way for all.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BatchManifest } from '../../shared/batch.ts';
import type { WorkspaceConfig } from '../../shared/config.ts';
import { commandLine, describeFailure, loopbackEnv, parseGnuTime, runFerryChild, runTimed, type ProcessStats } from '../lib/process.ts';
import type { FerryPullReport } from './ferry-pull-child.ts';
import type { PeerCommand } from './peers.ts';
import { verifyTree, type ExpectedFile } from './verify.ts';

export type RunOutcome =
  | { readonly ok: true; readonly ms: number; readonly processMs: number; readonly stats: ProcessStats | null; readonly report?: FerryPullReport }
  | { readonly ok: false; readonly problem: string };

const RUN_TIMEOUT_MS = 180_000;
const CHILD = new URL('./ferry-pull-child.ts', import.meta.url).pathname;

export async function runFerry(
  config: WorkspaceConfig,
  manifest: BatchManifest,
  runDir: string,
  expected: ReadonlyMap<string, ExpectedFile>,
  options: { withTime: boolean; concurrency?: number; source?: string },
): Promise<RunOutcome> {
  await mkdir(runDir, { recursive: true });
  const dataDir = join(runDir, 'data');
  const jobFile = join(runDir, 'job.json');
  await writeFile(jobFile, JSON.stringify({ config: { ...config, dataDir }, manifest, ...(options.concurrency ? { concurrency: options.concurrency } : {}) }));
  const child = await runFerryChild<FerryPullReport>('Ferry pull', CHILD, jobFile, runDir, { ...options, timeoutMs: RUN_TIMEOUT_MS });
  if (!child.ok) return child;
  const { report, run } = child;
  const problems = await verifyTree(join(report.root, 'assets'), expected);
  if (problems.length) return { ok: false, problem: `Ferry pull did not produce the batch: ${problems.join('; ')}` };
  return { ok: true, ms: report.pullMs, processMs: run.ms, report, stats: options.withTime ? parseGnuTime(run.stderr) : null };
}

export async function runPeer(peer: PeerCommand, dest: string, expected: ReadonlyMap<string, ExpectedFile>, withTime: boolean): Promise<RunOutcome> {
  await mkdir(dest, { recursive: true });
  const [command, args] = commandLine(peer.command, peer.args, withTime);
  const run = await runTimed(command, args, { env: loopbackEnv(dest, peer.env), timeoutMs: RUN_TIMEOUT_MS });
  if (run.code !== 0 || run.timedOut) return { ok: false, problem: describeFailure(peer.label, run) };
  const problems = await verifyTree(dest, expected);
  if (problems.length) return { ok: false, problem: `${peer.label} exited 0 but did not copy the data: ${problems.join('; ')}` };
  return { ok: true, ms: run.ms, processMs: run.ms, stats: withTime ? parseGnuTime(run.stderr) : null };
}

// A peer that is on PATH but broken (e.g. a pyenv shim without the package) is reported, not timed.
export async function peerWorks(command: string, args: readonly string[], home: string): Promise<string | null> {
  try {
    const run = await runTimed(command, args, { env: loopbackEnv(home), timeoutMs: 30_000 });
    return run.code === 0 ? null : describeFailure(`${command} ${args.join(' ')}`, run);
  } catch (error) {
    return `${command} cannot be started: ${(error as Error).message}`;
  }
}
