// The ranking rules on their own: uncertainty, margin, entropy, seeded random and stratified, with ties and edge cases.
import { describe, expect, it } from 'vitest';
import type { PoolItem } from '../../../electron/batches/pool.ts';
import type { ScoreLine } from '../../../electron/batches/scores.ts';
import { rankItems, seededRandom } from '../../../electron/batches/strategies.ts';

const pool = (n: number, meta: (i: number) => Record<string, unknown> = () => ({})): PoolItem[] => Array.from({ length: n }, (_, i) => ({ id: `i${i}`, line: i + 1, task: { text: `t${i}`, meta: meta(i) } }));
const scores = (lines: Record<string, Omit<ScoreLine, 'id' | 'line'>>): Map<string, ScoreLine> => new Map(Object.entries(lines).map(([id, s], i) => [id, { id, line: i + 1, ...s }]));
const ids = (r: ReturnType<typeof rankItems>) => r.ranked.map((x) => x.item.id);

describe('scored rules', () => {
  it('uncertainty puts the score closest to 0.5 first; ties keep pool order', () => {
    const r = rankItems(pool(5), { strategy: 'uncertainty', scores: scores({ i0: { score: 0.9 }, i1: { score: 0.4 }, i2: { score: 0.6 }, i3: { score: 0.5 }, i4: { score: 0.1 } }) });
    expect(ids(r)).toEqual(['i3', 'i1', 'i2', 'i0', 'i4']);
    expect(r.ranked.map((x) => x.score)).toEqual([0.5, 0.4, 0.6, 0.9, 0.1]);
  });

  it('uncertainty with label scores uses the top probability: lowest first', () => {
    const r = rankItems(pool(3), { strategy: 'uncertainty', scores: scores({ i0: { scores: { A: 0.9, B: 0.1 } }, i1: { scores: { A: 0.4, B: 0.3, C: 0.3 } }, i2: { score: 0.45 } }) });
    expect(ids(r)).toEqual(['i1', 'i2', 'i0']);
  });

  it('margin: smallest gap between the top two first; entropy: highest first', () => {
    const s = scores({ i0: { scores: { A: 0.6, B: 0.3, C: 0.1 } }, i1: { scores: { A: 0.45, B: 0.44, C: 0.11 } }, i2: { scores: { A: 1 / 3, B: 1 / 3, C: 1 / 3 } }, i3: { score: 0.7 } });
    expect(ids(rankItems(pool(4), { strategy: 'margin', scores: s }))).toEqual(['i2', 'i1', 'i0', 'i3']);
    const entropy = rankItems(pool(4), { strategy: 'entropy', scores: s });
    expect(ids(entropy)).toEqual(['i2', 'i1', 'i0', 'i3']);
    expect(entropy.ranked[0]!.value).toBeCloseTo(Math.log2(3), 10);
  });

  it('counts items without a score instead of placing them', () => {
    const r = rankItems(pool(4), { strategy: 'entropy', scores: scores({ i2: { score: 0.5 } }) });
    expect(ids(r)).toEqual(['i2']);
    expect(r.unscored).toBe(3);
  });
});

describe('random and stratified', () => {
  it('the same seed gives the same order, another seed another; every item once', () => {
    const a = ids(rankItems(pool(50), { strategy: 'random', seed: 'x' }));
    expect(ids(rankItems(pool(50), { strategy: 'random', seed: 'x' }))).toEqual(a);
    expect(ids(rankItems(pool(50), { strategy: 'random', seed: 'y' }))).not.toEqual(a);
    expect([...a].sort()).toEqual(pool(50).map((p) => p.id).sort());
  });

  it('the seeded generator is uniform enough to shuffle fairly', () => {
    const next = seededRandom('fair');
    const buckets = new Array<number>(10).fill(0);
    for (let i = 0; i < 100_000; i += 1) buckets[Math.floor(next() * 10)]! += 1;
    for (const b of buckets) expect(Math.abs(b - 10_000)).toBeLessThan(500);
  });

  it('stratified deals strata round-robin in name order, pool order within; missing values form "(none)"', () => {
    const r = rankItems(pool(7, (i) => (i === 6 ? {} : { lang: ['en', 'de', 'en', 'fr', 'en', 'de'][i] })), { strategy: 'stratified', by: 'lang' });
    expect(ids(r)).toEqual(['i6', 'i1', 'i0', 'i3', 'i5', 'i2', 'i4']);
    expect(r.strata).toEqual({ '(none)': 1, de: 2, en: 3, fr: 1 });
  });
});
