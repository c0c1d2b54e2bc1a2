// Pure aggregation of a project snapshot into the progress report: batch states, answers, annotators, stale claims,
// answers per day — the same numbers for `ferry progress --json` and the dashboard.
import type { AnnotatorProgress, AnswerCounts, BatchCounts, BatchProgress, BatchState, DayCount, RegionProgress, StaleClaim } from '../../shared/lead.ts';
import type { RegionSnapshot } from './progress-index.ts';
import { staleReasons } from './staleness.ts';

export type MutableAnswers = { accept: number; reject: number; ignore: number; total: number };

export function zeroAnswers(): MutableAnswers {
  return { accept: 0, reject: 0, ignore: 0, total: 0 };
}
export function addAnswers(into: MutableAnswers, a: AnswerCounts): void {
  into.accept += a.accept;
  into.reject += a.reject;
  into.ignore += a.ignore;
  into.total += a.total;
}
export function zeroBatchCounts(): { -readonly [K in keyof BatchCounts]: number } {
  return { unclaimed: 0, claimed: 0, submitted: 0, in_review: 0, accepted: 0, rework: 0, retired: 0, total: 0 };
}

function addDay(days: Map<string, MutableAnswers>, when: string, answers: AnswerCounts): void {
  const day = Number.isFinite(Date.parse(when)) ? new Date(when).toISOString().slice(0, 10) : 'unknown';
  const counts = days.get(day) ?? zeroAnswers();
  addAnswers(counts, answers);
  days.set(day, counts);
}

export function daySeries(days: ReadonlyMap<string, AnswerCounts>): DayCount[] {
  return [...days.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([day, c]) => ({ day, ...c }));
}

export type RegionResult = { readonly progress: RegionProgress; readonly batches: BatchProgress[]; readonly days: ReadonlyMap<string, AnswerCounts> };

export function regionProgress(snap: RegionSnapshot, now: Date, staleAfterMs: number): RegionResult {
  const submittedBy = new Map<string, string[]>();
  const batchAnswers = new Map<string, MutableAnswers>();
  const answers = zeroAnswers();
  const days = new Map<string, MutableAnswers>();
  type Person = { lastSeen: string | null; source: AnnotatorProgress['lastSeenSource']; waiting: number; held: number; submitted: number; answers: MutableAnswers };
  const people = new Map<string, Person>();
  const person = (name: string): Person => {
    let p = people.get(name);
    if (!p) people.set(name, (p = { lastSeen: null, source: 'none', waiting: 0, held: 0, submitted: 0, answers: zeroAnswers() }));
    return p;
  };
  // A heartbeat says when the app was last seen; without one, the latest claim, renewal or submission stands in.
  const seen = (p: Person, when: string | null, source: Person['source']): void => {
    if (when === null || p.source === 'heartbeat') return;
    if (p.lastSeen === null || Date.parse(when) > Date.parse(p.lastSeen)) {
      p.lastSeen = when;
      p.source = source;
    }
  };
  for (const [name, hb] of snap.heartbeats) {
    const p = person(name);
    p.lastSeen = hb.lastSeen;
    p.source = hb.lastSeen === null ? 'none' : 'heartbeat';
    p.waiting = hb.waiting;
  }
  for (const s of snap.submissions) {
    if ('unreadable' in s || !snap.batches.has(s.batch)) continue;
    submittedBy.set(s.batch, [...(submittedBy.get(s.batch) ?? []), s.annotator]);
    const per = batchAnswers.get(s.batch) ?? zeroAnswers();
    addAnswers(per, s.answers);
    batchAnswers.set(s.batch, per);
    addAnswers(answers, s.answers);
    addDay(days, s.submittedAt, s.answers);
    const p = person(s.annotator);
    p.submitted += 1;
    addAnswers(p.answers, s.answers);
    seen(p, s.submittedAt, 'submission');
  }
  const counts = zeroBatchCounts();
  const stale: StaleClaim[] = [];
  const batches: BatchProgress[] = [];
  for (const batch of [...snap.batches].sort()) {
    const claim = snap.claims.get(batch);
    const verdict = snap.verdicts.get(batch);
    const by = submittedBy.get(batch) ?? [];
    const holder = claim?.kind === 'claim' ? claim.annotator : null;
    let status: BatchState;
    if (claim?.kind === 'retired') status = 'retired';
    else if (verdict === 'accepted') status = 'accepted';
    else if (verdict === 'rework') status = 'rework';
    else if (snap.inReview.has(batch)) status = 'in_review';
    else if (by.length > 0) status = 'submitted';
    else if (claim) status = 'claimed';
    else status = 'unclaimed';
    counts[status] += 1;
    counts.total += 1;
    let isStale = false;
    if (claim?.kind === 'claim') {
      const p = person(claim.annotator);
      seen(p, claim.renewedAt ?? claim.claimedAt, 'claim');
      if (status === 'claimed') {
        p.held += 1;
        const hb = snap.heartbeats.get(claim.annotator)?.lastSeen ?? null;
        const reasons = staleReasons(claim, hb, now, staleAfterMs);
        if (reasons.length) {
          isStale = true;
          stale.push({ batch, annotator: claim.annotator, claimedAt: claim.claimedAt, leaseUntil: claim.leaseUntil, renewedAt: claim.renewedAt, lastSeen: hb, reasons });
        }
      }
    }
    batches.push({ region: snap.region, batch, status, holder, claimedAt: claim?.kind === 'claim' ? claim.claimedAt : null, leaseUntil: claim?.kind === 'claim' ? claim.leaseUntil : null, submittedBy: by, answers: batchAnswers.get(batch) ?? zeroAnswers(), stale: isStale });
  }
  const annotators: AnnotatorProgress[] = [...people.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, p]) => ({ name, lastSeen: p.lastSeen, lastSeenSource: p.lastSeen === null ? 'none' : p.source, waiting: p.waiting, held: p.held, submitted: p.submitted, answers: p.answers }));
  return { progress: { region: snap.region, batches: counts, answers, annotators, staleClaims: stale, answersPerDay: daySeries(days) }, batches, days };
}
