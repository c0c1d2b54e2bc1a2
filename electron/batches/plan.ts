// Pure batch planning: which pool items go into which batch, skipping items already in a live batch.
import type { PoolItem } from './pool.ts';

export type BatchPlan = { readonly items: readonly PoolItem[] };

export function planBatches(items: readonly PoolItem[], options: { size: number; count?: number; used: ReadonlySet<string> }): BatchPlan[] {
  const free = items.filter((item) => !options.used.has(item.id));
  const plans: BatchPlan[] = [];
  const limit = options.count ?? Number.POSITIVE_INFINITY;
  for (let start = 0; start < free.length && plans.length < limit; start += options.size) {
    plans.push({ items: free.slice(start, start + options.size) });
  }
  return plans;
}

// Batch ids start with a six-digit queue position: S3 lists keys in order, so a listing is the claim order.
export function batchId(position: number, itemIds: readonly string[], hash: (text: string) => string): string {
  return `${String(position).padStart(6, '0')}-${hash(itemIds.join('\n')).slice(0, 10)}`;
}

export function queuePosition(id: string): number | undefined {
  const match = /^(\d{6})-/.exec(id);
  return match ? Number(match[1]) : undefined;
}
