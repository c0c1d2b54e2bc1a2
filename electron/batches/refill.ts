// `ferry batches refill`: keeps every region stocked with K unclaimed batches, from pool items no live batch holds.
// Safe from cron and with two leads at once: each run commits through the ledger, and a run that loses the race
// re-counts the stock before planning again, so two refills never overfill a region or share an item.
import type { LeadIndexStore } from '../store/lead-index.ts';
import { assertRegion, readProject, type S3Target } from '../projects/projects.ts';
import { checkCount, createdBatches, type CreatedBatch } from './create-batches.ts';
import { runAgainstLedger } from './ledger-run.ts';
import { newMemo, planFromPool } from './plan-run.ts';
import { preparePool, type BatchingOptions } from './prepare-pool.ts';
import { unclaimedByRegion } from './retire.ts';

export type RefillInput = BatchingOptions & {
  readonly project: string;
  readonly perRegion: number;
  readonly regions?: readonly string[];
  readonly size?: number;
  readonly createdBy: string;
  readonly index?: LeadIndexStore;
  readonly signal?: AbortSignal;
};

export type RegionStock = { readonly region: string; readonly unclaimedBefore: number; readonly created: number; readonly short: number };

export type RefillResult = {
  readonly project: string;
  readonly perRegion: number;
  readonly strategy: string;
  readonly regions: readonly RegionStock[];
  readonly created: readonly CreatedBatch[];
  readonly ledgerSeq: number | null;
  readonly lostRaces: number;
  readonly repaired: readonly string[];
  readonly pool: { readonly items: number; readonly inputs: readonly { readonly uri: string; readonly listedKeys?: number; readonly fullScan?: boolean; readonly items: number }[]; readonly deleted: readonly string[]; readonly unsupported: readonly string[] };
  readonly notes: readonly string[];
};

export async function refillBatches(target: S3Target, input: RefillInput): Promise<RefillResult> {
  const project = await readProject(target, input.project);
  const regions = input.regions?.length ? [...input.regions] : project.regions;
  for (const region of regions) assertRegion(project, region);
  checkCount(input.perRegion, '--per-region');
  const size = input.size ?? project.batchSize;
  checkCount(size, '--size');
  const prepared = await preparePool(target, project, input, input.index, input.signal);
  const memo = newMemo();
  let stock = new Map<string, number>();
  const outcome = await runAgainstLedger({ target, project: project.name, createdBy: input.createdBy, ...(input.index ? { index: input.index } : {}), ...(input.signal ? { signal: input.signal } : {}) }, async (state) => {
    const unclaimed = await unclaimedByRegion(target, project.name, regions, state, input.signal);
    stock = new Map(regions.map((r) => [r, unclaimed.get(r)?.length ?? 0]));
    const needs = new Map(regions.map((r) => [r, Math.max(0, input.perRegion - stock.get(r)!)]));
    if ([...needs.values()].every((n) => n === 0)) return null;
    const plan = await planFromPool({ target, project, items: prepared.pool.items, rank: prepared.rank, size, needs, strategy: prepared.strategy, createdBy: input.createdBy, memo, ...(input.signal ? { signal: input.signal } : {}) }, state, new Date().toISOString());
    return { action: 'refill', built: plan.built };
  });
  const created = createdBatches(target, project.name, outcome.built);
  const perRegion = regions.map((region) => {
    const made = created.filter((c) => c.region === region).length;
    const before = stock.get(region) ?? 0;
    return { region, unclaimedBefore: before, created: made, short: Math.max(0, input.perRegion - before - made) };
  });
  const notes = [...prepared.notes];
  const short = perRegion.filter((r) => r.short > 0);
  if (short.length) notes.push(`The pool ran out: ${short.map((r) => `${r.region} is ${r.short} batch(es) short`).join(', ')}. Add items to the pool and run refill again.`);
  if (memo.missing.size) notes.push(`${memo.missing.size} raw file(s) could not be read (deleted since they were listed) and were left out.`);
  return {
    project: project.name,
    perRegion: input.perRegion,
    strategy: String(prepared.strategy.name),
    regions: perRegion,
    created,
    ledgerSeq: outcome.seq,
    lostRaces: outcome.lostRaces,
    repaired: outcome.repaired,
    pool: { items: prepared.pool.items.length, inputs: prepared.pool.inputs.map((i) => ({ uri: i.uri, items: i.items, ...(i.listedKeys !== undefined ? { listedKeys: i.listedKeys } : {}), ...(i.fullScan !== undefined ? { fullScan: i.fullScan } : {}) })), deleted: prepared.pool.deleted, unsupported: prepared.pool.unsupported },
    notes,
  };
}
