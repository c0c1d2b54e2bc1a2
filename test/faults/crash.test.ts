// Crash test (issue 4): the harvest-and-publish path runs in a child process that is SIGKILLed again and again, at
// named steps across harvesting, sealing, uploading and marking, and at random times; it is restarted on the same
// dataDir each time while the annotator keeps answering (and changing answers) in the Prodigy stand-in. At the end
// S3 must hold every answer of the Prodigy database exactly once, at its current revision.
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../electron/store/store.ts';
import { storePath } from '../../electron/workspace/paths.ts';
import { cleanupStandins } from '../prodigy-standin/harness.ts';
import { closeWorlds, PROJECT, publishedLines, seedBatches, syncWorld } from '../integration/sync/sync-kit.ts';
import { runChild, type KillPlan } from './fixtures/child-run.ts';
import { exactlyOnce, type PublishedLine } from './fixtures/exactly-once.ts';
import { seededRng, startProdigyAnnotator } from './fixtures/prodigy-annotator.ts';

const SEED = Number(process.env.FAULT_SEED ?? Date.now() % 1_000_000);
const RUNS = Number(process.env.FAULT_CRASH_RUNS ?? 24);

// Where a kill can land, by phase of the path; "time" is a kill at a random moment, wherever the child is.
const TARGETS: Record<string, readonly string[]> = {
  harvest: ['phase:harvest', 'record', 'recorded'],
  seal: ['phase:seal', 'seal-commit', 'sealed'],
  upload: ['put-sent', 'put-answered'],
  mark: ['mark', 'marked'],
  timed: ['time'],
};
const PHASE_OF = new Map(Object.entries(TARGETS).flatMap(([phase, steps]) => steps.map((s) => [s, phase] as const)));

afterAll(async () => {
  await closeWorlds();
  await cleanupStandins();
});

describe('crash: SIGKILL across the harvest-and-publish path', () => {
  it(`publishes every answer exactly once after ${RUNS} kills and restarts (seed ${SEED})`, { timeout: 600_000 }, async () => {
    console.log(`crash: seed=${SEED} (FAULT_SEED=${SEED} replays this run)`);
    const rng = seededRng(SEED);
    const world = await syncWorld();
    const [batch] = await seedBatches(world, 600, 600);
    await world.core.annotator.claimNext();
    await world.core.workspaces.reset(); // from here on only the child processes touch ferry.db
    const prodigy = await startProdigyAnnotator(world.config, { project: PROJECT, region: 'emea', batch: batch! }, rng);

    // Every target at least twice, in a seeded random order.
    const all = Object.values(TARGETS).flat();
    const order = Array.from({ length: RUNS }, (_, i) => all[i % all.length]!).sort(() => rng() - 0.5);
    const killsByPhase: Record<string, number> = {};
    const log: string[] = [];
    let answered = 0;
    let revised = 0;
    for (let run = 0; run < RUNS; run += 1) {
      answered += await prodigy.answerNew(6 + Math.floor(rng() * 13));
      if (run > 1) revised += await prodigy.revise(Math.floor(rng() * 4));
      const target = order[run]!;
      const plan: KillPlan = target === 'time' ? { afterMs: Math.floor(rng() * 1_500) } : { at: target, nth: PHASE_OF.get(target) === 'harvest' ? 1 : 1 + Math.floor(rng() * 2) };
      const result = await runChild(world.configPath, plan);
      expect(result.killed, `run ${run} (${JSON.stringify(plan)}) ended by itself with ${result.code}: ${result.stderr}`).toBe(true);
      const phase = result.killedAt === 'idle' ? 'idle' : (PHASE_OF.get(result.killedAt!) ?? 'timed');
      killsByPhase[phase] = (killsByPhase[phase] ?? 0) + 1;
      const last = result.steps.at(-1);
      log.push(`run ${run}: plan ${JSON.stringify(plan)} → killed at ${result.killedAt} after ${result.steps.length} steps (last: ${last?.event ?? 'none'})`);
    }
    console.log(log.join('\n'));
    // The aimed kills must really have hit each phase, or the test proves less than it says.
    for (const phase of ['harvest', 'seal', 'upload', 'mark']) expect(killsByPhase[phase] ?? 0, `kills in ${phase}`).toBeGreaterThanOrEqual(2);

    // One last, uninterrupted run publishes what is left and exits when nothing waits.
    const final = await runChild(world.configPath, { never: true });
    expect(final.code, final.stderr).toBe(0);

    const expected = await prodigy.latest();
    const lines = (await publishedLines(world.config, batch)) as unknown as PublishedLine[];
    const verdict = exactlyOnce(expected, lines, world.config.annotator);
    const kills = Object.values(killsByPhase).reduce((a, b) => a + b, 0);
    console.log(
      `crash: kills=${kills} (${Object.entries(killsByPhase).map(([p, n]) => `${p} ${n}`).join(', ')}) answers=${verdict.answers} revisions=${revised} published=${verdict.published} lost=${verdict.lost} duplicated=${verdict.duplicated}`,
    );
    expect(verdict.problems).toEqual([]);
    expect(kills).toBeGreaterThanOrEqual(20);
    expect(verdict.answers).toBe(answered);
    expect(verdict).toMatchObject({ published: answered, lost: 0, duplicated: 0 });

    const store = openStore(storePath(world.config.dataDir));
    try {
      expect(store.quickCheck()).toBe('ok');
      expect(store.outboxCounts()).toMatchObject({ pending: 0, failed: 0 });
    } finally {
      store.close();
    }
    await prodigy.stop();
  });
});
