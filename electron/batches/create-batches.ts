// `ferry batches create`: cuts the pool into batches for one region, ranked by the chosen rule, queued behind the
// region's existing batches. Items already in a live batch are skipped; the ledger keeps two leads from taking the same item.
import type { CreatedBatchView } from '../../shared/lead.ts';
import { FerryError } from '../../shared/result.ts';
import { batchManifestKey } from '../../shared/s3-layout.ts';
import type { LeadIndexStore } from '../store/lead-index.ts';
import { assertRegion, readProject, type S3Target } from '../projects/projects.ts';
import type { BuiltBatch } from './build-batches.ts';
import { runAgainstLedger } from './ledger-run.ts';
import { newMemo, planFromPool } from './plan-run.ts';
import { preparePool, type BatchingOptions } from './prepare-pool.ts';

export type CreateBatchesInput = BatchingOptions & {
  readonly project: string;
  readonly region: string;
  readonly size?: number;
  readonly count?: number;
  readonly createdBy: string;
  readonly index?: LeadIndexStore;
  readonly signal?: AbortSignal;
};

export type CreatedBatch = CreatedBatchView;

export type CreateBatchesResult = {
  readonly project: string;
  readonly region: string;
  readonly strategy: string;
  readonly created: CreatedBatch[];
  readonly skipped: number; // pool items already in live batches
  readonly remaining: number; // free pool items left over after this run
  readonly unscored: number; // free items a ranked rule could not place: no score in the scores file
  readonly ledgerSeq: number | null;
  readonly lostRaces: number; // times another lead committed first and this run planned again
  readonly repaired: readonly string[]; // batches an interrupted run had left without batch.json, finished now
  readonly notes: readonly string[];
};

export function checkCount(value: number | undefined, flag: string): void {
  if (value !== undefined && (!Number.isInteger(value) || value < 1)) throw new FerryError('invalid-request', `${flag} must be a whole number of at least 1, not ${value}.`);
}

// What a run reports of each batch it committed: id, region, size, queue position and where its manifest is.
export function createdBatches(target: S3Target, project: string, built: readonly BuiltBatch[]): CreatedBatch[] {
  return built.map(({ manifest: m }) => ({ batch: m.batch, region: m.region, tasks: m.tasks.count, priority: m.priority, key: batchManifestKey(target.prefix, project, m.region, m.batch) }));
}

export async function createBatches(target: S3Target, input: CreateBatchesInput): Promise<CreateBatchesResult> {
  const project = await readProject(target, input.project);
  assertRegion(project, input.region);
  const size = input.size ?? project.batchSize;
  checkCount(size, '--size');
  checkCount(input.count, '--count');
  const prepared = await preparePool(target, project, input, input.index, input.signal);
  const memo = newMemo();
  let plannedFree = 0;
  let unscored = 0;
  const outcome = await runAgainstLedger({ target, project: project.name, createdBy: input.createdBy, ...(input.index ? { index: input.index } : {}), ...(input.signal ? { signal: input.signal } : {}) }, async (state) => {
    const plan = await planFromPool(
      { target, project, items: prepared.pool.items, rank: prepared.rank, size, needs: new Map([[input.region, input.count ?? Number.POSITIVE_INFINITY]]), strategy: prepared.strategy, createdBy: input.createdBy, memo, ...(input.signal ? { signal: input.signal } : {}) },
      state,
      new Date().toISOString(),
    );
    plannedFree = plan.free;
    unscored = plan.unscored;
    return { action: 'create', built: plan.built };
  });
  const created = createdBatches(target, project.name, outcome.built);
  const batched = created.reduce((n, b) => n + b.tasks, 0);
  const missing = memo.missing.size;
  const notes = [...prepared.notes, ...(missing ? [`${missing} raw file(s) could not be read (deleted since they were listed) and were left out.`] : []), ...(unscored ? [`${unscored} free pool item(s) have no score in the scores file and were not ranked.`] : [])];
  return {
    project: project.name,
    region: input.region,
    strategy: String(prepared.strategy.name),
    created,
    skipped: prepared.pool.items.length - plannedFree - missing,
    remaining: Math.max(0, plannedFree - batched - unscored),
    unscored,
    ledgerSeq: outcome.seq,
    lostRaces: outcome.lostRaces,
    repaired: outcome.repaired,
    notes,
  };
}
