// Turns the raw runs of the pull benchmark into the runner's result: medians, throughput, CPU, RSS and ratios.
import { median, medianOf, ratioOf, type BenchResult, type Measurement } from '../lib/result.ts';
import type { RunOutcome } from './contenders.ts';

type Good = Extract<RunOutcome, { ok: true }>;
type Bad = Extract<RunOutcome, { ok: false }>;
export type Contender = { readonly tool: string; readonly label: string; run(dir: string): Promise<RunOutcome> };
export type PullShape = { readonly assets: number; readonly bytes: number; readonly transfers: number; readonly runs: number };

const MiB = 1024 * 1024;

export function mib(bytes: number | undefined | null): number | null {
  return bytes === undefined || bytes === null ? null : Math.round((bytes / MiB) * 10) / 10;
}

function notesFor(good: readonly Good[], shape: PullShape, value: number): string[] {
  const notes = [`${((shape.assets * shape.bytes) / MiB / (value / 1000)).toFixed(1)} MiB/s`];
  // Ferry's own report covers the pull alone; a peer's figure (GNU time) is its whole process.
  const pullCpu = medianOf(good.map((r) => r.report?.pullCpuMs));
  const processCpu = medianOf(good.map((r) => r.stats?.cpuMs));
  if (pullCpu !== null) notes.push(`CPU ${pullCpu} ms (pull only)`);
  else if (processCpu !== null) notes.push(`CPU ${processCpu} ms`);
  // Ferry's pull runs on one JS thread: how much of that CPU it carried, and how busy it was.
  const mainCpu = medianOf(good.map((r) => r.report?.mainThreadCpuMs));
  if (pullCpu !== null && mainCpu !== null) notes.push(`${mainCpu} ms on the JS thread`);
  const busy = median(good.map((r) => r.report?.eventLoopBusy).filter((v): v is number => typeof v === 'number'));
  if (pullCpu !== null && busy !== null) notes.push(`event loop ${Math.round(busy * 100)} % busy`);
  const rss = medianOf(good.map((r) => r.stats?.maxRssBytes));
  if (rss !== null) notes.push(`peak RSS ${mib(rss)} MiB`);
  return notes;
}

export function summarisePull(
  contenders: readonly Contender[],
  outcomes: ReadonlyMap<string, readonly RunOutcome[]>,
  skipped: ReadonlyMap<string, string>,
  shape: PullShape,
  extra: Readonly<Record<string, number | string | null>>,
): BenchResult {
  const measurements: Measurement[] = [];
  const problems: string[] = [];
  const medians = new Map<string, number | null>();
  for (const contender of contenders) {
    const runs = outcomes.get(contender.tool) ?? [];
    const good = runs.filter((r): r is Good => r.ok);
    const failed = runs.filter((r): r is Bad => !r.ok);
    for (const f of failed) problems.push(`${contender.tool}: ${f.problem}`);
    // A tool that failed any run is not ranked: a fast failure must never look like a win.
    const value = failed.length === 0 ? medianOf(good.map((r) => r.ms)) : null;
    medians.set(contender.tool, value);
    measurements.push({
      tool: contender.tool,
      label: contender.label,
      runsMs: good.map((r) => Math.round(r.ms)),
      medianMs: value,
      ...(failed.length ? { skipped: `failed ${failed.length} of ${runs.length} runs` } : {}),
      notes: value === null ? [] : notesFor(good, shape, value),
    });
    if (contender.tool === 'ferry' && value !== null) {
      const processMs = medianOf(good.map((r) => r.processMs));
      medians.set('ferry-process', processMs);
      const cpu = medianOf(good.map((r) => r.stats?.cpuMs));
      measurements.push({
        tool: 'ferry-process',
        label: 'the same Ferry runs, whole child process: node + tsx start-up + warm-up GET + pull',
        runsMs: good.map((r) => Math.round(r.processMs)),
        medianMs: processMs,
        notes: cpu === null ? [] : [`CPU ${cpu} ms`],
      });
    }
  }
  for (const [tool, reason] of skipped) measurements.push({ tool, label: tool, runsMs: [], medianMs: null, skipped: reason });

  const ferryRuns = (outcomes.get('ferry') ?? []).filter((r): r is Good => r.ok);
  const timeRss = ferryRuns.map((r) => r.stats?.maxRssBytes).filter((v): v is number => v !== undefined);
  const sampledRss = ferryRuns.map((r) => r.report?.rssSampledPeakBytes).filter((v): v is number => typeof v === 'number');
  const ferry = medians.get('ferry') ?? null;
  return {
    name: 'pull',
    title: `Batch pull, cold cache: ${shape.assets} assets × ${shape.bytes / 1024} KiB (${mib(shape.assets * shape.bytes)} MiB)`,
    setup: `one batch of ${shape.assets} image tasks made with createProject/createBatches; loopback moto_server; ${shape.transfers} parallel transfers; median of ${shape.runs} runs, order rotated per round; every run verified by file count, size and SHA-256`,
    measurements,
    ratios: [
      ratioOf('ferry/rclone', ferry, medians.get('rclone') ?? null, 1, '≤ 1.00 (Ferry no slower than rclone)'),
      ratioOf('ferry/aws', ferry, medians.get('aws') ?? null),
      ...(medians.has('ferry-compare') ? [ratioOf('ferry/ferry-compare', ferry, medians.get('ferry-compare') ?? null)] : []),
      ratioOf('ferry-process/rclone', medians.get('ferry-process') ?? null, medians.get('rclone') ?? null),
    ],
    metrics: {
      ferryPeakRssMiB: timeRss.length ? mib(Math.max(...timeRss)) : mib(sampledRss.length ? Math.max(...sampledRss) : null),
      ferryPeakRssSource: timeRss.length
        ? 'GNU time -v "Maximum resident set size" of the Ferry child process, max over runs'
        : 'process.memoryUsage.rss() sampled every 20 ms in the Ferry child, max over runs',
      ferryRssBeforePullMiB: mib(ferryRuns[0]?.report?.rssBeforeBytes),
      ferryProgressEventsPerPull: ferryRuns[0]?.report?.progressEvents ?? null,
      ...extra,
    },
    ok: ferry !== null,
    problems,
  };
}
