// Get my batch when there is nothing to get, and when a faster annotator takes the batch first (invariant 3).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createBatches } from '../../../../electron/batches/create-batches.ts';
import { claimNextBatch } from '../../../../electron/claims/claim-batch.ts';
import { startFaultProxy, type FaultProxy } from '../../../helpers/s3-fault-proxy.ts';
import { s3Endpoint } from '../../../helpers/s3-fixture.ts';
import { makeWorkspace, textPool, writePool, type TestWorkspace } from '../../../helpers/workspace-fixture.ts';
import { cleanupStandins } from '../../../prodigy-standin/harness.ts';
import { ferryError, PROJECT, rawGet, rawKeys, rawPut, seedProject, workspaceWith } from './error-kit.ts';

const open: TestWorkspace[] = [];
const proxies: FaultProxy[] = [];
afterEach(async () => {
  for (const ws of open.splice(0)) await ws.core.close();
  for (const proxy of proxies.splice(0)) await proxy.stop();
  await cleanupStandins();
});

async function workspace(options: Parameters<typeof makeWorkspace>[0] = {}): Promise<TestWorkspace> {
  const ws = await makeWorkspace(options);
  open.push(ws);
  return ws;
}

function rivalClaim(region: string, batch: string): string {
  return JSON.stringify({ kind: 'ferry.claim', version: 1, project: PROJECT, region, batch, annotator: 'bob', claimedAt: new Date().toISOString(), leaseUntil: new Date(Date.now() + 86_400_000).toISOString(), appVersion: 'rival' });
}

describe('Get my batch: nothing left', () => {
  it('names the region when the project has batches only for other regions, and writes no claim', async () => {
    const ws = await workspace({ region: 'apac' });
    const target = await seedProject(ws);
    await createBatches(target, { project: PROJECT, region: 'emea', poolFile: writePool(ws.dir, 'pool.jsonl', textPool(4)), size: 2, createdBy: 'lead' });

    const error = await ferryError(ws.core.annotator.claimNext());
    expect(error.code).toBe('no-batches-left');
    expect(error.message).toBe(`No batches are left for region "apac" in any project (${PROJECT}). Ask your team lead to create more, then try again.`);
    expect(await rawKeys(ws.config.bucket, `${ws.config.prefix}projects/${PROJECT}/claims/`)).toEqual([]);
    // The same through the command envelope the renderer sees.
    expect(await ws.core.dispatch('batches.claimNext', {})).toEqual({ ok: false, error: { code: 'no-batches-left', message: error.message } });
  });

  it('says so once every batch of the region is claimed', async () => {
    const ws = await workspace();
    const target = await seedProject(ws);
    const created = await createBatches(target, { project: PROJECT, region: 'emea', poolFile: writePool(ws.dir, 'pool.jsonl', textPool(4)), size: 2, createdBy: 'lead' });
    for (const b of created.created) await rawPut(ws.config.bucket, `${ws.config.prefix}projects/${PROJECT}/claims/emea/${b.batch}.json`, rivalClaim('emea', b.batch), { ifNoneMatch: true });

    const error = await ferryError(ws.core.annotator.claimNext());
    expect(error.code).toBe('no-batches-left');
    expect(error.message).toContain('region "emea"');
    await expect(ws.core.annotator.list()).resolves.toEqual([]);
  });

  it('names the region and the project\'s regions when asked for a project that does not cover the region', async () => {
    const ws = await workspace({ region: 'amer' });
    await seedProject(ws);
    const error = await ferryError(ws.core.annotator.claimNext(PROJECT));
    expect(error.code).toBe('no-batches-left');
    expect(error.message).toBe(`Project "${PROJECT}" has no work for region "amer" (its regions: emea, apac).`);
  });

  it('says the bucket has no projects yet when it has none', async () => {
    const ws = await workspace();
    const error = await ferryError(ws.core.annotator.claimNext());
    expect(error.code).toBe('no-batches-left');
    expect(error.message).toContain('region "emea" in this bucket (it has no projects yet)');
  });
});

describe('Get my batch: a faster annotator wins', () => {
  it('skips a batch whose claim already exists and leaves that claim untouched', async () => {
    const ws = await workspace();
    const target = await seedProject(ws);
    const created = await createBatches(target, { project: PROJECT, region: 'emea', poolFile: writePool(ws.dir, 'pool.jsonl', textPool(4)), size: 2, createdBy: 'lead' });
    const [first, second] = created.created.map((b) => b.batch);
    const claimKey = `${ws.config.prefix}projects/${PROJECT}/claims/emea/${first}.json`;
    const rival = rivalClaim('emea', first!);
    await rawPut(ws.config.bucket, claimKey, rival, { ifNoneMatch: true });

    const batch = await ws.core.annotator.claimNext();
    expect(batch.batch).toBe(second);
    expect(batch.status).toBe('ready');
    expect((await rawGet(ws.config.bucket, claimKey)).toString('utf8')).toBe(rival);
    const ours = JSON.parse((await rawGet(ws.config.bucket, `${ws.config.prefix}projects/${PROJECT}/claims/emea/${second}.json`)).toString('utf8'));
    expect(ours).toMatchObject({ annotator: 'alice', batch: second });
  });

  it('loses the race for a batch claimed between its listing and its write, and takes the next (lostRaces 1)', async () => {
    // Ferry talks to moto through a proxy that holds its claim write for the first batch until the rival's claim is in.
    const proxy = await startFaultProxy(s3Endpoint());
    proxies.push(proxy);
    const ws = await workspaceWith({ endpoint: proxy.endpoint });
    open.push(ws);
    const target = await seedProject(ws);
    const created = await createBatches(target, { project: PROJECT, region: 'emea', poolFile: writePool(ws.dir, 'pool.jsonl', textPool(6)), size: 2, createdBy: 'lead' });
    const [first, second] = created.created.map((b) => b.batch);
    const firstClaim = `${ws.config.prefix}projects/${PROJECT}/claims/emea/${first}.json`;
    let release!: () => void;
    proxy.setRules([{ match: { kinds: ['put-object'], keyIncludes: `claims/emea/${first}.json` }, action: { kind: 'hold', until: new Promise<void>((resolve) => (release = resolve)) } }]);

    const claiming = claimNextBatch(target, { annotator: 'alice', region: 'emea', appVersion: 'test' });
    await vi.waitFor(() => expect(proxy.requests.some((r) => r.kind === 'put-object' && r.key === firstClaim)).toBe(true), { timeout: 20_000, interval: 20 });
    await rawPut(ws.config.bucket, firstClaim, rivalClaim('emea', first!), { ifNoneMatch: true }); // bob is faster
    release();
    const claimed = await claiming;

    expect(claimed.lostRaces).toBe(1);
    expect(claimed.manifest.batch).toBe(second);
    expect(JSON.parse((await rawGet(ws.config.bucket, firstClaim)).toString('utf8')).annotator).toBe('bob');
    const claims = await rawKeys(ws.config.bucket, `${ws.config.prefix}projects/${PROJECT}/claims/emea/`);
    expect(claims).toEqual([firstClaim, `${ws.config.prefix}projects/${PROJECT}/claims/emea/${second}.json`]);
    expect(JSON.parse((await rawGet(ws.config.bucket, claims[1]!)).toString('utf8')).annotator).toBe('alice');
  });
});
