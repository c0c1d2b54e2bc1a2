// Turns the raw runs of the publish benchmark into the runner's result: medians, throughput, CPU, peak RSS, PUT counts
// and the three targets of issue 4 as ratios the runner checks.
import { medianOf, ratioOf, type BenchResult, type Measurement } from '../lib/result.ts';
import { mib } from '../pull/summary.ts';
import type { RunOutcome } from './contenders.ts';

type Good = Extract<RunOutcome, { ok: true }>;
type Bad = Extract<RunOutcome, { ok: false }>;
export type PublishShape = {
  readonly answers: number;
  readonly batches: number;
  readonly bytes: number;
  readonly chunks: number;
  readonly answerBytes: { readonly min: number; readonly max: number; readonly mean: number };
  readonly runs: number;
  readonly withTime: boolean;
  readonly problems: readonly string[];
};

const LABELS: Record<string, string> = {
  ferry: "Ferry: one Sync now round (claim checks, seal into ≤1,000-answer chunks, create-once uploads, outbox marked)",
  'ferry-compare': 'the same, from FERRY_BENCH_PUBLISH_COMPARE',
  aws: 'aws s3 cp FILE s3://… (one file, the same bytes; multipart, default 10 concurrent requests)',
};
const RSS_LIMIT_MIB = 300;

function notesFor(good: readonly Good[], shape: PublishShape, value: number): string[] {
  const notes = [`${(shape.bytes / 2 ** 20 / (value / 1000)).toFixed(1)} MiB/s`];
  const ownCpu = medianOf(good.map((r) => r.report?.cpuMs));
  const processCpu = medianOf(good.map((r) => r.stats?.cpuMs));
  if (ownCpu !== null) notes.push(`CPU ${ownCpu} ms (publish only)`);
  else if (processCpu !== null) notes.push(`CPU ${processCpu} ms`);
  const rss = good.map((r) => r.stats?.maxRssBytes ?? r.report?.rssSampledPeakBytes).filter((v): v is number => typeof v === 'number');
  if (rss.length) notes.push(`peak RSS ${mib(Math.max(...rss))} MiB`);
  const puts = good.map((r) => r.report?.puts).filter((v): v is number => typeof v === 'number');
  if (puts.length) notes.push(`${Math.max(...puts)} PUTs`);
  return notes;
}

export function summarisePublish(outcomes: ReadonlyMap<string, readonly RunOutcome[]>, awsSkipped: string | null, shape: PublishShape, extra: Readonly<Record<string, number | string | null>>): BenchResult {
  const measurements: Measurement[] = [];
  const problems = [...shape.problems];
  const medians = new Map<string, number | null>();
  for (const [tool, runs] of outcomes) {
    const good = runs.filter((r): r is Good => r.ok);
    const failed = runs.filter((r): r is Bad => !r.ok);
    for (const f of failed) problems.push(`${tool}: ${f.problem}`);
    // A tool that failed any run is not ranked: a fast failure must never look like a win.
    const value = failed.length === 0 ? medianOf(good.map((r) => r.ms)) : null;
    medians.set(tool, value);
    measurements.push({ tool, label: LABELS[tool] ?? tool, runsMs: good.map((r) => Math.round(r.ms)), medianMs: value, ...(failed.length ? { skipped: `failed ${failed.length} of ${runs.length} runs` } : {}), notes: value === null ? [] : notesFor(good, shape, value) });
    if (tool === 'ferry' && value !== null) {
      const processMs = medianOf(good.map((r) => r.processMs));
      medians.set('ferry-process', processMs);
      measurements.push({
        tool: 'ferry-process',
        label: 'the same Ferry runs, whole child process: node + tsx start-up + opening the store + the round',
        runsMs: good.map((r) => Math.round(r.processMs)),
        medianMs: processMs,
        notes: [`open ${medianOf(good.map((r) => r.report?.openMs))} ms`, ...(good[0]?.stats ? [`CPU ${medianOf(good.map((r) => r.stats?.cpuMs))} ms`] : [])],
      });
    }
  }
  if (awsSkipped) measurements.push({ tool: 'aws', label: 'aws s3 cp', runsMs: [], medianMs: null, skipped: awsSkipped });

  const ferryRuns = (outcomes.get('ferry') ?? []).filter((r): r is Good => r.ok);
  const rss = ferryRuns.map((r) => r.stats?.maxRssBytes ?? r.report?.rssSampledPeakBytes).filter((v): v is number => typeof v === 'number');
  const peakMiB = rss.length ? mib(Math.max(...rss)) : null;
  const chunkPuts = ferryRuns.map((r) => r.report?.chunkPuts).filter((v): v is number => typeof v === 'number');
  const allPuts = ferryRuns.map((r) => r.report?.puts).filter((v): v is number => typeof v === 'number');
  const perThousand = chunkPuts.length ? Math.max(...chunkPuts) : null;
  const ferry = medians.get('ferry') ?? null;
  return {
    name: 'publish',
    title: `Publish ${shape.answers.toLocaleString('en-US')} harvested answers (${mib(shape.bytes)} MiB) to S3`,
    setup: `${shape.batches} claimed batches, answers ${shape.answerBytes.min}–${shape.answerBytes.max} bytes (mean ${shape.answerBytes.mean}) as db-out prints them, recorded into a real ferry.db; each Ferry run on a fresh copy of it; loopback moto_server; median of ${shape.runs} runs, order rotated; every run verified (each answer once in S3 / the object's size)`,
    measurements,
    ratios: [
      ratioOf('ferry/aws', ferry, medians.get('aws') ?? null, 1.5, '≤ 1.50 × aws s3 cp of the same bytes'),
      ratioOf(`ferry peak RSS / ${RSS_LIMIT_MIB} MiB`, peakMiB, RSS_LIMIT_MIB, 1, `< ${RSS_LIMIT_MIB} MiB (${peakMiB ?? '?'} MiB)`),
      ratioOf('chunk PUTs per 1,000 answers', perThousand, shape.answers / 1000, 1, `≤ 1 (${perThousand ?? '?'} for ${shape.answers})`),
      ratioOf('ferry-process/aws', medians.get('ferry-process') ?? null, medians.get('aws') ?? null),
      ...(medians.has('ferry-compare') ? [ratioOf('ferry/ferry-compare', ferry, medians.get('ferry-compare') ?? null)] : []),
    ],
    metrics: {
      ferryPeakRssMiB: peakMiB,
      ferryPeakRssSource: shape.withTime ? 'GNU time -v "Maximum resident set size" of the Ferry child process (node, tsx, SDK included), max over runs' : 'process.memoryUsage.rss() sampled every 20 ms in the Ferry child, max over runs',
      ferryChunkPuts: perThousand,
      ferryAllPuts: allPuts.length ? Math.max(...allPuts) : null,
      ferryOtherRequests: ferryRuns[0]?.report ? JSON.stringify(ferryRuns[0].report.otherRequests) : null,
      chunksPublished: shape.chunks,
      ...extra,
    },
    ok: ferry !== null,
    problems,
  };
}
