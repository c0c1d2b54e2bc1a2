// Network fault test (issue 4): our fault proxy sits between Ferry and moto_server and injects, one after the other,
// connection resets mid-body (request and response side, and after S3 stored the object), stalls longer than the
// client's idle timeout, 503 SlowDown and 500 bursts, then a full outage (blackhole, then refused connections).
// Meanwhile the annotator keeps answering in Prodigy (the stand-in, started by Ferry's own Open) and the harvest keeps
// recording; the queue grows and is reported; after recovery it drains to zero, with every answer in S3 exactly once.
import { afterAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/host/core.ts';
import type { PhaseEvent } from '../../electron/sync/sync-service.ts';
import { batchPaths } from '../../electron/workspace/paths.ts';
import type { StatusView, SyncEvent } from '../../shared/api.ts';
import { startFaultProxy, type FaultProxy, type FaultRule } from '../helpers/s3-fault-proxy.ts';
import { s3Endpoint } from '../helpers/s3-fixture.ts';
import { makeWorkspaceConfig } from '../helpers/workspace-fixture.ts';
import { cleanupStandins } from '../prodigy-standin/harness.ts';
import { closeWorlds, PROJECT, publishedLines, seedBatches, until } from '../integration/sync/sync-kit.ts';
import { exactlyOnce, type PublishedLine } from './fixtures/exactly-once.ts';
import { prodigyRest, seededRng } from './fixtures/prodigy-annotator.ts';

const SEED = Number(process.env.FAULT_SEED ?? Date.now() % 1_000_000);
const IDLE_TIMEOUT_MS = 800; // the data client's idle timeout here; stalls are longer than this

let core: Core | undefined;
let proxy: FaultProxy | undefined;
afterAll(async () => {
  await core?.close();
  await proxy?.stop();
  await closeWorlds();
  await cleanupStandins();
});

describe('network: resets, stalls, 5xx bursts and an outage between Ferry and S3', () => {
  it(`keeps annotating, reports the queue, and drains it exactly once after recovery (seed ${SEED})`, { timeout: 240_000 }, async () => {
    const rng = seededRng(SEED);
    proxy = await startFaultProxy(s3Endpoint());
    const made = await makeWorkspaceConfig({ endpoint: proxy.endpoint });
    const phases: PhaseEvent[] = [];
    const events: SyncEvent[] = [];
    core = createCore({
      configPath: made.configPath,
      host: 'cli',
      version: '0.0.0-fault',
      annotator: { harvestIntervalMs: 200 },
      // Short timeouts so a stall or a blackhole costs seconds, not minutes; two SDK attempts per request.
      s3: { maxAttempts: 2, idleTimeoutMs: IDLE_TIMEOUT_MS, connectionTimeoutMs: 500 },
      sync: { autoSync: true, publish: { everyAnswers: 4, everyMs: 300, maxChunkAnswers: 4 }, concurrency: 2, idlePollMs: 300, probeTimeoutMs: 600, probeBackoffMs: { base: 100, max: 400 }, eventThrottleMs: 20, onPhase: (e) => phases.push(e) },
    });
    core.on('sync', (e) => events.push(e));
    const [batch] = await seedBatches(made, 400, 400); // the lead writes straight to moto, not through the proxy
    const claimed = await core.annotator.claimNext();
    const opened = await core.annotator.open(claimed.id);
    const home = batchPaths(made.config.dataDir, PROJECT, 'emea', batch!).prodigyHome;
    const rest = prodigyRest(opened.url, home, PROJECT, `${PROJECT}-${made.config.annotator}`, rng, opened.login);
    let total = 0;
    const person = { answer: async (n: number) => (total += await rest.answerNew(n)) };
    const { store } = await core.workspaces.get();
    const recorded = () => store.countAnswers(claimed.id).total;
    let answered = await person.answer(8);
    await until(() => expect(recorded()).toBe(answered));

    const faults = () => Object.values(proxy!.faults()).reduce((a, b) => a + b, 0);
    // Each scenario: set its rules, keep answering, and wait until every fault it armed has really been injected.
    async function scenario(name: string, rules: readonly FaultRule[]): Promise<void> {
      const armed = rules.reduce((n, r) => n + (r.times ?? 1), 0);
      const before = faults();
      proxy!.setRules(rules);
      for (let i = 0; faults() - before < armed; i += 1) {
        answered = await person.answer(3 + Math.floor(rng() * 4));
        await until(() => expect(recorded()).toBe(answered), 20_000); // the harvest keeps recording throughout
        await new Promise((resolve) => setTimeout(resolve, 250));
        if (i > 200) throw new Error(`scenario ${name}: only ${faults() - before} of ${armed} faults were injected`);
      }
      proxy!.setRules([]);
    }
    const results = { kinds: ['put-object' as const], keyIncludes: '/results/' };
    await scenario('reset mid request body', [{ match: results, action: { kind: 'reset', side: 'request', afterBytes: 300 }, times: 3 }]);
    await scenario('reset after S3 stored it', [{ match: results, action: { kind: 'reset', side: 'response', afterBytes: 0 }, times: 3 }]);
    await scenario('reset mid response body', [{ match: { kinds: ['get-object'], keyIncludes: '/claims/' }, action: { kind: 'reset', side: 'response', afterBytes: 40 }, times: 2 }]);
    await scenario('stalled responses', [
      { match: results, action: { kind: 'stall', ms: IDLE_TIMEOUT_MS * 3 }, times: 2 },
      { match: { kinds: ['get-object'], keyIncludes: '/claims/' }, action: { kind: 'stall', ms: IDLE_TIMEOUT_MS * 3, side: 'body', afterBytes: 20 }, times: 1 },
    ]);
    await scenario('503 SlowDown burst', [{ match: { kinds: ['put-object'] }, action: { kind: 'deny', status: 503, code: 'SlowDown', message: 'Please reduce your request rate.' }, times: 6 }]);
    await scenario('500 burst', [{ match: {}, action: { kind: 'deny', status: 500, code: 'InternalError', message: 'We encountered an internal error. Please try again.' }, times: 4 }]);

    // A full outage: first a blackhole (connections accepted, never answered), then refused connections.
    const offlineFrom = events.length;
    const probesFrom = phases.filter((p) => p.phase === 'probe').length;
    const outageStarted = Date.now();
    await proxy.setOutage('blackhole');
    const atOutage = answered;
    const probesSoFar = () => phases.filter((p) => p.phase === 'probe').length;
    // Each half lasts until Ferry has probed the dead link a few times, answering all along.
    async function annotateThrough(probes: number): Promise<void> {
      const until_ = probesSoFar() + probes;
      while (probesSoFar() < until_) {
        answered = await person.answer(2);
        await until(() => expect(recorded()).toBe(answered), 20_000);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
    await annotateThrough(3);
    await until(() => expect(events.at(-1)?.state).toBe('offline'), 30_000);
    await proxy.setOutage('refuse');
    await annotateThrough(3);
    // The queue grew while offline and is reported, in the sync events and in status.get.
    const status = (await core.dispatch('status.get', {})) as { ok: true; value: StatusView };
    await until(() => expect(events.at(-1)).toMatchObject({ state: 'offline', answersWaiting: expect.any(Number) }));
    const waitingOffline = Math.max(...events.slice(offlineFrom).map((e) => (e.answersWaiting ?? 0) + e.pending));
    expect(status.value.sync).toMatchObject({ state: 'offline' });
    expect((status.value.sync?.answersWaiting ?? 0) + (status.value.sync?.pending ?? 0)).toBeGreaterThanOrEqual(answered - atOutage);
    expect(waitingOffline).toBeGreaterThanOrEqual(answered - atOutage);
    expect(status.value.sync?.message ?? '').toMatch(/Cannot reach|timed out|connection/i);

    // Recovery: the link is back; without anyone pressing Sync now the queue drains to zero.
    await proxy.setOutage(null);
    const outageMs = Date.now() - outageStarted;
    const probes = phases.filter((p) => p.phase === 'probe').length - probesFrom;
    expect(probes).toBeGreaterThan(1); // offline, it probes (with back-off) rather than hammering the uploads
    await until(() => expect(events.at(-1)).toMatchObject({ state: 'online', pending: 0, failed: 0, answersWaiting: 0 }), 90_000);
    const stopped = await core.annotator.stop(claimed.id);
    expect(stopped.answered).toBe(answered);
    await until(() => expect(events.at(-1)).toMatchObject({ state: 'online', pending: 0, failed: 0, answersWaiting: 0 }), 30_000);

    const prodigy = await rest.latest();
    const verdict = exactlyOnce(prodigy, (await publishedLines(made.config, batch)) as unknown as PublishedLine[], made.config.annotator);
    const injected = proxy.faults();
    console.log(
      `network: faults=${faults()} (${Object.entries(injected).map(([k, n]) => `${k} ${n}`).join(', ')}) outage=${(outageMs / 1000).toFixed(1)}s probes=${probes} max-waiting=${waitingOffline} answers=${verdict.answers} published=${verdict.published} lost=${verdict.lost} duplicated=${verdict.duplicated}`,
    );
    expect(verdict.problems).toEqual([]);
    expect(verdict).toMatchObject({ answers: answered, published: answered, lost: 0, duplicated: 0 });
    expect(store.quickCheck()).toBe('ok');
  });
});
