// The heartbeat for the lead's view: projects/P/heartbeats/R/A.json says when the annotator was last seen, how many
// answers wait, which batches they hold and the app version; created once with If-None-Match, then replaced by CAS.
import { afterEach, describe, expect, it } from 'vitest';
import type { AnswerInput } from '../../../electron/store/store.ts';
import { startFaultProxy, type FaultProxy } from '../../helpers/s3-fault-proxy.ts';
import { s3Endpoint } from '../../helpers/s3-fixture.ts';
import { rawGet } from '../annotator/errors/error-kit.ts';
import { closeWorlds, PROJECT, seedBatches, syncWorld } from './sync-kit.ts';

const proxies: FaultProxy[] = [];
afterEach(async () => {
  await closeWorlds();
  for (const proxy of proxies.splice(0)) await proxy.stop();
});

function answer(taskHash: number): AnswerInput {
  return { taskHash, inputHash: taskHash, answer: 'accept', content: { text: `t${taskHash}`, meta: { task_id: `t-${taskHash}` }, _task_hash: taskHash, _input_hash: taskHash, answer: 'accept' } };
}

describe('heartbeat', () => {
  it('writes the annotator heartbeat with what waits, then replaces it by If-Match on the ETag it wrote', async () => {
    const proxy = await startFaultProxy(s3Endpoint());
    proxies.push(proxy);
    // heartbeatMs 0: every round writes one, so the test sees the create and the replace.
    const world = await syncWorld({ endpoint: proxy.endpoint, sync: { heartbeatMs: 0 } });
    await seedBatches(world, 4, 2);
    const first = await world.core.annotator.claimNext();
    const second = await world.core.annotator.claimNext();
    const { store } = await world.core.workspaces.get();
    store.recordAnswers(first.id, 'alice', [answer(1), answer(2), answer(3)]);
    proxy.setRules([{ match: { kinds: ['put-object'], keyIncludes: '/results/' }, action: { kind: 'deny' } }]); // the answers cannot leave

    await world.core.annotator.syncNow();
    const key = `${world.config.prefix}projects/${PROJECT}/heartbeats/emea/alice.json`;
    const beat = JSON.parse((await rawGet(world.config.bucket, key)).toString('utf8'));
    expect(beat).toMatchObject({ kind: 'ferry.heartbeat', version: 1, project: PROJECT, region: 'emea', annotator: 'alice', answersWaiting: 3, appVersion: '0.0.0-test', host: 'cli' });
    expect(beat.batchesHeld.sort()).toEqual([first.id, second.id].sort());
    expect(Date.now() - new Date(beat.lastSeenAt).getTime()).toBeLessThan(60_000);

    proxy.setRules([]);
    await world.core.annotator.syncNow(); // the chunk goes out; the next heartbeat says nothing waits
    const again = JSON.parse((await rawGet(world.config.bucket, key)).toString('utf8'));
    expect(again.answersWaiting).toBe(0);
    expect(new Date(again.lastSeenAt).getTime()).toBeGreaterThanOrEqual(new Date(beat.lastSeenAt).getTime());

    const writes = proxy.requests.filter((r) => r.kind === 'put-object' && r.key === key);
    expect(writes.length).toBeGreaterThanOrEqual(2);
    expect(writes[0]!.headers['if-none-match']).toBe('*');
    expect(writes.slice(1).every((w) => typeof w.headers['if-match'] === 'string' && w.headers['if-none-match'] === undefined)).toBe(true);
  });
});
