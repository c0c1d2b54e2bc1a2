// Orders the free pool items for batching: sequential, seeded random, uncertainty, margin, entropy, or round-robin strata.
import { createHash } from 'node:crypto';
import { FerryError } from '../../shared/result.ts';
import type { PoolItem } from './pool.ts';
import type { ScoreLine } from './scores.ts';

export const STRATEGIES = ['sequential', 'random', 'uncertainty', 'margin', 'entropy', 'stratified'] as const;
export type StrategyName = (typeof STRATEGIES)[number];
export const SCORED: ReadonlySet<StrategyName> = new Set(['uncertainty', 'margin', 'entropy']);

export const RULES: Readonly<Record<StrategyName, string>> = {
  sequential: 'pool order',
  random: 'seeded shuffle (the same seed and pool give the same order)',
  uncertainty: 'least confident first: a score closest to 0.5 (with label scores, the lowest top-label probability)',
  margin: 'smallest gap between the two most probable labels first (a single score p counts as p against 1 - p)',
  entropy: 'highest entropy of the label probabilities first (a single score p counts as p against 1 - p)',
  stratified: 'round-robin across the values of one meta field, pool order within each',
};

export type RankedItem = { readonly item: PoolItem; readonly score?: number; readonly value?: number };
export type Ranking = { readonly ranked: RankedItem[]; readonly unscored: number; readonly strata?: Readonly<Record<string, number>> };

export function isStrategy(value: string): value is StrategyName {
  return (STRATEGIES as readonly string[]).includes(value);
}

// A single score p is the binary distribution (p, 1 - p); label scores are used as given.
function distribution(line: ScoreLine): number[] {
  if (line.scores) return Object.values(line.scores);
  return [line.score!, 1 - line.score!];
}

function topTwo(values: readonly number[]): [number, number] {
  let a = -Infinity;
  let b = -Infinity;
  for (const v of values) {
    if (v > a) {
      b = a;
      a = v;
    } else if (v > b) b = v;
  }
  return [a, b === -Infinity ? 0 : b];
}

function entropyOf(values: readonly number[]): number {
  const sum = values.reduce((s, v) => s + v, 0);
  if (sum <= 0) return 0;
  let h = 0;
  for (const v of values) if (v > 0) h -= (v / sum) * Math.log2(v / sum);
  return h;
}

// The model's score shown in the task (meta.score) and the value the rule sorts by.
function measure(strategy: StrategyName, line: ScoreLine): { score: number; value: number } {
  const dist = distribution(line);
  const [top, second] = topTwo(dist);
  const score = line.score ?? top;
  // For a single score p the top probability is max(p, 1 - p): lowest exactly when p is closest to 0.5.
  if (strategy === 'uncertainty') return { score, value: top };
  if (strategy === 'margin') return { score, value: top - second };
  return { score, value: entropyOf(dist) };
}

// A PRNG seeded from any text (sha256 → xoshiro128**), so `--seed X` reproduces the same order everywhere.
export function seededRandom(seed: string): () => number {
  const h = createHash('sha256').update(seed).digest();
  let s0 = h.readUInt32LE(0), s1 = h.readUInt32LE(4), s2 = h.readUInt32LE(8), s3 = h.readUInt32LE(12);
  return () => {
    const result = Math.imul(rotl(Math.imul(s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (s1 << 9) >>> 0;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    return result / 2 ** 32;
  };
}
function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

function stratumOf(item: PoolItem, field: string): string {
  const name = field.startsWith('meta.') ? field.slice(5) : field;
  const value = item.task.meta?.[name] ?? item.task[name];
  return value === undefined || value === null || value === '' ? '(none)' : typeof value === 'string' ? value : JSON.stringify(value);
}

export type RankOptions = { readonly strategy: StrategyName; readonly seed?: string; readonly by?: string; readonly scores?: ReadonlyMap<string, ScoreLine> };

export function rankItems(free: readonly PoolItem[], options: RankOptions): Ranking {
  const { strategy } = options;
  if (strategy === 'sequential') return { ranked: free.map((item) => ({ item })), unscored: 0 };
  if (strategy === 'random') {
    if (options.seed === undefined) throw new FerryError('invalid-request', 'The random strategy needs a seed (--seed X) so the order can be reproduced.');
    const next = seededRandom(options.seed);
    const order = free.map((item) => ({ item }));
    for (let i = order.length - 1; i > 0; i -= 1) {
      const j = Math.floor(next() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    return { ranked: order, unscored: 0 };
  }
  if (strategy === 'stratified') {
    if (!options.by) throw new FerryError('invalid-request', 'The stratified strategy needs --by META_FIELD (for example --by meta.source).');
    const strata = new Map<string, PoolItem[]>();
    for (const item of free) {
      const key = stratumOf(item, options.by);
      const list = strata.get(key);
      if (list) list.push(item);
      else strata.set(key, [item]);
    }
    const names = [...strata.keys()].sort();
    const lists = names.map((n) => strata.get(n)!);
    const ranked: RankedItem[] = [];
    for (let round = 0; ranked.length < free.length; round += 1) for (const list of lists) if (round < list.length) ranked.push({ item: list[round]! });
    return { ranked, unscored: 0, strata: Object.fromEntries(names.map((n) => [n, strata.get(n)!.length])) };
  }
  if (!options.scores) throw new FerryError('invalid-request', `The ${strategy} strategy ranks items by a model's scores: pass --scores FILE (JSONL of {"id": …, "score": p} or {"id": …, "scores": {"LABEL": p}}).`);
  const measured: { item: PoolItem; score: number; value: number; order: number }[] = [];
  let unscored = 0;
  free.forEach((item, order) => {
    const line = options.scores!.get(item.id);
    if (!line) unscored += 1;
    else measured.push({ item, ...measure(strategy, line), order });
  });
  // Entropy: highest first; uncertainty and margin: lowest first. Ties keep pool order.
  const sign = strategy === 'entropy' ? -1 : 1;
  measured.sort((a, b) => sign * (a.value - b.value) || a.order - b.order);
  return { ranked: measured.map(({ item, score, value }) => ({ item, score, value })), unscored };
}
