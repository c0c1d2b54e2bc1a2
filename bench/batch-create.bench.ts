// Batch creation from a pool of 100,000 items ranked by uncertainty: read the pool and the model's scores, validate them,
// rank, cut 20 batches of 50 and publish them (tasks, ledger entry, manifests) to loopback moto. Target: ≤ 5 s.
// The floor printed beside it is plain Node reading and JSON-parsing the same two files once.
import { createReadStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { createBatches } from '../electron/batches/create-batches.ts';
import { countRequests, summarizeCounts } from '../electron/lead/request-counter.ts';
import { createProject } from '../electron/projects/projects.ts';
import { createS3Client } from '../electron/s3/client.ts';
import { openStore } from '../electron/store/store.ts';
import { closeScratch, openScratch } from './lib/scratch.ts';
import { emitResult, median, ratioOf, type Measurement } from './lib/result.ts';
import { CREDENTIALS } from './lib/process.ts';

const ITEMS = Number(process.env.BENCH_CREATE_ITEMS ?? 100_000);
const SIZE = 50;
const COUNT = 20;
const RUNS = 3;
const TARGET_MS = 5000;

function log(line: string): void {
  process.stderr.write(`[batch-create] ${line}\n`);
}


// A deterministic spread of probabilities, so every run ranks the same pool the same way.
function probability(i: number): number {
  return ((i * 7919) % 10_007) / 10_007;
}

async function parseFloor(paths: readonly string[]): Promise<number> {
  const started = performance.now();
  let lines = 0;
  for (const path of paths) {
    for await (const line of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) {
      if (line) {
        JSON.parse(line);
        lines += 1;
      }
    }
  }
  if (lines !== 2 * ITEMS) throw new Error(`read ${lines} lines, expected ${2 * ITEMS}`);
  return performance.now() - started;
}

async function main(): Promise<void> {
  const { moto, workDir } = await openScratch('ferry-bench-create-');
  const bucket = 'bench-batch-create';
  const config = { bucket, prefix: 'bench/', awsRegion: 'us-east-1', endpoint: moto.endpoint, forcePathStyle: true, annotator: 'lead', region: 'emea', dataDir: join(workDir, 'data') };
  const client = createS3Client(config, { credentials: CREDENTIALS });
  const target = { client, bucket, prefix: config.prefix };
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  const pool = join(workDir, 'pool.jsonl');
  const scores = join(workDir, 'scores.jsonl');
  const ids = Array.from({ length: ITEMS }, (_, i) => `item-${String(i).padStart(6, '0')}`);
  await writeFile(pool, `${ids.map((id, i) => JSON.stringify({ id, text: `Customer review ${i}: the delivery was ${i % 3 === 0 ? 'late' : 'on time'} and the product ${i % 5 === 0 ? 'broke' : 'works'}.`, meta: { source: ['web', 'mail', 'phone'][i % 3] } })).join('\n')}\n`);
  await writeFile(scores, `${ids.map((id, i) => JSON.stringify({ id, score: probability(i) })).join('\n')}\n`);
  log(`pool of ${ITEMS} items and their scores written; moto_server at ${moto.endpoint}`);

  const problems: string[] = [];
  const runs: number[] = [];
  let requests: ReturnType<typeof summarizeCounts> | undefined;
  let puts = 0;
  for (let run = 0; run < RUNS; run += 1) {
    const project = `reviews-${run + 1}`;
    await createProject(target, { name: project, recipe: 'textcat.manual', labels: ['POSITIVE', 'NEGATIVE'], regions: ['emea'], batchSize: SIZE, createdBy: 'bench' });
    const store = openStore(join(workDir, `lead-${run}.db`));
    try {
      const started = performance.now();
      const { value, counts } = await countRequests(client, () => createBatches(target, { project, region: 'emea', poolFile: pool, scoresFile: scores, strategy: 'uncertainty', size: SIZE, count: COUNT, createdBy: 'bench', index: store.lead }));
      const ms = performance.now() - started;
      runs.push(ms);
      requests = summarizeCounts(counts);
      puts = counts.PutObjectCommand ?? 0;
      if (value.created.length !== COUNT || value.created.some((c) => c.tasks !== SIZE)) problems.push(`run ${run + 1}: made ${value.created.length} batches`);
      if (value.remaining !== ITEMS - SIZE * COUNT) problems.push(`run ${run + 1}: ${value.remaining} items left, expected ${ITEMS - SIZE * COUNT}`);
      log(`run ${run + 1}/${RUNS}: ${Math.round(ms)} ms, ${JSON.stringify(counts)}`);
    } finally {
      store.close();
    }
  }
  client.destroy();
  const floorRuns: number[] = [];
  for (let i = 0; i < RUNS; i += 1) floorRuns.push(await parseFloor([pool, scores]));
  const ferry = median(runs);
  const floor = median(floorRuns);
  const measurements: Measurement[] = [
    { tool: 'ferry', label: `createBatches --strategy uncertainty --size ${SIZE} --count ${COUNT} over ${ITEMS} items`, runsMs: runs.map(Math.round), medianMs: ferry === null ? null : Math.round(ferry), notes: requests ? [`${puts} PUT, ${requests.get} GET, ${requests.list} list requests`] : [] },
    { tool: 'parse-floor', label: 'node readline + JSON.parse of the pool and scores files', runsMs: floorRuns.map(Math.round), medianMs: floor === null ? null : Math.round(floor) },
    { tool: 'target', label: 'the issue\'s target', runsMs: [], medianMs: TARGET_MS },
  ];
  emitResult({
    name: 'batch-create',
    title: `Batch creation: ${ITEMS} items ranked by uncertainty, ${COUNT} batches of ${SIZE}`,
    setup: `pool and scores JSONL on local disk; loopback moto_server; fresh project and local index per run; median of ${RUNS}`,
    measurements,
    ratios: [ratioOf('ferry/5s-target', ferry, TARGET_MS, 1, '≤ 1.00 (5 s)'), ratioOf('ferry/parse-floor', ferry, floor)],
    metrics: { items: ITEMS, batches: COUNT, putRequests: puts, getRequests: requests?.get ?? null, listRequests: requests?.list ?? null },
    ok: problems.length === 0 && ferry !== null,
    problems,
  });
}

try {
  await main();
} finally {
  await closeScratch();
}
