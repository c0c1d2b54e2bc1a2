// Lead progress at scale: 10,000 batches over 20 regions in loopback moto. Cold load (empty local index) and warm
// refresh of `ferry progress`'s core (loadProgress) against `aws s3api list-objects-v2` over the same project prefix in
// the same run — the floor for seeing every key once — with every S3 request counted.
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { join } from 'node:path';
import { loadProgress } from '../electron/lead/progress.ts';
import { createS3Client } from '../electron/s3/client.ts';
import { openStore } from '../electron/store/store.ts';
import type { ProgressDetail } from '../shared/lead.ts';
import { projectPrefix, submissionKey } from '../shared/s3-layout.ts';
import { closeScratch, openScratch } from './lib/scratch.ts';
import { CREDENTIALS, describeFailure, findOnPath, loopbackEnv, runTimed } from './lib/process.ts';
import { emitResult, median, ratioOf, type Measurement } from './lib/result.ts';
import { annotatorOf, batchName, rawBenchClient, regionName, seedProgress, type Expected } from './lead/seed-progress.ts';

const REGIONS = Number(process.env.BENCH_LEAD_REGIONS ?? 20);
const PER_REGION = Number(process.env.BENCH_LEAD_PER_REGION ?? 500);
const COLD_RUNS = Number(process.env.BENCH_LEAD_COLD_RUNS ?? 2);
const WARM_RUNS = Number(process.env.BENCH_LEAD_WARM_RUNS ?? 3);
const LIST_RUNS = 3;
const CHANGES = 50;
const PROJECT = 'lead-bench';
const PREFIX = 'bench/';

function log(line: string): void {
  process.stderr.write(`[lead-progress] ${line}\n`);
}


function check(report: ProgressDetail, expected: Expected, problems: string[], what: string): void {
  const got = report.totals.batches as unknown as Record<string, number>;
  for (const [k, v] of Object.entries(expected.batches)) if (got[k] !== v) problems.push(`${what}: ${k} = ${got[k]}, expected ${v}`);
  if (report.totals.answers.total !== expected.answers.total) problems.push(`${what}: answers ${report.totals.answers.total}, expected ${expected.answers.total}`);
  if (report.regions.length !== REGIONS) problems.push(`${what}: ${report.regions.length} regions, expected ${REGIONS}`);
}

