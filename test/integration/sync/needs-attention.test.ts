// A 403 on PUT (the credentials may not write results): the chunk needs attention with a sentence naming the key and
// the permission, background rounds do not retry it, `ferry sync` exits non-zero saying so, and once the permission
// is fixed one Sync now publishes it.
import { afterEach, describe, expect, it } from 'vitest';
import { ferry } from '../../helpers/cli.ts';
import { startFaultProxy, type FaultProxy } from '../../helpers/s3-fault-proxy.ts';
import { s3Endpoint } from '../../helpers/s3-fixture.ts';
import type { AnswerInput } from '../../../electron/store/store.ts';
import { rawKeys } from '../annotator/errors/error-kit.ts';
import { closeWorlds, resultsOf, seedBatches, syncWorld, ticks, until } from './sync-kit.ts';

const proxies: FaultProxy[] = [];
afterEach(async () => {
  await closeWorlds();
  for (const proxy of proxies.splice(0)) await proxy.stop();
});

// What a harvest of Prodigy's db-out stores for an answered task.
function answer(taskHash: number, value: AnswerInput['answer']): AnswerInput {
  const taskId = `item-${String(taskHash).padStart(4, '0')}`;
  return { taskHash, inputHash: taskHash + 1000, answer: value, content: { text: `Task ${taskId}`, meta: { task_id: taskId }, _input_hash: taskHash + 1000, _task_hash: taskHash, answer: value } };
}

describe('a PUT refused with 403', () => {
  it('needs attention with the key and permission in plain words, is not retried in the background, and publishes once fixed', async () => {
    const proxy = await startFaultProxy(s3Endpoint());
    proxies.push(proxy);
    const world = await syncWorld({ endpoint: proxy.endpoint, sync: { autoSync: true, idlePollMs: 100 } });
    const [batch] = await seedBatches(world, 3, 3);
    const claimed = await world.core.annotator.claimNext();
    const { store } = await world.core.workspaces.get();
    store.recordAnswers(claimed.id, 'alice', [answer(1, 'accept'), answer(2, 'reject')]);
    proxy.setRules([{ match: { kinds: ['put-object'], keyIncludes: '/results/' }, action: { kind: 'deny' } }]);

    const event = await world.core.annotator.syncNow();
    expect(event).toMatchObject({ state: 'needs-attention', pending: 0, failed: 1 });
    const chunkKey = store.listJobs({ kind: 'result-chunk' })[0]!.targetKey;
    expect(event.message).toBe(`Access denied writing s3://${world.config.bucket}/${chunkKey}: the current AWS credentials lack s3:PutObject on this prefix.`);
    const puts = () => proxy.requests.filter((r) => r.kind === 'put-object' && r.key === chunkKey).length;
    expect(puts()).toBe(1);

    // Background rounds keep running (every 100 ms here) but leave it alone: a person has to act.
    const before = ticks(world);
    await until(() => expect(ticks(world)).toBeGreaterThan(before + 5));
    expect(puts()).toBe(1);
    expect(store.listJobs({ state: 'needs-attention' }).map((j) => j.attempts)).toEqual([1]);
    expect(world.syncEvents.at(-1)).toMatchObject({ state: 'needs-attention', failed: 1, message: event.message });

    // `ferry sync` retries it once (a person asked), is refused again, and exits non-zero with the reason.
    const cli = await ferry(['sync', '--json', '--config', world.configPath]);
    expect(cli.code).toBe(1);
    expect(JSON.parse(cli.stdout)).toMatchObject({ ok: false, state: 'needs-attention', failed: 1, message: event.message });
    expect(puts()).toBe(2);
    const human = await ferry(['sync', '--config', world.configPath]);
    expect(human.code).toBe(1);
    expect(human.stderr).toContain('Not published: something needs your attention.');
    expect(human.stderr).toContain('lack s3:PutObject');

    proxy.setRules([]); // the lead fixed the bucket policy
    expect(await world.core.annotator.syncNow()).toMatchObject({ state: 'online', pending: 0, failed: 0 });
    expect(await rawKeys(world.config.bucket, resultsOf(world.config, batch))).toEqual([chunkKey]);
  });
});
