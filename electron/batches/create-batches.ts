// `ferry batches create`: cuts a pool into batches for one region and publishes each as tasks.jsonl + batch.json.
import { createHash } from 'node:crypto';
import { BatchManifestSchema, type Asset, type BatchManifest } from '../../shared/batch.ts';
import type { Project } from '../../shared/project.ts';
import { FerryError } from '../../shared/result.ts';
import { batchManifestKey, batchTasksKey, parseBatchKey, projectsPrefix } from '../../shared/s3-layout.ts';
import { getJson, listKeys, putObjectOnce } from '../s3/objects.ts';
import { assetRefs, fingerprintAsset } from './assets.ts';
import { batchId, planBatches, queuePosition } from './plan.ts';
import { readPoolFile, type PoolItem } from './pool.ts';
import { assertRegion, readProject, type S3Target } from '../projects/projects.ts';
import { basename } from 'node:path';

export type CreateBatchesInput = {
  readonly project: string;
  readonly region: string;
  readonly poolFile: string;
  readonly size?: number;
  readonly count?: number;
  readonly createdBy: string;
  readonly signal?: AbortSignal;
};

export type CreatedBatch = { readonly batch: string; readonly tasks: number; readonly priority: number; readonly key: string };
export type CreateBatchesResult = { readonly project: string; readonly region: string; readonly created: CreatedBatch[]; readonly skipped: number; readonly remaining: number };

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export type ExistingBatches = { readonly used: Set<string>; readonly nextPosition: Map<string, number> };

// What is already batched in the project, so no item lands in two batches and new batches queue behind old ones.
export async function readExistingBatches(target: S3Target, project: string): Promise<ExistingBatches> {
  const used = new Set<string>();
  const nextPosition = new Map<string, number>();
  const manifests: string[] = [];
  for await (const entry of listKeys(target.client, target.bucket, `${projectsPrefix(target.prefix)}${project}/batches/`)) {
    const ref = parseBatchKey(target.prefix, entry.key);
    if (!ref || ref.file !== 'batch.json') continue;
    manifests.push(entry.key);
    const position = queuePosition(ref.batch);
    if (position !== undefined) nextPosition.set(ref.region, Math.max(nextPosition.get(ref.region) ?? 0, position + 1));
  }
  for (const key of manifests) {
    const { value: manifest } = await getJson(target.client, target.bucket, key, BatchManifestSchema);
    for (const item of manifest.items) used.add(item);
  }
  return { used, nextPosition };
}

function sourceKeyOf(item: PoolItem, poolName: string): string {
  const meta = item.task.meta ?? {};
  for (const field of ['image', 'audio', 'video', 'pdf'] as const) {
    const value = item.task[field];
    if (typeof value === 'string' && value.startsWith('s3://')) return value;
  }
  if (typeof meta.source_key === 'string') return meta.source_key;
  if (typeof meta.source === 'string') return meta.source;
  return `${poolName}:${item.line}`;
}

// A task line as Prodigy reads it; meta carries Ferry's task id and where the item came from.
export function taskLine(item: PoolItem, poolName: string): string {
  const { id: _id, ...rest } = item.task;
  const meta = { ...(item.task.meta ?? {}), task_id: item.id, source_key: sourceKeyOf(item, poolName) };
  return JSON.stringify({ ...rest, meta });
}

// A missing or unreadable asset names the pool line that points at it, so the lead knows which line to fix.
async function collectAssets(target: S3Target, items: readonly PoolItem[], poolName: string): Promise<Asset[]> {
  const byKey = new Map<string, Asset>();
  for (const item of items) {
    for (const ref of assetRefs(item.task)) {
      const uri = `s3://${ref.bucket}/${ref.key}`;
      if (byKey.has(uri)) continue;
      try {
        byKey.set(uri, await fingerprintAsset(target.client, ref.bucket, ref.key));
      } catch (error) {
        if (!(error instanceof FerryError)) throw error;
        throw new FerryError(error.code, `${poolName} line ${item.line} (task "${item.id}", field "${ref.field}"): ${error.message} No batch was created.`, error.detail);
      }
    }
  }
  return [...byKey.values()];
}

