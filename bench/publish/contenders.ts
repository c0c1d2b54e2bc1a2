// One timed, verified run of each contender: Ferry's publish (a child process on a fresh copy of the seeded data folder)
// and `aws s3 cp` of the same bytes as one file. Both run under GNU time when it is there (CPU, peak RSS). After each
// run what it wrote is checked and then removed, so the next run writes into an empty prefix again.
import { DeleteObjectsCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { cp, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { WorkspaceConfig } from '../../shared/config.ts';
import { saveWorkspaceFile } from '../../electron/config/workspace-file.ts';
import { commandLine, describeFailure, findOnPath, loopbackEnv, parseGnuTime, runFerryChild, runTimed, type ProcessStats } from '../lib/process.ts';
import type { FerryPublishReport } from './ferry-publish-child.ts';
import { PROJECT } from './seed.ts';

export type RunOutcome =
  | { readonly ok: true; readonly ms: number; readonly processMs: number; readonly stats: ProcessStats | null; readonly report?: FerryPublishReport }
  | { readonly ok: false; readonly problem: string };

const RUN_TIMEOUT_MS = 600_000;
const CHILD = new URL('./ferry-publish-child.ts', import.meta.url).pathname;

export async function listKeys(client: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }));
    keys.push(...(page.Contents ?? []).map((o) => o.Key!));
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys.sort();
}

export async function removeAll(client: S3Client, bucket: string, prefix: string): Promise<void> {
  const keys = await listKeys(client, bucket, prefix);
  for (let i = 0; i < keys.length; i += 1000) {
    await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys.slice(i, i + 1000).map((Key) => ({ Key })), Quiet: true } }));
  }
}

// Every answer exactly once in S3: the chunks' lines, by (batch, task, revision). Returns the bytes, in key order.
async function verifyPublished(client: S3Client, config: WorkspaceConfig, resultsPrefix: string, answers: number): Promise<{ problem: string | null; body: Buffer; chunks: number }> {
  const keys = await listKeys(client, config.bucket, resultsPrefix);
  const parts: Buffer[] = [];
  const seen = new Set<string>();
  let lines = 0;
  for (const key of keys) {
    const got = await client.send(new GetObjectCommand({ Bucket: config.bucket, Key: key }));
    const body = Buffer.from(await got.Body!.transformToByteArray());
    parts.push(body);
    const batch = key.slice(resultsPrefix.length).split('/')[1];
    for (const line of body.toString('utf8').split('\n')) {
      if (!line) continue;
      const { _ferry } = JSON.parse(line) as { _ferry: { task: string; revision: number } };
      seen.add(`${batch}|${_ferry.task}|${_ferry.revision}`);
      lines += 1;
    }
  }
  const problem = lines !== answers || seen.size !== answers ? `S3 holds ${lines} answer lines (${seen.size} distinct) in ${keys.length} chunks, expected ${answers} once each` : null;
  return { problem, body: Buffer.concat(parts), chunks: keys.length };
}

export type FerryRun = RunOutcome & { readonly published?: Buffer; readonly chunks?: number };

export async function runFerry(template: { dataDir: string; config: WorkspaceConfig }, runDir: string, client: S3Client, answers: number, options: { withTime: boolean; source?: string }): Promise<FerryRun> {
  await mkdir(runDir, { recursive: true });
  const dataDir = join(runDir, 'data');
  await cp(template.dataDir, dataDir, { recursive: true });
  const configPath = join(runDir, 'workspace.json');
  await saveWorkspaceFile(configPath, { ...template.config, dataDir });
  const child = await runFerryChild<FerryPublishReport>('Ferry publish', CHILD, configPath, runDir, { ...options, timeoutMs: RUN_TIMEOUT_MS });
  if (!child.ok) return child;
  const { report, run } = child;
  if (report.pending !== 0 || report.answersWaiting !== 0) return { ok: false, problem: `Ferry publish ended ${report.state} with ${report.pending} job(s) and ${report.answersWaiting} answer(s) still waiting` };
  const project = `${template.config.prefix}projects/${PROJECT}/`;
  const verified = await verifyPublished(client, template.config, `${project}results/emea/`, answers);
  await removeAll(client, template.config.bucket, `${project}results/`);
  await removeAll(client, template.config.bucket, `${project}heartbeats/`);
  if (verified.problem) return { ok: false, problem: verified.problem };
  return { ok: true, ms: report.publishMs, processMs: run.ms, report, stats: options.withTime ? parseGnuTime(run.stderr) : null, published: verified.body, chunks: verified.chunks };
}

export function awsCpCommand(): string | null {
  return findOnPath('aws');
}

export async function runAwsCp(aws: string, file: string, bytes: number, config: WorkspaceConfig, client: S3Client, runDir: string, withTime: boolean): Promise<RunOutcome> {
  await mkdir(runDir, { recursive: true });
  const key = `aws-cp/${runDir.split('/').pop()}.jsonl`;
  const [command, args] = commandLine(aws, ['s3', 'cp', file, `s3://${config.bucket}/${key}`, '--endpoint-url', config.endpoint!, '--only-show-errors'], withTime);
  const run = await runTimed(command, args, { env: loopbackEnv(runDir), timeoutMs: RUN_TIMEOUT_MS });
  if (run.code !== 0 || run.timedOut) return { ok: false, problem: describeFailure('aws s3 cp', run) };
  const head = await client.send(new HeadObjectCommand({ Bucket: config.bucket, Key: key }));
  await removeAll(client, config.bucket, key);
  if (head.ContentLength !== bytes) return { ok: false, problem: `aws s3 cp exited 0 but s3://${config.bucket}/${key} holds ${head.ContentLength} bytes, expected ${bytes}` };
  return { ok: true, ms: run.ms, processMs: run.ms, stats: withTime ? parseGnuTime(run.stderr) : null };
}
