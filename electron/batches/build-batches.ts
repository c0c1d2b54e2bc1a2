// Turns ranked pool items into complete batches (tasks.jsonl bytes + manifest) before anything is written, so a bad pool
// line or a missing asset leaves S3 untouched.
import { BatchManifestSchema, type Asset, type BatchManifest } from '../../shared/batch.ts';
import type { Project } from '../../shared/project.ts';
import { FerryError } from '../../shared/result.ts';
import { sha256Hex } from '../s3/hashing.ts';
import { getText } from '../s3/objects.ts';
import type { S3Target } from '../projects/projects.ts';
import { ASSET_FIELDS, assetRefs, fingerprintAsset } from './assets.ts';
import { mapLimit } from './map-limit.ts';
import { batchId } from './plan.ts';
import type { PoolItem } from './pool.ts';
import type { RankedItem } from './strategies.ts';

export type BuiltBatch = { readonly manifest: BatchManifest; readonly tasksBody: Buffer };

// What a manifest's `strategy` records: the rule, its inputs' checksums, and (per task, in items order) its scores.
export type StrategyRecord = Readonly<Record<string, unknown>> & { readonly name: string };

export type Materialized = { readonly texts: ReadonlyMap<string, string>; readonly assets: ReadonlyMap<string, Asset>; readonly missing: readonly PoolItem[] };

const CONCURRENCY = 16;

function sourceKeyOf(item: PoolItem, poolName: string): string {
  const meta = item.task.meta ?? {};
  for (const field of ASSET_FIELDS) {
    const value = item.task[field];
    if (typeof value === 'string' && value.startsWith('s3://')) return value;
  }
  if (typeof meta.source_key === 'string') return meta.source_key;
  if (typeof meta.source === 'string') return meta.source;
  return `${item.source ?? poolName}:${item.line}`;
}

// A task line as Prodigy reads it; meta carries Ferry's task id, where the item came from and, when ranked, its score.
export function taskLine(item: PoolItem, poolName: string, rank?: { readonly score?: number; readonly value?: number }, text?: string): string {
  const { id: _id, ...rest } = item.task;
  const meta: Record<string, unknown> = { ...(item.task.meta ?? {}), task_id: item.id, source_key: sourceKeyOf(item, poolName) };
  if (rank?.score !== undefined) meta.score = rank.score;
  if (rank?.value !== undefined) meta.ferry_rank_value = rank.value;
  return JSON.stringify({ ...rest, ...(text !== undefined ? { text } : {}), meta });
}

// Reads the text of text files and fingerprints every asset; a raw file that vanished is reported, not fatal.
export async function materialize(target: S3Target, items: readonly PoolItem[], signal?: AbortSignal): Promise<Materialized> {
  const texts = new Map<string, string>();
  const missing: PoolItem[] = [];
  await mapLimit(
    items.filter((i) => i.file?.kind === 'text'),
    CONCURRENCY,
    async (item) => {
      try {
        texts.set(item.id, (await getText(target.client, item.file!.bucket, item.file!.key, signal ? { signal } : {})).text);
      } catch (error) {
        if (error instanceof FerryError && error.code === 'not-found') missing.push(item);
        else throw error;
      }
    },
    signal,
  );
  const refs = new Map<string, { item: PoolItem; bucket: string; key: string; field: string }>();
  for (const item of items) for (const ref of assetRefs(item.task)) if (!refs.has(`s3://${ref.bucket}/${ref.key}`)) refs.set(`s3://${ref.bucket}/${ref.key}`, { item, ...ref });
  const assets = new Map<string, Asset>();
  await mapLimit(
    [...refs.entries()],
    CONCURRENCY,
    async ([uri, ref]) => {
      try {
        assets.set(uri, await fingerprintAsset(target.client, ref.bucket, ref.key));
      } catch (error) {
        if (!(error instanceof FerryError)) throw error;
        if (ref.item.file && error.code === 'not-found') {
          missing.push(ref.item);
          return;
        }
        throw new FerryError(error.code, `${ref.item.source ?? 'pool'} line ${ref.item.line} (task "${ref.item.id}", field "${ref.field}"): ${error.message} No batch was created.`, error.detail);
      }
    },
    signal,
  );
  return { texts, assets, missing };
}

export type BuildInput = {
  readonly project: Project;
  readonly region: string;
  readonly position: number;
  readonly ranked: readonly RankedItem[];
  readonly strategy: StrategyRecord;
  readonly materialized: Materialized;
  readonly createdBy: string;
  readonly createdAt: string;
};

export function buildBatch(input: BuildInput): BuiltBatch {
  const { ranked, materialized } = input;
  const lines = ranked.map((r) => taskLine(r.item, r.item.source ?? 'pool', r, materialized.texts.get(r.item.id)));
  const tasksBody = Buffer.from(`${lines.join('\n')}\n`, 'utf8');
  // The id hashes the items and the exact task bytes: the same batch rebuilt is the same object, a different one never collides.
  const tasksSha256 = sha256Hex(tasksBody);
  const id = batchId(input.position, [...ranked.map((r) => r.item.id), tasksSha256], sha256Hex);
  const assets: Asset[] = [];
  const seen = new Set<string>();
  for (const r of ranked) {
    for (const ref of assetRefs(r.item.task)) {
      const uri = `s3://${ref.bucket}/${ref.key}`;
      const asset = materialized.assets.get(uri);
      if (asset && !seen.has(uri)) {
        seen.add(uri);
        assets.push(asset);
      }
    }
  }
  const scored = ranked.some((r) => r.score !== undefined);
  const strategy = scored ? { ...input.strategy, taskScores: ranked.map((r) => r.score ?? null), taskValues: ranked.map((r) => r.value ?? null) } : input.strategy;
  const { project } = input;
  const manifest = BatchManifestSchema.parse({
    kind: 'ferry.batch',
    version: 1,
    project: project.name,
    region: input.region,
    batch: id,
    priority: input.position,
    createdAt: input.createdAt,
    createdBy: input.createdBy,
    recipe: project.recipe,
    labels: project.labels,
    dataset: project.dataset,
    ...(project.model ? { model: project.model } : {}),
    prodigyArgs: project.prodigyArgs,
    prodigyConfig: project.prodigyConfig,
    leaseDays: project.leaseDays,
    tasks: { count: ranked.length, sha256: tasksSha256, bytes: tasksBody.length },
    items: ranked.map((r) => r.item.id),
    assets,
    strategy,
  });
  return { manifest, tasksBody };
}

// The exact bytes of batch.json: the creator and a repair from the ledger write the same object.
export function manifestBody(manifest: BatchManifest): string {
  return JSON.stringify(BatchManifestSchema.parse(manifest), null, 2);
}
