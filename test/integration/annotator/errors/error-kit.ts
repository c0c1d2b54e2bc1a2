// Shared bits of the error-path tests: a workspace with a project, objects written behind Ferry's back with a plain
// S3 client, and checks of what a failure left on disk and in the bucket.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { saveWorkspaceFile } from '../../../../electron/config/workspace-file.ts';
import { createCore } from '../../../../electron/host/core.ts';
import { createProject, type S3Target } from '../../../../electron/projects/projects.ts';
import { BatchManifestSchema, type Asset, type BatchManifest } from '../../../../shared/batch.ts';
import type { WorkspaceConfig } from '../../../../shared/config.ts';
import { makeWorkspaceConfig, type TestWorkspace } from '../../../helpers/workspace-fixture.ts';
import { postJson } from '../../../prodigy-standin/harness.ts';
import { ferryError, rawDelete, rawGet, rawKeys, rawPut } from '../../../helpers/raw-s3.ts';

export { ferryError, rawDelete, rawGet, rawKeys, rawPut };

const tinyDisks: string[] = [];

// A tmpfs of `size` (root only) for full-disk tests; removeTinyDisks() in afterEach unmounts and deletes them.
export function tinyDisk(size: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-tmpfs-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]);
  tinyDisks.push(dir);
  return dir;
}

export function removeTinyDisks(): void {
  for (const dir of tinyDisks.splice(0)) {
    execFileSync('umount', [dir]);
    rmSync(dir, { recursive: true, force: true });
  }
}

export function freeBytes(dir: string): number {
  return Number(execFileSync('df', ['-B1', '--output=avail', dir], { encoding: 'utf8' }).trim().split('\n').at(-1)!.trim());
}

export const PROJECT = 'news';

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

// makeWorkspace(), with any config field overridden (prodigyCommand, dataDir, endpoint…).
export async function workspaceWith(overrides: Partial<WorkspaceConfig> = {}): Promise<TestWorkspace> {
  const made = await makeWorkspaceConfig();
  const config: WorkspaceConfig = { ...made.config, ...overrides };
  await saveWorkspaceFile(made.configPath, config);
  return { ...made, config, core: openCore(made.configPath) };
}

export function openCore(configPath: string) {
  return createCore({ configPath, host: 'cli', version: '0.0.0-test', annotator: { harvestIntervalMs: 300 } });
}

export async function targetOf(ws: TestWorkspace): Promise<S3Target> {
  return (await ws.core.workspaces.get()).target;
}

export async function seedProject(ws: TestWorkspace, regions: readonly string[] = ['emea', 'apac']): Promise<S3Target> {
  const target = await targetOf(ws);
  await createProject(target, { name: PROJECT, recipe: 'textcat.manual', labels: ['POSITIVE', 'NEGATIVE'], regions, createdBy: 'lead' });
  return target;
}

export function batchFolderKey(prefix: string, region: string, batch: string): string {
  return `${prefix}projects/${PROJECT}/batches/${region}/${batch}/`;
}

// A manifest as a lead's app would write it, for a tasks body and assets the test chose (possibly bad ones).
export function rawManifest(region: string, batch: string, tasksBody: Buffer, count: number, assets: readonly Asset[] = []): BatchManifest {
  return BatchManifestSchema.parse({
    kind: 'ferry.batch',
    version: 1,
    project: PROJECT,
    region,
    batch,
    priority: 0,
    createdAt: new Date().toISOString(),
    createdBy: 'lead',
    recipe: 'textcat.manual',
    labels: ['POSITIVE', 'NEGATIVE'],
    dataset: PROJECT,
    tasks: { count, sha256: sha256(tasksBody), bytes: tasksBody.length },
    items: Array.from({ length: count }, (_, i) => `t-${i + 1}`),
    assets,
  });
}

// Publishes a batch with a plain client, tasks first and manifest last, as createBatches does.
export async function publishRawBatch(bucket: string, prefix: string, manifest: BatchManifest, tasksBody: Buffer): Promise<void> {
  const folder = batchFolderKey(prefix, manifest.region, manifest.batch);
  await rawPut(bucket, `${folder}tasks.jsonl`, tasksBody);
  await rawPut(bucket, `${folder}batch.json`, JSON.stringify(manifest, null, 2));
}

export function taskLines(count: number, extra: (i: number) => Record<string, unknown> = () => ({})): string[] {
  return Array.from({ length: count }, (_, i) => JSON.stringify({ text: `Task ${i + 1}`, meta: { task_id: `t-${i + 1}` }, ...extra(i) }));
}

// Every file below `dir`, as paths relative to it.
export function filesUnder(dir: string): string[] {
  const found: string[] = [];
  const walk = (folder: string): void => {
    let entries;
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = join(folder, entry.name);
      if (entry.isDirectory()) walk(full);
      else found.push(relative(dir, full));
    }
  };
  walk(dir);
  return found.sort();
}

export function inodeOf(path: string): number {
  return statSync(path).ino;
}

// Answers the first tasks of a running Prodigy (stand-in) through its REST API, as the browser page would.
export async function answerInProdigy(opened: { url: string; login: { username: string; password: string } }, sessionId: string, answers: readonly string[]): Promise<void> {
  const auth = { authorization: `Basic ${Buffer.from(`${opened.login.username}:${opened.login.password}`).toString('base64')}` };
  const base = new URL(opened.url).origin;
  const questions = (await postJson(`${base}/get_session_questions`, { session_id: sessionId }, auth)).body as { tasks: Record<string, unknown>[] };
  const given = questions.tasks.slice(0, answers.length).map((task, i) => ({ ...task, answer: answers[i] }));
  const res = await postJson(`${base}/give_answers`, { answers: given, session_id: sessionId }, auth);
  if (res.status !== 200) throw new Error(`the stand-in refused the answers: HTTP ${res.status} ${JSON.stringify(res.body)}`);
}
