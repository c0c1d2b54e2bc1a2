// One Ferry publish in its own process, so /usr/bin/time can report its peak RSS: opens the workspace (a copy of the
// seeded template), then runs one sync round as "Sync now" does (claim checks, seal every answer into chunks, drain
// the outbox) and prints what it took as JSON. PUTs are counted by a middleware on the workspace's own S3 client.
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

// Ferry's code comes from this checkout, or from another one (FERRY_BENCH_SOURCE) to compare two versions in one go.
const SOURCE = process.env.FERRY_BENCH_SOURCE ?? new URL('../../', import.meta.url).pathname;
const { createCore } = (await import(pathToFileURL(join(SOURCE, 'electron/host/core.ts')).href)) as typeof import('../../electron/host/core.ts');

export type FerryPublishReport = {
  readonly publishMs: number; // the sync round alone
  readonly lastSealMs: number; // when, into the round, the last chunk was queued (uploads run beside the seals)
  readonly openMs: number; // opening the workspace (store, clients) before it
  readonly puts: number; // every PutObject the client sent (SDK attempts included)
  readonly chunkPuts: number; // of those, answer chunks under results/
  readonly otherRequests: Readonly<Record<string, number>>;
  readonly state: string;
  readonly pending: number;
  readonly answersWaiting: number;
  readonly cpuMs: number;
  readonly rssSampledPeakBytes: number | null;
  readonly outboxDir: string;
};

async function main(): Promise<void> {
  const configPath = process.argv[2]!;
  const opening = performance.now();
  const core = createCore({ configPath, host: 'cli', version: '0.0.0-bench' });
  const ws = await core.workspaces.get();
  const openMs = performance.now() - opening;
  let puts = 0;
  let chunkPuts = 0;
  const otherRequests: Record<string, number> = {};
  ws.client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = context.commandName ?? 'unknown';
      if (name === 'PutObjectCommand') {
        puts += 1;
        if (((args.input as { Key?: string }).Key ?? '').includes('/results/')) chunkPuts += 1;
      } else otherRequests[name] = (otherRequests[name] ?? 0) + 1;
      return await next(args);
    },
    { step: 'finalizeRequest', name: 'benchCountRequests', priority: 'low' },
  );
  let lastSeal = 0;
  const sealChunk = ws.store.sealChunk.bind(ws.store);
  ws.store.sealChunk = (input) => {
    const outcome = sealChunk(input);
    lastSeal = performance.now();
    return outcome;
  };
  let rssPeak = process.memoryUsage.rss();
  // Sampling costs CPU in the measured process, so it runs only when GNU time cannot report the peak instead.
  const sampler = process.env.FERRY_BENCH_SAMPLE_RSS ? setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage.rss())), 20) : undefined;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const event = await core.sync.syncNow({ harvest: 'none' });
  const ended = performance.now();
  const publishMs = ended - started;
  const cpu = process.cpuUsage(cpuBefore);
  clearInterval(sampler);
  await core.close();
  const report: FerryPublishReport = {
    publishMs,
    lastSealMs: lastSeal - started,
    openMs,
    puts,
    chunkPuts,
    otherRequests,
    state: event.state,
    pending: event.pending,
    answersWaiting: event.answersWaiting ?? 0,
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    rssSampledPeakBytes: sampler ? Math.max(rssPeak, process.memoryUsage.rss()) : null,
    outboxDir: ws.outboxDir,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

await main();
