// Batch pull: Ferry's pullBatch against rclone and aws s3 sync, same objects, same loopback moto_server, same run.
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { closeScratch, openScratch } from './lib/scratch.ts';
import { emitResult } from './lib/result.ts';
import { gnuTimeUsable } from './lib/process.ts';
import { runRounds } from './lib/rounds.ts';
import { peerWorks, runFerry, runPeer } from './pull/contenders.ts';
import { awsSyncCommand, INSTALL_HINTS, rcloneCommand, versionArgs, type PeerCommand, type PeerSource } from './pull/peers.ts';
import { seedPull } from './pull/seed.ts';
import { summarisePull, type Contender } from './pull/summary.ts';
import type { ExpectedFile } from './pull/verify.ts';

const ASSETS = Number(process.env.BENCH_PULL_ASSETS ?? 200);
const BYTES = Number(process.env.BENCH_PULL_BYTES ?? 256 * 1024);
const RUNS = Number(process.env.BENCH_PULL_RUNS ?? 3);
const TRANSFERS = 16; // Ferry's default pull concurrency; rclone gets the same
// Another checkout of Ferry (e.g. the commit before an optimisation) to time side by side with this one.
const COMPARE = process.env.FERRY_BENCH_PULL_COMPARE;

function log(line: string): void {
  process.stderr.write(`[pull] ${line}\n`);
}


async function main(): Promise<void> {
  const { moto, workDir } = await openScratch('ferry-bench-pull-');
  log(`moto_server at ${moto.endpoint}; seeding ${ASSETS} × ${BYTES / 1024} KiB`);
  const seeded = await seedPull(moto.endpoint, workDir, { count: ASSETS, bytes: BYTES });
  const { config, manifest } = seeded;
  log(`batch ${manifest.batch}: ${manifest.tasks.count} tasks, ${manifest.assets.length} assets`);

  const byName = new Map<string, ExpectedFile>(seeded.assets.map((a) => [a.name, { sha256: a.sha256, bytes: a.bytes }]));
  // Ferry stores assets by content (assets/<sha256>.jpg); the peers keep the source names.
  const byContent = new Map<string, ExpectedFile>(manifest.assets.map((a) => [a.path.replace(/^assets\//, ''), { sha256: a.sha256, bytes: a.bytes }]));
  const source: PeerSource = { endpoint: moto.endpoint, bucket: config.bucket, prefix: seeded.assetPrefix, transfers: TRANSFERS };

  const withTime = await gnuTimeUsable();
  if (!withTime) log('GNU time (/usr/bin/time) is missing: no CPU or peak-RSS figures for the peers; Ferry samples its own RSS');
  const loadBefore = loadavg()[0]!;
  const skipped = new Map<string, string>();
  const contenders: Contender[] = [{ tool: 'ferry', label: `Ferry pullBatch (concurrency ${TRANSFERS})`, run: (dir) => runFerry(config, manifest, dir, byContent, { withTime, concurrency: TRANSFERS }) }];
  if (COMPARE) {
    contenders.push({ tool: 'ferry-compare', label: `Ferry pullBatch from ${COMPARE}`, run: (dir) => runFerry(config, manifest, dir, byContent, { withTime, concurrency: TRANSFERS, source: COMPARE }) });
  }
  const peers: [string, (dest: string) => PeerCommand | null][] = [
    ['rclone', (dest) => rcloneCommand(source, dest)],
    ['aws', (dest) => awsSyncCommand(source, dest)],
  ];
  for (const [tool, make] of peers) {
    const probe = make(join(workDir, 'probe'));
    const broken = probe ? await peerWorks(probe.command, versionArgs(tool), workDir) : `${tool} is not installed (install: ${INSTALL_HINTS[tool]})`;
    if (broken) {
      skipped.set(tool, broken);
      log(`SKIPPING ${tool}: ${broken}`);
      continue;
    }
    contenders.push({ tool, label: probe!.label, run: (dest) => runPeer(make(dest)!, dest, byName, withTime) });
  }

  const outcomes = await runRounds(contenders, RUNS, workDir, log);

  const load = (n: number): string => n.toFixed(2);
  emitResult(
    summarisePull(contenders, outcomes, skipped, { assets: ASSETS, bytes: BYTES, transfers: TRANSFERS, runs: RUNS }, {
      loadAverage1mBeforeAfter: `${load(loadBefore)} → ${load(loadavg()[0]!)} (${cpus().length} cores; other work on the machine inflates times)`,
    }),
  );
}

try {
  await main();
} finally {
  await closeScratch();
}