async function main(): Promise<void> {
  const { moto, workDir } = await openScratch('ferry-bench-lead-');
  const bucket = 'bench-lead-progress';
  const config = { bucket, prefix: PREFIX, awsRegion: 'us-east-1', endpoint: moto.endpoint, forcePathStyle: true, annotator: 'lead', region: regionName(0), dataDir: join(workDir, 'data') };
  const client = createS3Client(config, { credentials: CREDENTIALS });
  const target = { client, bucket, prefix: PREFIX };
  log(`moto_server at ${moto.endpoint}; seeding ${REGIONS * PER_REGION} batches over ${REGIONS} regions`);
  const seedStarted = Date.now();
  const expected = await seedProgress(moto.endpoint, bucket, PREFIX, PROJECT, target, { regions: REGIONS, perRegion: PER_REGION }, log);
  log(`seeded ${expected.keys} objects in ${Math.round((Date.now() - seedStarted) / 1000)} s`);
  const problems: string[] = [];
  const listPrefix = projectPrefix(PREFIX, PROJECT);

  // The floor: one listing of every key under the project, by the AWS CLI.
  const aws = findOnPath('aws');
  const listRuns: number[] = [];
  let awsSkipped: string | undefined;
  if (!aws) awsSkipped = 'aws is not installed (apt-get install -y awscli)';
  for (let i = 0; aws && i < LIST_RUNS && !awsSkipped; i += 1) {
    const run = await runTimed(aws, ['s3api', 'list-objects-v2', '--bucket', bucket, '--prefix', listPrefix, '--endpoint-url', moto.endpoint], { env: loopbackEnv(workDir), timeoutMs: 300_000 });
    if (run.code !== 0 || !run.stdout.includes(expected.lastKey)) awsSkipped = run.code !== 0 ? describeFailure('aws s3api list-objects-v2', run) : 'aws s3api list-objects-v2 did not list the last key';
    else listRuns.push(run.ms);
    log(`aws list ${i + 1}/${LIST_RUNS}: ${awsSkipped ?? `${Math.round(run.ms)} ms`}`);
  }

  const coldRuns: number[] = [];
  let cold: ProgressDetail | undefined;
  for (let i = 0; i < COLD_RUNS; i += 1) {
    const store = openStore(join(workDir, `cold-${i}.db`));
    try {
      cold = await loadProgress(target, { project: PROJECT, index: store.lead });
      coldRuns.push(cold.refresh.ms);
      check(cold, expected, problems, `cold ${i + 1}`);
      log(`cold ${i + 1}/${COLD_RUNS}: ${cold.refresh.ms} ms, ${JSON.stringify(cold.refresh.requests)}`);
    } finally {
      store.close();
    }
  }

  const store = openStore(join(workDir, 'warm.db'));
  const warmRuns: number[] = [];
  let warm: ProgressDetail | undefined;
  let changed: ProgressDetail | undefined;
  try {
    await loadProgress(target, { project: PROJECT, index: store.lead }); // fills the index
    for (let i = 0; i < WARM_RUNS; i += 1) {
      warm = await loadProgress(target, { project: PROJECT, index: store.lead });
      warmRuns.push(warm.refresh.ms);
      check(warm, expected, problems, `warm ${i + 1}`);
      log(`warm ${i + 1}/${WARM_RUNS}: ${warm.refresh.ms} ms, ${JSON.stringify(warm.refresh.requests)}`);
    }
    // A realistic warm refresh: since the last one, CHANGES batches were submitted somewhere.
    const raw = rawBenchClient(moto.endpoint);
    for (let i = 0; i < CHANGES; i += 1) {
      const b = 2 + 4 * Math.floor(i / REGIONS); // claimed, not yet submitted
      const region = regionName(i % REGIONS);
      const batch = batchName(b);
      const body = { kind: 'ferry.submission', version: 1, project: PROJECT, region, batch, annotator: annotatorOf(b), submittedAt: new Date().toISOString(), chunks: [], answers: { total: 10, accept: 10, reject: 0, ignore: 0 }, tasks: 10, late: false, appVersion: '0.1.0' };
      await raw.send(new PutObjectCommand({ Bucket: bucket, Key: submissionKey(PREFIX, PROJECT, region, batch, annotatorOf(b)), Body: JSON.stringify(body) }));
    }
    raw.destroy();
    changed = await loadProgress(target, { project: PROJECT, index: store.lead });
    if (changed.refresh.changed !== CHANGES) problems.push(`warm after ${CHANGES} submissions read ${changed.refresh.changed} changed objects`);
    if (changed.totals.batches.submitted !== expected.batches.submitted! + CHANGES) problems.push(`warm after changes: submitted = ${changed.totals.batches.submitted}`);
    log(`warm after ${CHANGES} new submissions: ${changed.refresh.ms} ms, ${JSON.stringify(changed.refresh.requests)}`);
  } finally {
    store.close();
    client.destroy();
  }

  const floor = median(listRuns);
  const coldMs = median(coldRuns);
  const warmMs = median(warmRuns);
  const measurements: Measurement[] = [
    { tool: 'ferry-cold', label: 'loadProgress with an empty local index (lists + GET of every claim, submission, heartbeat)', runsMs: coldRuns.map(Math.round), medianMs: coldMs === null ? null : Math.round(coldMs), notes: cold ? [`${cold.refresh.requests.list} list + ${cold.refresh.requests.get} get + ${cold.refresh.requests.other} other requests`] : [] },
    { tool: 'ferry-warm', label: 'loadProgress, nothing changed (lists only, + project.json)', runsMs: warmRuns.map(Math.round), medianMs: warmMs === null ? null : Math.round(warmMs), notes: warm ? [`${warm.refresh.requests.list} list + ${warm.refresh.requests.get} get requests`] : [] },
    { tool: 'ferry-warm+50', label: `loadProgress after ${CHANGES} new submissions`, runsMs: changed ? [changed.refresh.ms] : [], medianMs: changed?.refresh.ms ?? null, notes: changed ? [`${changed.refresh.requests.list} list + ${changed.refresh.requests.get} get requests`] : [] },
    { tool: 'aws', label: `aws s3api list-objects-v2 --prefix ${listPrefix} (every key once, ${Math.ceil(expected.keys / 1000)} pages)`, runsMs: listRuns.map(Math.round), medianMs: floor === null ? null : Math.round(floor), ...(awsSkipped ? { skipped: awsSkipped } : {}) },
  ];
  emitResult({
    name: 'lead-progress',
    title: `Lead progress: ${REGIONS * PER_REGION} batches over ${REGIONS} regions (${expected.keys} keys)`,
    setup: `loopback moto_server; half the batches claimed, a quarter submitted, 5 heartbeats per region; cold = fresh SQLite index (median of ${COLD_RUNS}), warm = median of ${WARM_RUNS}; floor = aws CLI listing of the project prefix (median of ${LIST_RUNS}); every Ferry result checked against the seeded counts`,
    measurements,
    ratios: [ratioOf('warm/list', warmMs, floor, 2, '≤ 2.00 × the listing'), ratioOf('cold/list', coldMs, floor, 10, '≤ 10.00 × the listing'), ratioOf('warm+50/list', changed?.refresh.ms ?? null, floor)],
    metrics: {
      keys: expected.keys,
      coldListRequests: cold?.refresh.requests.list ?? null,
      coldGetRequests: cold?.refresh.requests.get ?? null,
      warmListRequests: warm?.refresh.requests.list ?? null,
      warmGetRequests: warm?.refresh.requests.get ?? null,
      warmAfterChangesGetRequests: changed?.refresh.requests.get ?? null,
      awsListPages: Math.ceil(expected.keys / 1000),
    },
    ok: problems.length === 0 && coldMs !== null && warmMs !== null,
    problems,
  });
}

try {
  await main();
} finally {
  await closeScratch();
}
