// The lead's keys in the public layout: built and parsed back by shared/s3-layout.ts, and listed in docs/s3-layout.md.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import * as L from '../../../shared/s3-layout.ts';

const P = 'teams/ferry/';

describe('lead keys', () => {
  it('builds and parses the ledger, release records and verdicts', () => {
    expect(L.ledgerEntryKey(P, 'inv', 12)).toBe('teams/ferry/projects/inv/ledger/00000012.json');
    expect(L.parseLedgerKey(P, L.ledgerEntryKey(P, 'inv', 12))).toEqual({ project: 'inv', seq: 12 });
    expect(L.parseLedgerKey(P, 'teams/ferry/projects/inv/ledger/12.json')).toBeNull();
    const at = new Date('2025-03-01T09:00:00.123Z');
    expect(L.releaseRecordKey(P, 'inv', 'emea', 'b1', at, 'ana')).toBe('teams/ferry/projects/inv/releases/emea/b1/20250301T090000123Z-ana.json');
    expect(L.parseReleaseKey(P, L.releaseRecordKey(P, 'inv', 'emea', 'b1', at, 'ana'))).toEqual({ project: 'inv', region: 'emea', batch: 'b1', stamp: '20250301T090000123Z', formerHolder: 'ana' });
    expect(L.verdictKey(P, 'inv', 'emea', 'b1', 'rework')).toBe('teams/ferry/projects/inv/reviews/emea/b1/verdict.rework.json');
    expect(L.parseReviewKey(P, L.verdictKey(P, 'inv', 'emea', 'b1', 'accepted'))).toEqual({ project: 'inv', region: 'emea', batch: 'b1', kind: 'verdict', verdict: 'accepted' });
    expect(L.parseReviewKey(P, L.reviewChunkKey(P, 'inv', 'emea', 'b1', 'rex', 3, 'ab'.repeat(32)))).toEqual({ project: 'inv', region: 'emea', batch: 'b1', kind: 'chunk', reviewer: 'rex' });
    expect(L.parseReviewKey(P, 'teams/ferry/projects/inv/reviews/emea/b1/verdict.maybe.json')).toBeNull();
    expect(() => L.verdictKey(P, 'inv', 'emea', 'b1', 'maybe' as L.Verdict)).toThrow('Invalid verdict "maybe"');
  });

  it('are all documented in docs/s3-layout.md', async () => {
    const doc = await readFile(new URL('../../../docs/s3-layout.md', import.meta.url), 'utf8');
    const keys = [
      L.ledgerEntryKey('', 'P', 0).replace('00000000', 'SEQ'),
      L.releaseRecordKey('', 'P', 'R', 'B', new Date(0), 'A').replace('19700101T000000000Z', 'STAMP'),
      L.verdictKey('', 'P', 'R', 'B', 'accepted').replace('accepted', 'VERDICT'),
    ];
    for (const key of keys) expect(doc, key).toContain(`| \`${key}\` |`);
  });
});
