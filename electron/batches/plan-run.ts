// Plans one run's new batches from the free pool items: rank them, cut batches, deal them out to the regions that need
// them (best-ranked first, round-robin so every region gets equally good work), and build each batch completely.
import type { Asset } from '../../shared/batch.ts';
import type { Project } from '../../shared/project.ts';
import type { S3Target } from '../projects/projects.ts';
import { assetRefs } from './assets.ts';
import { buildBatch, materialize, type BuiltBatch, type StrategyRecord } from './build-batches.ts';
import type { PoolItem } from './pool.ts';
import type { ProjectBatches } from './project-batches.ts';
import { rankItems, type RankedItem, type RankOptions } from './strategies.ts';

// Materialised texts and assets survive a lost ledger race, so planning again does not HEAD every asset again.
export type MaterializeMemo = { readonly texts: Map<string, string>; readonly assets: Map<string, Asset>; readonly missing: Map<string, PoolItem> };

export function newMemo(): MaterializeMemo {
  return { texts: new Map(), assets: new Map(), missing: new Map() };
}

export type PoolPlanInput = {
  readonly target: S3Target;
  readonly project: Project;
  readonly items: readonly PoolItem[];
  readonly rank: RankOptions;
  readonly size: number;
  readonly needs: ReadonlyMap<string, number>; // region -> batches wanted (Infinity: as many as the pool gives)
  readonly strategy: StrategyRecord;
  readonly createdBy: string;
  readonly memo: MaterializeMemo;
  readonly freed?: ReadonlySet<string>; // items counted as free although a live batch holds them (being retired)
  readonly signal?: AbortSignal;
};

export type PoolPlan = { readonly built: BuiltBatch[]; readonly free: number; readonly unscored: number; readonly strata?: Readonly<Record<string, number>> };

function dealOut(ranked: readonly RankedItem[], size: number, needs: ReadonlyMap<string, number>): { region: string; ranked: RankedItem[] }[] {
  const left = new Map(needs);
  const out: { region: string; ranked: RankedItem[] }[] = [];
  let at = 0;
  while (at < ranked.length) {
    const regions = [...left.entries()].filter(([, n]) => n > 0).map(([r]) => r);
    if (regions.length === 0) break;
    for (const region of regions) {
      if (at >= ranked.length) break;
      out.push({ region, ranked: ranked.slice(at, at + size) });
      at += size;
      left.set(region, left.get(region)! - 1);
    }
  }
  return out;
}

function needsWork(memo: MaterializeMemo, item: PoolItem): boolean {
  if (memo.missing.has(item.id)) return false;
  if (item.file?.kind === 'text' && !memo.texts.has(item.id)) return true;
  return assetRefs(item.task).some((r) => !memo.assets.has(`s3://${r.bucket}/${r.key}`));
}

// True when every item could be read; the ones that could not are remembered as missing.
async function fillMemo(input: PoolPlanInput, items: readonly PoolItem[]): Promise<boolean> {
  const { memo } = input;
  const fresh = await materialize(input.target, items.filter((i) => needsWork(memo, i)), input.signal);
  for (const [id, text] of fresh.texts) memo.texts.set(id, text);
  for (const [uri, asset] of fresh.assets) memo.assets.set(uri, asset);
  for (const item of fresh.missing) memo.missing.set(item.id, item);
  return fresh.missing.length === 0;
}

export async function planFromPool(input: PoolPlanInput, state: ProjectBatches, createdAt: string): Promise<PoolPlan> {
  // Raw files that vanished since they were listed are dropped and the plan is cut again, so batches stay full.
  for (;;) {
    const free = input.items.filter((i) => (!state.used.has(i.id) || input.freed?.has(i.id) === true) && !input.memo.missing.has(i.id));
    const ranking = rankItems(free, input.rank);
    const deals = dealOut(ranking.ranked, input.size, input.needs);
    const complete = await fillMemo(input, deals.flatMap((d) => d.ranked.map((r) => r.item)));
    if (!complete) continue;
    const position = new Map(state.nextPosition);
    const built = deals.map((d) => {
      const at = position.get(d.region) ?? 0;
      position.set(d.region, at + 1);
      return buildBatch({ project: input.project, region: d.region, position: at, ranked: d.ranked, strategy: input.strategy, materialized: { texts: input.memo.texts, assets: input.memo.assets, missing: [] }, createdBy: input.createdBy, createdAt });
    });
    return { built, free: free.length, unscored: ranking.unscored, ...(ranking.strata ? { strata: ranking.strata } : {}) };
  }
}
