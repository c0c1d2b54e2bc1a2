// Regional progress of a project (`ferry progress`, lead.progress): derived from S3 listings and small markers only,
// kept in the lead's local index so a warm refresh costs list calls plus reads of what changed.
import type { BatchProgress, ProgressDetail, RegionProgress } from '../../shared/lead.ts';
import { FerryError } from '../../shared/result.ts';
import type { LeadIndexStore } from '../store/lead-index.ts';
import { assertRegion, readProject, type S3Target } from '../projects/projects.ts';
import { snapshotProject } from './progress-index.ts';
import { addAnswers, daySeries, regionProgress, zeroAnswers, zeroBatchCounts, type MutableAnswers } from './progress-report.ts';
import { countRequests, summarizeCounts } from './request-counter.ts';
import { DEFAULT_STALE_AFTER_HOURS } from './staleness.ts';

export type ProgressInput = {
  readonly project: string;
  readonly index: LeadIndexStore;
  readonly staleAfterHours?: number;
  readonly region?: string; // limits the drill-down (batches) to one region; the summary always has them all
  readonly now?: Date;
  readonly signal?: AbortSignal;
};

export async function loadProgress(target: S3Target, input: ProgressInput): Promise<ProgressDetail> {
  const staleAfterHours = input.staleAfterHours ?? DEFAULT_STALE_AFTER_HOURS;
  if (!Number.isFinite(staleAfterHours) || staleAfterHours <= 0) throw new FerryError('invalid-request', `--stale-after-hours must be a positive number, not ${staleAfterHours}.`);
  const started = performance.now();
  const { value, counts } = await countRequests(target.client, async () => {
    const project = await readProject(target, input.project);
    if (input.region !== undefined) assertRegion(project, input.region);
    return { project, ...(await snapshotProject(target, project.name, project.regions, input.index, input.signal)) };
  });
  const now = input.now ?? new Date();
  const staleAfterMs = staleAfterHours * 3600 * 1000;
  const regions: RegionProgress[] = [];
  const batches: BatchProgress[] = [];
  const totals = zeroBatchCounts();
  const answers = zeroAnswers();
  const days = new Map<string, MutableAnswers>();
  for (const snap of value.regions) {
    const r = regionProgress(snap, now, staleAfterMs);
    regions.push(r.progress);
    if (input.region === undefined || input.region === snap.region) batches.push(...r.batches);
    for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += r.progress.batches[k];
    addAnswers(answers, r.progress.answers);
    for (const [day, c] of r.days) {
      if (!days.has(day)) days.set(day, zeroAnswers());
      addAnswers(days.get(day)!, c);
    }
  }
  return {
    project: value.project.name,
    generatedAt: now.toISOString(),
    staleAfterHours,
    regions,
    totals: { batches: totals, answers },
    answersPerDay: daySeries(days),
    refresh: { cold: value.stats.cold, ms: Math.round(performance.now() - started), requests: summarizeCounts(counts), changed: value.stats.changed, removed: value.stats.removed },
    batches,
  };
}

// The CLI's shape: the report without the drill-down rows.
export function summaryOf(detail: ProgressDetail): Omit<ProgressDetail, 'batches'> {
  const { batches: _batches, ...summary } = detail;
  return summary;
}
