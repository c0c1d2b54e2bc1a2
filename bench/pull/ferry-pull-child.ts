// One cold-cache Ferry pull in its own process, so /usr/bin/time can report its peak RSS; prints timings as JSON.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { performance } from 'node:perf_hooks';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BatchManifest } from '../../shared/batch.ts';
import type { WorkspaceConfig } from '../../shared/config.ts';

// Ferry's code comes from this checkout, or from another one (FERRY_BENCH_SOURCE) to compare two versions in one go.
const SOURCE = process.env.FERRY_BENCH_SOURCE ?? new URL('../../', import.meta.url).pathname;
async function load<T>(relative: string): Promise<T> {
  return (await import(pathToFileURL(join(SOURCE, relative)).href)) as T;
}
const { BatchManifestSchema } = await load<typeof import('../../shared/batch.ts')>('shared/batch.ts');
const { batchManifestKey } = await load<typeof import('../../shared/s3-layout.ts')>('shared/s3-layout.ts');
const { pullBatch } = await load<typeof import('../../electron/pull/pull-batch.ts')>('electron/pull/pull-batch.ts');
const { createS3Client } = await load<typeof import('../../electron/s3/client.ts')>('electron/s3/client.ts');
const { getJson } = await load<typeof import('../../electron/s3/objects.ts')>('electron/s3/objects.ts');
const { batchPaths } = await load<typeof import('../../electron/workspace/paths.ts')>('electron/workspace/paths.ts');

type Job = { readonly config: WorkspaceConfig; readonly manifest: BatchManifest; readonly concurrency?: number };

export type FerryPullReport = {
  readonly pullMs: number;
  readonly files: number;
  readonly bytes: number;
  readonly progressEvents: number;
  readonly pullCpuMs: number; // user + system CPU of this process during the pull alone
  readonly mainThreadCpuMs: number | null; // the part of it on the JS thread (Linux /proc, 10 ms ticks); the rest is libuv's pool
  readonly eventLoopBusy: number; // share of the pull the event loop was busy (performance.eventLoopUtilization)
  readonly rssBeforeBytes: number;
  readonly rssSampledPeakBytes: number | null;
  readonly root: string;
};

// utime + stime of the main thread alone (fields 14 and 15 of /proc/self/task/PID/stat, in clock ticks of 10 ms).
function mainThreadCpuMs(): number | null {
  try {
    const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

async function startProfiler(): Promise<Session> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  return session;
}

async function stopProfiler(session: Session, file: string): Promise<void> {
  const { profile } = await session.post('Profiler.stop');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(profile));
  session.disconnect();
}

async function main(): Promise<void> {
  const job = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as Job;
  const { config, manifest } = job;
  const client = createS3Client(config, { verifiedByCaller: true }); // as the app's pull client; credentials from the env chain
  // In the app the client is warm by the time a pull starts (it just listed and claimed the batch); so here it reads
  // the manifest first, and the clock covers the pull alone. The whole process is timed by the parent as well.
  await getJson(client, config.bucket, batchManifestKey(config.prefix, manifest.project, manifest.region, manifest.batch), BatchManifestSchema);
  const paths = batchPaths(config.dataDir, manifest.project, manifest.region, manifest.batch);
  let progressEvents = 0;
  const rssBefore = process.memoryUsage.rss();
  let rssPeak = rssBefore;
  // Sampling costs CPU in the measured process, so it runs only when GNU time cannot report the peak instead.
  const sampler = process.env.FERRY_BENCH_SAMPLE_RSS
    ? setInterval(() => {
        rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
      }, 20)
    : undefined;
  // FERRY_BENCH_CPU_PROFILE=<folder>: a CPU profile of the pull alone (start-up and the warm-up GET left out), one per run.
  const profileFolder = process.env.FERRY_BENCH_CPU_PROFILE;
  const profiler = profileFolder ? await startProfiler() : undefined;
  const cpuBefore = process.cpuUsage();
  const mainBefore = mainThreadCpuMs();
  const loopBefore = performance.eventLoopUtilization();
  const started = performance.now();
  const result = await pullBatch({ client, bucket: config.bucket, prefix: config.prefix }, manifest, paths, {
    ...(job.concurrency ? { concurrency: job.concurrency } : {}),
    onProgress: () => {
      progressEvents += 1;
    },
  });
  const pullMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const mainAfter = mainThreadCpuMs();
  const loop = performance.eventLoopUtilization(loopBefore);
  if (profiler) await stopProfiler(profiler, join(profileFolder!, `pull-${process.pid}.cpuprofile`));
  clearInterval(sampler);
  rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
  client.destroy();
  const report: FerryPullReport = {
    pullMs,
    files: result.filesDone,
    bytes: result.bytesDone,
    progressEvents,
    pullCpuMs: Math.round((cpu.user + cpu.system) / 1000),
    mainThreadCpuMs: mainBefore !== null && mainAfter !== null ? mainAfter - mainBefore : null,
    eventLoopBusy: Math.round(loop.utilization * 100) / 100,
    rssBeforeBytes: rssBefore,
    rssSampledPeakBytes: sampler ? rssPeak : null,
    root: paths.root,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

await main();
