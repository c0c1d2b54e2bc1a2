// Publish: 100,000 harvested answers through Ferry's real seal + outbox path (one "Sync now" round) against `aws s3 cp`
// of the same bytes as one file, same loopback moto_server, same run. Targets (issue 4): ≤ 1.5× the aws cli time,
// peak RSS under 300 MB, at most one PUT per 1,000 answers.
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { closeScratch, openScratch } from './lib/scratch.ts';
import { createS3Client } from '../electron/s3/client.ts';
import { emitResult } from './lib/result.ts';
import { gnuTimeUsable, loopbackEnv } from './lib/process.ts';
import { runRounds } from './lib/rounds.ts';
import { awsCpCommand, runAwsCp, runFerry, type RunOutcome } from './publish/contenders.ts';
import { seedPublish } from './publish/seed.ts';
import { summarisePublish } from './publish/summary.ts';
import { peerWorks } from './pull/contenders.ts';

const ANSWERS = Number(process.env.BENCH_PUBLISH_ANSWERS ?? 100_000);
const PER_BATCH = Number(process.env.BENCH_PUBLISH_PER_BATCH ?? 10_000);
const RUNS = Number(process.env.BENCH_PUBLISH_RUNS ?? 3);
// Another checkout of Ferry (e.g. the commit before an optimisation) to time side by side with this one.
const COMPARE = process.env.FERRY_BENCH_PUBLISH_COMPARE;

function log(line: string): void {
  process.stderr.write(`[publish] ${line}\n`);
}


async function main(): Promise<void> {
  const { moto, workDir } = await openScratch('ferry-bench-publish-');
  Object.assign(process.env, loopbackEnv(workDir)); // this process's own checks use the same test credentials
  log(`moto_server at ${moto.endpoint}; seeding ${ANSWERS} answers in batches of ${PER_BATCH}`);
  const seeded = await seedPublish(moto.endpoint, workDir, { answers: ANSWERS, perBatch: PER_BATCH, log });
  const template = { dataDir: seeded.config.dataDir, config: seeded.config };
  const client = createS3Client(seeded.config);
  const withTime = await gnuTimeUsable();
  if (!withTime) log('GNU time (/usr/bin/time) is missing: no peak RSS for aws; Ferry samples its own RSS');
  const problems: string[] = [];
  try {
    // A first, untimed Ferry run warms the server and gives the exact bytes Ferry publishes, for aws to copy.
    const warm = await runFerry(template, join(workDir, 'warm-up'), client, seeded.answers, { withTime });
    if (!warm.ok) throw new Error(`Ferry's warm-up publish failed: ${warm.problem}`);
    const sameBytes = join(workDir, 'answers.jsonl');
    await writeFile(sameBytes, warm.published!);
    log(`warm-up: ${warm.chunks} chunks, ${warm.published!.length} bytes, ${warm.ms.toFixed(0)} ms`);

    const aws = awsCpCommand();
    const awsBroken = aws ? await peerWorks(aws, ['--version'], workDir) : 'aws is not installed (install: apt-get install -y awscli, or pip install awscli)';
    if (awsBroken) log(`SKIPPING aws: ${awsBroken}`);
    type Contender = { tool: string; run: (dir: string) => Promise<RunOutcome> };
    const contenders: Contender[] = [{ tool: 'ferry', run: (dir) => runFerry(template, dir, client, seeded.answers, { withTime }) }];
    if (COMPARE) contenders.push({ tool: 'ferry-compare', run: (dir) => runFerry(template, dir, client, seeded.answers, { withTime, source: COMPARE }) });
    if (!awsBroken) contenders.push({ tool: 'aws', run: (dir) => runAwsCp(aws!, sameBytes, warm.published!.length, seeded.config, client, dir, withTime) });

    const loadBefore = loadavg()[0]!;
    const outcomes = await runRounds(contenders, RUNS, workDir, log);
    emitResult(
      summarisePublish(outcomes, awsBroken, { answers: seeded.answers, batches: seeded.batches, bytes: warm.published!.length, chunks: warm.chunks!, answerBytes: seeded.answerBytes, runs: RUNS, withTime, problems }, {
        loadAverage1mBeforeAfter: `${loadBefore.toFixed(2)} → ${loadavg()[0]!.toFixed(2)} (${cpus().length} cores; other work on the machine inflates times)`,
      }),
    );
  } finally {
    client.destroy();
  }
}

try {
  await main();
} finally {
  await closeScratch();
}
