// The progress aggregation on its own: batch state precedence, answers, last seen without heartbeats, stale reasons.
import { describe, expect, it } from 'vitest';
import type { ClaimBody, RegionSnapshot } from '../../../electron/lead/progress-index.ts';
import { regionProgress } from '../../../electron/lead/progress-report.ts';
import { staleReasons } from '../../../electron/lead/staleness.ts';

const NOW = new Date('2025-03-10T12:00:00.000Z');
const DAY = 24 * 3600 * 1000;
const answers = (accept: number, reject = 0, ignore = 0) => ({ accept, reject, ignore, total: accept + reject + ignore });

function snapshot(partial: Partial<RegionSnapshot>): RegionSnapshot {
  return { region: 'emea', batches: new Set(), claims: new Map(), submissions: [], heartbeats: new Map(), inReview: new Set(), verdicts: new Map(), ...partial };
}

describe('batch states', () => {
  it('retired > accepted/rework > in review > submitted > claimed > unclaimed', () => {
    const claim = (annotator: string): ClaimBody => ({ kind: 'claim', annotator, claimedAt: '2025-03-10T00:00:00.000Z', leaseUntil: '2025-03-17T00:00:00.000Z', renewedAt: null });
    const r = regionProgress(
      snapshot({
        batches: new Set(['b1', 'b2', 'b3', 'b4', 'b5', 'b6', 'b7']),
        claims: new Map<string, ClaimBody>([['b1', { kind: 'retired', retiredAt: 'x', reason: 'r' }], ['b2', claim('a')], ['b3', claim('a')], ['b4', claim('a')], ['b5', claim('b')], ['b6', claim('c')], ['ghost', claim('z')]]),
        submissions: [{ batch: 'b2', annotator: 'a', submittedAt: '2025-03-09T10:00:00.000Z', late: false, answers: answers(2) }, { batch: 'b3', annotator: 'a', submittedAt: '2025-03-09T11:00:00.000Z', late: false, answers: answers(1, 1) }, { batch: 'b4', annotator: 'a', submittedAt: '2025-03-08T11:00:00.000Z', late: false, answers: answers(0, 0, 3) }, { batch: 'b5', annotator: 'b', submittedAt: '2025-03-08T23:59:59.000Z', late: false, answers: answers(4) }],
        verdicts: new Map([['b2', 'accepted' as const], ['b3', 'rework' as const]]),
        inReview: new Set(['b4', 'b2']),
      }),
      NOW,
      DAY,
    );
    expect(r.progress.batches).toEqual({ unclaimed: 1, claimed: 1, submitted: 1, in_review: 1, accepted: 1, rework: 1, retired: 1, total: 7 });
    expect(r.batches.map((b) => [b.batch, b.status])).toEqual([['b1', 'retired'], ['b2', 'accepted'], ['b3', 'rework'], ['b4', 'in_review'], ['b5', 'submitted'], ['b6', 'claimed'], ['b7', 'unclaimed']]);
    expect(r.progress.answers).toEqual(answers(7, 1, 3));
    expect(r.progress.answersPerDay).toEqual([{ day: '2025-03-08', ...answers(4, 0, 3) }, { day: '2025-03-09', ...answers(3, 1) }]);
    expect(r.progress.annotators.map((a) => [a.name, a.held, a.submitted, a.lastSeen, a.lastSeenSource])).toEqual([
      ['a', 0, 3, '2025-03-10T00:00:00.000Z', 'claim'],
      ['b', 0, 1, '2025-03-10T00:00:00.000Z', 'claim'],
      ['c', 1, 0, '2025-03-10T00:00:00.000Z', 'claim'],
    ]);
  });
});

describe('stale claims', () => {
  const claim = { claimedAt: '2025-03-01T00:00:00.000Z', leaseUntil: '2025-03-20T00:00:00.000Z', renewedAt: null };
  it('lease expired, heartbeat too old, or silent without a heartbeat', () => {
    expect(staleReasons({ ...claim, leaseUntil: '2025-03-10T11:59:59.000Z' }, '2025-03-10T11:00:00.000Z', NOW, DAY)).toEqual(['lease-expired']);
    expect(staleReasons(claim, '2025-03-09T11:59:59.000Z', NOW, DAY)).toEqual(['heartbeat-old']);
    expect(staleReasons(claim, '2025-03-09T12:00:01.000Z', NOW, DAY)).toEqual([]);
    expect(staleReasons(claim, null, NOW, DAY)).toEqual(['no-heartbeat']);
    expect(staleReasons({ ...claim, renewedAt: '2025-03-10T06:00:00.000Z' }, null, NOW, DAY)).toEqual([]);
  });

  it('lists stale held batches, not submitted ones; a heartbeat beats claim times for last seen', () => {
    const r = regionProgress(
      snapshot({
        batches: new Set(['b1', 'b2']),
        claims: new Map<string, ClaimBody>([['b1', { kind: 'claim' as const, annotator: 'a', ...claim }], ['b2', { kind: 'claim' as const, annotator: 'a', ...claim, leaseUntil: '2025-03-02T00:00:00.000Z' }]]),
        submissions: [{ batch: 'b2', annotator: 'a', submittedAt: '2025-03-02T00:00:00.000Z', late: true, answers: answers(1) }],
        heartbeats: new Map([['a', { annotator: 'a', lastSeen: '2025-03-05T00:00:00.000Z', waiting: 12, appVersion: '1' }]]),
      }),
      NOW,
      DAY,
    );
    expect(r.progress.staleClaims).toEqual([{ batch: 'b1', annotator: 'a', claimedAt: claim.claimedAt, leaseUntil: claim.leaseUntil, renewedAt: null, lastSeen: '2025-03-05T00:00:00.000Z', reasons: ['heartbeat-old'] }]);
    expect(r.progress.annotators).toEqual([{ name: 'a', lastSeen: '2025-03-05T00:00:00.000Z', lastSeenSource: 'heartbeat', waiting: 12, held: 1, submitted: 1, answers: answers(1) }]);
  });
});