export function buildManifest(project: Project, region: string, batch: string, priority: number, items: readonly PoolItem[], tasksBody: Buffer, assets: Asset[], createdBy: string): BatchManifest {
  return BatchManifestSchema.parse({
    kind: 'ferry.batch',
    version: 1,
    project: project.name,
    region,
    batch,
    priority,
    createdAt: new Date().toISOString(),
    createdBy,
    recipe: project.recipe,
    labels: project.labels,
    dataset: project.dataset,
    ...(project.model ? { model: project.model } : {}),
    prodigyArgs: project.prodigyArgs,
    prodigyConfig: project.prodigyConfig,
    leaseDays: project.leaseDays,
    tasks: { count: items.length, sha256: sha256(tasksBody), bytes: tasksBody.length },
    items: items.map((i) => i.id),
    assets,
    strategy: { name: 'sequential' },
  });
}

export async function createBatches(target: S3Target, input: CreateBatchesInput): Promise<CreateBatchesResult> {
  const project = await readProject(target, input.project);
  assertRegion(project, input.region);
  const size = input.size ?? project.batchSize;
  if (!Number.isInteger(size) || size < 1) throw new FerryError('invalid-request', `--size must be a whole number of at least 1, not ${size}.`);
  if (input.count !== undefined && (!Number.isInteger(input.count) || input.count < 1)) {
    throw new FerryError('invalid-request', `--count must be a whole number of at least 1, not ${input.count}.`);
  }
  const items = await readPoolFile(input.poolFile);
  const existing = await readExistingBatches(target, project.name);
  const plans = planBatches(items, { size, used: existing.used, ...(input.count !== undefined ? { count: input.count } : {}) });
  const poolName = basename(input.poolFile);
  let position = existing.nextPosition.get(input.region) ?? 0;
  // Every batch is built (and every asset found) before the first write, so a bad pool line leaves S3 untouched.
  const ready: { readonly manifest: BatchManifest; readonly tasksBody: Buffer }[] = [];
  for (const plan of plans) {
    if (input.signal?.aborted) throw new FerryError('cancelled', 'Batch creation was cancelled before anything was written to S3.');
    const id = batchId(position, plan.items.map((i) => i.id), sha256);
    const tasksBody = Buffer.from(`${plan.items.map((i) => taskLine(i, poolName)).join('\n')}\n`, 'utf8');
    const assets = await collectAssets(target, plan.items, poolName);
    ready.push({ manifest: buildManifest(project, input.region, id, position, plan.items, tasksBody, assets, input.createdBy), tasksBody });
    position += 1;
  }
  const created: CreatedBatch[] = [];
  for (const { manifest, tasksBody } of ready) {
    if (input.signal?.aborted) throw new FerryError('cancelled', `Batch creation was cancelled; ${created.length} of ${ready.length} batches were created.`);
    // tasks first, manifest last: a batch is visible to claimers only once it is complete.
    await putObjectOnce(target.client, target.bucket, batchTasksKey(target.prefix, project.name, input.region, manifest.batch), tasksBody, { contentType: 'application/x-ndjson' });
    const key = batchManifestKey(target.prefix, project.name, input.region, manifest.batch);
    await putObjectOnce(target.client, target.bucket, key, JSON.stringify(manifest, null, 2), { contentType: 'application/json' });
    created.push({ batch: manifest.batch, tasks: manifest.tasks.count, priority: manifest.priority, key });
  }
  const batched = plans.reduce((n, p) => n + p.items.length, 0);
  const free = items.filter((i) => !existing.used.has(i.id)).length;
  return { project: project.name, region: input.region, created, skipped: items.length - free, remaining: free - batched };
}
