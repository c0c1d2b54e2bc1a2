// `ferry batches rerank`: after a new model round, retires the unclaimed batches and builds as many new ones from the
// free pool ranked by the new scores. Claimed batches are never touched; a batch an annotator claims while this runs stays
// theirs (their claim and the retirement race for the same key, and only one can win).
import { FerryError } from '../../shared/result.ts';
import type { LeadIndexStore } from '../store/lead-index.ts';
import { assertRegion, readProject, type S3Target } from '../projects/projects.ts';
import { checkCount, createdBatches, type CreatedBatch } from './create-batches.ts';
import { runAgainstLedger, type RunContext } from './ledger-run.ts';
import { newMemo, planFromPool } from './plan-run.ts';
import { preparePool, type BatchingOptions } from './prepare-pool.ts';
import { refOf, type LiveBatch } from './project-batches.ts';
import { retireBatches, unclaimedByRegion } from './retire.ts';

export type RerankInput = BatchingOptions & {
  readonly project: string;
  readonly scoresFile: string;
  readonly regions?: readonly string[];
  readonly size?: number;
  readonly createdBy: string;
  readonly index?: LeadIndexStore;
  readonly signal?: AbortSignal;
};

export type RetiredRef = { readonly region: string; readonly batch: string };

export type RerankResult = {
  readonly project: string;
  readonly strategy: string;
  readonly retired: readonly RetiredRef[];
  readonly kept: readonly RetiredRef[]; // claimed by an annotator while the rerank ran: left as they are
  readonly created: readonly CreatedBatch[];
  readonly retireSeq: number | null;
  readonly createSeq: number | null;
  readonly lostRaces: number;
  readonly notes: readonly string[];
};

function refs(list: readonly LiveBatch[]): RetiredRef[] {
  return list.map((b) => ({ region: b.region, batch: b.batch })).sort((a, b) => (refOf(a.region, a.batch) < refOf(b.region, b.batch) ? -1 : 1));
}

export async function rerankBatches(target: S3Target, input: RerankInput): Promise<RerankResult> {
  if (!input.scoresFile) throw new FerryError('invalid-request', 'Rerank needs the new model round\'s scores: pass --scores FILE.');
  const project = await readProject(target, input.project);
  const regions = input.regions?.length ? [...input.regions] : project.regions;
  for (const region of regions) assertRegion(project, region);
  const size = input.size ?? project.batchSize;
  checkCount(size, '--size');
  // Everything is read and checked before the first batch is retired: bad scores leave the queue as it was.
  const prepared = await preparePool(target, project, { ...input, strategy: input.strategy ?? 'uncertainty' }, input.index, input.signal);
  const ctx: RunContext = { target, project: project.name, createdBy: input.createdBy, ...(input.index ? { index: input.index } : {}), ...(input.signal ? { signal: input.signal } : {}) };

  let candidates: LiveBatch[] = [];
  const retirement = await runAgainstLedger(ctx, async (state) => {
    const unclaimed = await unclaimedByRegion(target, project.name, regions, state, input.signal);
    candidates = regions.flatMap((r) => unclaimed.get(r) ?? []);
    return candidates.length ? { action: 'rerank-retire', built: [], retire: candidates.map((b) => ({ region: b.region, batch: b.batch })) } : null;
  });
  const { retired, kept } = retirement.seq === null ? { retired: [], kept: [] } : await retireBatches(target, project.name, retirement.seq, candidates, { retiredBy: input.createdBy, reason: `rerank with ${prepared.strategy.name} on new scores`, ...(input.index ? { index: input.index } : {}), ...(input.signal ? { signal: input.signal } : {}) });

  // As many new batches per region as were retired there, so the stock stays what it was.
  const needs = new Map(regions.map((r) => [r, retired.filter((b) => b.region === r).length]));
  const memo = newMemo();
  let unscored = 0;
  const creation = [...needs.values()].some((n) => n > 0)
    ? await runAgainstLedger(ctx, async (state) => {
        const plan = await planFromPool({ target, project, items: prepared.pool.items, rank: prepared.rank, size, needs, strategy: prepared.strategy, createdBy: input.createdBy, memo, ...(input.signal ? { signal: input.signal } : {}) }, state, new Date().toISOString());
        unscored = plan.unscored;
        return { action: 'rerank-create', built: plan.built };
      })
    : null;
  const created = createdBatches(target, project.name, creation?.built ?? []);
  const notes = [...prepared.notes];
  if (unscored) notes.push(`${unscored} free pool item(s) have no score in the new scores file and were not ranked.`);
  if (kept.length) notes.push(`${kept.length} batch(es) were claimed by an annotator while the rerank ran and were left as they are.`);
  const short = regions.filter((r) => created.filter((c) => c.region === r).length < needs.get(r)!);
  if (short.length) notes.push(`The free pool could not replace every retired batch in ${short.join(', ')}.`);
  return {
    project: project.name,
    strategy: String(prepared.strategy.name),
    retired: refs(retired),
    kept: refs(kept),
    created,
    retireSeq: retirement.seq,
    createSeq: creation?.seq ?? null,
    lostRaces: retirement.lostRaces + (creation?.lostRaces ?? 0),
    notes,
  };
}
