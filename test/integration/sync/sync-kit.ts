// Shared bits of the sync tests: a workspace whose core runs the sync service with short, injected intervals and
// records its named phases and events; batches seeded straight into moto; what S3 holds, read with a plain client.
import { vi } from 'vitest';
import { saveWorkspaceFile } from '../../../electron/config/workspace-file.ts';
import { createBatches } from '../../../electron/batches/create-batches.ts';
import { createCore, type Core } from '../../../electron/host/core.ts';
import { createProject, type S3Target } from '../../../electron/projects/projects.ts';
import { createS3Client } from '../../../electron/s3/client.ts';
import type { PhaseEvent, SyncServiceOptions } from '../../../electron/sync/sync-service.ts';
import type { BatchEvent, SyncEvent } from '../../../shared/api.ts';
import type { WorkspaceConfig } from '../../../shared/config.ts';
import { s3Endpoint } from '../../helpers/s3-fixture.ts';
import { makeWorkspaceConfig, textPool, writePool } from '../../helpers/workspace-fixture.ts';
import { PROJECT, rawGet, rawKeys } from '../annotator/errors/error-kit.ts';

export { PROJECT };

export type SyncWorld = {
  readonly dir: string;
  readonly configPath: string;
  readonly config: WorkspaceConfig;
  readonly core: Core;
  readonly phases: PhaseEvent[];
  readonly syncEvents: SyncEvent[];
  readonly batchEvents: BatchEvent[];
};

export type WorldOptions = { readonly endpoint?: string; readonly config?: Partial<WorkspaceConfig>; readonly sync?: SyncServiceOptions; readonly dir?: { dir: string; configPath: string; config: WorkspaceConfig } };

const worlds: SyncWorld[] = [];
const clients: { destroy(): void }[] = [];

// Test defaults: probe back-off 100 ms → 500 ms, fast events; each test passes what it exercises.
export function coreFor(configPath: string, sync: SyncServiceOptions, phases: PhaseEvent[]): Core {
  return createCore({
    configPath,
    host: 'cli',
    version: '0.0.0-test',
    annotator: { harvestIntervalMs: 200 },
    sync: { probeBackoffMs: { base: 100, max: 500 }, eventThrottleMs: 20, probeTimeoutMs: 1_000, ...sync, onPhase: (e) => phases.push(e) },
  });
}

export async function syncWorld(options: WorldOptions = {}): Promise<SyncWorld> {
  const made = options.dir ?? (await makeWorkspaceConfig(options.endpoint ? { endpoint: options.endpoint } : {}));
  const config: WorkspaceConfig = { ...made.config, ...(options.endpoint ? { endpoint: options.endpoint } : {}), ...options.config };
  await saveWorkspaceFile(made.configPath, config);
  const phases: PhaseEvent[] = [];
  const core = coreFor(made.configPath, options.sync ?? {}, phases);
  const world: SyncWorld = { dir: made.dir, configPath: made.configPath, config, core, phases, syncEvents: [], batchEvents: [] };
  core.on('sync', (e) => world.syncEvents.push(e));
  core.on('batch', (e) => world.batchEvents.push(e));
  worlds.push(world);
  return world;
}

export async function closeWorlds(): Promise<void> {
  for (const world of worlds.splice(0)) await world.core.close();
  for (const client of clients.splice(0)) client.destroy();
}

// A lead's view of the bucket: straight to moto, never through a relay or proxy the test switches off.
export function leadTarget(config: WorkspaceConfig): S3Target {
  const client = createS3Client({ ...config, endpoint: s3Endpoint() });
  clients.push(client);
  return { client, bucket: config.bucket, prefix: config.prefix };
}

export async function seedBatches(world: Pick<SyncWorld, 'config' | 'dir'>, tasks: number, size: number): Promise<string[]> {
  const { config } = world;
  const target = leadTarget(config);
  await createProject(target, { name: PROJECT, recipe: 'textcat.manual', labels: ['POSITIVE', 'NEGATIVE'], regions: ['emea', 'apac'], createdBy: 'lead' });
  const created = await createBatches(target, { project: PROJECT, region: 'emea', poolFile: writePool(world.dir, `pool-${tasks}.jsonl`, textPool(tasks)), size, createdBy: 'lead' });
  return created.created.map((b) => b.batch);
}

export type ChunkLine = { answer: string; _task_hash: number; meta: { task_id: string }; _ferry: { task: string; revision: number; late: boolean; annotator: string } };

export function resultsOf(config: WorkspaceConfig, batch?: string): string {
  return `${config.prefix}projects/${PROJECT}/results/emea/${batch ? `${batch}/` : ''}`;
}

export function markerKey(config: WorkspaceConfig, batch: string, annotator = config.annotator): string {
  return `${config.prefix}projects/${PROJECT}/submissions/emea/${batch}/${annotator}.json`;
}

export function claimKeyOf(config: WorkspaceConfig, batch: string): string {
  return `${config.prefix}projects/${PROJECT}/claims/emea/${batch}.json`;
}

// Every answer line under a results prefix, with the chunk it came from.
export async function publishedLines(config: WorkspaceConfig, batch?: string): Promise<(ChunkLine & { chunk: string })[]> {
  const lines: (ChunkLine & { chunk: string })[] = [];
  for (const key of await rawKeys(config.bucket, resultsOf(config, batch))) {
    const text = (await rawGet(config.bucket, key)).toString('utf8');
    for (const raw of text.split('\n')) if (raw.trim()) lines.push({ ...(JSON.parse(raw) as ChunkLine), chunk: key });
  }
  return lines;
}

// How often each (batch, task, revision) appears in S3: exactly once is the rule.
export function copiesOf(lines: readonly ChunkLine[]): Map<string, number> {
  const copies = new Map<string, number>();
  for (const line of lines) {
    const id = `${line._ferry.task}#${line._ferry.revision}`;
    copies.set(id, (copies.get(id) ?? 0) + 1);
  }
  return copies;
}

export async function until<T>(check: () => T | Promise<T>, timeout = 30_000): Promise<T> {
  return await vi.waitFor(check, { timeout, interval: 50 });
}

export function ticks(world: SyncWorld): number {
  return world.phases.filter((p) => p.phase === 'tick').length;
}
