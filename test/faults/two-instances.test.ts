// Two (here three) Ferry instances of the same annotator on one machine and one dataDir: the app's core with its
// background sync and Prodigy open, a second Ferry process running the harvest-and-publish loop, and `ferry sync`
// run again and again from the shell, all while the annotator answers and changes answers. It is designed to be safe
// without a lock (docs/sync.md, "Two Ferry processes on one data folder"): a seal re-checks inside one BEGIN IMMEDIATE
// transaction that its answers are still unsealed at the revision it holds before it takes the next sequence number,
// chunk files are content-addressed, taking a job is one atomic UPDATE … RETURNING, and every upload is create-once.
// The database must stay intact (quick_check) and S3 must list each answer once.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/host/core.ts';
import { openStore } from '../../electron/store/store.ts';
import { batchPaths, storePath } from '../../electron/workspace/paths.ts';
import { parseResultChunkKey } from '../../shared/s3-layout.ts';
import { ferry } from '../helpers/cli.ts';
import { makeWorkspaceConfig } from '../helpers/workspace-fixture.ts';
import { cleanupStandins } from '../prodigy-standin/harness.ts';
import { rawKeys } from '../integration/annotator/errors/error-kit.ts';
import { closeWorlds, markerKey, PROJECT, publishedLines, resultsOf, seedBatches } from '../integration/sync/sync-kit.ts';
import { CHILD, type ChildStep } from './fixtures/child-run.ts';
import { exactlyOnce, type PublishedLine } from './fixtures/exactly-once.ts';
import { prodigyRest, seededRng } from './fixtures/prodigy-annotator.ts';

const SEED = Number(process.env.FAULT_SEED ?? Date.now() % 1_000_000);
const TUNING = JSON.stringify({ publish: { everyAnswers: 1, everyMs: 0, maxChunkAnswers: 3 }, idlePollMs: 200 });

let core: Core | undefined;
afterAll(async () => {
  await core?.close();
  await closeWorlds();
  await cleanupStandins();
});

function startLoopChild(configPath: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, configPath], { env: { ...process.env, FAULT_STEP: '0', FAULT_CHUNK_ANSWERS: '3' }, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-20_000)));
  const steps: ChildStep[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (line.startsWith('{')) steps.push(JSON.parse(line) as ChildStep);
  });
  const exited = once(child, 'exit') as Promise<[number | null]>;
  return {
    steps,
    stderr: () => stderr,
    async stop(): Promise<number | null> {
      child.stdin.write('stop\n');
      const [code] = await exited;
      return code;
    },
  };
}

describe('two Ferry instances of one annotator on one dataDir', () => {
  it(`never corrupt ferry.db nor publish an answer twice, under load (seed ${SEED})`, { timeout: 300_000 }, async () => {
    const rng = seededRng(SEED);
    const made = await makeWorkspaceConfig();
    // Instance 1: the app's core, background sync on, sealing as soon as anything waits.
    core = createCore({ configPath: made.configPath, host: 'cli', version: '0.0.0-fault', annotator: { harvestIntervalMs: 150 }, sync: { autoSync: true, publish: { everyAnswers: 1, everyMs: 0, maxChunkAnswers: 3 }, idlePollMs: 200, concurrency: 2 } });
    const [batch] = await seedBatches(made, 400, 400);
    const claimed = await core.annotator.claimNext();
    const opened = await core.annotator.open(claimed.id);
    const ws = await core.workspaces.get();
    let appSealed = 0;
    let appStale = 0;
    const sealChunk = ws.store.sealChunk.bind(ws.store);
    ws.store.sealChunk = (input) => {
      const outcome = sealChunk(input);
      if (outcome.state === 'sealed') appSealed += 1;
      else appStale += 1;
      return outcome;
    };
    const home = batchPaths(made.config.dataDir, PROJECT, 'emea', batch!).prodigyHome;
    const person = prodigyRest(opened.url, home, PROJECT, `${PROJECT}-${made.config.annotator}`, rng, opened.login);

    // Instance 2: another Ferry process's harvest-and-publish loop; instance 3: `ferry sync`, over and over.
    const loop = startLoopChild(made.configPath);
    let cliRuns = 0;
    let stopCli = false;
    const cliLoop = (async () => {
      while (!stopCli) {
        const run = await ferry(['sync', '--json', '--config', made.configPath], { env: { FERRY_SYNC_TUNING: TUNING } });
        if (run.code !== 0 && run.code !== 1) throw new Error(`ferry sync crashed (${run.code}): ${run.stderr}`);
        cliRuns += 1;
      }
    })();

    let answered = 0;
    let revised = 0;
    for (let slice = 0; slice < 60; slice += 1) {
      answered += await person.answerNew(3 + Math.floor(rng() * 5));
      if (slice % 5 === 4) revised += await person.revise(3);
      await new Promise((resolve) => setTimeout(resolve, 40 + Math.floor(rng() * 120)));
    }
    stopCli = true;
    await cliLoop;
    expect(await loop.stop(), loop.stderr()).toBe(0);
    const closed = loop.steps.find((s) => s.event === 'closed') as ChildStep & { sealed: number; stale: number };

    // The app finishes: Stop harvests the last answers, Submit publishes the rest and the marker.
    expect((await core.annotator.stop(claimed.id)).answered).toBe(answered);
    const submitted = await core.annotator.submit(claimed.id);
    const unfinished = ws.store.listJobs({ state: ['queued', 'active', 'failed', 'needs-attention'] }).map((j) => `${j.kind} ${j.targetKey} ${j.state}: ${j.lastError ?? ''}`);
    expect(submitted.state, unfinished.join('\n')).toBe('submitted');
    const final = await ferry(['sync', '--json', '--config', made.configPath]);
    expect(final.code, final.stderr).toBe(0);
    expect(JSON.parse(final.stdout)).toMatchObject({ ok: true, pending: 0, failed: 0 });

    const verdict = exactlyOnce(await person.latest(), (await publishedLines(made.config, batch)) as unknown as PublishedLine[], made.config.annotator);
    const seqs = (await rawKeys(made.config.bucket, resultsOf(made.config, batch))).map((k) => parseResultChunkKey(made.config.prefix, k)!.seq);
    const quick = ws.store.quickCheck();
    console.log(
      `two-instances: app sealed=${appSealed} stale=${appStale}; loop process sealed=${closed.sealed} stale=${closed.stale}; ferry sync runs=${cliRuns}; chunks=${seqs.length} answers=${verdict.answers} revisions=${revised} published=${verdict.published} lost=${verdict.lost} duplicated=${verdict.duplicated} quick_check=${quick}`,
    );
    // Both long-lived instances really sealed, so they raced for the same answers.
    expect(appSealed).toBeGreaterThan(0);
    expect(closed.sealed).toBeGreaterThan(0);
    expect(verdict.problems).toEqual([]);
    expect(verdict).toMatchObject({ answers: answered, published: answered, lost: 0, duplicated: 0 });
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i)); // no sequence number used twice or skipped
    expect(await rawKeys(made.config.bucket, markerKey(made.config, batch!))).toHaveLength(1);
    expect(quick).toBe('ok');
    await core.close();
    core = undefined;
    const reopened = openStore(storePath(made.config.dataDir));
    try {
      expect(reopened.quickCheck()).toBe('ok');
      expect(reopened.outboxCounts()).toMatchObject({ pending: 0, failed: 0 });
    } finally {
      reopened.close();
    }
  });
});
